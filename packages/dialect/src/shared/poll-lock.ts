import { LockTimeoutError, type LockOptions } from '@multidb/core';
import { ConnectionLostError } from './connection-lost-error.js';

/**
 * How {@link pollLock} bounds one try on a connection multidb opened: the lock queries are
 * instant on the server, so a try the server does not answer within `answerMs` means the
 * connection died silently (a NAT or firewall dropping its packets); the connection is then
 * abandoned (its socket destroyed) and the wait fails with a {@link ConnectionLostError}. An
 * abort of the signal during a try abandons the connection too (nothing is held on it yet), so
 * the wait ends at once even on a dead connection.
 */
export interface LockAnswerGuard {
  /** How long one try may wait for its answer, in milliseconds (the bind's connect timeout). */
  readonly answerMs: number;
  /** Destroys the connection's socket: the try in flight rejects, and the connection is lost. */
  readonly abandon: (error: Error) => void;
}

/**
 * The polling loop every dialect's migration lock shares (DESIGN §7): try, and while another
 * session holds the lock, call `onWait` once, sleep `pollMs` (default 200) on a timer (never
 * busy-waiting the event loop), and give up after `timeoutMs`, or as soon as `signal` is aborted.
 *
 * @param tryAcquire - one non-blocking attempt; resolves true when the lock was taken. Its
 *   errors propagate (e.g. a lost connection).
 * @param bind - the bind, for the timeout error.
 * @param options - timeout, poll interval, wait callback (the lock name is the caller's).
 * @param guard - on a connection multidb opened: how long a try may go unanswered, and how to
 *   abandon the connection then or when the signal is aborted during a try ({@link LockAnswerGuard}).
 *   Without it, a try is awaited however long it takes.
 * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs` (`0`: one try); an
 *   `Error` with `code: 'ABORTED'` once `signal` is aborted (before a try, while it sleeps, or,
 *   with `guard`, during a try); a {@link ConnectionLostError} (`code: 'CONNECTION_LOST'`), with
 *   `guard`, when a try got no answer within `guard.answerMs`.
 * @example
 * ```ts
 * const rows = () => conn.execute({ sql: 'SELECT pg_try_advisory_lock(42) AS ok', parameters: [] });
 * await pollLock(async () => (await rows())[0]?.ok === true, 'db2', { name: 'x', timeoutMs: 30_000 });
 * ```
 */
export async function pollLock(tryAcquire: () => Promise<boolean> | boolean, bind: string, options: LockOptions, guard?: LockAnswerGuard): Promise<void> {
  const pollMs = Math.max(1, options.pollMs ?? 200);
  const started = Date.now();
  let waited = false;
  const { signal } = options;
  for (;;) {
    if (signal?.aborted) throw abortedError();
    if (await (guard ? guardedTry(tryAcquire, bind, guard, signal) : tryAcquire())) return;
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    const elapsed = Date.now() - started;
    if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs) throw new LockTimeoutError(bind, elapsed);
    const remaining = options.timeoutMs === undefined ? pollMs : Math.min(pollMs, options.timeoutMs - elapsed);
    if (signal?.aborted) throw abortedError(); // aborted during the try (or by onWait): its event has passed
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', wake);
        resolve();
      }, Math.max(1, remaining));
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}

/**
 * One try of {@link pollLock} under its guard: its answer, or, when none comes within
 * `guard.answerMs` or the signal is aborted first, the connection abandoned and the matching error.
 */
async function guardedTry(tryAcquire: () => Promise<boolean> | boolean, bind: string, guard: LockAnswerGuard, signal: AbortSignal | undefined): Promise<boolean> {
  const attempt = Promise.resolve().then(tryAcquire);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const given = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = guard.answerMs / 1000;
      const error = new ConnectionLostError(bind, `the server did not answer the migration-lock query within ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s (the connect timeout)`);
      guard.abandon(error);
      reject(error);
    }, guard.answerMs);
    onAbort = () => {
      guard.abandon(abortedError());
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  attempt.catch(() => undefined); // abandoned: its own failure follows the one reported
  try {
    return await Promise.race([attempt, given]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** What {@link pollLock} rejects with once its signal is aborted. */
function abortedError(): Error {
  return Object.assign(new Error('Stopped waiting for the migration lock: the run was asked to stop.'), { code: 'ABORTED' });
}
