import { DEFAULT_NAMING_CONVENTION, defineModels, enumType, parseColumnType, resolveModels, tableFromInput, type DeclaredType, type Dialect, type Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { declaredTypes, unknownTypeLine, unknownTypeWarnings } from './unknown-type-warnings.js';

const models = resolveModels(
  defineModels({
    tables: [
      { name: 'kv', strict: true, columns: [{ name: 'k', type: 'text', primaryKey: true }] },
      { name: 'note', columns: [{ name: 'id', type: 'integer', primaryKey: true }] },
    ],
  }),
  { dialect: 'sqlite', namingConvention: DEFAULT_NAMING_CONVENTION },
);
const string = parseColumnType('string');
const summary = (types: readonly DeclaredType[]) => types.map((t) => `${t.schema ? `${t.schema}.` : ''}${t.table}.${t.column}:${t.type.name}${t.strict ? ' strict' : ''}`);

describe('declaredTypes', () => {
  it("collects the types of created tables, added columns and new types (in a batch too), with the tables' STRICT", () => {
    const ops: Op[] = [
      { kind: 'CreateTable', table: tableFromInput('doc', [{ name: 'a', type: 'string' }, { name: 'b', type: 'varchar(20)' }], { strict: true }, DEFAULT_NAMING_CONVENTION) },
      { kind: 'AddColumn', table: 'kv', column: { name: 'shape', type: parseColumnType('geometry'), nullable: true } },
      { kind: 'AddColumn', table: 'note', schema: 'app', column: { name: 'body', type: string, nullable: true } },
      { kind: 'AlterColumn', table: 'note', column: 'id', changes: { type: parseColumnType('bigint') }, existing: {} },
      { kind: 'AlterColumn', table: 'note', column: 'id', changes: { nullable: true }, existing: {} },
      { kind: 'BatchAlterTable', table: 'kv', options: {}, ops: [{ kind: 'AlterColumn', table: 'kv', column: 'k', changes: { type: string }, existing: {} }] },
      { kind: 'DropColumn', table: 'note', column: 'old' },
    ];
    expect(summary(declaredTypes(ops, models))).toEqual(['doc.a:string strict', 'doc.b:varchar strict', 'kv.shape:geometry strict', 'app.note.body:string', 'note.id:bigint', 'kv.k:string strict']);
  });

  it('leaves out the enum types the models declare, and names (arrays too) of enums the models declare or the same ops create', () => {
    const withEnum = { ...models, enums: [{ name: 'status', values: ['on'] }] };
    const ops: Op[] = [
      { kind: 'CreateEnum', name: 'mood', values: ['sad', 'ok'] },
      { kind: 'AddColumn', table: 'note', column: { name: 'a', type: enumType('colour', ['red']), nullable: true } },
      { kind: 'AddColumn', table: 'note', column: { name: 'b', type: parseColumnType('mood'), nullable: true } },
      { kind: 'AddColumn', table: 'note', column: { name: 'c', type: parseColumnType('mood[]'), nullable: true } },
      { kind: 'AddColumn', table: 'note', column: { name: 'd', type: parseColumnType('status[]'), nullable: true } },
      { kind: 'AddColumn', table: 'note', schema: 'other', column: { name: 'e', type: parseColumnType('mood'), nullable: true } },
    ];
    expect(summary(declaredTypes(ops, withEnum))).toEqual(['other.note.e:mood']);
  });
});

describe('unknownTypeWarnings (the database side: dialect/test/unknown-types.test.ts, e2e autogenerate/unknown-types.test.ts)', () => {
  const dialect = (unknownTypes?: Dialect['unknownTypes']) => ({ name: 'test', ...(unknownTypes ? { unknownTypes } : {}) }) as unknown as Dialect;
  const ops: Op[] = [{ kind: 'AddColumn', table: 'note', schema: 'app', column: { name: 'body', type: parseColumnType('string(3)'), nullable: true } }];

  it('a line names the bind, the table (with its schema), the column and the type (and how the dialect writes it, when otherwise)', () => {
    expect(unknownTypeLine('db2', { table: 'note', schema: 'app', column: 'body', type: parseColumnType('string(3)'), rendered: 'STRING(3)', reason: 'no such type' })).toBe(
      "[db2] Unknown type 'string(3)' for column 'body' of table 'app.note': no such type.",
    );
    expect(unknownTypeLine('app', { table: 'kv', column: 'v', type: string, rendered: 'ANYTHING', reason: 'why' })).toBe("[app] Unknown type 'string' (written 'ANYTHING') for column 'v' of table 'kv': why.");
  });

  it('warns of nothing for a dialect without the check, or ops that declare no type', async () => {
    expect(await unknownTypeWarnings('app', dialect(), ops, models)).toEqual([]);
    let asked = false;
    const spy = dialect(async () => {
      asked = true;
      return [];
    });
    expect(await unknownTypeWarnings('app', spy, [{ kind: 'DropColumn', table: 'note', column: 'old' }], models)).toEqual([]);
    expect(asked).toBe(false);
  });
});
