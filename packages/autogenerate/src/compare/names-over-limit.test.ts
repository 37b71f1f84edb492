import { DEFAULT_NAMING_CONVENTION, defineModels, parseColumnType, resolveModels, type DatabaseSnapshot, type IncludeObjectContext } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import type { CompareOptions } from './compare-options.js';
import { renameCandidates } from './decide-renames.js';
import { enumLabelsOverLimit, namesOverLimit, renameNamesOverLimit } from './names-over-limit.js';
import { prepareComparison } from './prepare-comparison.js';
import { db, options, POSTGRES_LIKE, reflected, col, summary } from '../testing/snapshot-fixture.js';

const POSTGRES = { max: 63, unit: 'bytes', longer: 'truncated' } as const;
const MYSQL = { max: 64, unit: 'characters', longer: 'refused' } as const;
const LABELS = { max: 63, unit: 'bytes', longer: 'refused' } as const;
const EMPTY: DatabaseSnapshot = { tables: [], enums: [], objects: [] };

function models(tables: Parameters<typeof defineModels>[0]['tables'], enums: Parameters<typeof defineModels>[0]['enums'] = []): DatabaseSnapshot {
  return resolveModels(defineModels({ tables, enums }), { dialect: 'postgres', namingConvention: DEFAULT_NAMING_CONVENTION, namedEnums: true });
}

/** The names over `limit` that the comparison of `snapshot` with `database` writes. */
function over(snapshot: DatabaseSnapshot, database: DatabaseSnapshot, limit: typeof POSTGRES | typeof MYSQL, overrides: Partial<CompareOptions> = {}) {
  return namesOverLimit(snapshot, compareSchemas(snapshot, database, options({ capabilities: POSTGRES_LIKE, ...overrides })).ops, limit);
}

