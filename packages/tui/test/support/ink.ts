import stringWidth from 'string-width';
import { vi } from 'vitest';
import type { RunMessage } from '../../src/run/run-message.js';
import type { RunGroup, RunSession } from '../../src/backend/tui-backend.js';

/** Helpers of the screen tests (not exported from the package). */

/** Waits for Ink to process input and React 19 to flush its batched renders. */
export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `assertion` until it passes (up to 5 s): for what React draws or runs in an effect
 * after an event, which a busy machine may take longer than a {@link tick} to get to.
 */
export function eventually(assertion: () => void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 5000, interval: 20 });
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

/** Writes keys one at a time, waiting after each. */
export async function press(stdin: { write(data: string): void }, ...sequence: string[]): Promise<void> {
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
export function scriptedSession(direction: 'up' | 'down', groups: RunGroup[]): RunSession & { emit(group: number, message: RunMessage): void; cancelled: boolean } {
  const log: [number, RunMessage][] = [];
  const listeners = new Set<(group: number, message: RunMessage) => void>();
  const session = {
    direction,
    groups,
    cancelled: false,
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
    async cancel() {
      session.cancelled = true;
    },
  };
  return session;
}
