/**
 * Resolves once the event loop has polled for I/O at least once since the call, so that what came
 * in while the thread was busy is delivered first: a SIGINT or SIGTERM (Node reads signals in the
 * poll phase), a message to a worker thread. A run on SQLite does its work synchronously
 * (better-sqlite3) and goes from one revision to the next through promise callbacks alone, which
 * never reach the poll phase: without this turn, a Ctrl-C pressed during a revision was seen only
 * once the whole run had ended. The runner takes it before it decides whether a step may start.
 *
 * Two `setImmediate`s: called from the poll phase, the first runs in that same loop iteration's
 * check phase, before the next poll; the second then runs after it. Called from any other phase,
 * the first already follows a poll. Costs a few microseconds on an idle loop.
 * @returns a promise resolved after that poll (never rejected).
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once('SIGINT', () => controller.abort('SIGINT'));
 * await eventLoopTurn();
 * if (controller.signal.aborted) console.error('stopping'); // a Ctrl-C during the synchronous work before is seen here
 * ```
 * @internal
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
