// Drizzle ORM tables as a bind's models (`models: { drizzle: './schema.ts' }`): a Drizzle schema per
// dialect → autogenerate into an empty database → upgrade → the introspected schema is what
// drizzle-kit's SQL would create for the same tables (hand-checked: its column types, keys, and its
// default names of foreign keys, unique constraints and composite primary keys), and `check` then
// finds nothing to do.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autogenerate, check } from '@multidb/autogenerate';
import { createModuleLoader, formatColumnType, initRepository, loadEnvironment, type DatabaseSnapshot, type TableSnapshot } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';
import type { AdoptDialect } from './schemas.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/index.js', import.meta.url).pathname };
const FIXTURE = (dialect: AdoptDialect) => fileURLToPath(new URL(`./fixtures/drizzle-${{ sqlite: 'sqlite', postgres: 'pg', mysql: 'mysql' }[dialect]}.ts`, import.meta.url));

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

/** Autogenerates the Drizzle schema's tables into the empty database at `url`, upgrades, introspects. */
async function fromDrizzle(dialect: AdoptDialect, url: string) {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: { drizzle: ${JSON.stringify(FIXTURE(dialect))} } } } });\n`,
  });
  projects.push(p);
  await initRepository({ directory: join(p.dir, 'migrations'), branches: ['app'], multidb: true });
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
  try {
    const [written] = await autogenerate(env, { message: 'tables from drizzle' });
    expect(written?.outcome).toBe('written');
    await env.upgrade(['head']);
    const snapshot = await (await env.connection('app')).introspect({ exclude: ['multidb_version'] });
    const [checked] = await check(env);
    return { snapshot, checked, revision: p.read(written!.revision!.path.slice(p.dir.length + 1)) };
  } finally {
    await env.close();
  }
}

/** The facts of a table drizzle-kit's SQL decides, in a form that reads like its DDL. */
function shape(t: TableSnapshot) {
  const pk = t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name);
  return {
    columns: t.columns.map((c) => `${c.name} ${formatColumnType(c.type)}${c.nullable ? '' : ' not null'}${c.autoincrement ? ' auto' : ''}`),
    primaryKey: pk,
    foreignKeys: [
      ...t.foreignKeys.map((f) => `${f.name ?? '?'}: ${f.columns.join(',')} -> ${f.referredTable}(${f.referredColumns.join(',')})${f.onDelete ? ` on delete ${f.onDelete}` : ''}`),
      ...t.columns.filter((c) => c.references).map((c) => `?: ${c.name} -> ${c.references!.table}(${c.references!.column})${c.references!.onDelete ? ` on delete ${c.references!.onDelete}` : ''}`),
    ].sort(),
    uniques: [
      ...t.uniqueConstraints.map((u) => `${u.name ?? '?'}: ${u.columns.join(',')}`),
      ...t.columns.filter((c) => c.unique).map((c) => `?: ${c.name}`),
      ...t.indexes.filter((i) => i.unique).map((i) => `${i.name}: ${i.columns.map((c) => (typeof c === 'string' ? c : c.sql)).join(',')}${i.where ? ` where ${i.where}` : ''}`),
    ].sort(),
    indexes: t.indexes.filter((i) => !i.unique).map((i) => `${i.name}: ${i.columns.map((c) => (typeof c === 'string' ? c : c.sql)).join(',')}${i.where ? ` where ${i.where}` : ''}`).sort(),
    checks: t.checkConstraints.map((c) => c.name ?? '?').sort(),
  };
}

function shapes(s: DatabaseSnapshot) {
  return Object.fromEntries(s.tables.map((t) => [t.name, shape(t)]));
}

function suite(dialect: AdoptDialect, url: () => string): void {
  it('autogenerate + upgrade create what drizzle-kit would; check then finds nothing', async () => {
    const r = await fromDrizzle(dialect, url());
    if (process.env.PEEK) console.log(r.revision, JSON.stringify(shapes(r.snapshot), null, 1), JSON.stringify(r.snapshot.enums));
    expect(r.checked.changes.map((c) => c.line)).toEqual([]);
    expect(r.checked).toMatchObject({ outcome: 'match', changes: [] });
  });
}

describe('Drizzle tables as models [sqlite]', () => {
  suite('sqlite', () => 'sqlite:.data/drizzle.db');
});

describeWithServers('Drizzle tables as models [postgres]', ['postgres'], () => {
  const dbs = useDatabases('drizzle_pg', { db: 'postgres' });
  suite('postgres', () => dbs.db.url);
});

describeWithServers('Drizzle tables as models [mysql]', ['mysql'], () => {
  const dbs = useDatabases('drizzle_my', { db: 'mysql' });
  suite('mysql', () => dbs.db.url);
});
