// Autogenerate on a real schema: the Chinook sample database (/work/shared/datasets/chinook) on
// SQLite, PostgreSQL and MariaDB. Its DDL is loaded into database `a`; models declaring exactly
// that schema (made here from the introspected snapshot) compare with it to zero ops; then
// autogenerate writes a revision from those models for the empty database `b` and upgrades it:
// `a` and `b` introspect to the same snapshot, and `b` compares with the models to zero ops.
// In-process through @multidb/autogenerate and core's MigrationEnvironment.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { autogenerate, compareBind, loadModels } from '@multidb/autogenerate';
import {
  commands,
  createModuleLoader,
  loadEnvironment,
  type DatabaseSnapshot,
  type MigrationEnvironment,
  type ModelsDefinition,
  type TableModel,
  type TableSnapshot,
} from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinookSchema, type AdoptDialect } from '../adopt/schemas.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases, withMysql, withPostgres } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/**
 * The models that declare a snapshot's tables exactly (what a user would write by hand): every
 * constraint and index with its database name, so nothing is left to the naming convention.
 */
export function modelsOf(snapshot: DatabaseSnapshot): ModelsDefinition {
  const table = (t: TableSnapshot): TableModel => ({
    name: t.name,
    columns: t.columns.map(({ references, ...c }) => ({
      ...c,
      ...(references ? { references: { ...references } } : {}),
    })),
    ...(t.primaryKey ? { primaryKey: { name: t.primaryKey.name ?? null, columns: t.primaryKey.columns } } : {}),
    foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, name: fk.name ?? null })),
    uniqueConstraints: t.uniqueConstraints.map((u) => ({ name: u.name ?? null, columns: u.columns })),
    checkConstraints: t.checkConstraints.map((c) => ({ name: c.name ?? null, expression: c.expression })),
    indexes: t.indexes,
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
    ...(t.strict ? { strict: true } : {}),
    ...(t.withoutRowid ? { withoutRowid: true } : {}),
  });
  return { tables: snapshot.tables.map(table), enums: snapshot.enums.map((e) => ({ name: e.name, values: e.values })) };
}

/**
 * A snapshot without SQLite's `dependents`: the CREATE INDEX text kept for batch rebuilds is the
 * SQL as written (`[Album]` in the script, `"Album"` from multidb), not a part of the schema; nor
 * the `constraintNames` of keys reported without a name (PostgreSQL's script leaves them to the
 * database, `album_pkey`; autogenerate names them by the convention, `pk_album`).
 */
function schemaOf(snapshot: DatabaseSnapshot): DatabaseSnapshot {
  return { ...snapshot, tables: snapshot.tables.map(({ dependents: _d, constraintNames: _n, ...t }) => t) };
}

function roundTrip(name: string, script: AdoptDialect, urls: () => { a: string; b: string }): void {
  describe(name, () => {
    let p: TempProject;
    let env: MigrationEnvironment;
    let loaded: DatabaseSnapshot;

    beforeAll(async () => {
      const { a, b } = urls();
      p = new TempProject([], {
        config:
          `import { defineConfig } from '@multidb/core';\n` +
          `export default defineConfig({ directory: 'migrations',\n` +
          `  binds: { a: { url: ${JSON.stringify(a)}, models: './models.ts' }, b: { url: ${JSON.stringify(b)}, models: './models.ts' } } });\n`,
      });
      const loader = createModuleLoader({ alias: MODULE_ALIAS });
      await commands.init({ cwd: p.dir, multidb: true, loader });
      env = await loadEnvironment({ dialects, cwd: p.dir, loader });
      if (a.startsWith('sqlite:')) {
        const file = join(p.dir, a.slice('sqlite:'.length));
        mkdirSync(dirname(file), { recursive: true });
        const db = new Database(file);
        for (const sql of chinookSchema(script)) db.exec(sql);
        db.close();
      } else if (a.startsWith('postgres')) {
        await withPostgres(async (c) => void (await c.query(chinookSchema(script).join(';\n'))), a);
      } else {
        await withMysql(async (c) => {
          for (const sql of chinookSchema(script)) await c.query(sql);
        }, a);
      }
      loaded = await (await env.connection('a')).introspect({ exclude: ['multidb_version', 'multidb_version_progress'] });
      p.write('models.ts', `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify(modelsOf(loaded), null, 1)});\n`);
    });
    afterAll(async () => {
      await env?.close();
      p?.remove();
    });

    it('models declaring the loaded schema compare with it to zero ops', async () => {
      expect(loaded.tables).toHaveLength(11);
      const { comparison } = await compareBind(env, 'a', (await loadModels(env, 'a'))!);
      expect(comparison.changes.map((c) => c.line)).toEqual([]);
      expect(comparison.ops).toEqual([]);
    });

    it('autogenerate into an empty database and upgrade: both databases introspect the same', async () => {
      const [result] = await autogenerate(env, { message: 'chinook', binds: ['b'] });
      expect(result?.outcome).toBe('written');
      expect(result?.changes.filter((c) => c.kind === 'add_table')).toHaveLength(11);
      env.invalidate();
      await env.upgrade(['b@head']);
      const upgraded = await (await env.connection('b')).introspect({ exclude: ['multidb_version', 'multidb_version_progress'] });
      expect(schemaOf(upgraded)).toEqual(schemaOf(loaded));
      const { comparison } = await compareBind(env, 'b', (await loadModels(env, 'b'))!);
      expect(comparison.ops).toEqual([]);
    });
  });
}


roundTrip('Chinook on SQLite', 'sqlite', () => ({ a: 'sqlite:.data/a.db', b: 'sqlite:.data/b.db' }));

describeWithServers('Chinook on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_chinook', { pga: 'postgres', pgb: 'postgres', mya: 'mysql', myb: 'mysql' });
  roundTrip('PostgreSQL', 'postgres', () => ({ a: dbs.pga.url, b: dbs.pgb.url }));
  roundTrip('MariaDB', 'mysql', () => ({ a: dbs.mya.url, b: dbs.myb.url }));
});
