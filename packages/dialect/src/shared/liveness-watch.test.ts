// The liveness watch's decision on each probe (pure: the watch takes the probe as a function).
// What must never give a healthy statement up: a probe that could not verify the session's
// identity (a pooler or proxy in between) and a probe that failed for another reason than an
// unreachable server (a login refused after a password rotation, too many connections).
import { describe, expect, it, vi } from 'vitest';
import { connectOrUnreachable, livenessVerdict, ServerUnreachableError, watchLiveness, type ProbeOutcome, type SessionState } from './liveness-watch.js';
import { ConnectionLostError } from './connection-lost-error.js';

describe('livenessVerdict', () => {
  it('gives up only on a verified gone or finished session, or an unreachable server', () => {
    expect(livenessVerdict({ state: 'gone' })).toBe('the server no longer has its session');
    expect(livenessVerdict({ state: 'finished' })).toBe('the server finished the statement in flight, but its answer never arrived');
    expect(livenessVerdict({ error: new ServerUnreachableError('no answer to the connect within 10 s') })).toBe(
      'the server could not be reached while the run was stopping (no answer to the connect within 10 s)',
    );
  });

  it('keeps waiting on a running statement, an unverified identity, and every other probe failure', () => {
    expect(livenessVerdict({ state: 'running' })).toBeUndefined();
    expect(livenessVerdict({ state: 'unverified' })).toBeUndefined();
    const auth = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    const tooMany = Object.assign(new Error('Too many connections'), { code: 'ER_CON_COUNT_ERROR', errno: 1040 });
    const sql = Object.assign(new Error('permission denied for view pg_stat_activity'), { code: '42501' });
    for (const error of [auth, tooMany, sql, new Error('Connection terminated unexpectedly'), 'a string']) expect(livenessVerdict({ error })).toBeUndefined();
  });
});

describe('connectOrUnreachable', () => {
  it('takes network errors of the connect and its timeout for an unreachable server, and nothing else', async () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']) {
      await expect(connectOrUnreachable(Promise.reject(Object.assign(new Error(`connect ${code}`), { code })), 10_000)).rejects.toBeInstanceOf(ServerUnreachableError);
    }
    await expect(connectOrUnreachable(new Promise(() => undefined), 10)).rejects.toBeInstanceOf(ServerUnreachableError);
    const auth = Object.assign(new Error("Access denied for user 'app'@'localhost'"), { code: 'ER_ACCESS_DENIED_ERROR' });
    await expect(connectOrUnreachable(Promise.reject(auth), 10_000)).rejects.toBe(auth);
    await expect(connectOrUnreachable(Promise.resolve(), 10_000)).resolves.toBeUndefined();
  });
});

describe('watchLiveness', () => {
  /** Runs a watch over one statement in flight with `probe`; resolves once `probes` probes were decided, with what was abandoned. */
  async function watch(probe: () => Promise<SessionState>, probes: number): Promise<{ abandoned: ConnectionLostError[]; outcomes: ProbeOutcome[] }> {
    const abandoned: ConnectionLostError[] = [];
    const outcomes: ProbeOutcome[] = [];
    const statement = {};
    const stop = watchLiveness({ bind: 'db2', inFlight: () => statement, probe, abandon: (e) => abandoned.push(e), timeoutMs: 10_000, intervalMs: 1, onProbe: (o) => outcomes.push(o) });
    try {
      await vi.waitFor(() => expect(outcomes.length >= probes || abandoned.length > 0).toBe(true), { timeout: 30_000, interval: 5 });
    } finally {
      stop();
    }
    return { abandoned, outcomes };
  }

  it('keeps waiting while the probe cannot verify the session (a pooler or proxy in between)', async () => {
    const { abandoned, outcomes } = await watch(async () => 'unverified', 3);
    expect(abandoned).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps waiting while the probe fails otherwise than on an unreachable server (a login refused)', async () => {
    const refused = Object.assign(new Error('role "app" is not permitted to log in'), { code: '28000' });
    const { abandoned, outcomes } = await watch(() => Promise.reject(refused), 3);
    expect(abandoned).toEqual([]);
    expect(outcomes).toContainEqual({ error: refused });
  });

  it('gives the connection up when the server cannot be reached', async () => {
    const { abandoned } = await watch(() => connectOrUnreachable(Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), { code: 'ECONNREFUSED' })), 10_000).then(() => 'running' as const), 50);
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]!.message).toContain('[db2] the connection to the server was lost: the server could not be reached while the run was stopping (connect ECONNREFUSED 10.0.0.9:5432)');
    expect(abandoned[0]!.code).toBe('CONNECTION_LOST');
  });

  it('gives the connection up when the verified session is gone', async () => {
    const { abandoned } = await watch(async () => 'gone', 50);
    expect(abandoned.map((e) => e.message)).toEqual([expect.stringContaining('the server no longer has its session')]);
  });
});
