// SQLite batch mode, offline: the exact SQL of a move-and-copy table rebuild (create the new
// table, copy the rows, drop, rename, recreate indexes, triggers and views), when SQLite's native
// ALTER is enough and when a rebuild is needed, constraint names, and what needs the table's
// current shape (a snapshot online, copyFrom offline). The rebuilds on a real file:
// sqlite-batch-rebuild.test.ts; batches of native ALTERs on every dialect: batch.test.ts.
import { DEFAULT_NAMING_CONVENTION, OperationError, parseColumnType, UnsupportedOperationError, type Op, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { nameReflectedConstraints } from '../src/sqlite/sqlite-constraint-names.js';
import { sqliteDialect } from '../src/sqlite/sqlite-dialect.js';
import * as harness from './support/op-harness.js';
import { context, type RevisionBody } from './support/op-harness.js';

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
const buildOps = (fn: RevisionBody): Promise<Op[]> => harness.buildOps(sqliteDialect, fn);

const t = (s: string) => parseColumnType(s);

/** The shape of an existing Album table, as introspection reports it (unnamed constraints, stored SQL of its dependents). */
const ALBUM: TableSnapshot = {
  name: 'Album',
  columns: [
    { name: 'AlbumId', type: t('integer'), nullable: false, primaryKey: true, autoincrement: true },
    { name: 'Title', type: t('nvarchar(160)'), nullable: false },
    { name: 'ArtistId', type: t('integer'), nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
    { name: 'Price', type: t('text'), nullable: true },
    { name: 'Note', type: t('text'), nullable: true, default: 'none' },
  ],
  foreignKeys: [],
  uniqueConstraints: [{ columns: ['Title', 'ArtistId'] }],
  checkConstraints: [{ expression: 'length("Title") > 0' }],
  indexes: [
    { name: 'ix_album_artist', columns: ['ArtistId'], unique: false },
    { name: 'ix_album_note', columns: ['Note'], unique: false },
  ],
  dependents: [
    { type: 'index', name: 'ix_album_artist', tableName: 'Album', sql: 'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId" DESC)' },
    { type: 'index', name: 'ix_album_note', tableName: 'Album', sql: 'CREATE INDEX "ix_album_note" ON "Album" ("Note")' },
    { type: 'trigger', name: 'tr_album', tableName: 'Album', sql: 'CREATE TRIGGER "tr_album" AFTER INSERT ON "Album" BEGIN INSERT INTO "Log" VALUES (new."Title"); END' },
    { type: 'view', name: 'AlbumView', tableName: 'AlbumView', sql: 'CREATE VIEW "AlbumView" AS SELECT "AlbumId", "Title" FROM "Album"' },
  ],
};

/** A plain table: id key, two plain columns, an index on one, a CHECK on another. */
const T: TableSnapshot = {
  name: 'T',
  columns: [
    { name: 'id', type: t('integer'), nullable: false, primaryKey: true },
    { name: 'a', type: t('text'), nullable: true },
    { name: 'b', type: t('int'), nullable: true },
    { name: 'c', type: t('text'), nullable: true },
    { name: 'g', type: t('int'), nullable: true, generated: { sql: 'b * 2', stored: false } },
  ],
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [{ name: 'ck_T_c', expression: "c <> ''" }],
  indexes: [{ name: 'ix_T_a', columns: ['a'], unique: false }],
};

const compileAll = (ops: Op[], snapshots: TableSnapshot[] = []) => ops.flatMap((o) => sqliteDialect.compile(o, context(snapshots)).map((s) => s.sql));
const sqlFor = async (fn: Parameters<typeof buildOps>[0], snapshots: TableSnapshot[] = [T]) => compileAll(await buildOps(fn), snapshots);
const errorOf = async (fn: Parameters<typeof buildOps>[0], snapshots: TableSnapshot[] = [T]) => {
  try {
    await sqlFor(fn, snapshots);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('sqlite batch: exact SQL of a rebuild', () => {
  it('drops an indexed column, changes a type, renames a column: the full move-and-copy, compiled from copyFrom without a database', async () => {
    const ops = await buildOps((op) =>
      op.batchAlterTable(
        'Album',
        (b) => {
          b.dropColumn('Note');
          b.alterColumn('Price', { type: 'numeric(10,2)' });
          b.renameColumn('Title', 'Name');
        },
        { copyFrom: ALBUM },
      ),
    );
    // The table is read when it can be (online); offline, where it is unknown, copyFrom serves.
    expect(sqliteDialect.requiredSnapshots(ops[0]!)).toEqual(['Album']);
    expect(sqliteDialect.requiresTransaction!(ops[0]!)).toBe(true);
    expect(compileAll(ops)).toEqual([
      [
        'CREATE TABLE "_multidb_tmp_Album" (',
        '  "AlbumId" integer NOT NULL CONSTRAINT "pk_Album" PRIMARY KEY AUTOINCREMENT,',
        '  "Title" nvarchar(160) NOT NULL,',
        '  "ArtistId" integer NOT NULL CONSTRAINT "fk_Album_ArtistId_Artist" REFERENCES "Artist" ("ArtistId") ON DELETE CASCADE,',
        '  "Price" numeric(10,2),',
        '  CONSTRAINT "uq_Album_Title_ArtistId" UNIQUE ("Title", "ArtistId"),',
        '  CONSTRAINT "ck_Album_2c6e83a8" CHECK (length("Title") > 0)',
        ')',
      ].join('\n'),
      'INSERT INTO "_multidb_tmp_Album" ("AlbumId", "Title", "ArtistId", "Price") SELECT "AlbumId", "Title", "ArtistId", CAST("Price" AS numeric(10,2)) FROM "Album"',
      `DELETE FROM sqlite_sequence WHERE name = '_multidb_tmp_Album'`,
      `INSERT INTO sqlite_sequence (name, seq) SELECT '_multidb_tmp_Album', seq FROM sqlite_sequence WHERE name = 'Album'`,
      'DROP TRIGGER "tr_album"',
      'DROP VIEW "AlbumView"',
      'DROP TABLE "Album"',
      'ALTER TABLE "_multidb_tmp_Album" RENAME TO "Album"',
      'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId" DESC)',
      'CREATE TRIGGER "tr_album" AFTER INSERT ON "Album" BEGIN INSERT INTO "Log" VALUES (new."Title"); END',
      'CREATE VIEW "AlbumView" AS SELECT "AlbumId", "Title" FROM "Album"',
      'ALTER TABLE "Album" RENAME COLUMN "Title" TO "Name"',
    ]);
  });

  it('a plain op on a table without dependents: rowid alias key, generated column left out of the copy', async () => {
    expect(await sqlFor((op) => op.dropColumn('T', 'a'))).toEqual([
      [
        'CREATE TABLE "_multidb_tmp_T" (',
        '  "id" integer NOT NULL CONSTRAINT "pk_T" PRIMARY KEY,',
        '  "b" int,',
        '  "c" text,',
        '  "g" int GENERATED ALWAYS AS (b * 2) VIRTUAL,',
        `  CONSTRAINT "ck_T_c" CHECK (c <> '')`,
        ')',
      ].join('\n'),
      'INSERT INTO "_multidb_tmp_T" ("id", "b", "c") SELECT "id", "b", "c" FROM "T"',
      'DROP TABLE "T"',
      'ALTER TABLE "_multidb_tmp_T" RENAME TO "T"',
    ]);
  });

  it('copies the rowid when the new table has no INTEGER PRIMARY KEY; a new column takes its default', async () => {
    const plain: TableSnapshot = { ...T, columns: T.columns.slice(1, 3), checkConstraints: [], indexes: [] };
    expect(
      await sqlFor(
        (op) =>
          op.batchAlterTable('T', (b) => {
            b.addColumn({ name: 'n', type: 'int', nullable: false, default: 0, unique: true });
            b.alterColumn('b', { type: 'varchar(10)' });
          }),
        [plain],
      ),
    ).toEqual([
      'CREATE TABLE "_multidb_tmp_T" (\n  "a" text,\n  "b" varchar(10),\n  "n" int NOT NULL CONSTRAINT "uq_T_n" UNIQUE DEFAULT 0\n)',
      'INSERT INTO "_multidb_tmp_T" (rowid, "a", "b") SELECT rowid, "a", CAST("b" AS varchar(10)) FROM "T"',
      'DROP TABLE "T"',
      'ALTER TABLE "_multidb_tmp_T" RENAME TO "T"',
    ]);
  });

  it('qualifies every statement with an attached database, stored SQL included', async () => {
    const aux: TableSnapshot = { ...ALBUM, schema: 'aux' };
    const sql = await sqlFor((op) => op.batchAlterTable('Album', (b) => b.dropColumn('Note'), { schema: 'aux' }), [aux]);
    expect(sql.slice(1)).toEqual([
      'INSERT INTO "aux"."_multidb_tmp_Album" ("AlbumId", "Title", "ArtistId", "Price") SELECT "AlbumId", "Title", "ArtistId", "Price" FROM "aux"."Album"',
      `DELETE FROM "aux".sqlite_sequence WHERE name = '_multidb_tmp_Album'`,
      `INSERT INTO "aux".sqlite_sequence (name, seq) SELECT '_multidb_tmp_Album', seq FROM "aux".sqlite_sequence WHERE name = 'Album'`,
      'DROP TRIGGER "aux"."tr_album"',
      'DROP VIEW "aux"."AlbumView"',
      'DROP TABLE "aux"."Album"',
      'ALTER TABLE "aux"."_multidb_tmp_Album" RENAME TO "Album"',
      'CREATE INDEX "aux"."ix_album_artist" ON "Album" ("ArtistId" DESC)',
      'CREATE TRIGGER "aux"."tr_album" AFTER INSERT ON "Album" BEGIN INSERT INTO "Log" VALUES (new."Title"); END',
      'CREATE VIEW "aux"."AlbumView" AS SELECT "AlbumId", "Title" FROM "Album"',
    ]);
    expect(sql[0]).toMatch(/^CREATE TABLE "aux"\."_multidb_tmp_Album" \(/);
  });

  it('checks views and triggers when a dropped column is named by one and no rename follows', async () => {
    const sql = await sqlFor((op) => op.batchAlterTable('Album', (b) => b.dropColumn('Title')), [ALBUM]);
    expect(sql.at(-1)).toBe('ALTER TABLE "Album" RENAME COLUMN "AlbumId" TO "AlbumId"');
    // The unique constraint and CHECK on Title went with it.
    expect(sql[0]).not.toMatch(/UNIQUE|CHECK/);
  });

  it('names the expressions a batch adds in the names of that point of the batch', async () => {
    const sql = await sqlFor((op) =>
      op.batchAlterTable('T', (b) => {
        b.renameColumn('b', 'amount');
        b.addColumn({ name: 'b', type: 'text' }); // reuses the old name: its working name is temporary
        b.createCheckConstraint('ck_amount', 'amount > 0 AND length(b) < 5');
        b.createIndex(null, ['amount', 'b'], { where: "b <> 'x'" });
      }),
    );
    expect(sql[0]).toContain(`CONSTRAINT "ck_amount" CHECK ("b" > 0 AND length("_multidb_b_1") < 5)`);
    expect(sql.slice(-3)).toEqual([
      `CREATE INDEX "ix_T_amount_b" ON "T" ("b", "_multidb_b_1") WHERE "_multidb_b_1" <> 'x'`,
      'ALTER TABLE "T" RENAME COLUMN "b" TO "amount"',
      'ALTER TABLE "T" RENAME COLUMN "_multidb_b_1" TO "b"',
    ]);
  });

  it("drops the table's own name where it qualifies a column in a CHECK (the new table has another name) and in what the batch adds", async () => {
    // As a model or an earlier revision writes it (offline, the shape the script made keeps it).
    const qualified: TableSnapshot = { ...T, checkConstraints: [{ name: 'ck_T_c', expression: `"T"."c" <> '' AND t.c <> 'T.c'` }] };
    const sql = await sqlFor(
      (op) =>
        op.batchAlterTable('T', (b) => {
          b.renameColumn('b', 'amount');
          b.createCheckConstraint('ck_amount', '"T"."amount" > 0 AND other.amount > 0');
          b.createIndex('ix_T_amount', ['amount'], { where: 'T.amount > 1' });
        }),
      [qualified],
    );
    expect(sql[0]).toContain(`CONSTRAINT "ck_T_c" CHECK ("c" <> '' AND c <> 'T.c')`);
    // Another table's name is kept.
    expect(sql[0]).toContain(`CONSTRAINT "ck_amount" CHECK ("b" > 0 AND other.amount > 0)`);
    expect(sql.slice(-2)).toEqual(['CREATE INDEX "ix_T_amount" ON "T" ("b") WHERE "b" > 1', 'ALTER TABLE "T" RENAME COLUMN "b" TO "amount"']);
  });

  it("drops the main schema and the table's own name where they qualify a column (main.T.c), in a CHECK and in what the batch adds; another schema's name is kept", async () => {
    const qualified: TableSnapshot = { ...T, checkConstraints: [{ name: 'ck_T_c', expression: `main.T.c <> '' AND "MAIN"."T"."c" <> 'main.T.c'` }] };
    const sql = await sqlFor(
      (op) =>
        op.batchAlterTable('T', (b) => {
          b.renameColumn('b', 'amount');
          b.createCheckConstraint('ck_amount', '"main"."T"."amount" > 0 AND aux.T.amount > 0');
          b.createIndex('ix_T_amount', ['amount'], { where: 'main.T.amount > 1' });
        }),
      [qualified],
    );
    expect(sql[0]).toContain(`CONSTRAINT "ck_T_c" CHECK (c <> '' AND "c" <> 'main.T.c')`);
    expect(sql[0]).toContain(`CONSTRAINT "ck_amount" CHECK ("b" > 0 AND aux.T.amount > 0)`);
    expect(sql.slice(-2)).toEqual(['CREATE INDEX "ix_T_amount" ON "T" ("b") WHERE "b" > 1', 'ALTER TABLE "T" RENAME COLUMN "b" TO "amount"']);
  });
});

describe('sqlite batch: native ALTER or rebuild (recreate: auto)', () => {
  it('stays native where SQLite allows it, judged on the table as each op finds it', async () => {
    expect(
      await sqlFor((op) =>
        op.batchAlterTable('T', (b) => {
          b.addColumn({ name: 'd', type: 'text', default: 'x' });
          b.dropColumn('d');
          b.renameColumn('a', 'a2');
          b.dropIndex('ix_T_a');
          b.dropColumn('a2'); // no longer indexed
          b.alterColumn('c', { newName: 'c2', comment: 'ignored' });
        }),
      ),
    ).toEqual([
      `ALTER TABLE "T" ADD COLUMN "d" text DEFAULT 'x'`,
      'ALTER TABLE "T" DROP COLUMN "d"',
      'ALTER TABLE "T" RENAME COLUMN "a" TO "a2"',
      'DROP INDEX "ix_T_a"',
      'ALTER TABLE "T" DROP COLUMN "a2"',
      'ALTER TABLE "T" RENAME COLUMN "c" TO "c2"',
    ]);
  });

  const drops: [string, TableSnapshot, string, RegExp][] = [
    ['a key column', T, 'id', /PRIMARY KEY column "id"/],
    ['an indexed column', T, 'a', /drop the indexed column "a" \(index "ix_T_a"\) in "T"/],
    ['a column in a CHECK', T, 'c', /column "c" \(used by a CHECK constraint\)/],
    ['a column a generated column uses', T, 'b', /column "b" \(used by the generated column "g"\)/],
    ['a generated column', T, 'g', /generated column "g"/],
    ['a UNIQUE column', { ...T, uniqueConstraints: [{ columns: ['b', 'c'] }] }, 'b', /UNIQUE column "b"/],
    ['a foreign key column', { ...T, foreignKeys: [{ columns: ['b'], referredTable: 'P', referredColumns: ['id'] }] }, 'b', /foreign key column "b"/],
    ['a column a view names', { ...T, columns: T.columns.slice(0, 4), dependents: [{ type: 'view', name: 'v', tableName: 'v', sql: 'CREATE VIEW v AS SELECT b FROM T' }] }, 'b', /named by the view "v"/],
    ['a column in a partial-index predicate', { ...T, indexes: [{ name: 'ix_p', columns: ['id'], unique: false, where: 'b > 0' }] }, 'b', /index "ix_p"/],
  ];
  it.each(drops)('rebuilds to drop %s (and recreate: never says why)', async (_what, table, column, reason) => {
    const sql = await sqlFor((op) => op.dropColumn('T', column), [table]);
    expect(sql[0]).toMatch(/^CREATE TABLE "_multidb_tmp_T"/);
    const error = await errorOf((op) => op.batchAlterTable('T', (b) => b.dropColumn(column), { recreate: 'never' }), [table]);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error.message).toMatch(reason);
    expect(error.message).toMatch(/recreate: 'never' forbids/);
  });

  it("recreate: 'never' compiles native batches and refuses the rest", async () => {
    expect(await sqlFor((op) => op.batchAlterTable('T', (b) => b.renameColumn('a', 'z'), { recreate: 'never' }))).toEqual(['ALTER TABLE "T" RENAME COLUMN "a" TO "z"']);
    const error = await errorOf((op) => op.batchAlterTable('T', (b) => b.alterColumn('a', { type: 'int' }), { recreate: 'never' }));
    expect(error.message).toBe(
      `sqlite cannot change the type of column "a" in "T" (batchAlterTable("T")) natively. It needs a table rebuild, which recreate: 'never' forbids.`,
    );
    expect((await errorOf((op) => op.batchAlterTable('T', () => undefined, { recreate: 'never', partialReordering: [['b', 'a']] }))).message).toMatch(
      /reorder the columns/,
    );
  });

  it("recreate: 'always' rebuilds even an empty batch", async () => {
    expect(await sqlFor((op) => op.batchAlterTable('T', () => undefined, { recreate: 'always' }))).toHaveLength(5);
  });
});

describe('sqlite batch: constraints and names', () => {
  it('names reflected unnamed constraints from the convention', () => {
    const named = nameReflectedConstraints(
      { ...T, primaryKey: { columns: ['id', 'a'] }, foreignKeys: [{ columns: ['b'], referredTable: 'P', referredColumns: ['id'] }], uniqueConstraints: [{ columns: ['c'] }], checkConstraints: [{ expression: 'b > 0' }, { name: 'keep', expression: 'c' }] },
      DEFAULT_NAMING_CONVENTION,
    );
    expect([named.primaryKey?.name, named.foreignKeys[0]!.name, named.uniqueConstraints[0]!.name, ...named.checkConstraints.map((c) => c.name)]).toEqual([
      'pk_T',
      'fk_T_b_P',
      'uq_T_c',
      expect.stringMatching(/^ck_T_[0-9a-f]{8}$/),
      'keep',
    ]);
    expect(nameReflectedConstraints(T, DEFAULT_NAMING_CONVENTION)).toBe(T);
  });

  it('adds a foreign key, a unique constraint, a check and a primary key in one rebuild', async () => {
    const noKey: TableSnapshot = { ...T, columns: T.columns.map(({ primaryKey: _pk, ...c }) => c) };
    const [create] = await sqlFor(
      (op) =>
        op.batchAlterTable('T', (b) => {
          b.createPrimaryKey(null, ['id']);
          b.createForeignKey(null, 'P', ['b'], ['id'], { onDelete: 'set null' });
          b.createForeignKey('fk_self', 'T', ['c'], ['a']);
          b.createUniqueConstraint(null, ['a', 'c']);
          b.createCheckConstraint(null, 'b >= 0');
        }),
      [noKey],
    );
    expect(create).toMatch(/"id" integer NOT NULL,/);
    expect(create).toContain('CONSTRAINT "pk_T" PRIMARY KEY ("id")');
    expect(create).toContain('CONSTRAINT "fk_T_b_P" FOREIGN KEY ("b") REFERENCES "P" ("id") ON DELETE SET NULL');
    expect(create).toContain('CONSTRAINT "fk_self" FOREIGN KEY ("c") REFERENCES "T" ("a")');
    expect(create).toContain('CONSTRAINT "uq_T_a_c" UNIQUE ("a", "c")');
    expect(create).toMatch(/CONSTRAINT "ck_T_[0-9a-f]{8}" CHECK \(b >= 0\)/);
  });

  it('drops column-level constraints by their conventional names', async () => {
    const inline: TableSnapshot = {
      ...T,
      columns: [
        { name: 'id', type: t('integer'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'a', type: t('text'), nullable: true, unique: true },
        { name: 'b', type: t('int'), nullable: true, references: { table: 'P', column: 'id' } },
      ],
      checkConstraints: [],
      indexes: [],
    };
    const [create] = await sqlFor(
      (op) =>
        op.batchAlterTable('T', (b) => {
          b.dropConstraint('pk_T', { type: 'primary' });
          b.dropConstraint('uq_T_a', { type: 'unique' });
          b.dropConstraint('fk_T_b_P', { type: 'foreignkey' });
        }),
      [inline],
    );
    expect(create).toBe('CREATE TABLE "_multidb_tmp_T" (\n  "id" integer NOT NULL,\n  "a" text,\n  "b" int\n)');
  });

  const wrong: [string, Parameters<typeof buildOps>[0], RegExp][] = [
    ['an unknown column', (op) => op.alterColumn('T', 'zz', { nullable: false }), /Table "T" has no column "zz" at this point of the batch \(columns: id, a, b, c, g\)/],
    ['an unknown constraint', (op) => op.dropConstraint('uq_nope', 'T', { type: 'unique' }), /Table "T" has no unique constraint "uq_nope" \(it has none\)/],
    ['an unknown check', (op) => op.dropConstraint('ck_nope', 'T', { type: 'check' }), /no check constraint "ck_nope" \(it has: ck_T_c\)/],
    ['a second primary key', (op) => op.createPrimaryKey(null, 'T', ['a']), /already has a primary key \(on column "id"\); drop it first/],
    ['an unknown index', (op) => op.batchAlterTable('T', (b) => b.dropIndex('ix_nope')), /no index "ix_nope" \(indexes: ix_T_a\)/],
    ['a taken column name', (op) => op.batchAlterTable('T', (b) => b.renameColumn('a', 'B')), /already has a column "B"/],
    ['a name renamed away', (op) => op.batchAlterTable('T', (b) => { b.renameColumn('a', 'z'); b.createCheckConstraint('x', 'a > 0'); }), /names "a", which an earlier op of the batch renamed/],
    ['a reordering cycle', (op) => op.batchAlterTable('T', () => undefined, { partialReordering: [['a', 'b'], ['b', 'a']] }), /contradicts itself/],
    ['a reordering of an unknown column', (op) => op.batchAlterTable('T', () => undefined, { partialReordering: [['a', 'q']] }), /names "q", which is not a column/],
  ];
  it.each(wrong)('refuses %s with an OperationError', async (_what, fn, message) => {
    const error = await errorOf(fn);
    expect(error).toBeInstanceOf(OperationError);
    expect(error.message).toMatch(message);
  });
});

describe('sqlite batch: without the table’s shape', () => {
  it('compiles native ops from the ops alone (offline), and asks for copyFrom for a rebuild', async () => {
    expect(await sqlFor((op) => op.dropColumn('T', 'a'), [])).toEqual(['ALTER TABLE "T" DROP COLUMN "a"']);
    const error = await errorOf((op) => op.alterColumn('T', 'a', { type: 'int' }), []);
    expect(error).toBeInstanceOf(OperationError);
    expect(error.message).toBe(
      'SQLite needs the current shape of table "T" to change the type of column "a" (op.alterColumn("T", …)) by a table rebuild: ' +
        'online it is read from the database, where the table must exist; offline, pass it as copyFrom (op.batchAlterTable("T", …, { copyFrom })).',
    );
    expect((await errorOf((op) => op.batchAlterTable('T', () => undefined, { recreate: 'always' }), [])).message).toMatch(/to rebuild the table/);
    expect((await errorOf((op) => op.dropColumn('T', 'id', { existing: { type: 'integer', primaryKey: true } as never }), [])).message).toMatch(
      /to drop the PRIMARY KEY column "id"/,
    );
  });

  it('compiles from the table read (online) when there is one, not from a copyFrom that differs from it', async () => {
    const stale: TableSnapshot = { ...T, columns: T.columns.filter((c) => c.name !== 'c'), checkConstraints: [] };
    const rebuild = (copyFrom: TableSnapshot) => (op: Parameters<Parameters<typeof buildOps>[0]>[0]) =>
      op.batchAlterTable('T', (b) => b.alterColumn('a', { nullable: false }), { copyFrom });
    const live = await sqlFor(rebuild(stale));
    expect(live.find((s) => s.startsWith('INSERT'))).toMatch(/"c"/);
    expect(live).toEqual(await sqlFor(rebuild(T)));
    // Where no table is read (offline, a table the script did not make), copyFrom is the shape.
    expect((await sqlFor(rebuild(stale), [])).find((s) => s.startsWith('INSERT'))).not.toMatch(/"c"/);
  });

  it('asks the runner for the snapshot and a transaction only for ops that may rebuild', async () => {
    const ops = await buildOps(async (op) => {
      await op.addColumn('T', { name: 'c', type: 'text' });
      await op.addColumn('T', { name: 'u', type: 'text', unique: true });
      await op.dropColumn('T', 'c');
      await op.alterColumn('T', 'c', { newName: 'd' });
      await op.alterColumn('T', 'c', { nullable: false });
      await op.renameColumn('T', 'a', 'b');
      await op.createIndex(null, 'T', ['a']);
      await op.createUniqueConstraint(null, 'T', ['a']);
      await op.dropConstraint('x', 'T', { type: 'check' });
      await op.batchAlterTable('T', (b) => b.renameColumn('a', 'b'));
      await op.batchAlterTable('T', (b) => b.renameColumn('a', 'b'), { copyFrom: T });
      await op.execute('SELECT 1');
    });
    // A batch with copyFrom reads the table too: online the live table wins over copyFrom.
    expect(ops.map((o) => sqliteDialect.requiredSnapshots(o))).toEqual([['T'], ['T'], ['T'], [], ['T'], [], [], ['T'], ['T'], ['T'], ['T'], []]);
    expect(ops.map((o) => sqliteDialect.requiresTransaction!(o))).toEqual([false, true, true, false, true, false, false, true, true, true, true, false]);
  });
});

describe('sqlite batch: what needs a table rebuild (ops outside a batch too)', () => {
  const shape: TableSnapshot = {
    name: 'T',
    columns: [
      { name: 'id', type: parseColumnType('integer'), nullable: false, primaryKey: true },
      { name: 'c', type: parseColumnType('text'), nullable: true },
    ],
    foreignKeys: [],
    uniqueConstraints: [{ name: 'uq', columns: ['c'] }],
    checkConstraints: [],
    indexes: [],
  };
  const rebuilds: [string, Parameters<typeof buildOps>[0], RegExp][] = [
    ['add a NOT NULL column without default', (op) => op.addColumn('T', { name: 'n', type: 'text', nullable: false }), /NOT NULL column "n" without a non-NULL default/],
    ['add a NOT NULL column with a NULL default', (op) => op.addColumn('T', { name: 'n', type: 'text', nullable: false, default: null }), /NOT NULL column/],
    ['add a PRIMARY KEY column', (op) => op.batchAlterTable('T', (b) => b.dropConstraint('pk_T', { type: 'primary' }).addColumn({ name: 'n', type: 'integer', primaryKey: true })), /primary key "pk_T"/],
    ['add a UNIQUE column', (op) => op.addColumn('T', { name: 'n', type: 'text', unique: true }), /UNIQUE column/],
    ['add a CURRENT_TIMESTAMP default', (op) => op.addColumn('T', { name: 'n', type: 'text', default: { sql: 'CURRENT_TIMESTAMP' } }), /non-constant default CURRENT_TIMESTAMP/],
    ['add an expression default', (op) => op.addColumn('T', { name: 'n', type: 'int', default: { sql: '1 + 1' } }), /non-constant default/],
    ['add a REFERENCES column with a default', (op) => op.addColumn('T', { name: 'n', type: 'int', default: 1, references: 'P.id' }), /REFERENCES column "n" with a non-NULL default/],
    ['add a STORED generated column', (op) => op.addColumn('T', { name: 'n', type: 'int', generated: { sql: '1', stored: true } }), /STORED generated/],
    ['alter a type', (op) => op.alterColumn('T', 'c', { type: 'varchar(10)' }), /change the type of column "c"/],
    ['alter nullability with a rename', (op) => op.alterColumn('T', 'c', { nullable: false, newName: 'd' }), /change the nullable of column "c"/],
    ['alter a default', (op) => op.alterColumn('T', 'c', { default: null }), /change the default/],
    ['add a unique constraint', (op) => op.createUniqueConstraint('uq2', 'T', ['c', 'id']), /unique constraint "uq2"/],
    ['add a check constraint', (op) => op.createCheckConstraint('pos', 'T', 'c > 0'), /check constraint "pos"/],
    ['add a foreign key', (op) => op.createForeignKey(null, 'T', 'P', ['c'], ['id']), /foreign key "fk_T_c_P"/],
    ['add a primary key', (op) => op.batchAlterTable('T', (b) => b.dropConstraint('pk_T', { type: 'primary' }).createPrimaryKey(null, ['c'])), /primary key "pk_T"/],
    ['drop a constraint', (op) => op.dropConstraint('uq', 'T', { type: 'unique' }), /drop the unique constraint "uq"/],
    ['a batch needing a rebuild', (op) => op.batchAlterTable('T', (b) => b.alterColumn('c', { type: 'int' })), /change the type of column "c" \(batchAlterTable\("T"\)\)/],
    ["a batch with recreate: 'always'", (op) => op.batchAlterTable('T', (b) => b.addColumn({ name: 'x', type: 'text' }), { recreate: 'always' }), /to rebuild the table/],
  ];
  it.each(rebuilds)('%s → a rebuild from the table’s shape; without it, an error asking for it', async (_name, fn, reason) => {
    const ops = await buildOps(fn);
    const statements = ops.flatMap((o) => sqliteDialect.compile(o, context([shape])));
    expect(statements.map((s) => s.sql).find((s) => s.startsWith('CREATE TABLE'))).toMatch(/^CREATE TABLE "_multidb_tmp_T" \(/);
    const error = (() => {
      try {
        for (const o of ops) sqliteDialect.compile(o, context());
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OperationError);
    expect(error!.message).toMatch(reason);
    expect(error!.message).toMatch(/SQLite needs the current shape of table "T" .* by a table rebuild: .* pass it as copyFrom/);
  });
});
