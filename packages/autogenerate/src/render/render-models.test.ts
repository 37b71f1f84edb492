import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkConstraintName,
  createModuleLoader,
  DEFAULT_NAMING_CONVENTION,
  enumType,
  isModels,
  parseColumnType,
  resolveModels,
  type ColumnSnapshot,
  type DatabaseSnapshot,
  type NamingConvention,
  type TableSnapshot,
} from '@multidb/core';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { renderModels } from './render-models.js';

const DIR = mkdtempSync(join(tmpdir(), 'multidb-render-models-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const LOADER = createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) }, fsCache: false });
let files = 0;

/** Writes the source as a models module, imports it, and resolves it as autogenerate would. */
async function resolveSource(source: string, dialect: string, convention: NamingConvention): Promise<DatabaseSnapshot> {
  const file = join(DIR, `models_${files++}.ts`);
  writeFileSync(file, source);
  const models = ((await LOADER.import(file)) as { default: unknown }).default;
  expect(isModels(models)).toBe(true);
  return resolveModels(models as never, { dialect, namingConvention: convention });
}

const col = (name: string, type: string, rest: Partial<ColumnSnapshot> = {}): ColumnSnapshot => ({ name, type: parseColumnType(type), nullable: true, ...rest });
const table = (t: Partial<TableSnapshot> & Pick<TableSnapshot, 'name' | 'columns'>): TableSnapshot => ({
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [],
  ...t,
});
const formatted = (source: string) => prettier.format(source, { parser: 'typescript', singleQuote: true, printWidth: 100 });

describe('renderModels', () => {
  it('a small table: the module a person would write', () => {
    const snapshot: DatabaseSnapshot = {
      tables: [
        table({
          name: 'Genre',
          columns: [col('GenreId', 'integer', { nullable: false, primaryKey: true }), col('Name', 'varchar(120)')],
          indexes: [{ name: 'ix_Genre_Name', columns: ['Name'], unique: false }],
        }),
      ],
      enums: [],
      objects: [],
    };
    expect(renderModels(snapshot, DEFAULT_NAMING_CONVENTION)).toBe(
      [
        "import { defineModels } from '@multidb/core';",
        '',
        'export default defineModels({',
        '  tables: [',
        '    {',
        "      name: 'Genre',",
        '      columns: [',
        "        { name: 'GenreId', type: 'integer', primaryKey: true },",
        "        { name: 'Name', type: 'varchar(120)' },",
        '      ],',
        "      indexes: [{ columns: ['Name'] }],",
        '    },',
        '  ],',
        '});',
        '',
      ].join('\n'),
    );
  });

  // Names unlike the default convention's, so that a name left out shows up as a difference.
  const ODD: NamingConvention = { ix: 'i_%(table)s_%(columns)s', uq: 'u_%(table)s_%(columns)s', fk: 'f_%(table)s_%(columns)s', ck: 'c_%(table)s_%(name)s', pk: 'p_%(table)s' };

  /** Every feature a models module declares, with names the convention gives and names it does not. */
  const everything: DatabaseSnapshot = {
    enums: [{ name: 'mood', values: ['sad', "it's ok", 'happy'] }],
    objects: [{ type: 'view', name: 'v_people', table: 'v_people', sql: 'SELECT 1', references: [{ table: 'person' }] }],
    tables: [
      table({
        name: 'person',
        comment: 'People\nand "more"',
        columns: [
          col('id', 'bigint', { nullable: false, autoincrement: true }),
          col('tenant', 'integer', { nullable: false }),
          col('seq', 'bigint', { nullable: false, autoincrement: 'always' }),
          col('email', 'varchar(255)', { nullable: false, unique: true, collation: 'C', comment: "it's unique" }),
          col('mood', 'enum', { type: enumType('mood', ['sad', "it's ok", 'happy']), default: 'happy' }),
          col('other_mood', 'enum', { type: enumType('other', ['x', 'y']) }),
          col('tags', 'text[]'),
          col('score', 'numeric(10,2)', { nullable: false, default: 0.5 }),
          col('active', 'boolean', { nullable: false, default: true }),
          col('created', 'timestamp', { default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP' }),
          col('doubled', 'integer', { generated: { sql: 'tenant * 2', stored: true } }),
          col('parent', 'bigint', { references: { table: 'person', column: 'id', onDelete: 'set null' } }),
          col('boss', 'bigint', { references: { table: 'person', column: 'id' } }),
          col('unsigned', 'int', { type: { name: 'int', args: [], modifiers: ['unsigned'], array: false } }),
          col('nothing', 'text', { default: null }),
        ],
        primaryKey: { name: 'p_person', columns: ['id', 'tenant'] },
        foreignKeys: [
          { name: 'f_person_tenant', columns: ['tenant'], referredTable: 'tenant', referredSchema: 'admin', referredColumns: ['id'], onDelete: 'cascade', onUpdate: 'restrict' },
          { name: 'fk_own_name', columns: ['boss', 'tenant'], referredTable: 'person', referredColumns: ['id', 'tenant'], deferrable: true, initiallyDeferred: true },
          { columns: ['parent'], referredTable: 'tenant', referredColumns: ['id'] },
        ],
        uniqueConstraints: [
          { name: 'u_person_tenant_email', columns: ['tenant', 'email'] },
          { name: 'person_email_key2', columns: ['email', 'id'] },
          { columns: ['score', 'id'] },
          { name: 'u_person_tenant_score', columns: ['tenant', 'score'], nullsNotDistinct: true },
          { name: 'person_active_nnd', columns: ['active'], nullsNotDistinct: true },
        ],
        checkConstraints: [
          { name: checkConstraintName(ODD, 'person', undefined, 'score > 0'), expression: 'score > 0' },
          { name: 'positive', expression: 'tenant > 0' },
          { expression: "mood <> 'sad'" },
        ],
        indexes: [
          { name: 'i_person_tenant', columns: ['tenant'], unique: false },
          { name: 'by_lower_email', columns: [{ sql: 'lower(email)' }, 'tenant'], unique: true, where: 'active', method: 'gin' },
          { name: 'i_person_expr', columns: [{ sql: 'upper(email)' }], unique: false },
          { name: 'person_score_desc', columns: [{ name: 'score', order: 'desc', nulls: 'last' }, 'id', { sql: 'lower(email)', order: 'desc' }], unique: true },
        ],
      }),
      table({ name: 'kv', schema: 'other', columns: [col('k', 'text', { nullable: false })], primaryKey: { columns: ['k'] }, strict: true, withoutRowid: true }),
      table({ name: 'log', columns: [col('source', 'text', { nullable: false }), col('at', 'integer', { nullable: false })], primaryKey: { name: 'p_log', columns: ['source', 'at'], descending: ['at'] } }),
      table({
        name: 'sqlite_style',
        columns: [col('a', 'integer', { nullable: false })],
        primaryKey: { name: 'some_pk', columns: ['a'] },
        dependents: [{ type: 'index', name: 'ix', tableName: 'sqlite_style', sql: 'CREATE INDEX ix ON sqlite_style (a)' }],
      }),
    ],
  };

  it('every feature: formatted as Prettier formats it, and read back by defineModels/resolveModels into the same snapshot', async () => {
    const source = renderModels(everything, ODD, { header: 'Models of bind db2, read from its database.' });
    expect(source).toBe(await formatted(source));
    expect(source).toMatch(/^import \{ defineModels, enumType \} from '@multidb\/core';\n\n\/\/ Models of bind db2, read from its database\.\n\/\/ Not models \(autogenerate leaves them alone\): view v_people\.\n\nexport default defineModels\(\{\n/);
    // The convention's names are left out; the others are written; unnamed ones are null.
    expect(source).not.toMatch(/c_person_/);
    expect(source).not.toMatch(/'p_person'|'f_person_tenant'|'u_person_tenant_email'|'i_person_tenant'|'i_person_expr'/);
    expect(source).toMatch(/name: 'fk_own_name'/);
    expect(source).toMatch(/name: null,\s+columns: \['parent'\]/);
    expect(source).toMatch(/name: null, expression: "mood <> 'sad'"/);
    expect(source).toMatch(/type: 'mood'/);
    expect(source).toMatch(/references: 'person\.id'/);
    expect(source).toMatch(/columns: \[\s*\{ name: 'score', order: 'desc', nulls: 'last' \},\s*'id',\s*\{ sql: 'lower\(email\)', order: 'desc' \},\s*\]/);
    expect(source).toMatch(/\{ name: 'seq', type: 'bigint', nullable: false, autoincrement: 'always' \}/);
    expect(source).not.toMatch(/dependents/);
    expect(source).toMatch(/primaryKey: \{ columns: \['source', 'at'\], descending: \['at'\] \}/);
    // NULLS NOT DISTINCT: a constraint named by the convention is written as an object all the same.
    expect(source).toMatch(/\{ columns: \['tenant', 'score'\], nullsNotDistinct: true \}/);
    expect(source).toMatch(/\{ name: 'person_active_nnd', columns: \['active'\], nullsNotDistinct: true \}/);

    const resolved = await resolveSource(source, 'postgres', ODD);
    const expected: DatabaseSnapshot = {
      ...everything,
      objects: [],
      tables: everything.tables.map(({ dependents: _d, ...t }) =>
        // An unnamed primary key is written as its columns: a new table gets the convention's name.
        t.name === 'kv' ? { ...t, primaryKey: { name: 'p_kv', columns: ['k'] } } : t,
      ),
    };
    expect(resolved).toEqual({ ...expected, tables: [...expected.tables].sort((a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a.name.localeCompare(b.name)) });
  });

  it('an empty database: a module with no tables', async () => {
    const source = renderModels({ tables: [], enums: [], objects: [] }, DEFAULT_NAMING_CONVENTION);
    expect(source).toBe("import { defineModels } from '@multidb/core';\n\nexport default defineModels({ tables: [] });\n");
    expect((await resolveSource(source, 'sqlite', DEFAULT_NAMING_CONVENTION)).tables).toEqual([]);
  });

  it('does not change its input', () => {
    const copy = structuredClone(everything);
    renderModels(everything, ODD);
    expect(everything).toEqual(copy);
  });
});
