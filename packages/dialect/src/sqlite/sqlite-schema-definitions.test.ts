import { describe, expect, it } from 'vitest';
import { SqliteSchemaDefinitions, type SqliteSchemaDefinitionRow } from './sqlite-schema-definitions.js';

/** Rowids as SQLite gives them: the next one for each new row. */
let nextId = 1;
const table = (name: string, sql = `CREATE TABLE "${name}" (id integer PRIMARY KEY)`, id = nextId++): SqliteSchemaDefinitionRow => ({ type: 'table', name, tbl_name: name, sql, id });
const index = (name: string, on: string, sql: string | null): SqliteSchemaDefinitionRow => ({ type: 'index', name, tbl_name: on, sql });
const reference = (child: string, parent: string): SqliteSchemaDefinitionRow => ({ type: 'reference', name: child, tbl_name: parent, sql: null });

/** Parent ← Child (a big table in the tests of the connection), Other unrelated. */
const BASE = [
  table('Parent', 'CREATE TABLE "Parent" (id integer PRIMARY KEY, code text)'),
  index('ux_Parent_code', 'Parent', 'CREATE UNIQUE INDEX "ux_Parent_code" ON "Parent" ("code")'),
  index('ix_Parent_code', 'Parent', 'CREATE INDEX "ix_Parent_code" ON "Parent" ("code")'),
  table('Child', 'CREATE TABLE "Child" (id integer PRIMARY KEY, p integer REFERENCES "parent" (id))'),
  index('sqlite_autoindex_Child_1', 'Child', null),
  reference('Child', 'parent'),
  table('Other'),
];
const before = SqliteSchemaDefinitions.of(BASE);
const idOf = (name: string) => BASE.find((r) => r.type === 'table' && r.name === name)!.id as number;
const scope = (rows: readonly SqliteSchemaDefinitionRow[], written: string[] = []) => {
  const { changed, check } = SqliteSchemaDefinitions.of(rows).checkScope(before, written);
  return { changed: [...changed].sort(), check: [...check].sort() };
};

describe('SqliteSchemaDefinitions.checkScope', () => {
  it('nothing changed, a new table without foreign keys, an index created or a plain index dropped: nothing to check', () => {
    expect(scope(BASE)).toEqual({ changed: [], check: [] });
    expect(scope([...BASE, table('New')])).toEqual({ changed: ['new'], check: [] });
    expect(scope([...BASE, index('ix_Child_p', 'Child', 'CREATE INDEX "ix_Child_p" ON "Child" ("p")')])).toEqual({ changed: [], check: [] });
    expect(scope(BASE.filter((r) => r.name !== 'ix_Parent_code'))).toEqual({ changed: [], check: [] });
  });

  it('a new or altered child table is checked itself; an unrelated table changed checks nothing', () => {
    expect(scope([...BASE, table('New', 'CREATE TABLE "New" (p integer REFERENCES "Other" (id))'), reference('New', 'Other')])).toEqual({ changed: ['new'], check: ['New'] });
    const altered = BASE.map((r) => (r.name === 'Child' && r.type === 'table' ? table('Child', 'CREATE TABLE "Child" (id integer PRIMARY KEY, p integer REFERENCES "parent" (id), q text)', idOf('Child')) : r));
    expect(scope(altered)).toEqual({ changed: ['child'], check: ['Child'] });
    const other = BASE.map((r) => (r.name === 'Other' ? table('Other', 'CREATE TABLE "Other" (id integer PRIMARY KEY, x text)', idOf('Other')) : r));
    expect(scope(other)).toEqual({ changed: ['other'], check: [] });
  });

  it('a parent dropped, rebuilt or renamed away, or its UNIQUE index dropped: the children referring to it (names compared as SQLite does)', () => {
    expect(scope(BASE.filter((r) => r.name !== 'Parent' && r.tbl_name !== 'Parent'))).toEqual({ changed: ['parent'], check: ['Child'] });
    const rebuilt = BASE.map((r) => (r.name === 'Parent' ? table('Parent', 'CREATE TABLE "Parent" (id integer PRIMARY KEY, code text NOT NULL)') : r));
    expect(scope(rebuilt)).toEqual({ changed: ['parent'], check: ['Child'] });
    const renamed = BASE.map((r) => (r.name === 'Parent' ? table('Parent2', 'CREATE TABLE "Parent2" (id integer PRIMARY KEY, code text)', idOf('Parent')) : r));
    expect(scope(renamed)).toEqual({ changed: ['parent', 'parent2'], check: ['Child'] });
    // Renamed away (the children still naming it: legacy_alter_table), and a new table with the same statement under its name.
    const replaced = [...renamed, table('Parent', 'CREATE TABLE "Parent" (id integer PRIMARY KEY, code text)')];
    expect(scope(replaced)).toEqual({ changed: ['parent', 'parent2'], check: ['Child'] });
    expect(scope(BASE.filter((r) => r.name !== 'ux_Parent_code'))).toEqual({ changed: ['parent'], check: ['Child'] });
  });

  it('a table whose rows were written (the version table) counts as changed', () => {
    expect(scope(BASE, ['Other'])).toEqual({ changed: ['other'], check: [] });
    expect(scope(BASE, ['PARENT'])).toEqual({ changed: ['parent'], check: ['Child'] });
  });

  it('folds ASCII letters only, as SQLite does', () => {
    const child = table('Child', 'CREATE TABLE "Child" (p REFERENCES "é")');
    const unicode = SqliteSchemaDefinitions.of([table('É'), child, reference('Child', 'é')]);
    const dropped = SqliteSchemaDefinitions.of([child, reference('Child', 'é')]);
    // "É" is not the table "é" refers to: dropping it breaks nothing.
    expect(dropped.checkScope(unicode).check).toEqual([]);
  });
});
