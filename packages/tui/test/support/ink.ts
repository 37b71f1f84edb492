import type { RunMessage } from '../../src/run/run-message.js';
import type { RunGroup, RunSession } from '../../src/tui-backend.js';

/** Helpers of the screen tests (not exported from the package). */

/** Waits for Ink to process input and React 19 to flush its batched renders. */
export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

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
