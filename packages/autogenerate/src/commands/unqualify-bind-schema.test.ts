import { DEFAULT_NAMING_CONVENTION, defineModels, enumType, resolveModels } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { unqualifyBindSchema } from './unqualify-bind-schema.js';

const fk = { columns: ['customer_id'], referredTable: 'customer', referredSchema: 'sales', referredColumns: ['id'] };
const snapshot = resolveModels(
  defineModels({
    enums: [
      { name: 'state', schema: 'sales', values: ['new', 'paid'] },
      { name: 'mood', schema: 'other', values: ['ok'] },
    ],
    tables: [
      { name: 'customer', schema: 'sales', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'state', type: enumType('state', ['new', 'paid'], 'sales') }] },
      { name: 'order', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer_id', type: 'integer' }], foreignKeys: [fk] },
      { name: 'entry', schema: 'other', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer_id', type: 'integer' }, { name: 'mood', type: enumType('mood', ['ok'], 'other') }], foreignKeys: [fk] },
    ],
  }),
  { dialect: 'postgres', namingConvention: DEFAULT_NAMING_CONVENTION, namedEnums: true },
);

describe('unqualifyBindSchema', () => {
  it("leaves the bind's schema unnamed on its tables, enums, enum types and its tables' foreign keys; keeps other schemas", () => {
    const out = unqualifyBindSchema(snapshot, 'sales');
    const table = (name: string) => out.tables.find((t) => t.name === name)!;
    expect(out.enums.map((e) => [e.name, e.schema])).toEqual([['mood', 'other'], ['state', undefined]].sort());
    expect(table('customer').schema).toBeUndefined();
    expect(table('customer').columns[1]!.type.enumSchema).toBeUndefined();
    expect(table('order').foreignKeys[0]!.referredSchema).toBeUndefined();
    // A table of another schema keeps its schema, its enum's, and a foreign key into the bind's schema.
    expect(table('entry').schema).toBe('other');
    expect(table('entry').foreignKeys[0]!.referredSchema).toBe('sales');
    expect(table('entry').columns[2]!.type.enumSchema).toBe('other');
    // The input is not changed.
    expect(snapshot.tables.find((t) => t.name === 'customer')!.schema).toBe('sales');
  });

  it('returns the snapshot itself without a bind schema or when nothing names it', () => {
    expect(unqualifyBindSchema(snapshot, undefined)).toBe(snapshot);
    expect(unqualifyBindSchema(snapshot, 'nowhere')).toBe(snapshot);
  });
});
