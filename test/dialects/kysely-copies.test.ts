// @multidb/dialect bundles its own copy of kysely (@multidb/dialect/kysely), so an application that
// also imports `kysely` has two copies in one process. What the application hands multidb from its
// own copy must keep working with the dialects' copy, and the other way round: Kysely recognises
// its objects by shape (operation nodes by `kind`, expressions by `toOperationNode`), never by
// class. Checked here with the programmatic API, in-process, against SQLite, PostgreSQL and MariaDB:
// - a bind given the application's Kysely instance (with a plugin of its copy): upgrade, current,
//   downgrade, with ops compiled by the dialect's copy and run through the application's Kysely;
// - revisions loaded by a loader without alias (`createModuleLoader()`) that import the
//   application's `kysely`: `sql` fragments of that copy run on `op.db` (the dialect's copy), go
//   into its query builders and into `op.bulkInsert`; `op.db instanceof Kysely` is false there, and
//   true with `loadEnvironment`'s default loader (the dialects' `moduleAlias`, as the CLI's);
// - with that default, a bind given the application's Kysely runs revisions whose `sql` is the
//   dialects' copy on the application's instance;
// - `sql` fragments of the application's copy compiled by a dialect's `queryBuilder()` (offline).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createModuleLoader, loadEnvironment, type MigrationEnvironment, type ModuleLoader, type MultidbConfig } from '@multidb/core';
import { dialects, kyselyModuleAlias, postgresDialect, sqliteDialect } from '@multidb/dialect';
import * as bundled from '@multidb/dialect/kysely';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource } from '../support/project.js';
import { MYSQL_URL, POSTGRES_URL, withMysql, withPostgres } from '../support/servers.js';

// Inside the repository (git-ignored), so that a revision's `import … from 'kysely'` resolves to
// the application's copy in node_modules, as in an application's own project. A folder of its own:
// docs/examples.test.ts removes test/.examples/ as it starts and ends, also while this file runs.
const WORK = fileURLToPath(new URL('../.kysely-copies/', import.meta.url));

/** A plugin of the application's copy that counts the queries it sees. */
function countingPlugin(): KyselyPlugin & { count: number } {
  const plugin = {
    count: 0,
    transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
      plugin.count++;
      return args.node;
    },
    async transformResult(args: Parameters<KyselyPlugin['transformResult']>[0]) {
      return args.result;
    },
  };
  return plugin;
}

const APP_REVISION = revisionSource({
  revision: 'aa01',
  downRevision: null,
  branchLabels: ['default'],
  extra: "import { Kysely, sql } from 'kysely';\nexport const seen: { instanceOfKysely?: boolean } = {};\n",
  upgrade: [
    'seen.instanceOfKysely = op.db instanceof Kysely;',
    "  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'text', nullable: false }]);",
    "  await op.db.insertInto('item').values({ id: 1, name: sql<string>`upper(${'a'})` }).execute();",
    "  await op.bulkInsert('item', [{ id: 2, name: sql`lower(${'B'})` }, { id: 3, name: 'c' }]);",
    "  await sql`UPDATE item SET name = concat(name, cast(${'!'} as char(1))) WHERE id = ${3}`.execute(op.db);",
  ].join('\n'),
  downgrade: "await op.dropTable('item');",
});

/** The server URL with another database in its path. */
function databaseUrl(server: string, database: string): string {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
}

