import { useInput, type Key } from 'ink';
import { createContext, useMemo, type ReactNode } from 'react';

/** A key handler as Ink calls it. */
export type KeyHandler = (input: string, key: Key) => void;

/**
 * Hands every key to the handlers registered as active. Screens register while they render, so a
 * screen takes keys from the moment it is drawn: with one `useInput` per screen, Ink subscribes a
 * new screen's handler in an effect after its first frame, and a key typed in between is lost.
 * @example
 * ```ts
 * const router = new KeyRouter();
 * const id = Symbol('binds');
 * router.set(id, (input) => console.log(input), true);
 * router.dispatch('jj', { ctrl: false, meta: false, shift: false } as Parameters<KeyHandler>[1]); // the handler gets 'j' twice
 * router.delete(id);
 * ```
 */
export class KeyRouter {
  readonly #entries = new Map<symbol, { handler: KeyHandler; isActive: boolean; typing: (() => boolean) | undefined }>();

  /**
   * Registers (or updates) a handler under its id. `typing`, read at each key, says whether the
   * handler takes typed text now (a filter being typed): while it does, printable characters go to
   * it alone, not to the app's own keys (`?`).
   */
  set(id: symbol, handler: KeyHandler, isActive: boolean, typing?: () => boolean): void {
    this.#entries.set(id, { handler, isActive, typing });
  }

  /** Removes the handler registered under `id` (a screen that unmounts). */
  delete(id: symbol): void {
    this.#entries.delete(id);
  }

  /**
   * Calls each active handler with the key (several printable characters: one at a time). A
   * printable character goes only to the active handlers that are typing, when any is.
   */
  dispatch(input: string, key: Key): void {
    forEachKey(input, key, (i, k) => {
      const active = [...this.#entries.values()].filter((entry) => entry.isActive);
      const typing = isText(i, k) ? active.filter((entry) => entry.typing?.() ?? false) : [];
      for (const entry of typing.length ? typing : active) entry.handler(i, k);
    });
  }
}

/** Whether a single key is text to type: a printable character, not a control or meta key. */
function isText(input: string, key: Key): boolean {
  return input !== '' && !key.ctrl && !key.meta && !key.tab && !key.return && !key.escape && !/[\x00-\x1f\x7f]/.test(input);
}

/**
 * Splits a chunk of several keys into single keys, in order: Ink hands over keys that arrive
 * together (typed faster than read, or sent at once by a script) as one string, as it does a paste,
 * so `jj` or `j` + Enter (`'j\r'`) would match no key. Printable characters, Space, Enter (`\r`), a
 * line feed, Tab, Backspace (`\b`) and Delete (`\x7f`) are split, each with the key flags Ink gives
 * it alone; anything else (one key, an escape sequence, a control key) is handled as it is.
 * @param input - what Ink reported.
 * @param key - Ink's key flags.
 * @param handle - called once per key.
 * @example
 * ```ts
 * forEachKey('j\r', { ctrl: false, meta: false } as Parameters<KeyHandler>[1], (input, key) => console.log(input, key.return)); // 'j' false, then '' true
 * ```
 */
export function forEachKey(input: string, key: Key, handle: KeyHandler): void {
  if (input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e\r\n\t\x7f\b]+$/.test(input)) {
    const plain: Key = { ...key, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, tab: false, backspace: false, delete: false, shift: false };
    for (const ch of input) {
      if (ch === '\r') handle('', { ...plain, return: true });
      else if (ch === '\n') handle('', plain); // Ink's 'enter' (a line feed) is not Return either
      else if (ch === '\t') handle('', { ...plain, tab: true });
      else if (ch === '\b') handle('', { ...plain, backspace: true });
      else if (ch === '\x7f') handle('', { ...plain, delete: true });
      else handle(ch, { ...plain, shift: /[A-Z]/.test(ch) });
    }
  } else handle(input, key);
}

/** The router of the screens below an {@link InputRouter}. */
export const KeyRouterContext = createContext<KeyRouter | undefined>(undefined);

/**
 * Routes keys to the screens below it (see {@link KeyRouter}); one Ink subscription for all.
 * Screens reach it through `useScreenInput`.
 * @example
 * ```ts
 * import { createElement } from 'react';
 * const tree = createElement(InputRouter, { children: createElement(HelpScreen, { screen: 'binds', width: 80, height: 23, isActive: true, onClose: () => undefined }) });
 * ```
 */
export function InputRouter({ children }: { readonly children: ReactNode }) {
  const router = useMemo(() => new KeyRouter(), []);
  useInput((input, key) => router.dispatch(input, key));
  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}
