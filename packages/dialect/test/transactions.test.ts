// Transactions on a real database of each dialect: begin, commit, rollback; what a second
// connection sees; what a failing statement leaves behind, with transactional DDL (SQLite,
// PostgreSQL) and without it (MySQL: each DDL statement commits). SQLite switches foreign keys off
// inside a transaction and checks them before COMMIT (DESIGN §7).
import { failedStatementOf, type DialectConnection } from '@multidb/core';
import { expect, it } from 'vitest';
import { ForeignKeyCheckError } from '../src/sqlite/foreign-key-check-error.js';
import { ForeignKeyMismatchError } from '../src/sqlite/foreign-key-mismatch-error.js';
import { DIALECTS, hasEntry, forDialect, MYSQL, type PerDialect, type TestDatabase } from './support/dialects.js';
import { q, runOps, type RevisionBody } from './support/op-harness.js';

/** SQLite: a parent table and a child table referencing it with ON DELETE CASCADE, two rows each. */
const parentChild: RevisionBody = async (op) => {
  await op.createTable('Parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createTable('Child', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'parentId', type: 'integer', references: { table: 'Parent', column: 'id', onDelete: 'cascade' } },
  ]);
  await op.bulkInsert('Parent', [{ id: 1 }, { id: 2 }]);
  await op.bulkInsert('Child', [{ id: 10, parentId: 1 }, { id: 20, parentId: 2 }]);
};

const pgTableCount = async (conn: DialectConnection, name: string) =>
  (await q(conn, 'SELECT count(*)::int AS n FROM pg_class WHERE relname = $1', name))[0]!.n as number;

const mysqlTables = async (conn: DialectConnection) =>
  (await q(conn, "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")).map((r) => r.t);

/** How a transaction ends other than by `rollback()`, and what must hold after (rollback twice is harmless). */
const endedElsewhere: PerDialect<{ readonly end: (conn: DialectConnection) => Promise<unknown>; readonly after?: (conn: DialectConnection) => Promise<void> }> = {
  // SQLite rolled back by itself.
  sqlite: {
    end: (conn) => q(conn, 'ROLLBACK'),
    after: async (conn) => expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]),
  },
  postgres: { end: (conn) => conn.rollback() },
};

/** A change made in an open transaction, and what a second connection sees of it before and after COMMIT. */
const visibility: PerDialect<{
  readonly setup?: RevisionBody;
  readonly change: string;
  readonly seen: (other: DialectConnection) => Promise<unknown>;
  readonly before: unknown;
  readonly after: unknown;
}> = {
  sqlite: { setup: parentChild, change: 'INSERT INTO "Parent" (id) VALUES (7)', seen: (other) => q(other, 'SELECT count(*) AS n FROM "Parent"'), before: [{ n: 2 }], after: [{ n: 3 }] },
  // DDL too.
  postgres: { change: 'CREATE TABLE "Seen" (a int)', seen: (other) => pgTableCount(other, 'Seen'), before: 0, after: 1 },
};

/** Transactional DDL: a revision's DDL and data, a failing statement, then ROLLBACK, and a check that nothing remains. */
const rolledBack: PerDialect<{ readonly setup?: RevisionBody; readonly ops: RevisionBody; readonly failing: string; readonly error: RegExp | object; readonly nothingLeft: (conn: DialectConnection) => Promise<void> }> = {
  sqlite: {
    setup: parentChild,
    ops: async (op) => {
      await op.addColumn('Parent', { name: 'name', type: 'text' });
      await op.bulkInsert('Parent', [{ id: 5, name: 'five' }]);
    },
    failing: 'INSERT INTO "Parent" (id) VALUES (1)',
    error: /UNIQUE constraint failed/,
    nothingLeft: async (conn) => {
      expect((await q(conn, "SELECT name FROM pragma_table_xinfo('Parent')")).map((r) => r.name)).toEqual(['id']);
      expect(await q(conn, 'SELECT id FROM "Parent" ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    },
  },
  postgres: {
    ops: async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'text' }]);
      await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]);
      await op.createIndex(null, 'Genre', ['Name']);
    },
    failing: `INSERT INTO "Genre" ("GenreId") VALUES (1)`,
    error: { code: '23505' },
    nothingLeft: async (conn) => {
      expect(await pgTableCount(conn, 'Genre')).toBe(0);
      expect(await pgTableCount(conn, 'ix_Genre_Name')).toBe(0);
    },
  },
};

