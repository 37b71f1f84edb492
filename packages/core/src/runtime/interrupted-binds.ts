import { InterruptedError, RunError } from '../errors.js';
import type { RunEvent } from './run-event.js';

/**
 * The `bind-done` events of the binds a run's signal stopped (`RunOptions.signal`), from the error
 * the run ends with: an {@link InterruptedError}, or the one a {@link RunError} carries when a
 * failure happened too. A bind with steps left (`pending`) is `'stopped'` at the heads the error
 * gives it; a bind the run did not get to (`notStarted`) is `'not-started'`, `heads: []` (not
 * read). Sent just before the run's `run-done`, in the error's order. `[]` for any other error.
 * @param error - what the run threw.
 * @returns the events, to emit in order.
 * @example
 * ```ts
 * interruptedBindEvents(new InterruptedError({ pending: [{ bind: 'db2', revision: 'ab02' }], heads: new Map([['db2', ['ab01']]]), notStarted: ['db3'] }));
 * // [{ type: 'bind-done', bind: 'db2', ok: false, heads: ['ab01'], interrupted: 'stopped' },
 * //  { type: 'bind-done', bind: 'db3', ok: false, heads: [], interrupted: 'not-started' }]
 * ```
 */
export function interruptedBindEvents(error: unknown): RunEvent[] {
  const stop = error instanceof InterruptedError ? error : error instanceof RunError ? error.interrupted : undefined;
  if (!stop) return [];
  const stopped = [...new Set(stop.pending.map((s) => s.bind))];
  return [
    ...stopped.map((bind): RunEvent => ({ type: 'bind-done', bind, ok: false, heads: stop.heads.get(bind) ?? [], interrupted: 'stopped' })),
    ...stop.notStarted.filter((b) => !stopped.includes(b)).map((bind): RunEvent => ({ type: 'bind-done', bind, ok: false, heads: [], interrupted: 'not-started' })),
  ];
}