describe('namesOverLimit', () => {
  it('finds written names past the limit: bytes on PostgreSQL (é is 2, 日 is 3), characters on MySQL', () => {
    const snapshot = models([
      {
        name: 'é'.repeat(32), // 32 characters, 64 bytes
        columns: [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'c'.repeat(63), type: 'integer' }, // 63: fits both
          { name: '日'.repeat(21), type: 'integer' }, // 63 bytes: fits
          { name: '日'.repeat(22), type: 'integer' }, // 66 bytes, 22 characters
        ],
        indexes: [{ name: 'i'.repeat(65), columns: ['id'] }],
      },
    ]);
    expect(over(snapshot, EMPTY, POSTGRES)).toEqual([
      { what: `table '${'é'.repeat(32)}'`, name: 'é'.repeat(32), length: 64 },
      { what: `column '${'é'.repeat(32)}'.'${'日'.repeat(22)}'`, name: '日'.repeat(22), length: 66 },
      { what: `index of '${'é'.repeat(32)}'`, name: 'i'.repeat(65), length: 65 },
    ]);
    expect(over(snapshot, EMPTY, MYSQL)).toEqual([{ what: `index of '${'é'.repeat(32)}'`, name: 'i'.repeat(65), length: 65 }]);
    // Nothing written, nothing refused.
    expect(namesOverLimit(snapshot, [], POSTGRES)).toEqual([]);
  });

  it("finds none in names the naming convention made, however long the table's and columns' names", () => {
    const table = '注文明細テーブル一覧'; // 30 bytes
    const column = '顧客番号の列ですよね';
    const snapshot = models([
      {
        name: table,
        columns: [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: column, type: 'integer', unique: true },
        ],
        indexes: [{ columns: [column, 'id'] }],
        uniqueConstraints: [['id', column]],
        checkConstraints: [{ expression: 'id > 0' }],
      },
    ]);
    expect(over(snapshot, EMPTY, POSTGRES)).toEqual([]);
    expect(over(snapshot, EMPTY, MYSQL)).toEqual([]);
  });

  describe('with the hooks: only the names the comparison writes, as it pairs and keeps the objects', () => {
    const long = (prefix: string) => `${prefix}_${'x'.repeat(64 - prefix.length)}`; // 65 bytes
    const snapshot = models([
      { name: long('skipped_table'), columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: long('in_skipped'), type: 'integer' }] },
      {
        name: 'existing',
        columns: [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: long('skipped_col'), type: 'integer' },
          { name: long('kept_col'), type: 'integer' },
        ],
        foreignKeys: [{ name: long('skipped_fk'), columns: ['id'], referredTable: 'existing', referredColumns: ['id'] }],
        uniqueConstraints: [{ name: long('skipped_uq'), columns: ['id'] }],
        checkConstraints: [{ name: long('skipped_ck'), expression: 'id > 0' }],
        indexes: [
          { name: long('skipped_ix'), columns: ['id'] },
          { name: long('kept_ix'), columns: ['id', long('kept_col')] },
        ],
      },
      {
        name: 'created',
        columns: [{ name: 'id', type: 'integer', primaryKey: true }],
        // A new table's unique constraints, foreign keys and checks are created with it, never asked about.
        uniqueConstraints: [{ name: long('skipped_uq_new'), columns: ['id'] }],
        checkConstraints: [{ name: long('skipped_ck_new'), expression: 'id > 0' }],
        indexes: [{ name: long('skipped_ix_new'), columns: ['id'] }],
      },
    ]);
    const database: DatabaseSnapshot = {
      tables: [
        {
          name: 'existing',
          columns: [{ name: 'id', type: parseColumnType('integer'), nullable: false }],
          primaryKey: { columns: ['id'] },
          foreignKeys: [],
          uniqueConstraints: [],
          checkConstraints: [],
          indexes: [],
        },
      ],
      enums: [],
      objects: [],
    };

    it("leaves out what includeName / includeObject leave out; a new table's keys and checks still count", () => {
      const hooks = {
        includeName: (name: string) => !name.startsWith('skipped_table'),
        includeObject: (o: IncludeObjectContext) => !o.name.startsWith('skipped'),
      };
      const found = over(snapshot, database, POSTGRES, hooks);
      expect(found.map((o) => o.what)).toEqual([
        `unique constraint of 'created'`,
        `check constraint of 'created'`,
        `column 'existing'.'${long('kept_col')}'`,
        `index of 'existing'`,
      ]);
      expect(found.map((o) => o.name.slice(0, 14))).toEqual(['skipped_uq_new', 'skipped_ck_new', 'kept_col_xxxxx', 'kept_ix_xxxxxx']);
    });

    it('counts every name without hooks, and none of a table the hooks leave out', () => {
      expect(over(snapshot, database, POSTGRES)).toHaveLength(12);
      expect(over(snapshot, database, POSTGRES, { includeObject: (o) => o.type !== 'table' })).toEqual([]);
    });
  });

  describe('an index the database has under another name (paired by its definition)', () => {
    const LONG_IX = `ix_orders_${'é'.repeat(30)}`; // 70 bytes
    const snapshot = models([
      { name: 'orders', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer', type: 'integer' }], indexes: [{ name: LONG_IX, columns: ['customer'] }] },
    ]);
    const database = db([
      reflected('orders', [col('id', 'integer', { nullable: false }), col('customer', 'integer')], {
        primaryKey: { name: 'orders_pkey', columns: ['id'] },
        indexes: [{ name: 'orders_customer_idx', columns: ['customer'], unique: false }],
      }),
    ]);

    it('a hook that reads hasCounterpart is asked once, as the comparison pairs the index, and the names check follows its answer', () => {
      for (const [leaveOutPaired, ops, names] of [
        // Indexes the database has are left alone: nothing is written, nothing refused.
        [true, [], []],
        // Only indexes without a counterpart are left out: this one has one, it is renamed to the long name, refused.
        [false, ['RenameIndex orders orders_customer_idx -> ' + LONG_IX], [`index of 'orders'`]],
      ] as const) {
        const asked: IncludeObjectContext[] = [];
        const includeObject = (o: IncludeObjectContext) => {
          asked.push(o);
          return o.type !== 'index' || o.hasCounterpart !== leaveOutPaired;
        };
        const compared = compareSchemas(snapshot, database, options({ capabilities: POSTGRES_LIKE, includeObject }));
        expect(summary(compared.ops)).toEqual(ops);
        expect(namesOverLimit(snapshot, compared.ops, POSTGRES).map((o) => o.what)).toEqual(names);
        // The comparison asked about the index once from each side (two names), both with their counterpart; the names check asks nothing.
        expect(asked.filter((o) => o.type === 'index').map((o) => [o.name, o.reflected, o.hasCounterpart])).toEqual([
          [LONG_IX, false, true],
          ['orders_customer_idx', true, true],
        ]);
      }
    });
  });
});