/** Tests of what only one dialect has (functions below). */
const onlyOn: PerDialect<(database: TestDatabase) => void> = { sqlite: sqliteForeignKeys, postgres: postgresFailures, mysql: mysqlImplicitCommits };

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: transactions`, () => {
    // MySQL: a database for each test, as its cases list every table of it. PostgreSQL's cases
    // keep to tables of their own (a database for each test would cost ~0.5 s a test there).
    const database = d.useDatabase('tx', { perTest: d.name === 'mysql' });

    if (hasEntry(endedElsewhere, d)) {
      it('rollback without a transaction does not throw, nor a rollback of one that already ended', async () => {
        const conn = await database.connect();
        const { end, after } = forDialect(d, endedElsewhere);
        await expect(conn.rollback()).resolves.toBeUndefined();
        await conn.begin();
        await end(conn);
        await expect(conn.rollback()).resolves.toBeUndefined();
        await after?.(conn);
      });
    }

    it("rollback() also ends a transaction that statements sent through the connection began themselves (a revision's BEGIN), aborted ones too; transactionOpen() tells", async () => {
      const conn = await database.connect();
      const table = d.name === 'mysql' ? '`Own`' : '"Own"';
      await q(conn, `CREATE TABLE ${table} (id integer PRIMARY KEY)`);
      // MySQL/MariaDB cannot tell (its ROLLBACK outside a transaction does nothing, so rollback() always sends it).
      const tells = d.name !== 'mysql';
      expect(await conn.transactionOpen?.()).toBe(tells ? false : undefined);
      await q(conn, 'BEGIN');
      await q(conn, `INSERT INTO ${table} (id) VALUES (1)`);
      // A failing statement: PostgreSQL aborts the transaction, refusing every statement until ROLLBACK.
      await expect(q(conn, `INSERT INTO ${table} (id) VALUES (1)`)).rejects.toThrow();
      expect(await conn.transactionOpen?.()).toBe(tells ? true : undefined);
      await conn.rollback();
      expect(await conn.transactionOpen?.()).toBe(tells ? false : undefined);
      expect(await q(conn, `SELECT count(*) AS n FROM ${table}`)).toMatchObject([{ n: d.name === 'postgres' ? '0' : 0 }]);
      // The connection's own transactions work as before.
      await conn.begin();
      expect(await conn.transactionOpen?.()).toBe(tells ? true : undefined);
      await q(conn, `INSERT INTO ${table} (id) VALUES (2)`);
      await conn.commit();
      expect(await conn.transactionOpen?.()).toBe(tells ? false : undefined);
      await expect(conn.rollback()).resolves.toBeUndefined();
      expect(await q(conn, `SELECT id FROM ${table}`)).toEqual([{ id: 2 }]);
    });

    if (hasEntry(visibility, d)) {
      it('a second connection sees nothing of an open transaction and everything after commit', async () => {
        const conn = await database.connect();
        const other = await database.connect({ bind: 'other' });
        const { setup, change, seen, before, after } = forDialect(d, visibility);
        if (setup) await runOps(conn, setup);
        await conn.begin();
        await q(conn, change);
        expect(await seen(other)).toEqual(before);
        await conn.commit();
        expect(await seen(other)).toEqual(after);
      });
    }

    if (hasEntry(rolledBack, d)) {
      it('a failing statement inside begin: rollback leaves nothing of the DDL or the data (transactional DDL)', async () => {
        expect(d.dialect.capabilities.transactionalDdl).toBe(true);
        const conn = await database.connect();
        const { setup, ops, failing, error, nothingLeft } = forDialect(d, rolledBack);
        if (setup) await runOps(conn, setup);
        await conn.begin();
        await runOps(conn, ops);
        const failed = expect(q(conn, failing)).rejects;
        await (error instanceof RegExp ? failed.toThrow(error) : failed.toMatchObject(error));
        await conn.rollback();
        await nothingLeft(conn);
      });
    }

    onlyOn[d.name]?.(database);
  });
}

/** SQLite: foreign keys off inside a transaction, checked before COMMIT. */
function sqliteForeignKeys(database: TestDatabase): void {
  const parentAndChild = async () => {
    const conn = await database.connect();
    await runOps(conn, parentChild);
    return conn;
  };

  it('foreign keys are on outside a transaction, off inside it, and on again after commit', async () => {
    const conn = await parentAndChild();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await conn.begin();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 0 }]);
    // With foreign keys off, dropping a parent table does not cascade (DESIGN §7) ...
    await q(conn, 'CREATE TABLE "Parent2" (id integer PRIMARY KEY)');
    await q(conn, 'INSERT INTO "Parent2" SELECT * FROM "Parent"');
    await q(conn, 'DROP TABLE "Parent"');
    await q(conn, 'ALTER TABLE "Parent2" RENAME TO "Parent"');
    await conn.commit();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // ... so the children survive a table rebuild.
    expect(await q(conn, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 2 }]);
  });

  it('commit fails on a foreign_key_check violation, rolls back and leaves the data unchanged', async () => {
    const conn = await parentAndChild();
    await conn.begin();
    await q(conn, 'DELETE FROM "Parent" WHERE id = 2'); // no cascade: foreign keys are off
    await q(conn, 'INSERT INTO "Child" (id, "parentId") VALUES (30, 99)');
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyCheckError);
    expect((error as ForeignKeyCheckError).violations).toEqual([
      { table: 'Child', rowid: 20, parent: 'Parent', fkid: 0 },
      { table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 },
    ]);
    // What failed is the check that ran: a failed revision names it.
    expect(failedStatementOf(error)).toEqual({ sql: 'PRAGMA foreign_key_check', parameters: [] });
    expect((error as Error).message).toMatch(/Child rowid 20 -> Parent; Child rowid 30 -> Parent/);
    expect(await q(conn, 'SELECT id FROM "Parent" ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await q(conn, 'SELECT id FROM "Child" ORDER BY id')).toEqual([{ id: 10 }, { id: 20 }]);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // The connection is usable again.
    await conn.begin();
    await q(conn, 'INSERT INTO "Parent" (id) VALUES (3)');
    await conn.commit();
    expect(await q(conn, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 3 }]);
  });

  it('commit blames a transaction only for the rows it added: rows that broke foreign keys before it are left as they are', async () => {
    const conn = await parentAndChild();
    // An orphan written with foreign keys off, as the sqlite3 shell, Python and SQLAlchemy do by default.
    await q(conn, 'PRAGMA foreign_keys = OFF');
    await q(conn, 'INSERT INTO "Child" (id, "parentId") VALUES (30, 99)');
    await q(conn, 'PRAGMA foreign_keys = ON');
    // A transaction that does not touch it commits (it failed every revision before).
    await conn.begin();
    await q(conn, 'CREATE TABLE "Other" (id integer PRIMARY KEY)');
    await conn.commit();
    expect(await q(conn, 'SELECT count(*) AS n FROM "Other"')).toEqual([{ n: 0 }]);
    // One that adds a row breaking the same foreign key fails, naming only that row.
    await conn.begin();
    await q(conn, 'INSERT INTO "Child" (id, "parentId") VALUES (40, 98)');
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyCheckError);
    expect((error as ForeignKeyCheckError).violations).toEqual([{ table: 'Child', rowid: 40, parent: 'Parent', fkid: 0 }]);
    expect((error as ForeignKeyCheckError).preexisting).toBe(1);
    expect((error as Error).message).toContain(
      '1 row refers to missing parent rows (Child rowid 40 -> Parent). The transaction was rolled back. 1 other row already broke foreign keys before it and was left as it was.',
    );
    expect(await q(conn, 'SELECT id FROM "Child" ORDER BY id')).toEqual([{ id: 10 }, { id: 20 }, { id: 30 }]);
    // A rebuild of the child table (rows renumbered: the table has no INTEGER PRIMARY KEY) keeps the orphan without blame.
    await conn.begin();
    await q(conn, 'CREATE TABLE "Child2" ("parentId" integer REFERENCES "Parent" (id))');
    await q(conn, 'INSERT INTO "Child2" SELECT "parentId" FROM "Child" ORDER BY id DESC');
    await q(conn, 'DROP TABLE "Child"');
    await q(conn, 'ALTER TABLE "Child2" RENAME TO "Child"');
    await conn.commit();
    expect(await q(conn, 'SELECT rowid, "parentId" FROM "Child" ORDER BY rowid')).toEqual([
      { rowid: 1, parentId: 99 },
      { rowid: 2, parentId: 2 },
      { rowid: 3, parentId: 1 },
    ]);
    // Once a transaction removes the orphan, one that brings it back is blamed for it.
    await conn.begin();
    await q(conn, 'DELETE FROM "Child" WHERE "parentId" = 99');
    await conn.commit();
    await conn.begin();
    await q(conn, 'INSERT INTO "Child" ("parentId") VALUES (99)');
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Child', rowid: 4, parent: 'Parent', fkid: 0 }], preexisting: 0 });
  });

  /** {@link parentAndChild} in a database of 16 MiB and more: the check before COMMIT covers what the transaction may have broken. */
  const largeParentAndChild = async () => {
    const conn = await parentAndChild();
    await q(conn, 'CREATE TABLE "Filler" ("b" blob)');
    await q(conn, 'INSERT INTO "Filler" VALUES (zeroblob(16 * 1024 * 1024))');
    return conn;
  };

  /** An orphan row written into `Child` by another connection with foreign keys off, after `conn`'s baseline: found by any check of `Child`. */
  const plantOrphan = async (rowid: number) => {
    const other = await database.connect({ bind: 'other' });
    await q(other, 'PRAGMA foreign_keys = OFF');
    await q(other, 'INSERT INTO "Child" (id, "parentId") VALUES (?, 99)', rowid);
  };

  it('a large database: commit checks only what the transaction may have broken: nothing for no change, nor for new tables and indexes away from the child table; every table once a row changed', async () => {
    const conn = await largeParentAndChild();
    await conn.begin();
    await conn.commit(); // the baseline: no orphan
    await plantOrphan(30);
    // A check of "Child" would blame its orphan on the transaction: none of these checks it.
    await conn.begin();
    await conn.commit();
    await conn.begin();
    await runOps(conn, async (op) => {
      await op.createTable('Unrelated', [{ name: 'id', type: 'integer', primaryKey: true }]);
      await op.createTable('NewChild', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parentId', type: 'integer', references: { table: 'Parent', column: 'id' } }]);
      await op.createIndex('ix_Child_parentId', 'Child', ['parentId']);
    });
    await conn.commit();
    expect(await q(conn, "SELECT name FROM sqlite_master WHERE name IN ('Unrelated', 'NewChild') ORDER BY name")).toEqual([{ name: 'NewChild' }, { name: 'Unrelated' }]);
    // A row changed anywhere (here in a table without foreign keys): every table is checked.
    await conn.begin();
    await q(conn, 'INSERT INTO "Unrelated" (id) VALUES (1)');
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 }], preexisting: 0 });
    expect(await q(conn, 'SELECT count(*) AS n FROM "Unrelated"')).toEqual([{ n: 0 }]);
    // So is a child table whose definition changed: by the check of that table alone, which is what failed.
    await conn.begin();
    await runOps(conn, (op) => op.addColumn('Child', { name: 'note', type: 'text' }));
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toMatchObject({ violations: [{ table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 }] });
    expect(failedStatementOf(error)).toEqual({ sql: `SELECT "f".* FROM (VALUES (?)) AS "t", pragma_foreign_key_check("t"."column1", 'main') AS "f"`, parameters: ['Child'] });
    expect((await q(conn, "SELECT name FROM pragma_table_xinfo('Child')")).map((r) => r.name)).toEqual(['id', 'parentId']);
  });

  it('a small database: commit checks every table, which costs less there than finding what changed', async () => {
    const conn = await parentAndChild();
    await conn.begin();
    await conn.commit();
    await plantOrphan(30);
    await conn.begin();
    await q(conn, 'CREATE TABLE "Unrelated" (id integer PRIMARY KEY)');
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 }] });
  });

  it('a large database: commit still catches a schema change that breaks a foreign key through its parent: dropped, dropped and made again as it was, replaced by an empty table, its UNIQUE parent key dropped', async () => {
    const conn = await largeParentAndChild();
    const parentSql = String((await q(conn, `SELECT sql FROM sqlite_master WHERE name = 'Parent'`))[0]!.sql);
    await q(conn, 'CREATE TABLE "Coded" ("code" text)');
    await q(conn, 'CREATE UNIQUE INDEX "ux_Coded_code" ON "Coded" ("code")');
    await q(conn, 'CREATE TABLE "ByCode" ("code" text REFERENCES "Coded" ("code"))');
    await q(conn, `INSERT INTO "Coded" VALUES ('a')`);
    await q(conn, `INSERT INTO "ByCode" VALUES ('a')`);
    // An orphan in a table none of these touches: left out of the check, still counted as there before.
    await q(conn, 'PRAGMA foreign_keys = OFF');
    await q(conn, `INSERT INTO "ByCode" VALUES ('zz')`);
    await q(conn, 'PRAGMA foreign_keys = ON');
    const children = [
      { table: 'Child', rowid: 10, parent: 'Parent', fkid: 0 },
      { table: 'Child', rowid: 20, parent: 'Parent', fkid: 0 },
    ];
    await conn.begin();
    await q(conn, 'DROP TABLE "Parent"');
    await expect(conn.commit()).rejects.toMatchObject({ violations: children, preexisting: 1 });
    // A parent that is the last row of sqlite_master, dropped and made again as it was: sqlite_master
    // is then as it was (the same statement, rowid and root page), its rows gone; only the DROP tells.
    await q(conn, 'CREATE TABLE "LastChild" ("p" integer REFERENCES "LastParent" ("id"))');
    await q(conn, 'CREATE TABLE "LastParent" ("id" integer PRIMARY KEY)');
    await q(conn, 'INSERT INTO "LastParent" VALUES (1)');
    await q(conn, 'INSERT INTO "LastChild" VALUES (1)');
    const lastParent = async () => q(conn, `SELECT rowid, rootpage, sql FROM sqlite_master WHERE name = 'LastParent'`);
    const was = await lastParent();
    await conn.begin();
    await q(conn, 'DROP TABLE "LastParent"');
    await q(conn, 'CREATE TABLE "LastParent" ("id" integer PRIMARY KEY)');
    expect(await lastParent()).toEqual(was);
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'LastChild', rowid: 1, parent: 'LastParent', fkid: 0 }], preexisting: 1 });
    // The old way to rebuild a table: its children still refer to the name, now an empty table's (the same statement, another rowid).
    await conn.begin();
    await q(conn, 'PRAGMA legacy_alter_table = ON');
    await q(conn, 'ALTER TABLE "Parent" RENAME TO "Parent_old"');
    await q(conn, 'PRAGMA legacy_alter_table = OFF');
    await q(conn, parentSql);
    await expect(conn.commit()).rejects.toMatchObject({ violations: children, preexisting: 1 });
    await conn.begin();
    await q(conn, 'DROP INDEX "ux_Coded_code"');
    // The error names the foreign key, its parent's columns and what to do, and keeps SQLite's words.
    const mismatch = await conn.commit().catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(ForeignKeyMismatchError);
    expect(mismatch).toMatchObject({ table: 'ByCode', parent: 'Coded', foreignKeys: [{ columns: ['code'], referredColumns: ['code'], missingColumns: [] }] });
    expect((mismatch as Error).message).toBe(
      "Foreign key check failed: foreign key (code) of table 'ByCode' refers to 'Coded'(code), which is neither the primary key of 'Coded' nor a unique key of it. " +
        "Make 'Coded'(code) unique (a unique constraint or index, or the primary key), or change or drop the foreign key, in the same revision. " +
        'The transaction was rolled back. (SQLite: foreign key mismatch - "ByCode" referencing "Coded")',
    );
    expect(await q(conn, "SELECT name FROM sqlite_master WHERE name IN ('Parent', 'Parent_old', 'ux_Coded_code') ORDER BY name")).toEqual([{ name: 'Parent' }, { name: 'ux_Coded_code' }]);
    expect(await q(conn, 'SELECT id FROM "Parent" ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('a large database: rows inserted into tables the transaction created (a batch rebuild, a bulk insert) check those tables and their children, not every table', async () => {
    const conn = await largeParentAndChild();
    await q(conn, 'CREATE TABLE "Genre" ("id" integer PRIMARY KEY, "name" text)');
    await q(conn, `INSERT INTO "Genre" VALUES (1, 'Rock'), (2, 'Jazz')`);
    await conn.begin();
    await conn.commit(); // the baseline: no orphan
    await plantOrphan(30);
    // Neither reads "Child": its orphan is not blamed.
    await conn.begin();
    await runOps(conn, async (op) => {
      await op.batchAlterTable('Genre', (b) => b.alterColumn('name', { type: 'varchar(40)' }), { recreate: 'always' });
      await op.createTable('Mood', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'genreId', type: 'integer', references: { table: 'Genre', column: 'id' } }]);
      await op.bulkInsert('Mood', [{ id: 1, genreId: 1 }, { id: 2, genreId: 2 }]);
    });
    await conn.commit();
    expect(await q(conn, 'SELECT count(*) AS n FROM "Mood"')).toEqual([{ n: 2 }]);
    // A new table's rows that break its foreign key are caught: the new table is checked.
    await conn.begin();
    await runOps(conn, async (op) => {
      await op.createTable('Band', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'genreId', type: 'integer', references: { table: 'Genre', column: 'id' } }]);
      await op.bulkInsert('Band', [{ id: 1, genreId: 1 }, { id: 2, genreId: 9 }]);
    });
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Band', rowid: 2, parent: 'Genre', fkid: 0 }], preexisting: 0 });
    // So is a rebuild of a parent that leaves referenced rows behind: its children are checked.
    await conn.begin();
    await q(conn, 'CREATE TABLE "Genre2" ("id" integer PRIMARY KEY, "name" varchar(40))');
    await q(conn, 'INSERT INTO "Genre2" SELECT * FROM "Genre" WHERE "id" <> 2');
    await q(conn, 'DROP TABLE "Genre"');
    await q(conn, 'ALTER TABLE "Genre2" RENAME TO "Genre"');
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Mood', rowid: 2, parent: 'Genre', fkid: 0 }] });
    // Rows a trigger wrote elsewhere are not the insert's: every table is checked.
    await conn.begin();
    await q(conn, 'CREATE TABLE "Log" ("id" integer PRIMARY KEY)');
    await q(conn, `CREATE TRIGGER "log_child" AFTER INSERT ON "Log" BEGIN INSERT INTO "Child" ("parentId") VALUES (97); END`);
    await q(conn, 'INSERT INTO "Log" VALUES (1)');
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Child', rowid: 30 }, { table: 'Child', rowid: 31 }] });
  });

  it('a large database: what a rolled-back transaction read of the schema is not taken for the schema another connection brought to the same version', async () => {
    const conn = await largeParentAndChild();
    const other = await database.connect({ bind: 'other' });
    await conn.begin();
    await conn.commit();
    const breaking = 'ALTER TABLE "Child" ADD COLUMN "otherId" integer REFERENCES "Parent" (id) DEFAULT 99';
    await conn.begin();
    await q(conn, breaking);
    await q(conn, 'CREATE TABLE "Unrelated" (id integer PRIMARY KEY)');
    await expect(conn.commit()).rejects.toBeInstanceOf(ForeignKeyCheckError);
    // Two changes of the schema elsewhere: the schema version the rolled-back transaction reached.
    await q(other, 'CREATE INDEX "ix_a" ON "Parent" (id)');
    await q(other, 'CREATE INDEX "ix_b" ON "Parent" (id)');
    await conn.begin();
    await q(conn, breaking);
    await expect(conn.commit()).rejects.toMatchObject({ violations: [{ table: 'Child', rowid: 10, parent: 'Parent', fkid: 0 }, { table: 'Child', rowid: 20, parent: 'Parent', fkid: 0 }] });
  });

  it('a large database: commitVersionUpdate: the version row alone checks nothing; a row a trigger on the version table wrote is checked', async () => {
    const conn = await largeParentAndChild();
    await q(conn, 'CREATE TABLE "multidb_version" ("version_num" varchar(32) PRIMARY KEY)');
    await q(conn, `INSERT INTO "multidb_version" VALUES ('r0')`);
    await conn.begin();
    await conn.commit(); // the baseline: no orphan
    await plantOrphan(30);
    await conn.begin();
    expect(await conn.commitVersionUpdate?.({ name: 'multidb_version' }, 'r0', 'r1')).toBe(true);
    await q(conn, `CREATE TRIGGER "log_version" AFTER UPDATE ON "multidb_version" BEGIN INSERT INTO "Child" ("parentId") VALUES (98); END`);
    await conn.begin();
    await expect(conn.commitVersionUpdate?.({ name: 'multidb_version' }, 'r1', 'r2')).rejects.toMatchObject({
      violations: [
        { table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 },
        { table: 'Child', rowid: 31, parent: 'Parent', fkid: 0 },
      ],
    });
    expect(await q(conn, 'SELECT version_num FROM "multidb_version"')).toEqual([{ version_num: 'r1' }]);
  });

  it('commit fails and rolls back when the check itself fails (a parent lost its key)', async () => {
    const conn = await parentAndChild();
    await conn.begin();
    await q(conn, 'CREATE TABLE "Parent2" AS SELECT * FROM "Parent"'); // no PRIMARY KEY
    await q(conn, 'DROP TABLE "Parent"');
    await q(conn, 'ALTER TABLE "Parent2" RENAME TO "Parent"');
    const error = await conn.commit().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Foreign key check failed: foreign key \(parentId\) of table 'Child' refers to 'Parent'\(id\), which is neither the primary key of 'Parent' nor a unique key of it\. [^]*\(SQLite: foreign key mismatch - "Child" referencing "Parent"\)$/,
    );
    expect(failedStatementOf(error)?.sql).toBe('PRAGMA foreign_key_check');
    expect((await q(conn, "SELECT pk FROM pragma_table_xinfo('Parent')")).map((r) => r.pk)).toEqual([1]);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });
}

/** PostgreSQL: a transaction that failed, or fails at COMMIT, never passes for committed. */
function postgresFailures(database: TestDatabase): void {
  it('commit after a failed statement does not pass for success: it throws and rolls back', async () => {
    const conn = await database.connect();
    await conn.begin();
    await q(conn, 'CREATE TABLE "Half" (a int)');
    await expect(q(conn, 'SELECT * FROM "Missing"')).rejects.toMatchObject({ code: '42P01' });
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '25P02' });
    expect(failedStatementOf(error)?.sql).toBe('COMMIT');
    expect(await pgTableCount(conn, 'Half')).toBe(0);
    // The connection is usable again.
    await conn.begin();
    await q(conn, 'CREATE TABLE "Whole" (a int)');
    await conn.commit();
    expect(await pgTableCount(conn, 'Whole')).toBe(1);
  });

  it('a deferred constraint failing at COMMIT: commit throws, nothing remains, the connection is usable', async () => {
    const conn = await database.connect();
    await q(conn, 'CREATE TABLE "P" (id int PRIMARY KEY)');
    await q(conn, 'CREATE TABLE "C" (id int, p int REFERENCES "P" (id) DEFERRABLE INITIALLY DEFERRED)');
    await conn.begin();
    await q(conn, 'INSERT INTO "C" VALUES (1, 99)');
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23503' });
    expect(failedStatementOf(error)).toEqual({ sql: 'COMMIT', parameters: [] });
    expect(await q(conn, 'SELECT count(*)::int AS n FROM "C"')).toEqual([{ n: 0 }]);
    await expect(conn.rollback()).resolves.toBeUndefined();
    // The same with the version write: COMMIT failed, not the write before it.
    await q(conn, 'CREATE TABLE "V" (version_num varchar(32) PRIMARY KEY)');
    await conn.begin();
    await q(conn, 'INSERT INTO "C" VALUES (2, 98)');
    const withWrite = await conn.commitVersionUpdate!({ name: 'V' }, undefined, 'r1').catch((e: unknown) => e);
    expect(failedStatementOf(withWrite)).toEqual({ sql: 'COMMIT', parameters: [] });
    expect(await q(conn, 'SELECT count(*)::int AS n FROM "V"')).toEqual([{ n: 0 }]);
  });
}

/** MySQL: no transactional DDL; each DDL statement commits what came before it. */
function mysqlImplicitCommits(database: TestDatabase): void {
  it('rolls back data changes when no DDL ran since BEGIN', async () => {
    expect(MYSQL.dialect.capabilities.transactionalDdl).toBe(false);
    const conn = await database.connect();
    await runOps(conn, (op) => op.createTable('Kv', [{ name: 'k', type: 'varchar(10)', primaryKey: true }, { name: 'v', type: 'integer' }]));
    await conn.begin();
    await runOps(conn, (op) => op.bulkInsert('Kv', [{ k: 'a', v: 1 }]));
    await conn.rollback();
    expect(await q(conn, 'SELECT * FROM `Kv`')).toEqual([]);
    await conn.begin();
    await runOps(conn, (op) => op.bulkInsert('Kv', [{ k: 'b', v: 2 }]));
    await conn.commit();
    expect(await q(conn, 'SELECT * FROM `Kv`')).toEqual([{ k: 'b', v: 2 }]);
    // Without a transaction, ROLLBACK is harmless and never throws; neither does COMMIT.
    await conn.rollback();
    await conn.commit();
  });

  it('a revision failing half way: its DDL (and the data before it) stays; the failing statement is reported by the runner', async () => {
    const conn = await database.connect();
    await runOps(conn, (op) => op.createTable('Kv', [{ name: 'k', type: 'varchar(10)', primaryKey: true }, { name: 'v', type: 'integer' }]));
    await conn.begin();
    const failing = runOps(conn, async (op) => {
      await op.bulkInsert('Kv', [{ k: 'before-ddl', v: 1 }]); // in the transaction ...
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }]); // ... committed by this DDL
      await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]); // autocommit after the DDL's implicit commit
      await op.addColumn('Genre', { name: 'Name', type: 'text' }); // fails: duplicate column
      await op.createTable('Never', [{ name: 'id', type: 'integer' }]);
    });
    await expect(failing).rejects.toThrow(/Duplicate column name 'Name'/);
    await conn.rollback();
    // What remains: everything before the failing statement; nothing after it.
    expect(await mysqlTables(conn)).toEqual(['Genre', 'Kv']);
    expect(await q(conn, 'SELECT * FROM `Genre`')).toEqual([{ GenreId: 1, Name: 'Rock' }]);
    expect(await q(conn, "SELECT * FROM `Kv` WHERE k = 'before-ddl'")).toEqual([{ k: 'before-ddl', v: 1 }]);
    // COMMIT after DDL is harmless: the connection goes on normally.
    await conn.begin();
    await runOps(conn, (op) => op.dropTable('Genre'));
    await conn.commit();
    expect(await mysqlTables(conn)).toEqual(['Kv']);
  });
}
