// MariaDB round trips of a whole run (loadEnvironment → upgrade / downgrade), counted, not timed
// (issue #13, P3): mysql2's query is wrapped to record each statement; every one still runs on the
// real server. A revision of a run that creates a table costs two: its DDL, and one compound
// statement that updates the version table of the revision before it, deletes that revision's
// progress rows and records this one's pending write (with its header) in one transaction, sent
// just before the DDL (the runner holds a revision's version write back until the next revision
// sends something). The first revision of a run records its write with an INSERT of its own, and
// the last one's version write goes out alone. The DDL is never sent before its record. The
// compound statement itself is checked here too: a version-table conflict rolls it back whole
// (progress rows kept, nothing of the next revision recorded), and a server that refuses its
// syntax, and the MySQL flavour, get the same writes as separate statements.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment, MigrationError, VersionTableConflictError, type MigrationEnvironment } from '@multidb/core';
import { beforeEach, expect, it } from 'vitest';
import { MysqlConnection } from '../src/mysql/mysql-connection.js';
import { dialects } from '../src/registry.js';
import { onCleanup } from './support/cleanup.js';
import { MYSQL } from './support/dialects.js';
import { BaseConnection, recordMysqlQueries } from './support/mysql-queries.js';
import { revisionId, tableRevisionsProject } from './support/table-revisions.js';

const id = revisionId;
const project = tableRevisionsProject;


