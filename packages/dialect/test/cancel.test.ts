// DialectConnection.cancel() on each server (a run aborted at once, a second Ctrl-C): a statement
// running on the server is stopped there (PostgreSQL's cancel request, MySQL/MariaDB's KILL QUERY
// from a second connection), cancel() resolves once it has ended, and from then on the connection
// sends nothing (a refusal, ConnectionCancelledError, checked on the server: the table it would
// have created is not there); close() still ends the session, and PostgreSQL rolls the
// transaction back. An idle connection: cancel() sends nothing and answers false. SQLite has no
// cancel (its statements block the thread they run on). Where a statement runs is read from the
// server (pg_stat_activity, PROCESSLIST), never guessed from time.
import type { DialectConnection } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { ConnectionCancelledError } from '../src/shared/connection-cancelled-error.js';
import { MYSQL, POSTGRES, SQLITE, type TestDialect } from './support/dialects.js';
import { q } from './support/op-harness.js';

/** What the test needs of a server dialect. */
interface ServerSpec {
  readonly d: TestDialect;
  /** A statement that runs for 30 s. */
  readonly sleep: string;
  /** The connection's session id. */
  readonly sessionId: string;
  /** How many statements the session `$1`/`?` is running now (read from another session). */
  readonly running: string;
  /** The tables of the current database. */
  readonly tables: string;
}

const SERVERS: readonly ServerSpec[] = [
  {
    d: POSTGRES,
    sleep: 'SELECT pg_sleep(30)',
    sessionId: 'SELECT pg_backend_pid() AS id',
    running: `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`,
    tables: `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
  },
  {
    d: MYSQL,
    sleep: 'SELECT SLEEP(30) AS s',
    sessionId: 'SELECT CONNECTION_ID() AS id',
    running: `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ? AND COMMAND = 'Query'`,
    tables: `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1`,
  },
];

/** Resolves once `observer` sees session `id` running a statement. */
async function runningOn(observer: DialectConnection, spec: ServerSpec, id: unknown): Promise<void> {
  while (Number((await q(observer, spec.running, id))[0]!.n) === 0) await new Promise((r) => setTimeout(r, 20));
}

for (const spec of SERVERS) {
  const { d } = spec;
  d.describeOnDatabase(`${d.title}: cancel()`, () => {
    const database = d.useDatabase('cancel', { perTest: true });

    it('stops the statement running on the server, resolves true once it ended, then refuses every statement, unsent', async () => {
      const conn = await database.connect();
      const observer = await database.connect({ bind: 'observer' });
      const [{ id }] = (await q(conn, spec.sessionId)) as [{ id: unknown }];
      await conn.begin();
      await conn.execute({ sql: 'CREATE TABLE before_cancel (a int)', parameters: [] });
      const sleeping = conn.execute({ sql: spec.sleep, parameters: [] }).then(
        (rows) => ({ rows }),
        (error: unknown) => ({ error }),
      );
      await runningOn(observer, spec, id);
      expect(await conn.cancel!()).toBe(true);
      // Ended on the server: PostgreSQL's error 57014 (canceling statement due to user request); MariaDB's 1317.
      expect(await sleeping).toMatchObject({ error: d.name === 'postgres' ? { code: '57014' } : { errno: 1317 } });
      expect(Number((await q(observer, spec.running, id))[0]!.n)).toBe(0);

      const refused = await conn.execute({ sql: 'CREATE TABLE after_cancel (a int)', parameters: [] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConnectionCancelledError);
      expect(refused).toMatchObject({ code: 'CANCELLED', bind: 'test' });
      await expect(conn.db.selectNoFrom((eb) => eb.val(1).as('one')).execute()).rejects.toBeInstanceOf(ConnectionCancelledError);
      await conn.close();
      // Nothing after the cancel reached the server; PostgreSQL rolled the transaction back as the
      // session ended, MariaDB kept the DDL it had committed.
      expect((await q(observer, spec.tables)).map((r) => r.name)).toEqual(d.name === 'postgres' ? [] : ['before_cancel']);
    });

    it('on an idle connection: false, nothing sent; the statements after it are refused', async () => {
      const conn = await database.connect();
      const observer = await database.connect({ bind: 'observer' });
      expect(await conn.cancel!()).toBe(false);
      await expect(conn.execute({ sql: 'CREATE TABLE after_cancel (a int)', parameters: [] })).rejects.toMatchObject({ code: 'CANCELLED' });
      await conn.close();
      expect(await q(observer, spec.tables)).toEqual([]);
    });
  });
}

describe('SQLite', () => {
  const database = SQLITE.useDatabase('cancel');
  it('has no cancel(): its statements block the thread, no other code runs meanwhile', async () => {
    const conn = await database.connect();
    expect(conn.cancel).toBeUndefined();
  });
});
