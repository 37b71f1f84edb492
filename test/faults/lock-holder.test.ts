// A migration lock not acquired in time names who holds it on PostgreSQL and MariaDB, as it did
// only for a Galera lease: LockTimeoutError.holder is the server session holding the advisory lock
// (pg_locks with pg_stat_activity: pid, user, client address, application_name, when it
// connected, its state) or the GET_LOCK (IS_USED_LOCK's connection id, with the processlist's
// user, host, command), its message names it, `--json` gives it, and `migrate current` shows it.
// The holder here is this test's own connection (its pid or connection id, read on it), holding
// the bind's lock as another `migrate` would. A look-up the role may not make (pg_locks revoked)
// leaves the error as it was (and env.lockHolders() says why); a MariaDB user without PROCESS sees
// the connection id alone, a PostgreSQL role without pg_read_all_stats another role's pid, user and
// application_name (LockHolderSession's TSDoc said it got the id alone).
import { commands, createModuleLoader, formatLockHolder, loadEnvironment, LockTimeoutError, type DialectConnection, type MigrationEnvironment } from '@multidb/core';
import type { CurrentJson, ErrorJson } from '@multidb/cli';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { createLoginRole, describeWithServers, MYSQL_URL, POSTGRES_URL, queryUrl, useDatabases, versionsAt, type LoginRole, type ServerDatabase, type ServerKind } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const LOCK = { name: 'multidb::multidb_version' };
const R1 = '10c4000000a1';
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (e: unknown) => e);

/** A project of one bind `app` at `url`, with one revision. */
function project(url: string): TempProject {
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
  p.write(
    `migrations/versions/app/${R1}_t.ts`,
    revisionSource({ revision: R1, downRevision: null, branchLabels: ['app'], upgrade: "await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t');" }),
  );
  return p;
}

/** Runs `fn` while a connection of this process holds `app`'s migration lock; gives it that session's id. */
async function whileHolding<T>(p: TempProject, fn: (id: number) => Promise<T>, kind: ServerKind): Promise<T> {
  const env: MigrationEnvironment = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  try {
    const conn: DialectConnection = await env.connection('app');
    await conn.acquireLock(LOCK);
    const [row] = await conn.execute({ sql: kind === 'postgres' ? 'SELECT pg_backend_pid() AS id' : 'SELECT CONNECTION_ID() AS id', parameters: [] });
    try {
      return await fn(Number(row!['id']));
    } finally {
      await conn.releaseLock();
    }
  } finally {
    await env.close();
  }
}

/** The user the test servers' URLs log in as (postgres, root by default). */
const userOf = (kind: ServerKind) => decodeURIComponent(new URL(kind === 'postgres' ? POSTGRES_URL : MYSQL_URL).username) || (kind === 'postgres' ? 'postgres' : 'root');
/** A client address as the servers show it: `host:port` (`127.0.0.1:51234` by default), or PostgreSQL's Unix-domain socket. */
const ADDRESS = '(?:\\S+:\\d+|local socket)';

/** What the server shows of the test's own session, as `session` holds it. */
function expectedSession(kind: ServerKind, id: number): Record<string, unknown> {
  const clientAddress = expect.stringMatching(new RegExp(`^${ADDRESS}$`));
  return kind === 'postgres'
    ? { id, user: userOf(kind), clientAddress, applicationName: 'multidb', connectedAt: expect.any(Date), state: 'idle', stateSince: expect.any(Date) }
    : { id, user: userOf(kind), clientAddress, state: 'Sleep', stateSince: expect.any(Date) };
}

/** The holder as the message writes it, for the test's own session. */
function holderPattern(kind: ServerKind, id: number): string {
  return kind === 'postgres'
    ? `pid ${id}: user ${userOf(kind)} from ${ADDRESS}, application 'multidb', connected at ${ISO}, state 'idle' since ${ISO}`
    : `connection ${id}: user ${userOf(kind)} from ${ADDRESS}, state 'Sleep' since ${ISO}`;
}