MYSQL.describeOnDatabase('MariaDB round trips of a run (counted)', () => {
  const database = MYSQL.useDatabase('mytrips');
  const sent = recordMysqlQueries();

  /**
   * From now on the real server refuses the compound statement as a server without anonymous
   * compound statements would (a parse error, 1064): its text is misspelt on the way out
   * (the afterEach puts the recording query back).
   */
  function refuseCompoundSyntax(): void {
    const inner = BaseConnection.prototype.query;
    BaseConnection.prototype.query = function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'string') args[0] = args[0].replace(/^BEGIN NOT ATOMIC/, 'BEGIN NOT ATOMIK');
      return inner.apply(this, args);
    };
  }

  async function environment(dir: string): Promise<MigrationEnvironment> {
    const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', binds: { main: { url: database.url } } }, baseDir: dir });
    onCleanup(() => env.close());
    return env;
  }

  const rows = async (sql: string) => {
    const conn = await database.connect();
    return conn.execute({ sql, parameters: [] });
  };
  const reset = async () => {
    const conn = await database.connect();
    const tables = await conn.execute({ sql: 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()', parameters: [] });
    for (const { t } of tables) await conn.execute({ sql: `DROP TABLE \`${String(t)}\``, parameters: [] });
  };
  beforeEach(reset);

  /** The statements sent from the first revision's progress record to the last version-table write. */
  function fromFirstRecord(): string[] {
    const first = sent.findIndex((s) => s.startsWith('insert into `multidb_version_progress`'));
    const last = sent.findLastIndex((s) => s.startsWith('BEGIN NOT ATOMIC'));
    return sent.slice(first, last + 1);
  }
  /** Each statement by its first words, revision ids and table numbers folded. */
  const shape = (s: string) =>
    s.startsWith('BEGIN NOT ATOMIC')
      ? s.includes('insert into `multidb_version_progress`') ? 'compound + record' : 'compound'
      : s.startsWith('insert into `multidb_version_progress`') ? 'progress INSERT' : s.startsWith('CREATE TABLE') ? 'CREATE TABLE' : s;

  it("an upgrade: two statements for each revision (the compound version write of the revision before, with this one's pending record, then its DDL)", async () => {
    const dir = project(6);
    const first = await environment(dir);
    await first.upgrade(['+1']); // creates the version and progress tables: not counted below
    await first.close();
    sent.length = 0;
    const env = await environment(dir);
    await env.upgrade(['head']);
    expect(fromFirstRecord().map(shape)).toEqual([
      'progress INSERT', // the run's first revision: its record alone
      'CREATE TABLE',
      ...['compound + record', 'CREATE TABLE'],
      ...['compound + record', 'CREATE TABLE'],
      ...['compound + record', 'CREATE TABLE'],
      ...['compound + record', 'CREATE TABLE'],
      'compound', // the last revision's version write, alone
    ]);
    expect(fromFirstRecord()).toHaveLength(2 * 5 + 1);
    const compound = sent.filter((s) => s.startsWith('BEGIN NOT ATOMIC START TRANSACTION; UPDATE `multidb_version` SET'));
    expect(compound).toHaveLength(5);
    // The revision's header and its pending write: one INSERT of two rows.
    expect(compound[0]).toMatch(/; DELETE FROM `multidb_version_progress`; insert into `multidb_version_progress` \(`revision`, `step`, `direction`, `state`, [^;]*\) values \([^)]*\), \([^)]*\); COMMIT; END$/);
    expect(sent.filter((s) => /^(BEGIN|COMMIT)$/.test(s))).toEqual([]);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(5)]]]));
    expect(await rows('SELECT count(*) AS n FROM multidb_version_progress')).toEqual([{ n: 0 }]);
  });

  it('a downgrade to base and an upgrade from base: the same counts (DELETE and INSERT of the version row)', async () => {
    const env = await environment(project(3));
    await env.upgrade(['head']);
    sent.length = 0;
    await env.downgrade('base');
    expect(fromFirstRecord()).toHaveLength(2 * 3 + 1);
    expect(sent.filter((s) => s.startsWith('BEGIN NOT ATOMIC START TRANSACTION; DELETE FROM `multidb_version` WHERE'))).toHaveLength(1);
    expect(await rows('SELECT count(*) AS n FROM multidb_version')).toEqual([{ n: 0 }]);
    sent.length = 0;
    await env.upgrade(['head']);
    expect(fromFirstRecord()).toHaveLength(2 * 3 + 1);
    expect(sent.filter((s) => s.startsWith('BEGIN NOT ATOMIC START TRANSACTION; INSERT INTO `multidb_version`'))).toHaveLength(1);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(2)]]]));
    expect(await rows('SELECT count(*) AS n FROM multidb_version_progress')).toEqual([{ n: 0 }]);
  });

  it('a revision that writes nothing: one statement (the compound version write)', async () => {
    const dir = project(2, { 1: "await op.db.selectFrom('t0').selectAll().execute();" });
    writeFileSync(join(dir, 'migrations', 'versions', 'main', `${id(1)}_rev.ts`), readFileSync(join(dir, 'migrations', 'versions', 'main', `${id(1)}_rev.ts`), 'utf8').replace(/await op\.createTable\('t1'[^\n]*\n/, ''));
    const env = await environment(dir);
    await env.upgrade(['+1']);
    sent.length = 0;
    await env.upgrade(['head']);
    const from = sent.findIndex((s) => s.startsWith('select * from `t0`'));
    expect(sent.slice(from).map((s) => s.slice(0, 26))).toEqual(['select * from `t0`', 'BEGIN NOT ATOMIC START TRA', 'SELECT RELEASE_LOCK(?) AS ']);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(1)]]]));
  });

  it('a revision that changes the version table itself is a conflict: the compound statement rolls back whole, its progress rows stay', async () => {
    const env = await environment(project(2, { 1: "await op.execute(`UPDATE multidb_version SET version_num = 'elsewhere'`);" }));
    await env.upgrade(['+1']);
    const error = await env.upgrade(['head']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).cause).toBeInstanceOf(VersionTableConflictError);
    expect(await rows('SELECT version_num FROM multidb_version')).toEqual([{ version_num: 'elsewhere' }]);
    // Not recorded as applied, and its progress (both writes completed) is still there to resume or resolve.
    expect(await rows('SELECT step, description FROM multidb_version_progress ORDER BY step')).toEqual([
      { step: 0, description: id(1) },
      { step: 1, description: 'createTable t1' },
      { step: 2, description: "execute UPDATE multidb_version SET version_num = 'elsewhere'" },
    ]);
  });

  const versionTables = async (conn: MysqlConnection) => {
    await conn.execute({ sql: 'CREATE TABLE v (version_num varchar(32) NOT NULL PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE p (step int NOT NULL PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: "INSERT INTO v VALUES ('a1')", parameters: [] });
    await conn.execute({ sql: 'INSERT INTO p VALUES (0), (1)', parameters: [] });
  };
  const state = (conn: MysqlConnection) => conn.execute({ sql: 'SELECT version_num, (SELECT count(*) FROM p) AS p, @@in_transaction AS open FROM v', parameters: [] });

  it('commitVersionUpdateAndClear: the write, the DELETE and COMMIT in one statement; a conflict returns false and commits nothing', async () => {
    const conn = (await database.connect()) as MysqlConnection;
    await versionTables(conn);
    sent.length = 0;
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a2', { name: 'p' })).toBe(true);
    expect(sent).toHaveLength(1);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 0, open: 0 }]);

    await conn.execute({ sql: 'INSERT INTO p VALUES (0)', parameters: [] });
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a3', { name: 'p' })).toBe(false);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);
    // An INSERT from base over an existing row fails on the primary key, and commits nothing either.
    await expect(conn.commitVersionUpdateAndClear({ name: 'v' }, undefined, 'a2', { name: 'p' })).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM p', parameters: [] })).toEqual([{ n: 1 }]);
  });

  it('commitVersionUpdateAndClear with a next write: one statement, the write commits with the version row; a conflict commits neither', async () => {
    const conn = (await database.connect()) as MysqlConnection;
    await versionTables(conn);
    expect(conn.preRecordsNext).toBe(true);
    sent.length = 0;
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a2', { name: 'p' }, { sql: 'INSERT INTO p VALUES (?)', parameters: [5] })).toBe(true);
    expect(sent).toEqual(["BEGIN NOT ATOMIC START TRANSACTION; UPDATE `v` SET `version_num` = ? WHERE `version_num` = ?; IF ROW_COUNT() <> 1 THEN ROLLBACK; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'multidb: version table conflict'; END IF; DELETE FROM `p`; INSERT INTO p VALUES (?); COMMIT; END"]);
    expect(await conn.execute({ sql: 'SELECT step FROM p', parameters: [] })).toEqual([{ step: 5 }]);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);

    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a3', { name: 'p' }, { sql: 'INSERT INTO p VALUES (?)', parameters: [6] })).toBe(false);
    expect(await conn.execute({ sql: 'SELECT step FROM p', parameters: [] })).toEqual([{ step: 5 }]);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);
    // A next write that fails rolls back the version write and the DELETE with it.
    await expect(conn.commitVersionUpdateAndClear({ name: 'v' }, 'a2', 'a3', { name: 'p' }, { sql: 'INSERT INTO p VALUES (?), (?)', parameters: [7, 7] })).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await conn.execute({ sql: 'SELECT step FROM p', parameters: [] })).toEqual([{ step: 5 }]);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);
  });

  it('a server that refuses the compound syntax with a next write: the next write goes out in the separate statements\' transaction, and nothing is recorded ahead from then on', async () => {
    const conn = (await database.connect()) as MysqlConnection;
    await versionTables(conn);
    sent.length = 0;
    refuseCompoundSyntax();
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a2', { name: 'p' }, { sql: 'INSERT INTO p VALUES (?)', parameters: [5] })).toBe(true);
    expect(sent.map((s) => s.slice(0, 20))).toEqual(['BEGIN NOT ATOMIK STA', 'BEGIN', 'UPDATE `v` SET `vers', 'DELETE FROM `p`', 'INSERT INTO p VALUES', 'COMMIT']);
    expect(await conn.execute({ sql: 'SELECT step FROM p', parameters: [] })).toEqual([{ step: 5 }]);
    expect(conn.preRecordsNext).toBe(false);
  });

  it('a server that refuses the compound syntax: nothing of it ran, the same writes go out as separate statements from then on', async () => {
    const conn = (await database.connect()) as MysqlConnection;
    await versionTables(conn);
    sent.length = 0;
    refuseCompoundSyntax();
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a2', { name: 'p' })).toBe(true);
    expect(sent.map((s) => s.slice(0, 20))).toEqual(['BEGIN NOT ATOMIK STA', 'BEGIN', 'UPDATE `v` SET `vers', 'DELETE FROM `p`', 'COMMIT']);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 0, open: 0 }]);
    // Remembered: BEGIN, the write (no row holds a1 now), ROLLBACK; nothing committed.
    await conn.execute({ sql: 'INSERT INTO p VALUES (0)', parameters: [] });
    sent.length = 0;
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a3', { name: 'p' })).toBe(false);
    expect(sent.map((s) => s.slice(0, 6))).toEqual(['BEGIN', 'UPDATE', 'ROLLBA']);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);
  });

  it('the MySQL flavour (no anonymous compound statements): BEGIN, the write, the DELETE, COMMIT; a conflict commits nothing', async () => {
    const mariadb = (await database.connect()) as MysqlConnection;
    const conn = new MysqlConnection({ bind: 'test', db: mariadb.db, flavour: 'mysql', database: mariadb.database, end: async () => undefined });
    await versionTables(conn);
    expect(conn.preRecordsNext).toBe(false); // core records nothing ahead on MySQL
    sent.length = 0;
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'a1', 'a2', { name: 'p' })).toBe(true);
    expect(sent.map((s) => s.slice(0, 6))).toEqual(['BEGIN', 'UPDATE', 'DELETE', 'COMMIT']);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 0, open: 0 }]);
    await conn.execute({ sql: 'INSERT INTO p VALUES (0)', parameters: [] });
    expect(await conn.commitVersionUpdateAndClear({ name: 'v' }, 'zz', 'a3', { name: 'p' })).toBe(false);
    expect(await state(conn)).toEqual([{ version_num: 'a2', p: 1, open: 0 }]);
  });
});
