// Adopting an existing database: `modelsFromDatabase` writes a bind's models module from its live
// database; comparing those models with the same database then finds nothing to do, on every
// dialect, for the Chinook schema (as its own scripts create it) and for a hand-written schema
// exercising every feature a models module declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autogenerate, compareBind, check, loadModels, modelsFromDatabase } from '@multidb/autogenerate';
import { createModuleLoader, initRepository, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';
import { chinookSchema, FEATURES, type AdoptDialect } from './schemas.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

/** A project with one bind `app` at `url`, whose models are `models/app.ts`. */
async function project(url: string): Promise<{ p: TempProject; env: MigrationEnvironment }> {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models/app.ts' } } });\n`,
  });
  projects.push(p);
  await initRepository({ directory: join(p.dir, 'migrations'), branches: ['app'], multidb: true });
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
  return { p, env };
}

/** Creates the schema, writes the models from it, and compares them with the same database. */
async function roundTrip(url: string, statements: readonly string[]) {
  const { p, env } = await project(url);
  try {
    const conn = await env.connection('app');
    for (const sql of statements) await conn.execute({ sql, parameters: [] });
    const result = await modelsFromDatabase(env);
    expect(result.file).toBe(join(p.dir, 'models', 'app.ts'));
    expect(readFileSync(result.file!, 'utf8')).toBe(result.source);
    expect(result.current).toEqual([]); // no version table yet: a bind to adopt
    const models = await loadModels(env, 'app');
    const { comparison, database } = await compareBind(env, 'app', models!);
    const [checked] = await check(env);
    return { result, comparison, database, checked };
  } finally {
    await env.close();
  }
}

function expectNoChanges(r: Awaited<ReturnType<typeof roundTrip>>): void {
  // On failure, the changes say what differs, and the source shows what was written.
  expect(r.comparison.changes.map((c) => c.line), r.result.source).toEqual([]);
  expect(r.comparison.ops).toEqual([]);
  expect(r.checked).toMatchObject({ bind: 'app', outcome: 'match', changes: [] });
}

/**
 * The models written from one database, used as the models of an empty one: autogenerate creates
 * every table from them, and that database then matches them too.
 */
async function recreate(source: string, url: string) {
  const { p, env } = await project(url);
  try {
    p.write('models/app.ts', source);
    const [written] = await autogenerate(env, { message: 'from adopted models' });
    expect(written?.outcome).toBe('written');
    await env.upgrade(['head']);
    // Versioned now: the models read again report where the bind stands (the CLI then says no stamp is needed).
    const again = await modelsFromDatabase(env, { output: 'models/again.ts' });
    expect(again.current).toEqual((await env.currentHeads(['app'])).get('app'));
    expect(again.current).toHaveLength(1);
    const [checked] = await check(env);
    return checked;
  } finally {
    await env.close();
  }
}

function suite(dialect: AdoptDialect, url: (name: string) => string): void {
  it('Chinook: 11 tables; the models compare equal to the database (zero ops)', async () => {
    const r = await roundTrip(url('chinook'), chinookSchema(dialect));
    expectNoChanges(r);
    expect(r.result.tables).toBe(11);
    expect(r.database.tables).toHaveLength(11);
  });

  it('every feature: the models compare equal to the database (zero ops), names unlike the convention kept; they create an equal schema in an empty database', async () => {
    const r = await roundTrip(url('features'), FEATURES[dialect]);
    expectNoChanges(r);
    expect(r.result.source).toMatch(/name: 'album_artist_fk'/);
    expect(r.result.source).toMatch(/Not models \(autogenerate leaves them alone\): view album_titles/);
    // PostgreSQL's covering and NULLS NOT DISTINCT indexes are declared so.
    if (dialect === 'postgres') expect(r.result.source).toMatch(/include: \['born', 'ratio'\][^]*nullsNotDistinct: true|nullsNotDistinct: true[^]*include: \['born', 'ratio'\]/);
    // And so are its NULLS NOT DISTINCT unique constraints, a single column's under PostgreSQL's own name too.
    if (dialect === 'postgres') {
      expect(r.result.source).toMatch(/\{ name: null, columns: \['uid'\], nullsNotDistinct: true \}/);
      expect(r.result.source).toMatch(/\{\s*name: 'album_disc_notes_nnd',\s*columns: \['disc', 'notes'\],\s*nullsNotDistinct: true,?\s*\}/);
    }
    // A primary key sorted DESC keeps its order (PostgreSQL has none).
    if (dialect !== 'postgres') expect(r.result.source).toMatch(/primaryKey: \{ columns: \['sensor', 'at'\], descending: \['at'\] \}/);
    // Named as the convention would name it: the name is left out.
    expect(r.result.source).not.toMatch(/ix_track_album_artist/);

    // The same models create an equal schema in an empty database.
    const again = await recreate(r.result.source, url('fresh'));
    expect(again?.changes.map((c) => c.line)).toEqual([]);
    expect(again?.outcome).toBe('match');
  });
}

describe('models from the database round trip [sqlite]', () => {
  suite('sqlite', (name) => `sqlite:.data/${name}.db`);
});

describeWithServers('models from the database round trip [postgres]', ['postgres'], () => {
  const dbs = useDatabases('adopt_pg', { chinook: 'postgres', features: 'postgres', fresh: 'postgres' });
  suite('postgres', (name) => dbs[name as 'chinook' | 'features' | 'fresh'].url);
});

describeWithServers('models from the database round trip [mysql]', ['mysql'], () => {
  const dbs = useDatabases('adopt_my', { chinook: 'mysql', features: 'mysql', fresh: 'mysql' });
  suite('mysql', (name) => dbs[name as 'chinook' | 'features' | 'fresh'].url);
});
