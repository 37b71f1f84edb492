import type { LockHolder } from './dialect.js';

/**
 * A {@link LockHolder} as the messages write it (`LockTimeoutError`'s, `migrate current`'s): a
 * lease's holder and when it was taken (`app1:4242:7f3a9c1d, since 2026-12-07T10:00:00.000Z`); a
 * session's id with what its server shows of it, each part only when known
 * (`pid 4242: user deploy from 10.0.0.7:51234, application 'multidb', connected at
 * 2026-12-07T10:00:00.000Z, in a transaction since …, state 'idle' since …`). Times in UTC,
 * ISO 8601. Never a password nor SQL text: the holder carries neither.
 * @param holder - who holds the lock.
 * @returns one line, no trailing period.
 * @example
 * ```ts
 * formatLockHolder({ holder: 'pid 4242', session: { id: 4242, user: 'deploy', clientAddress: '10.0.0.7:51234', state: 'idle' } });
 * // "pid 4242: user deploy from 10.0.0.7:51234, state 'idle'"
 * ```
 */
export function formatLockHolder(holder: LockHolder): string {
  const s = holder.session;
  if (!s) return `${holder.holder}${holder.acquiredAt ? `, since ${holder.acquiredAt.toISOString()}` : ''}`;
  const who = s.user !== undefined ? `user ${s.user}${s.clientAddress !== undefined ? ` from ${s.clientAddress}` : ''}` : s.clientAddress !== undefined ? `from ${s.clientAddress}` : undefined;
  const parts = [
    who,
    s.applicationName ? `application '${s.applicationName}'` : undefined,
    s.connectedAt ? `connected at ${s.connectedAt.toISOString()}` : undefined,
    s.transactionStartedAt ? `in a transaction since ${s.transactionStartedAt.toISOString()}` : undefined,
    s.state !== undefined ? `state '${s.state}'${s.stateSince ? ` since ${s.stateSince.toISOString()}` : ''}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? `${holder.holder}: ${parts.join(', ')}` : holder.holder;
}
