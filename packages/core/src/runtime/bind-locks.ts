import type { DialectConnection } from '../dialect/dialect.js';
import { maskUrl } from '../config/database-url.js';
import { BindError, InterruptedError, LockTimeoutError, MultidbError } from '../errors.js';
import type { RunListener } from './run-event.js';

/** Options of {@link acquireLocks}.
 * @internal
 */
export interface LockingOptions {
  /** Give up waiting for a bind's lock after this many milliseconds (default: no limit). */
  readonly lockTimeoutMs?: number;
  /** Receives `lock-wait` and `lock-acquired` events. */
  readonly onEvent?: RunListener;
  /** Stops taking locks (and waiting for one) once aborted: see `RunOptions.signal`. */
  readonly signal?: AbortSignal;
}

/** A bind whose migration lock is to be taken.
 * @internal
 */
export interface LockRequest {
  readonly bind: string;
  readonly connection: DialectConnection;
  /** The lock's name (unique per bind's database and version table). */
  readonly name: string;
  /** Where a row-based lock (a Galera lease) lives: the version table's lock table. */
  readonly table?: { readonly name: string; readonly schema?: string };
  /** Where the bind points (a SQLite file's path, a masked URL), for the error message. */
  readonly location?: string;
}

/**
 * Takes the migration lock of each bind, in the order given (callers sort them, so two runs
 * cannot deadlock), polling with `lock-wait` / `lock-acquired` events. On a failure, the locks
 * already taken are released.
 *
 * @returns a function that releases every lock taken (never throws).
 * @throws {@link LockTimeoutError} after `lockTimeoutMs`; {@link InterruptedError} once `signal` is
 *   aborted (every bind asked for in `notStarted`: nothing ran); a {@link BindError} (action `'lock'`,
 *   naming the bind and its location) when the connection cannot take the lock for another reason
 *   (a SQLite lock file that cannot be opened); a typed error of the connection as it is.
 * @example
 * ```ts
 * const release = await acquireLocks([{ bind: 'db2', connection, name: 'multidb::multidb_version' }], { lockTimeoutMs: 5000 });
 * try {
 *   // run the plan
 * } finally {
 *   await release();
 * }
 * ```
 * @internal
 */
export async function acquireLocks(requests: readonly LockRequest[], options: LockingOptions = {}): Promise<() => Promise<void>> {
  const emit: RunListener = (event) => {
    try {
      options.onEvent?.(event);
    } catch {
      /* listeners must not break a run */
    }
  };
  const held: DialectConnection[] = [];
  const release = async (): Promise<void> => {
    for (const conn of held.reverse()) await conn.releaseLock().catch(() => undefined);
    held.length = 0;
  };
  const { signal } = options;
  const interrupted = () => new InterruptedError({ reason: signal?.reason, notStarted: requests.map((r) => r.bind) });
  try {
    for (const { bind, connection, name, table, location } of requests) {
      if (signal?.aborted) throw interrupted();
      const t0 = performance.now();
      try {
        await connection.acquireLock({
          name,
          ...(table !== undefined ? { table } : {}),
          ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
          ...(signal ? { signal } : {}),
          onWait: () => emit({ type: 'lock-wait', bind }),
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ABORTED' && signal?.aborted) throw interrupted();
        if ((error as { code?: unknown }).code === 'LOCK_TIMEOUT') {
          const waitedMs = performance.now() - t0;
          // Who holds it, where the dialect can tell (a Galera lease, the session holding a PostgreSQL or MySQL lock); nothing more when it cannot be read (no privilege).
          const holder = await connection.lockHolder?.({ name, ...(table !== undefined ? { table } : {}) }).catch(() => undefined);
          throw new LockTimeoutError(bind, waitedMs, holder ? { holder } : {});
        }
        if (error instanceof MultidbError) throw error;
        const reason = maskUrl(error instanceof Error ? error.message : String(error));
        throw new BindError({ bind, action: 'lock', doing: 'take the migration lock of', reason, ...(location !== undefined ? { location } : {}) }, { cause: error });
      }
      held.push(connection);
      emit({ type: 'lock-acquired', bind, waitedMs: performance.now() - t0 });
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