describe('renameNamesOverLimit', () => {
  // PostgreSQL cut the 70-byte names to 63 bytes when they were created: the database's table and
  // column are each a rename candidate for the models' longer name.
  const LONG_TABLE = `t_${'x'.repeat(68)}`;
  const LONG_COLUMN = `c_${'y'.repeat(68)}`;
  const snapshot = models([
    { name: 'orders', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: LONG_COLUMN, type: 'integer' }, { name: 'fits', type: 'text' }] },
    { name: LONG_TABLE, columns: [{ name: 'id', type: 'integer', primaryKey: true }] },
  ]);
  const database = db([
    reflected('orders', [col('id', 'integer', { nullable: false }), col(LONG_COLUMN.slice(0, 63), 'integer'), col('was_fits', 'text')], { primaryKey: { name: 'orders_pkey', columns: ['id'] } }),
    reflected(LONG_TABLE.slice(0, 63), [col('id', 'integer', { nullable: false })], { primaryKey: { name: 'orders_pkey', columns: ['id'] } }),
  ]);
  const candidates = (overrides: Partial<CompareOptions> = {}) => renameCandidates(prepareComparison(snapshot, database, options({ capabilities: POSTGRES_LIKE, ...overrides })), undefined, false).candidates;

  it('finds the new names of the candidates past the limit, worded as the names check words them (before any rename is decided)', () => {
    expect(candidates().map((c) => c.argument)).toEqual([`${LONG_TABLE.slice(0, 63)}=${LONG_TABLE}`, `orders.${LONG_COLUMN.slice(0, 63)}=orders.${LONG_COLUMN}`, 'orders.was_fits=orders.fits']);
    expect(renameNamesOverLimit(snapshot, candidates(), POSTGRES)).toEqual([
      { what: `column 'orders'.'${LONG_COLUMN}'`, name: LONG_COLUMN, length: 70 },
      { what: `table '${LONG_TABLE}'`, name: LONG_TABLE, length: 70 },
    ]);
    // The same words as when the names are written by the comparison's ops (here: added, all renames rejected).
    const rejected = compareSchemas(snapshot, database, options({ capabilities: POSTGRES_LIKE, renames: { reject: candidates() } })).ops;
    expect(renameNamesOverLimit(snapshot, candidates(), POSTGRES)).toEqual(namesOverLimit(snapshot, rejected, POSTGRES));
    expect(renameNamesOverLimit(snapshot, candidates(), { ...POSTGRES, max: 70 })).toEqual([]);
  });

  it('finds none for a table or column the hooks leave out (no candidate)', () => {
    const hooks = { includeName: (name: string) => name !== LONG_TABLE, includeObject: (o: IncludeObjectContext) => o.name !== LONG_COLUMN };
    expect(candidates(hooks).map((c) => c.argument)).toEqual(['orders.was_fits=orders.fits']);
    expect(renameNamesOverLimit(snapshot, candidates(hooks), POSTGRES)).toEqual([]);
  });
});

describe('enumLabelsOverLimit', () => {
  const fits = `${'🌧'.repeat(15)}abc`; // 63 bytes
  const long = '🌧'.repeat(16); // 64 bytes, 16 characters, 32 UTF-16 units

  it('finds the members past 63 bytes that the ops write: a new type, a member added', () => {
    const snapshot = models([{ name: 'log', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'sky', type: 'sky' }] }], [{ name: 'sky', values: ['clear', fits, long] }]);
    const created = compareSchemas(snapshot, EMPTY, options({ capabilities: POSTGRES_LIKE })).ops;
    expect(enumLabelsOverLimit(created, LABELS)).toEqual([{ what: "member of enum type 'sky'", name: long, length: 64 }]);
    const existing = db([], [{ name: 'sky', values: ['clear', fits] }]);
    const added = compareSchemas({ ...snapshot, tables: [] }, existing, options({ capabilities: POSTGRES_LIKE })).ops;
    expect(summary(added)).toEqual([`AddEnumValue sky ${long}`]);
    expect(enumLabelsOverLimit(added, LABELS)).toEqual([{ what: "member of enum type 'sky'", name: long, length: 64 }]);
    // A type the hooks leave out is not written: its members are no reason to refuse.
    const skipped = compareSchemas({ ...snapshot, tables: [] }, existing, options({ capabilities: POSTGRES_LIKE, includeName: (name, type) => type !== 'enum' }));
    expect(enumLabelsOverLimit(skipped.ops, LABELS)).toEqual([]);
    expect(enumLabelsOverLimit([{ kind: 'CreateEnum', name: 'sky', values: ['clear', fits] }], LABELS)).toEqual([]);
  });
});
