// A table only the database has, dropped (dropUnmodeledTables) on SQLite, while the bind's
// includeObject leaves out some of its indexes. The downgrade re-creates the table as it was: its
// keys go with it, the index SQLite keeps for a table-level UNIQUE sorted DESC included (it was
// asked about as an index, and left out, the downgrade's CREATE TABLE lost that UNIQUE, though
// dropping the table had dropped it whatever the hook said: part of the CREATE TABLE, as Alembic
// keeps a reflected table's constraints). Only a separate index the hook leaves out is not created
// again (it is not the migration's, in either direction). Through the CLI, on a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { writtenRevision } from '../support/models-project.js';

const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'migrations',
  autogenerate: {
    dropUnmodeledTables: true,
    includeObject: (o) => !o.name.startsWith('external_'),
  },
  binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts' } },
});
`;

const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({ tables: [{ name: 'kept', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });
`;

interface Shape {
  readonly columns: unknown[];
  readonly indexes: unknown[];
}

describe('a dropped SQLite table whose indexes includeObject partly leaves out', () => {
  let p: TempProject;
  /** The table's columns, and its indexes (SQLite's own by what they are, not by their generated names), with their keys. */
  const shape = (table: string): Shape => {
    const columns = p.query('app', `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('${table}') ORDER BY cid`);
    const list = p.query<{ name: string; unique: number; origin: string; partial: number }>('app', `SELECT name, "unique", origin, partial FROM pragma_index_list('${table}')`);
    const indexes = list
      .map((ix) => {
        const keys = p.query<{ name: string; desc: number }>('app', `SELECT name, "desc" FROM pragma_index_xinfo('${ix.name}') WHERE "key" = 1 ORDER BY seqno`);
        return { name: ix.origin === 'c' ? ix.name : `(${ix.origin})`, unique: ix.unique, origin: ix.origin, partial: ix.partial, keys: keys.map((k) => `${k.name}${k.desc ? ' desc' : ''}`) };
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return { columns, indexes };
  };

  beforeAll(async () => {
    p = new TempProject([], { config: CONFIG });
    await p.ok('init', '--multidb');
    p.write('models.ts', MODELS);
    await p.ok('migrate', '-m', 'kept');
    await p.ok('upgrade');
  });
  afterAll(() => p?.remove());

  it('upgrade drops it; downgrade re-creates it with every key of its CREATE TABLE, and without the separate index the hook leaves out', async () => {
    p.exec(
      'app',
      `CREATE TABLE stale (
         id integer PRIMARY KEY NOT NULL,
         code text NOT NULL UNIQUE,
         region text NOT NULL,
         slot integer,
         note text,
         CONSTRAINT external_uq_stale UNIQUE (region DESC, slot),
         UNIQUE (note)
       );
       CREATE INDEX ix_stale_note ON stale (note, id);
       CREATE UNIQUE INDEX external_ix_stale ON stale (slot, code);`,
    );
    const before = shape('stale');
    // The table-level UNIQUE sorted DESC is SQLite's index of origin 'u', as the others.
    expect(before.indexes.filter((ix) => (ix as { origin: string }).origin === 'u')).toHaveLength(3);

    const out = await p.run('migrate', '-m', 'drop stale');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stderr).toContain("[app] Detected removed table 'stale'");
    const source = p.read(writtenRevision(out)!.slice(p.dir.length + 1));
    const downgrade = source.slice(source.indexOf('export async function downgrade'));
    expect(downgrade).toContain("'external_uq_stale'");
    expect(downgrade).toContain("'ix_stale_note'");
    expect(source).not.toContain('external_ix_stale');

    await p.ok('upgrade');
    expect(p.tables('app')).not.toContain('stale');
    await p.ok('downgrade', '-1');
    const after = shape('stale');
    expect(after.columns).toEqual(before.columns);
    expect(after.indexes).toEqual(before.indexes.filter((ix) => (ix as { name: string }).name !== 'external_ix_stale'));
    // The DESC key is in the table's CREATE TABLE again, not a CREATE UNIQUE INDEX of its own.
    const [created] = p.query<{ sql: string }>('app', `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'stale'`);
    expect(created?.sql).toMatch(/CONSTRAINT "external_uq_stale" UNIQUE \("region" DESC, "slot"\)/);
  });
});
