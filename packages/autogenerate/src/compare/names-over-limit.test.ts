import { DEFAULT_NAMING_CONVENTION, defineModels, parseColumnType, resolveModels, type DatabaseSnapshot, type IncludeObjectContext } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { namesOverLimit } from './names-over-limit.js';

const POSTGRES = { max: 63, unit: 'bytes', longer: 'truncated' } as const;
const MYSQL = { max: 64, unit: 'characters', longer: 'refused' } as const;

function models(tables: Parameters<typeof defineModels>[0]['tables']): DatabaseSnapshot {
  return resolveModels(defineModels({ tables }), { dialect: 'postgres', namingConvention: DEFAULT_NAMING_CONVENTION, namedEnums: true });
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
    expect(namesOverLimit(snapshot, POSTGRES)).toEqual([
      { what: `table '${'é'.repeat(32)}'`, name: 'é'.repeat(32), length: 64 },
      { what: `column '${'é'.repeat(32)}'.'${'日'.repeat(22)}'`, name: '日'.repeat(22), length: 66 },
      { what: `index of '${'é'.repeat(32)}'`, name: 'i'.repeat(65), length: 65 },
    ]);
    expect(namesOverLimit(snapshot, MYSQL)).toEqual([{ what: `index of '${'é'.repeat(32)}'`, name: 'i'.repeat(65), length: 65 }]);
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
    expect(namesOverLimit(snapshot, POSTGRES)).toEqual([]);
    expect(namesOverLimit(snapshot, MYSQL)).toEqual([]);
  });

  describe('with the hooks: only the names of the objects the comparison keeps', () => {
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
          { name: long('kept_ix'), columns: ['id'] },
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
      tables: [{ name: 'existing', columns: [{ name: 'id', type: parseColumnType('integer'), nullable: false }], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] }],
      enums: [],
      objects: [],
    };

    it("leaves out what includeName / includeObject leave out, asked as the comparison asks; a new table's keys and checks still count", () => {
      const asked: IncludeObjectContext[] = [];
      const names: string[] = [];
      const over = namesOverLimit(snapshot, POSTGRES, {
        database,
        includeName: (name) => (names.push(name), !name.startsWith('skipped_table')),
        includeObject: (o) => (asked.push(o), !o.name.startsWith('skipped')),
      });
      expect(over.map((o) => o.what)).toEqual([
        `unique constraint of 'created'`,
        `check constraint of 'created'`,
        `column 'existing'.'${long('kept_col')}'`,
        `index of 'existing'`,
      ]);
      expect(over.map((o) => o.name.slice(0, 14))).toEqual(['skipped_uq_new', 'skipped_ck_new', 'kept_col_xxxxx', 'kept_ix_xxxxxx']);
      // Only names over the limit (and their tables) are asked about: from the models' side, and from the
      // database's for a table both have (the comparison compares a pair only when both sides are kept).
      expect(names.sort()).toEqual(['created', 'existing', long('skipped_table')]);
      const seen = asked.map((o) => `${o.type} ${o.table ?? '-'}.${o.name.slice(0, 14)}${o.reflected ? ' database' : ''}${o.hasCounterpart ? ' paired' : ''}`);
      expect(seen).toEqual([
        'table -.created',
        'index created.skipped_ix_new',
        'table -.existing paired',
        'table -.existing database paired',
        'column existing.skipped_col_xx',
        'column existing.kept_col_xxxxx',
        'unique_constraint existing.skipped_uq_xxx',
        'foreign_key_constraint existing.skipped_fk_xxx',
        'check_constraint existing.skipped_ck_xxx',
        'index existing.skipped_ix_xxx',
        'index existing.kept_ix_xxxxxx',
      ]);
    });

    it('counts every name without hooks, and leaves every object of a table the hooks leave out', () => {
      expect(namesOverLimit(snapshot, POSTGRES, { database })).toHaveLength(12);
      expect(namesOverLimit(snapshot, POSTGRES, { database, includeObject: (o) => o.type !== 'table' })).toEqual([]);
    });
  });
});
