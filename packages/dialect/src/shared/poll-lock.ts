import { LockTimeoutError, type LockOptions } from '@multidb/core';

/**
 * The polling loop every dialect's migration lock shares (DESIGN §7): try, and while another
 * session holds the lock, call `onWait` once, sleep `pollMs` (default 200) on a timer (never
 * busy-waiting the event loop), and give up after `timeoutMs`, or as soon as `signal` is aborted.
 *
 * @param tryAcquire - one non-blocking attempt; resolves true when the lock was taken. Its
 *   errors propagate (e.g. a lost connection).
 * @param bind - the bind, for the timeout error.
 * @param options - timeout, poll interval, wait callback (the lock name is the caller's).
 * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs` (`0`: one try); an
 *   `Error` with `code: 'ABORTED'` once `signal` is aborted (before a try, or while it sleeps).
 * @example
 * ```ts
 * const rows = () => conn.execute({ sql: 'SELECT pg_try_advisory_lock(42) AS ok', parameters: [] });
 * await pollLock(async () => (await rows())[0]?.ok === true, 'db2', { name: 'x', timeoutMs: 30_000 });
 * ```
 */
export async function pollLock(tryAcquire: () => Promise<boolean> | boolean, bind: string, options: LockOptions): Promise<void> {
  const pollMs = Math.max(1, options.pollMs ?? 200);
  const started = Date.now();
  let waited = false;
  const { signal } = options;
  for (;;) {
    if (signal?.aborted) throw abortedError();
    if (await tryAcquire()) return;
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

/** What {@link pollLock} rejects with once its signal is aborted. */
function abortedError(): Error {
  return Object.assign(new Error('Stopped waiting for the migration lock: the run was asked to stop.'), { code: 'ABORTED' });
}