function holderCases(kind: ServerKind, url: () => string): void {
  let p: TempProject;
  beforeAll(() => {
    p = project(url());
  });
  afterAll(() => p.remove());

  it(`${kind}: from code, LockTimeoutError.holder is the session holding the lock (this test's), and the message names it`, async () => {
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    try {
      const { error, id } = await whileHolding(p, async (id) => ({ id, error: await rejection(commands.upgrade(env, [], { lockTimeoutMs: 300 })) }), kind);
      expect(error).toBeInstanceOf(LockTimeoutError);
      const e = error as LockTimeoutError;
      expect(e.holder).toEqual({ holder: kind === 'postgres' ? `pid ${id}` : `connection ${id}`, session: expectedSession(kind, id) });
      expect(e.holder?.acquiredAt).toBeUndefined();
      expect(e.message).toBe(`Timed out after ${Math.round(e.waitedMs)} ms waiting for the migration lock on app: another run holds it (${formatLockHolder(e.holder!)}).`);
      expect(e.message).toMatch(new RegExp(`another run holds it \\(${holderPattern(kind, id)}\\)\\.$`));
      expect(await versionsAt(url())).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it(`${kind}: migrate upgrade --lock-timeout 1: the ERROR line names the holder, --json gives it; exit 3`, async () => {
    await whileHolding(
      p,
      async (id) => {
        const text = await p.run('upgrade', '--lock-timeout', '1');
        expect(text.code, text.stderr).toBe(3);
        expect(text.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^ERROR: Timed out after \\d+ s waiting for the migration lock on app: another run holds it \\(${holderPattern(kind, id)}\\)\\.$`));
        const json = await p.run('upgrade', '--lock-timeout', '1', '--json');
        expect(json.code, json.stderr).toBe(3);
        const { error } = JSON.parse(json.stdout) as ErrorJson;
        expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'app', holder: { holder: kind === 'postgres' ? `pid ${id}` : `connection ${id}`, session: { id } } });
        expect(error.holder?.session?.stateSince).toMatch(new RegExp(`^${ISO}$`));
      },
      kind,
    );
  });

  it(`${kind}: migrate current shows the holder while the lock is held, and nothing once it is free`, async () => {
    await whileHolding(
      p,
      async (id) => {
        const out = await p.run('current');
        expect(out.code, out.stderr).toBe(0);
        expect(out.stdout).toMatch(new RegExp(`^\\[app\\] migration lock held by ${holderPattern(kind, id)}$`, 'm'));
        const json = await p.run('current', '--json');
        const [bind] = (JSON.parse(json.stdout) as CurrentJson).binds;
        expect(bind).toMatchObject({ bind: 'app', lockHolder: { session: { id } } });
      },
      kind,
    );
    const free = await p.run('current', '--json');
    expect((JSON.parse(free.stdout) as CurrentJson).binds[0]).not.toHaveProperty('lockHolder');
  });
}

describeWithServers('the holder of a PostgreSQL migration lock (advisory lock)', ['postgres'], () => {
  const dbs = useDatabases('lock_holder', { app: 'postgres', revoked: 'postgres' });
  holderCases('postgres', () => dbs.app.url);

  it("postgres: a role that may not read pg_locks: the timeout says what it said (no holder), never the role's password", async () => {
    let role: LoginRole | undefined;
    const p = project(dbs.revoked.url);
    try {
      await queryUrl(dbs.revoked.url, 'REVOKE SELECT ON pg_catalog.pg_locks FROM PUBLIC');
      role = await createLoginRole(dbs.revoked);
      const runner = project(role.url());
      try {
        const env = await loadEnvironment({ dialects, cwd: runner.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
        try {
          await whileHolding(
            p,
            async () => {
              const error = (await rejection(commands.upgrade(env, [], { lockTimeoutMs: 300 }))) as LockTimeoutError;
              expect(error).toBeInstanceOf(LockTimeoutError);
              expect(error.holder).toBeUndefined();
              expect(error.message).toBe(`Timed out after ${Math.round(error.waitedMs)} ms waiting for the migration lock on app: another run holds it.`);
              const out = await runner.run('upgrade', '--lock-timeout', '1', '--json');
              expect(out.code, out.stderr).toBe(3);
              expect((JSON.parse(out.stdout) as ErrorJson).error).not.toHaveProperty('holder');
              expect(out.stdout + out.stderr).not.toContain(role!.password);
              // From code, env.lockHolders() says why it cannot tell (as its TSDoc says); commands.current leaves the holder out.
              const refused = await rejection(env.lockHolders());
              expect(refused).toMatchObject({ name: 'BindError', bind: 'app', action: 'lock' });
              expect((refused as Error).message).toContain('permission denied for view pg_locks');
              expect((refused as Error).message).not.toContain(role!.password);
              const [current] = await commands.current(env);
              expect(current).toMatchObject({ bind: 'app', reachable: true });
              expect(current).not.toHaveProperty('lockHolder');
            },
            'postgres',
          );
        } finally {
          await env.close();
        }
      } finally {
        runner.remove();
      }
    } finally {
      await role?.drop();
      p.remove();
    }
  });
});

/**
 * As a login role made for the test on `db` (which may not see other sessions' details): runs
 * `upgrade --lock-timeout 1 --json` while the server's admin user holds the bind's lock, expects
 * the lock timeout (exit 3) and no password in its output, then hands `check` the error, the
 * holding session's id and the role's project (to run more commands as it).
 */
async function timedOutAsRole(db: ServerDatabase, check: (error: ErrorJson['error'], id: number, runner: TempProject) => Promise<void>): Promise<void> {
  const role = await createLoginRole(db);
  const runner = project(role.url());
  const holder = project(db.url);
  try {
    await whileHolding(
      holder,
      async (id) => {
        const out = await runner.run('upgrade', '--lock-timeout', '1', '--json');
        expect(out.code, out.stderr).toBe(3);
        expect(out.stdout + out.stderr).not.toContain(role.password);
        await check((JSON.parse(out.stdout) as ErrorJson).error, id, runner);
      },
      db.kind,
    );
  } finally {
    runner.remove();
    holder.remove();
    await role.drop();
  }
}

describeWithServers('the holder of a PostgreSQL migration lock, seen by a role without pg_read_all_stats', ['postgres'], () => {
  const dbs = useDatabases('lock_holder_role', { app: 'postgres' });

  it("postgres: another role's session is named by its pid, user and application_name: the server hides its address, times and state", async () => {
    await timedOutAsRole(dbs.app, async (error, id, runner) => {
      expect(error.holder).toEqual({ holder: `pid ${id}`, session: { id, user: userOf('postgres'), applicationName: 'multidb' } });
      expect(error.message).toMatch(new RegExp(`another run holds it \\(pid ${id}: user ${userOf('postgres')}, application 'multidb'\\)\\.$`));
      const current = await runner.run('current');
      expect(current.code, current.stderr).toBe(0);
      expect(current.stdout).toMatch(new RegExp(`^\\[app\\] migration lock held by pid ${id}: user ${userOf('postgres')}, application 'multidb'$`, 'm'));
    });
  });
});

describeWithServers('the holder of a MariaDB migration lock (GET_LOCK)', ['mysql'], () => {
  const dbs = useDatabases('lock_holder', { app: 'mysql' });
  holderCases('mysql', () => dbs.app.url);

  it('mysql: a user without PROCESS sees the holding connection by its id alone', async () => {
    await timedOutAsRole(dbs.app, async (error, id) => {
      expect(error.holder).toEqual({ holder: `connection ${id}`, session: { id } });
      expect(error.message).toMatch(new RegExp(`another run holds it \\(connection ${id}\\)\\.$`));
    });
  });
});
