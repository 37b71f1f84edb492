import type { ColumnInput, DatabaseSnapshot, TableOptions } from '@multidb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import { findRenameCandidates } from './find-rename-candidates.js';
import { roundTrip } from '../testing/round-trip.js';
import { db, model, MYSQL_LIKE, options, PLAIN, POSTGRES_LIKE, SQLITE_LIKE } from '../testing/snapshot-fixture.js';

const TABLES = ['alpha', 'beta', 'gamma', 'delta'];
const TYPES = ['integer', 'text', 'varchar(10)', 'numeric(8,2)'];

/** A random table: an `id` key, some of four columns, maybe an index, a unique key, a check, a foreign key to a table of the snapshot. */
const tableShape = fc.record({
  columns: fc.subarray(['x', 'y', 'z', 'w'], { minLength: 0 }),
  types: fc.array(fc.constantFrom(...TYPES), { minLength: 4, maxLength: 4 }),
  notNull: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  defaults: fc.array(fc.option(fc.constantFrom('a', 0, { sql: 'CURRENT_TIMESTAMP' }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  uniqueInline: fc.boolean(),
  index: fc.option(fc.subarray(['x', 'y', 'z', 'w'], { minLength: 1, maxLength: 2 }), { nil: undefined }),
  uniqueIndex: fc.boolean(),
  check: fc.boolean(),
  reference: fc.option(fc.constantFrom(...TABLES), { nil: undefined }),
  inlineReference: fc.boolean(),
  comment: fc.option(fc.constantFrom('one', 'two'), { nil: undefined }),
});

const snapshot = fc
  .record({ names: fc.subarray(TABLES, { minLength: 1 }), shapes: fc.array(tableShape, { minLength: 4, maxLength: 4 }), order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }) })
  .map(({ names, shapes, order }): DatabaseSnapshot => {
    const tables = names.map((name, i) => {
      const s = shapes[i]!;
      const columns: ColumnInput[] = [{ name: 'id', type: 'integer', primaryKey: true }];
      s.columns.forEach((c) => {
        const k = ['x', 'y', 'z', 'w'].indexOf(c);
        const type = c === 'y' ? 'integer' : s.types[k]!;
        const dflt = s.defaults[k];
        const typedDefault = dflt === undefined ? undefined : typeof dflt === 'object' ? dflt : type === 'integer' || type.startsWith('numeric') ? 0 : 'a';
        columns.push({
          name: c,
          type,
          nullable: !s.notNull[k],
          ...(typedDefault === undefined ? {} : { default: typedDefault }),
          ...(c === 'x' && s.uniqueInline ? { unique: true } : {}),
          ...(c === 'y' && s.reference && names.includes(s.reference) && s.inlineReference ? { references: `${s.reference}.id` } : {}),
        });
      });
      const has = (c: string) => s.columns.includes(c);
      const rest: { -readonly [K in keyof TableOptions]: TableOptions[K] } = {};
      const indexColumns = s.index?.filter(has) ?? [];
      if (indexColumns.length) rest.indexes = [{ columns: indexColumns, unique: s.uniqueIndex }];
      if (s.check && has('y')) rest.checkConstraints = [{ name: `ck_${name}_y`, expression: 'y > 0' }];
      if (has('y') && s.reference && names.includes(s.reference) && !s.inlineReference) {
        rest.foreignKeys = [{ columns: ['y'], referredTable: s.reference, referredColumns: ['id'], onDelete: 'cascade' }];
      }
      if (s.comment) rest.comment = s.comment;
      const table = model(name, columns, rest);
      // Any order of columns and indexes.
      return order[i]! % 2 ? { ...table, columns: [...table.columns].reverse() } : table;
    });
    return db(order[7]! % 2 ? [...tables].reverse() : tables);
  });

const CAPABILITIES = { plain: PLAIN, postgres: POSTGRES_LIKE, mysql: MYSQL_LIKE, sqlite: SQLITE_LIKE };

describe('compareSchemas: properties', () => {
  it.each(Object.entries(CAPABILITIES))('finds nothing between a snapshot and itself (%s)', (_name, capabilities) => {
    fc.assert(
      fc.property(snapshot, (m) => {
        const reordered = db([...m.tables].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse(), indexes: [...t.indexes].reverse() })));
        const r = compareSchemas(m, reordered, options({ capabilities, dropUnmodeledTables: true }));
        expect(r).toEqual({ ops: [], changes: [], warnings: [], revisionWarnings: [], unmatchedRenames: [] });
      }),
      { numRuns: 150 },
    );
  });

  it.each(Object.entries(CAPABILITIES))('turns any snapshot into any other, and back, with ops that apply in order (%s)', (_name, capabilities) => {
    fc.assert(
      fc.property(snapshot, snapshot, (from, to) => {
        const base = options({ capabilities, dropUnmodeledTables: true });
        const reject = findRenameCandidates(to, from, base);
        const r = roundTrip(to, from, { ...base, renames: { reject } });
        expect(r.remainingAfterUpgrade).toEqual([]);
        expect(r.remainingAfterDowngrade).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