describe('two copies of kysely in one process: the application’s and the dialects’ bundled one', () => {
  let dir: string;
  const envs: MigrationEnvironment[] = [];

  beforeAll(() => {
    mkdirSync(WORK, { recursive: true });
    dir = mkdtempSync(join(WORK, 'run-'));
  });
  afterAll(async () => {
    for (const env of envs) await env.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A project folder with the one revision, and its environment from a config object. */
  async function project(name: string, bind: MultidbConfig['binds'][string], loader?: ModuleLoader): Promise<MigrationEnvironment> {
    const root = join(dir, name);
    mkdirSync(join(root, 'migrations', 'versions', 'default'), { recursive: true });
    writeFileSync(join(root, 'migrations', 'versions', 'default', 'aa01_rev.ts'), APP_REVISION);
    const configObject = { directory: 'migrations', binds: { default: bind } };
    const env = await loadEnvironment({ dialects, baseDir: root, configObject, ...(loader ? { loader } : {}) });
    envs.push(env);
    return env;
  }

  it('they are two copies (the precondition of every other test here)', () => {
    expect(bundled.Kysely).not.toBe(Kysely);
    expect(bundled.sql).not.toBe(sql);
    expect(sqliteDialect.queryBuilder()).toBeInstanceOf(bundled.Kysely);
    expect(sqliteDialect.queryBuilder()).not.toBeInstanceOf(Kysely);
  });

  it("a dialect's query builder (the dialects' copy) compiles the application's sql fragments and expressions", () => {
    const qb = sqliteDialect.queryBuilder();
    const query = qb
      .selectFrom('item')
      .select([sql<string>`upper(${'x'})`.as('u'), 'id'])
      .where(sql<boolean>`id > ${1}`)
      .compile();
    expect(query.sql).toBe('select upper(?) as "u", "id" from "item" where id > ?');
    expect(query.parameters).toEqual(['x', 1]);
    const pgQuery = sql`select ${sql.ref('a.b')}, ${sql.lit(2)}, ${sql.table('t')}`.compile(postgresDialect.queryBuilder());
    expect(pgQuery.sql).toBe('select "a"."b", 2, "t"');
  });

  it("SQLite, URL bind, a loader without alias: a revision's sql of the application's copy runs on op.db, in builders and in bulkInsert; instanceof is false across copies", async () => {
    const env = await project('url', { url: 'sqlite:.data/default.db' }, createModuleLoader());
    await env.upgrade(['head']);
    const mod = await env.loader.import<{ seen: { instanceOfKysely?: boolean } }>(join(dir, 'url', 'migrations', 'versions', 'default', 'aa01_rev.ts'));
    expect(mod.seen.instanceOfKysely).toBe(false);
    const db = new Database(join(dir, 'url', '.data', 'default.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT id, name FROM item ORDER BY id').all()).toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c!' },
      ]);
    } finally {
      db.close();
    }
    expect([...(await env.currentHeads()).get('default')!]).toEqual(['aa01']);
  });

  it("SQLite, URL bind, loadEnvironment's default loader (the dialects' kyselyModuleAlias): the revision's kysely is the dialects' copy, op.db instanceof Kysely holds", async () => {
    expect(dialects.every((d) => d.moduleAlias === kyselyModuleAlias)).toBe(true);
    expect(kyselyModuleAlias().kysely).toMatch(/[\\/]dialect[\\/]dist[\\/]bundle[\\/]kysely[\\/]index\.js$/);
    const env = await project('aliased', { url: 'sqlite:.data/default.db' });
    await env.upgrade(['head']);
    const mod = await env.loader.import<{ seen: { instanceOfKysely?: boolean } }>(join(dir, 'aliased', 'migrations', 'versions', 'default', 'aa01_rev.ts'));
    expect(mod.seen.instanceOfKysely).toBe(true);
    expect([...(await env.currentHeads()).get('default')!]).toEqual(['aa01']);
  });

  it("SQLite, a bind given the application's Kysely (with its plugin): upgrade, current, downgrade", async () => {
    const plugin = countingPlugin();
    const file = join(dir, 'app-sqlite.db');
    const appDb = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }), plugins: [plugin] });
    try {
      const env = await project('given-sqlite', { kysely: appDb, dialect: 'sqlite' });
      await env.upgrade(['head']);
      // The revision got the dialects' copy (the default alias), op.db is the application's.
      const mod = await env.loader.import<{ seen: { instanceOfKysely?: boolean } }>(join(dir, 'given-sqlite', 'migrations', 'versions', 'default', 'aa01_rev.ts'));
      expect(mod.seen.instanceOfKysely).toBe(false);
      expect([...(await env.currentHeads()).get('default')!]).toEqual(['aa01']);
      const rows = await appDb.selectFrom('item').select(['id', 'name']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c!' },
      ]);
      expect(plugin.count).toBeGreaterThan(0);
      await env.downgrade('base');
      expect([...(await env.currentHeads()).get('default')!]).toEqual([]);
      await env.close();
      const tables = await appDb.executeQuery(CompiledQuery.raw("SELECT name FROM sqlite_master WHERE name = 'item'"));
      expect(tables.rows).toEqual([]);
    } finally {
      await appDb.destroy();
    }
  });

  describe('PostgreSQL', () => {
    const database = `kybundle_copies_${process.pid}`;
    const url = databaseUrl(POSTGRES_URL, database);

    beforeAll(async () => {
      await withPostgres(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${database}`);
        await c.query(`CREATE DATABASE ${database}`);
      });
    });
    afterAll(async () => {
      await withPostgres((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    });

    it("a bind given the application's Kysely on a pg pool (with its plugin): upgrade, current, downgrade", async () => {
      const plugin = countingPlugin();
      const appDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 5 }) }), plugins: [plugin] });
      let env: MigrationEnvironment | undefined;
      try {
        env = await project('given-postgres', { kysely: appDb, dialect: 'postgres' });
        await env.upgrade(['head']);
        expect([...(await env.currentHeads()).get('default')!]).toEqual(['aa01']);
        const rows = await appDb.selectFrom('item').select(['id', 'name']).orderBy('id').execute();
        expect(rows).toEqual([
          { id: 1, name: 'A' },
          { id: 2, name: 'b' },
          { id: 3, name: 'c!' },
        ]);
        expect(plugin.count).toBeGreaterThan(0);
        await env.downgrade('base');
        expect([...(await env.currentHeads()).get('default')!]).toEqual([]);
      } finally {
        // The environment hands back the connection it borrowed; the pool ends only after that.
        await env?.close();
        await appDb.destroy();
      }
    });

    it("a URL bind, a loader without alias: the application's sql on op.db (the dialects' copy)", async () => {
      const env = await project('url-postgres', { url }, createModuleLoader());
      await env.upgrade(['head']);
      const rows = await withPostgres(async (c) => (await c.query('SELECT id, name FROM item ORDER BY id')).rows, url);
      expect(rows).toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c!' },
      ]);
    });
  });
  describe('MySQL/MariaDB', () => {
    const database = `kybundle_copies_${process.pid}`;
    const url = databaseUrl(MYSQL_URL, database);

    beforeAll(async () => {
      await withMysql(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${database}`);
        await c.query(`CREATE DATABASE ${database}`);
      });
    });
    afterAll(async () => {
      await withMysql((c) => c.query(`DROP DATABASE IF EXISTS ${database}`));
    });

    it("a URL bind, a loader without alias: the application's sql on op.db, in builders and in bulkInsert (the dialect's parameter handling)", async () => {
      const env = await project('url-mysql', { url }, createModuleLoader());
      await env.upgrade(['head']);
      const [rows] = await withMysql((c) => c.query('SELECT id, name FROM item ORDER BY id'), url);
      expect(rows).toEqual([
        { id: 1, name: 'A' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c!' },
      ]);
      await env.downgrade('base');
      expect([...(await env.currentHeads()).get('default')!]).toEqual([]);
    });
  });
});
