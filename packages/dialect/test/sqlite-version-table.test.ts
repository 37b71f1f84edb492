// The version table multidb creates on SQLite is WITHOUT ROWID: one b-tree keyed by version_num,
// so a revision's version write journals (and writes) one page instead of two (a rowid table and
// its primary key's autoindex). Alembic's columns and queries are unchanged; a version table that
// already exists (made by an older multidb, or by Alembic) is left as it is and keeps working.
// Real database files; the pages a write journals are read off the rollback journal's size.
import { statSync } from 'node:fs';
import { VersionTable } from '@multidb/core';
import { expect, it } from 'vitest';
import { SQLITE } from './support/dialects.js';

SQLITE.describeOnDatabase('SQLite version table', () => {
  const database = SQLITE.useDatabase('version_table');
  const table = new VersionTable('multidb_version');
  const count = async (conn: Awaited<ReturnType<typeof database.connect>>, sql: string) => Number((await conn.execute({ sql, parameters: [] }))[0]!.n);

  /** Pages the open transaction has journaled so far: (journal size - its 512-byte header) / (page + 8 bytes). */
  const journaledPages = async (conn: Awaited<ReturnType<typeof database.connect>>) => {
    const pageSize = await count(conn, 'SELECT page_size AS n FROM pragma_page_size');
    return Math.round((statSync(`${database.name}-journal`).size - 512) / (pageSize + 8));
  };

  /** Journals a one-row version write (the step from r1 to r2) and reports how many pages it dirtied; rolls it back. */
  const pagesOfVersionWrite = async (conn: Awaited<ReturnType<typeof database.connect>>) => {
    await conn.begin();
    // A statement first, so the journal file exists with the pages it dirtied (a row of another table).
    await conn.execute({ sql: 'INSERT INTO "other" VALUES (1)', parameters: [] });
    const before = await journaledPages(conn);
    await table.update(conn.db, ['r1'], ['r2']);
    const pages = (await journaledPages(conn)) - before;
    await conn.rollback();
    return pages;
  };

  it('is created WITHOUT ROWID: one b-tree (no autoindex), and a revision\'s version write journals one page', async () => {
    const conn = await database.connect();
    await conn.execute({ sql: 'CREATE TABLE "other" ("a" int)', parameters: [] });
    await table.ensure(conn);
    expect(await count(conn, `SELECT count(*) AS n FROM sqlite_master WHERE tbl_name = 'multidb_version'`)).toBe(1);
    expect(await count(conn, `SELECT wr AS n FROM pragma_table_list WHERE name = 'multidb_version'`)).toBe(1);
    await table.update(conn.db, [], ['r1']);
    expect(await pagesOfVersionWrite(conn)).toBe(1);
    // The step commits as before; readers see Alembic's one column.
    await conn.begin();
    await table.commitUpdate(conn, ['r1'], ['r2'], 'test');
    expect(await table.read(conn)).toEqual(['r2']);
    expect(await conn.execute({ sql: 'SELECT * FROM "multidb_version"', parameters: [] })).toEqual([{ version_num: 'r2' }]);
  });

  it('an existing rowid version table (an older multidb\'s, Alembic\'s) is left as it is and keeps working', async () => {
    const conn = await database.connect();
    await conn.execute({ sql: 'CREATE TABLE "other" ("a" int)', parameters: [] });
    const ddl = 'CREATE TABLE "multidb_version" ("version_num" varchar(32) not null primary key)';
    await conn.execute({ sql: ddl, parameters: [] });
    await table.ensure(conn);
    expect(await conn.execute({ sql: `SELECT sql FROM sqlite_master WHERE name = 'multidb_version'`, parameters: [] })).toEqual([{ sql: ddl }]);
    await table.update(conn.db, [], ['r1']);
    // Its version write still dirties the table and its autoindex: what the change above saves.
    expect(await pagesOfVersionWrite(conn)).toBe(2);
    await conn.begin();
    await table.commitUpdate(conn, ['r1'], ['r2'], 'test');
    expect(await table.read(conn)).toEqual(['r2']);
  });

  it('offline SQL (--sql) creates it WITHOUT ROWID', () => {
    expect(table.createStatements(SQLITE.dialect.queryBuilder(), SQLITE.dialect).map((q) => q.sql)).toEqual([
      'create table if not exists "multidb_version" ("version_num" varchar(32) not null primary key) without rowid',
    ]);
  });
});
