import stringWidth from 'string-width';
import { expect, vi } from 'vitest';
import type { RunMessage } from '../../src/run/run-message.js';
import type { RunGroup, RunSession } from '../../src/backend/tui-backend.js';

/** Helpers of the screen tests (not exported from the package). */

/**
 * A pause between keys (a person types no faster). Never a wait for a frame: React draws a key's
 * frame in a task of its own, which a busy machine may get to after any fixed pause; assertions
 * on what is drawn wait for it with {@link eventually}.
 */
export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `assertion` until it passes, then returns what it returned: for a frame React draws, a
 * callback a key calls, or data the backend loads after an event, which a busy machine gets to
 * later than an idle one. Gives up with the assertion's last error after `timeoutMs` (a guard
 * against hangs, not a speed check: 5 s by default, more where the backend reads databases).
 *
 * An assertion that something did NOT happen cannot wait for it: wait first for a later frame or
 * call that proves the keys before it were handled, then assert the absence.
 * @example
 * ```ts
 * await press(stdin, 'u', KEY.enter, 'q');
 * await eventually(() => expect(onBack).toHaveBeenCalledTimes(1)); // q handled, so u and enter were
 * expect(onUpgrade).not.toHaveBeenCalled();
 * ```
 */
export function eventually<T>(assertion: () => T, timeoutMs = 5000): Promise<T> {
  return vi.waitFor(assertion, { timeout: timeoutMs, interval: 20 });
}

/**
 * Waits until the last frame passes `assertion` (given the frame's lines) and returns those
 * lines: every assertion of a block holds on one and the same frame.
 * @example
 * ```ts
 * const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Review/));
 * ```
 */
export function frameWhere(lastFrame: () => string | undefined, assertion: (frame: string[]) => void, timeoutMs?: number): Promise<string[]> {
  return eventually(() => {
    const frame = lines(lastFrame());
    assertion(frame);
    return frame;
  }, timeoutMs);
}

/** Escape sequences of keys, as a terminal sends them. */
export const KEY = Object.freeze({
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
  space: ' ',
  pageDown: '\u001B[6~',
  ctrlC: '\u0003',
});

/**
 * Writes keys one at a time, pausing ({@link tick}) after each. Writes the first once Ink reads
 * `stdin` (it listens from the first `useInput` effect on): a key written before would be lost.
 */
export async function press(stdin: { write(data: string): void; listenerCount(event: string): number }, ...sequence: string[]): Promise<void> {
  await eventually(() => expect(stdin.listenerCount('readable')).toBeGreaterThan(0));
  for (const key of sequence) {
    stdin.write(key);
    await tick();
  }
}

/** The frame's lines without trailing spaces. */
export function lines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n').map((l) => l.trimEnd());
}

/** The lines wider than `columns` terminal cells (a CJK character or an emoji takes two). */
export function overflowing(frame: readonly string[], columns: number): string[] {
  return frame.filter((line) => stringWidth(line) > columns);
}

/**
 * The terminal column (cells from the left, wide characters counting two) where `text` first
 * starts in `line`, searching from the string index `from`; -1 when it is not there.
 */
export function columnOf(line: string, text: string, from = 0): number {
  const at = line.indexOf(text, from);
  return at < 0 ? -1 : stringWidth(line.slice(0, at));
}

/**
 * The rest of `line` from terminal column `column` on (wide characters counting two), or
 * `undefined` when a wide character covers that column (the columns are then not aligned).
 */
export function textAt(line: string, column: number): string | undefined {
  let at = 0;
  for (const { segment, index } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(line)) {
    if (at === column) return line.slice(index);
    if (at > column) return undefined;
    at += stringWidth(segment);
  }
  return at === column ? '' : undefined;
}

/** A run session fed by hand: `emit` delivers a message of a part as a driver would. */
export function scriptedSession(direction: 'up' | 'down', groups: RunGroup[]): RunSession & { emit(group: number, message: RunMessage): void; cancelled: boolean; interrupted: boolean } {
  const log: [number, RunMessage][] = [];
  const listeners = new Set<(group: number, message: RunMessage) => void>();
  const session = {
    direction,
    groups,
    cancelled: false,
    interrupted: false,
    emit(group: number, message: RunMessage) {
      log.push([group, message]);
      for (const l of listeners) l(group, message);
    },
    subscribe(listener: (group: number, message: RunMessage) => void) {
      for (const [g, m] of log) listener(g, m);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    interrupt() {
      session.interrupted = true;
    },
    async cancel() {
      session.cancelled = true;
    },
  };
  return session;
}
