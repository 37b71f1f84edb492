import { DEFAULT_NAMING_CONVENTION, defineModels, resolveModels, type DatabaseSnapshot } from '@multidb/core';
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
});
