import type { DialectConnection } from '../dialect/dialect.js';
import { LockTimeoutError } from '../errors.js';
import type { RunListener } from './run-event.js';

/** Options of {@link acquireLocks}.
 * @internal
 */
export interface LockingOptions {
  /** Give up waiting for a bind's lock after this many milliseconds (default: no limit). */
  readonly lockTimeoutMs?: number;
  /** Receives `lock-wait` and `lock-acquired` events. */
  readonly onEvent?: RunListener;
}

/** A bind whose migration lock is to be taken.
 * @internal
 */
export interface LockRequest {
  readonly bind: string;
  readonly connection: DialectConnection;
  /** The lock's name (unique per bind's database and version table). */
  readonly name: string;
}

/**
 * Takes the migration lock of each bind, in the order given (callers sort them, so two runs
 * cannot deadlock), polling with `lock-wait` / `lock-acquired` events. On a failure, the locks
 * already taken are released.
 *
 * @returns a function that releases every lock taken (never throws).
 * @throws {@link LockTimeoutError} after `lockTimeoutMs`; what the connection throws otherwise.
 * @example
 * ```ts
 * const release = await acquireLocks([{ bind: 'db2', connection, name: 'multidb::multidb_version' }], { lockTimeoutMs: 5000 });
 * try { … } finally { await release(); }
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
  try {
    for (const { bind, connection, name } of requests) {
      const t0 = performance.now();
      try {
        await connection.acquireLock({
          name,
          ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
          onWait: () => emit({ type: 'lock-wait', bind }),
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'LOCK_TIMEOUT') throw new LockTimeoutError(bind, performance.now() - t0);
        throw error;
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
