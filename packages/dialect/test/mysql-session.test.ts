// The MariaDB/MySQL session of a connection the driver opened (issue #13, P3): the connection's
// own statements (a revision's DDL, the version-table write, the lock's queries) go straight to
// mysql2 while no Kysely query of the session is in flight, in the order they were sent; a Kysely
// query of user code in flight makes them go through Kysely, queued as before. The server is
// real; mysql2's query is wrapped to record what runs, and the connection's Kysely to record what
// goes through it.
import { CompiledQuery, Kysely } from 'kysely';
import mysql from 'mysql2';
import { expect, it } from 'vitest';
import { MysqlConnection } from '../src/mysql/mysql-connection.js';
import { MysqlSession } from '../src/mysql/mysql-session.js';
import { MYSQL } from './support/dialects.js';
import { recordKyselyQueries } from './support/kysely-queries.js';
import { recordMysqlQueries } from './support/mysql-queries.js';


MYSQL.describeOnDatabase('MariaDB/MySQL session: statements without Kysely while it is idle', () => {
  const database = MYSQL.useDatabase('mysession');
  const ran = recordMysqlQueries();

  /** A connection the driver opened, with what goes through its Kysely recorded. */
  async function connect(): Promise<{ conn: MysqlConnection; throughKysely: string[] }> {
    const conn = (await database.connect()) as MysqlConnection;
    for (const t of ['t1', 'v']) await conn.execute({ sql: `DROP TABLE IF EXISTS \`${t}\``, parameters: [] });
    const throughKysely = recordKyselyQueries(conn.db);
    return { conn, throughKysely };
  }

  it('a revision of a connection the driver opened sends its statements without Kysely, in order, with the same results', async () => {
    const { conn, throughKysely } = await connect();
    await conn.execute({ sql: 'CREATE TABLE `v` (`version_num` varchar(32) NOT NULL PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO `v` VALUES (?)', parameters: ['r0'] });
    await conn.isGalera(); // read once per connection: not part of what is recorded below
    ran.length = 0;
    await conn.acquireLock({ name: 'multidb::v' });
    await conn.execute({ sql: 'CREATE TABLE `t1` (`a` int)', parameters: [] });
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'r0', 'r1', { name: 't1' })).toBe(true);
    expect(await conn.execute({ sql: 'SELECT `version_num` FROM `v` WHERE `version_num` = ?', parameters: ['r1'] })).toEqual([{ version_num: 'r1' }]);
    expect(ran).toEqual([
      'SELECT GET_LOCK(?, 0) AS acquired',
      'CREATE TABLE `t1` (`a` int)',
      expect.stringMatching(/^BEGIN NOT ATOMIC START TRANSACTION; UPDATE `v` SET `version_num` = \? WHERE `version_num` = \?; .*DELETE FROM `t1`; COMMIT; END$/),
      'SELECT `version_num` FROM `v` WHERE `version_num` = ?',
    ]);
    expect(throughKysely).toEqual([]);
    // A conflict (no row holds r0 any more) is still told by the compound's SIGNAL: rolled back, false.
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'r0', 'r2', { name: 't1' })).toBe(false);
    expect(await conn.execute({ sql: 'SELECT `version_num` FROM `v`', parameters: [] })).toEqual([{ version_num: 'r1' }]);
    // A failing statement rejects with mysql2's error, as through Kysely.
    const error = await conn.execute({ sql: 'CREATE TABLE `t1` (`a` int)', parameters: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ER_TABLE_EXISTS_ERROR', errno: 1050 });
    expect(throughKysely).toEqual([]);
    await conn.releaseLock();
  });

  it('a Kysely query of user code in flight: the connection sends its statement through Kysely, after that query', async () => {
    const { conn, throughKysely } = await connect();
    await conn.execute({ sql: 'CREATE TABLE `t1` (`a` int)', parameters: [] });
    ran.length = 0;
    const users = conn.db.insertInto('t1').values({ a: 1 }).execute(); // not awaited
    const mine = conn.execute({ sql: 'SELECT count(*) AS n FROM `t1`', parameters: [] });
    expect(await mine).toEqual([{ n: 1 }]);
    await users;
    expect(ran).toEqual(['insert into `t1` (`a`) values (?)', 'SELECT count(*) AS n FROM `t1`']);
    expect(throughKysely).toEqual(['SELECT count(*) AS n FROM `t1`']);
    // Inside a Kysely transaction of user code: through Kysely too.
    throughKysely.length = 0;
    await conn.db.transaction().execute(async (trx) => {
      await trx.insertInto('t1').values({ a: 2 }).execute();
      expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM `t1`', parameters: [] })).toEqual([{ n: 2 }]);
    });
    expect(throughKysely).toEqual(['SELECT count(*) AS n FROM `t1`']);
    // Idle again: straight to mysql2.
    throughKysely.length = 0;
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM `t1`', parameters: [] })).toEqual([{ n: 2 }]);
    expect(throughKysely).toEqual([]);
  });

  it('a Kysely query of user code that fails: a statement sent while it was in flight runs after it, and the next goes straight to mysql2', async () => {
    const { conn, throughKysely } = await connect();
    await conn.execute({ sql: 'CREATE TABLE `t1` (`a` int)', parameters: [] });
    ran.length = 0;
    const users = conn.db.insertInto('nosuch').values({ a: 1 }).execute().catch((e: unknown) => e); // not awaited
    await conn.execute({ sql: 'INSERT INTO `t1` VALUES (1)', parameters: [] });
    expect(await users).toMatchObject({ code: 'ER_NO_SUCH_TABLE' });
    expect(ran).toEqual(['insert into `nosuch` (`a`) values (?)', 'INSERT INTO `t1` VALUES (1)']);
    expect(throughKysely).toEqual(['INSERT INTO `t1` VALUES (1)']);
    // A Kysely transaction of user code that fails (rolled back by Kysely): idle again after it.
    throughKysely.length = 0;
    const failed = await conn.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('t1').values({ a: 2 }).execute();
        await trx.insertInto('nosuch').values({ a: 2 }).execute();
      })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'ER_NO_SUCH_TABLE' });
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM `t1`', parameters: [] })).toEqual([{ n: 1 }]);
    expect(throughKysely).toEqual([]);
  });

  it('MysqlSession.run leaves a statement to Kysely until its first query finished, while one is in flight, and once ended', async () => {
    const raw = mysql.createConnection({ host: new URL(database.url).hostname, port: Number(new URL(database.url).port || 3306), user: decodeURIComponent(new URL(database.url).username || 'root'), database: database.name });
    await new Promise<void>((resolve, reject) => raw.connect((error) => (error ? reject(error) : resolve())));
    const session = new MysqlSession(raw);
    const db = new Kysely<any>({ dialect: session.kyselyDialect() });
    try {
      const first = db.executeQuery(CompiledQuery.raw('DROP TABLE IF EXISTS `t1`'));
      expect(session.run('SELECT 1', [])).toBeUndefined();
      await first;
      expect(await session.run('CREATE TABLE `t1` (`a` int)', [])).toEqual({ rows: [], affectedRows: 0 });
      expect(await session.run('INSERT INTO `t1` VALUES (?), (?)', [1, 2])).toEqual({ rows: [], affectedRows: 2 });
      const queued = db.executeQuery(CompiledQuery.raw('SELECT count(*) AS n FROM `t1`'));
      expect(session.run('INSERT INTO `t1` VALUES (3)', [])).toBeUndefined();
      expect((await queued).rows).toEqual([{ n: 2 }]);
      const rows = await session.run('SELECT `a` FROM `t1` ORDER BY `a`', []);
      expect(rows).toEqual({ rows: [{ a: 1 }, { a: 2 }], affectedRows: undefined });
    } finally {
      await db.destroy();
    }
    expect(session.run('SELECT 1', [])).toBeUndefined();
  });
});
