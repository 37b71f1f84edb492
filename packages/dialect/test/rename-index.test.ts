// renameIndex: the exact SQL of each dialect (SQLite, which has no rename, drops the index and
// creates it again: from its stored CREATE INDEX text online, from the script's table or the op's
// `existing` offline), what SQLite needs to know, and renames on a real database of each dialect,
// where the index keeps its definition (unique, partial, expression, direction) and `reverseOp`
// gives its name back.
import { OperationError, parseColumnType, reverseOp, SchemaUnknownError, type DialectConnection, type IndexSnapshot, type Op, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { sqliteDialect } from '../src/sqlite/sqlite-dialect.js';
import { DIALECTS, type PerDialect } from './support/dialects.js';
import { buildOps, context, q, runInTransaction, runOps, sqlOf, type RevisionBody } from './support/op-harness.js';
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const t = (s: string) => parseColumnType(s);

/** An `event` table as SQLite introspection reports it: the indexes parsed, and their stored text. */
const EVENT: TableSnapshot = {
  name: 'event',
  columns: [
    { name: 'id', type: t('integer'), nullable: false, primaryKey: true },
    { name: 'kind', type: t('text'), nullable: true },
    { name: 'note', type: t('text'), nullable: true },
  ],
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [
    { name: 'ix_event_kind', columns: ['kind'], unique: true, where: 'kind IS NOT NULL' },
    { name: 'ix_event_note', columns: ['note'], unique: false },
  ],
  dependents: [
    { type: 'index', name: 'ix_event_kind', tableName: 'event', sql: 'CREATE UNIQUE INDEX ix_event_kind ON event (kind COLLATE NOCASE DESC) WHERE kind IS NOT NULL' },
    { type: 'index', name: 'ix_event_note', tableName: 'event', sql: 'CREATE INDEX "ix_event_note" ON "event" ("note")' },
  ],
};

/** The same table as an offline script knows it (created by the script: no stored text). */
const { dependents: _d, ...EVENT_CREATED } = EVENT;

const cases: SqlCase[] = [
  {
    name: 'renameIndex: PostgreSQL and MySQL rename in place; SQLite drops it and creates it from its stored text (collation, direction, predicate kept)',
    ops: (op) => op.renameIndex('event', 'ix_event_kind', 'ix_event_category'),
    snapshots: [EVENT],
    expected: {
      sqlite: ['DROP INDEX "ix_event_kind"', 'CREATE UNIQUE INDEX "ix_event_category" ON event (kind COLLATE NOCASE DESC) WHERE kind IS NOT NULL'],
      postgres: ['ALTER INDEX "ix_event_kind" RENAME TO "ix_event_category"'],
      mysql: ['ALTER TABLE `event` RENAME INDEX `ix_event_kind` TO `ix_event_category`'],
    },
  },
  {
    name: 'renameIndex in a schema: the index is in its table\'s schema',
    ops: (op) => op.renameIndex('event', 'ix_a', 'ix_b', { schema: 'audit' }),
    expected: {
      postgres: ['ALTER INDEX "audit"."ix_a" RENAME TO "ix_b"'],
      mysql: ['ALTER TABLE `audit`.`event` RENAME INDEX `ix_a` TO `ix_b`'],
    },
  },
  {
    name: 'SQLite: an index of a table the script created is compiled from its definition',
    ops: { sqlite: (op) => op.renameIndex('event', 'ix_event_kind', 'ix_event_category') },
    snapshots: [EVENT_CREATED],
    expected: { sqlite: ['DROP INDEX "ix_event_kind"', 'CREATE UNIQUE INDEX "ix_event_category" ON "event" ("kind") WHERE kind IS NOT NULL'] },
  },
  {
    name: 'SQLite: a table nothing knows (offline): the index from the op\'s existing',
    ops: { sqlite: (op) => op.renameIndex('event', 'ix_lower', 'ix_kind_lower', { existing: { columns: [{ sql: 'lower(kind)' }, 'id'], unique: false, where: 'id > 0' } }) },
    expected: { sqlite: ['DROP INDEX "ix_lower"', 'CREATE INDEX "ix_kind_lower" ON "event" (lower(kind), "id") WHERE id > 0'] },
  },
  {
    name: 'SQLite, in a batch after a column rename: the stored text with the new column name',
    ops: { sqlite: (op) => op.batchAlterTable('event', (b) => void b.renameColumn('kind', 'category').renameIndex('ix_event_kind', 'ix_event_category')) },
    snapshots: [EVENT],
    expected: {
      sqlite: [
        'ALTER TABLE "event" RENAME COLUMN "kind" TO "category"',
        'DROP INDEX "ix_event_kind"',
        'CREATE UNIQUE INDEX "ix_event_category" ON event ("category" COLLATE NOCASE DESC) WHERE "category" IS NOT NULL',
      ],
    },
  },
  {
    name: 'SQLite, in a batch after a column rename, an index the script created: its definition with the new column name',
    ops: { sqlite: (op) => op.batchAlterTable('event', (b) => void b.renameColumn('kind', 'category').renameIndex('ix_event_kind', 'ix_event_category')) },
    snapshots: [EVENT_CREATED],
    expected: {
      sqlite: [
        'ALTER TABLE "event" RENAME COLUMN "kind" TO "category"',
        'DROP INDEX "ix_event_kind"',
        'CREATE UNIQUE INDEX "ix_event_category" ON "event" ("category") WHERE "category" IS NOT NULL',
      ],
    },
  },
  {
    name: 'SQLite, in a batch after a column rename, a descending key of an index the script created keeps its order',
    ops: { sqlite: (op) => op.batchAlterTable('event', (b) => void b.renameColumn('kind', 'category').renameIndex('ix_event_kind', 'ix_event_category')) },
    snapshots: [{ ...EVENT_CREATED, indexes: [{ name: 'ix_event_kind', columns: [{ name: 'kind', order: 'desc' }, 'id'], unique: false }] }],
    expected: {
      sqlite: ['ALTER TABLE "event" RENAME COLUMN "kind" TO "category"', 'DROP INDEX "ix_event_kind"', 'CREATE INDEX "ix_event_category" ON "event" ("category" DESC, "id")'],
    },
  },
  {
    name: 'SQLite, in a batch that rebuilds the table: the renamed index is created from its stored text under its new name',
    ops: { sqlite: (op) => op.batchAlterTable('event', (b) => void b.renameIndex('ix_event_kind', 'ix_event_category').alterColumn('note', { nullable: false })) },
    snapshots: [EVENT],
    expected: {
      sqlite: [
        'CREATE TABLE "_multidb_tmp_event" (\n  "id" integer NOT NULL CONSTRAINT "pk_event" PRIMARY KEY,\n  "kind" text,\n  "note" text NOT NULL\n)',
        'INSERT INTO "_multidb_tmp_event" ("id", "kind", "note") SELECT "id", "kind", "note" FROM "event"',
        'DROP TABLE "event"',
        'ALTER TABLE "_multidb_tmp_event" RENAME TO "event"',
        'CREATE UNIQUE INDEX "ix_event_category" ON event (kind COLLATE NOCASE DESC) WHERE kind IS NOT NULL',
        'CREATE INDEX "ix_event_note" ON "event" ("note")',
      ],
    },
  },
];

describeCompiles('renameIndex', cases);

describe('sqlite: what an index rename needs', () => {
  it('offline, neither the script nor existing gives the definition: SchemaUnknownError naming existing', async () => {
    const [op] = await buildOps(sqliteDialect, (o) => o.renameIndex('event', 'ix_event_kind', 'ix_event_category'));
    const error = (() => {
      try {
        sqliteDialect.compile(op!, context());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SchemaUnknownError);
    expect(error).toMatchObject({ table: 'event', field: 'existing' });
    expect((error as Error).message).toBe(
      'SQLite has no index rename: it drops index "ix_event_kind" and creates it again as "ix_event_category", which needs the index\'s definition: ' +
        'online it is read from the database, which has no table "event"; offline, pass it as existing ' +
        '(op.renameIndex("event", "ix_event_kind", "ix_event_category", { existing: { columns, unique } })).',
    );
  });

  it('refuses an index the table does not have, or a new name another index has', async () => {
    const compile = async (body: RevisionBody) => (await buildOps(sqliteDialect, body)).flatMap((o) => sqliteDialect.compile(o, context([EVENT])));
    await expect(compile((op) => op.renameIndex('event', 'ix_nope', 'ix_x'))).rejects.toThrow(
      new OperationError('Table "event" has no index "ix_nope" (indexes: ix_event_kind, ix_event_note).'),
    );
    await expect(compile((op) => op.renameIndex('event', 'ix_event_kind', 'IX_EVENT_NOTE'))).rejects.toThrow(new OperationError('Table "event" already has an index "IX_EVENT_NOTE".'));
  });

  it('asks for the table, and a transaction around its two statements', async () => {
    const [op] = await buildOps(sqliteDialect, (o) => o.renameIndex('event', 'ix_a', 'ix_b'));
    expect(sqliteDialect.requiredSnapshots(op!)).toEqual(['event']);
    expect(sqliteDialect.requiresTransaction!(op!)).toBe(true);
    // The batch table tracks the rename: a later drop of the new name finds it.
    expect(await sqlOf(sqliteDialect, (o) => o.batchAlterTable('event', (b) => void b.renameIndex('ix_event_note', 'ix_n').dropIndex('ix_n')), [EVENT])).toEqual([
      'DROP INDEX "ix_event_note"',
      'CREATE INDEX "ix_n" ON "event" ("note")',
      'DROP INDEX "ix_n"',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// On a real database

/** The table and its indexes, per dialect: plain, unique, partial, expression where the dialect has them. */
const createEvent: PerDialect<RevisionBody> = {
  sqlite: async (op) => {
    await op.createTable('event', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'kind', type: 'text' },
      { name: 'note', type: 'text' },
    ]);
    await op.execute('CREATE UNIQUE INDEX ix_event_kind ON event (kind COLLATE NOCASE DESC) WHERE kind IS NOT NULL');
    await op.createIndex('ix_event_lower', 'event', [{ sql: 'lower(note)' }]);
  },
  postgres: async (op) => {
    await op.createTable('event', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'kind', type: 'varchar(20)' },
      { name: 'note', type: 'text' },
    ]);
    await op.createIndex('ix_event_kind', 'event', ['kind'], { unique: true, where: 'kind IS NOT NULL' });
    await op.createIndex('ix_event_lower', 'event', [{ sql: 'lower(note)' }]);
  },
  mysql: async (op) => {
    await op.createTable('owner', [{ name: 'id', type: 'integer', primaryKey: true }]);
    await op.createTable('event', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'kind', type: 'varchar(20)' },
      { name: 'note', type: 'varchar(40)' },
      { name: 'owner_id', type: 'integer' },
    ]);
    await op.createIndex('ix_event_kind', 'event', ['kind'], { unique: true });
    await op.createIndex('ix_event_lower', 'event', ['note', 'kind']);
    // InnoDB makes an index for the key (named after its column): it can be renamed too.
    await op.execute('ALTER TABLE event ADD FOREIGN KEY (owner_id) REFERENCES owner (id)');
  },
};

const renames: PerDialect<readonly (readonly [string, string])[]> = {
  sqlite: [['ix_event_kind', 'ix_event_category'], ['ix_event_lower', 'ix_event_note_lower']],
  postgres: [['ix_event_kind', 'ix_event_category'], ['ix_event_lower', 'ix_event_note_lower']],
  mysql: [['ix_event_kind', 'ix_event_category'], ['ix_event_lower', 'ix_event_note_kind'], ['owner_id', 'ix_event_owner_id']],
};

/** The indexes of `event` by introspection, keyed by name. */
async function indexes(conn: DialectConnection): Promise<Record<string, Omit<IndexSnapshot, 'name'>>> {
  const table = await conn.introspectTable('event');
  return Object.fromEntries((table?.indexes ?? []).map(({ name, ...rest }) => [name, rest]));
}

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: renameIndex on a real database`, () => {
    const database = d.useDatabase('rename_index');

    it('renames each index, keeping its definition; the reverse ops give the names back', async () => {
      const conn = await database.connect();
      await runInTransaction(conn, createEvent[d.name]!);
      const before = await indexes(conn);
      const pairs = renames[d.name]!;
      const body: RevisionBody = async (op) => {
        for (const [from, to] of pairs) await op.renameIndex('event', from, to);
      };
      await runInTransaction(conn, body);
      const after = await indexes(conn);
      expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([name, def]) => [pairs.find(([from]) => from === name)?.[1] ?? name, def])));

      const ops: Op[] = await buildOps(conn.dialect, body);
      const reversed = ops.reverse().map((o) => reverseOp(o));
      await runInTransaction(conn, async (op) => {
        for (const r of reversed) {
          if (r.kind !== 'RenameIndex') throw new Error('not a rename');
          await op.renameIndex(r.table, r.name, r.newName);
        }
      });
      expect(await indexes(conn)).toEqual(before);
    });

    if (d.name === 'sqlite') {
      it('keeps the stored text (collation, direction), and follows a column renamed earlier in the batch', async () => {
        const conn = await database.connect();
        await runInTransaction(conn, createEvent.sqlite!);
        await runInTransaction(conn, (op) => op.batchAlterTable('event', (b) => void b.renameColumn('kind', 'category').renameIndex('ix_event_kind', 'ix_event_category')));
        expect(await q(conn, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event' ORDER BY name")).toEqual([
          { name: 'ix_event_category', sql: 'CREATE UNIQUE INDEX "ix_event_category" ON event ("category" COLLATE NOCASE DESC) WHERE "category" IS NOT NULL' },
          { name: 'ix_event_lower', sql: 'CREATE INDEX "ix_event_lower" ON "event" (lower(note))' },
        ]);
        // Still unique, case-insensitively, where not NULL.
        await q(conn, "INSERT INTO event (id, category) VALUES (1, 'a'), (2, NULL), (3, NULL)");
        await expect(q(conn, "INSERT INTO event (id, category) VALUES (4, 'A')")).rejects.toThrow(/UNIQUE constraint failed/);
        // A rebuild in the same batch keeps the renamed index.
        await runOps(conn, (op) => op.batchAlterTable('event', (b) => void b.renameIndex('ix_event_category', 'ix_event_kind').alterColumn('note', { type: 'varchar(10)' })));
        expect((await q(conn, "SELECT sql FROM sqlite_master WHERE name = 'ix_event_kind'")).map((r) => r.sql)).toEqual([
          'CREATE UNIQUE INDEX "ix_event_kind" ON event ("category" COLLATE NOCASE DESC) WHERE "category" IS NOT NULL',
        ]);
      });
    }
  });
}
