// Switching to multidb from another migration tool: the database it migrated keeps that tool's
// bookkeeping tables (Kysely's Migrator: `kysely_migration`, `kysely_migration_lock`; Alembic:
// `alembic_version`; drizzle-kit: `__drizzle_migrations`). `models --from-database` leaves them out
// of the models (they are the tool's, not the app's) and says so; `check` and autogenerate never
// drop them, `dropUnmodeledTables` included (the tool may still run, e.g. at the app's start-up,
// and without its table it would run every migration again); multidb's own version table sits
// beside them, and the tool's rows stay as they were. Nor is such a table ever a rename candidate
// (a model table of its shape is added, not the tool's table renamed), `--rename` included. A tool
// table under a name of the app's choosing (Kysely's `migrationTableName`) is left out with
// `includeName`, as the README says.
import { join } from 'node:path';
import { createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

interface Case {
  /** The tool's tables, as it names them. */
  readonly toolTables: readonly string[];
  /** What the note and the header comment say the tables are. */
  readonly described: string;
  /** The tool's tables and rows, and one table of the app (`account`). */
  readonly statements: readonly string[];
  /** A query returning the tool's rows as one string, to check they are untouched. */
  readonly toolRows: string;
  /** The one row the tool wrote. */
  readonly toolValue: string;
}

const CASES = {
  postgres: {
    toolTables: ['kysely_migration', 'kysely_migration_lock'],
    described: "kysely_migration, kysely_migration_lock (Kysely's Migrator)",
    statements: [
      'CREATE TABLE "kysely_migration" ("name" varchar(255) NOT NULL PRIMARY KEY, "timestamp" varchar(255) NOT NULL)',
      'CREATE TABLE "kysely_migration_lock" ("id" varchar(255) NOT NULL PRIMARY KEY, "is_locked" integer DEFAULT 0 NOT NULL)',
      `INSERT INTO "kysely_migration" VALUES ('2024_01_01_create_account', '2024-01-01T00:00:00.000Z')`,
      'CREATE TABLE account (id integer PRIMARY KEY, name varchar(50) NOT NULL)',
    ],
    toolRows: `SELECT name AS v FROM kysely_migration`,
    toolValue: '2024_01_01_create_account',
  },
  mysql: {
    toolTables: ['alembic_version'],
    described: 'alembic_version (Alembic)',
    statements: [
      'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
      `INSERT INTO alembic_version (version_num) VALUES ('3f2a9c1d7b40')`,
      'CREATE TABLE account (id INTEGER NOT NULL AUTO_INCREMENT, name VARCHAR(50) NOT NULL, PRIMARY KEY (id))',
    ],
    toolRows: 'SELECT version_num AS v FROM alembic_version',
    toolValue: '3f2a9c1d7b40',
  },
  sqlite: {
    toolTables: ['__drizzle_migrations'],
    described: '__drizzle_migrations (drizzle-kit)',
    statements: [
      'CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
      `INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ('b7abd664', 1796662994676)`,
      'CREATE TABLE `account` (`id` integer PRIMARY KEY NOT NULL, `name` text NOT NULL)',
    ],
    toolRows: 'SELECT hash AS v FROM "__drizzle_migrations"',
    toolValue: 'b7abd664',
  },
} satisfies Record<string, Case>;

/** Runs SQL on the bind `app` of the project (the tool's side, before and after multidb). */
async function onApp<T>(p: TempProject, fn: (sql: (text: string) => Promise<readonly Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
  try {
    const conn = await env.connection('app');
    return await fn((sql) => conn.execute({ sql, parameters: [] }));
  } finally {
    await env.close();
  }
}

function suite(dialect: keyof typeof CASES, url: () => string): void {
  const c: Case = CASES[dialect];

  it("models --from-database leaves the tool's tables out and says so; check (dropUnmodeledTables on) drops nothing; stamp and upgrade leave the tool's rows", async () => {
    const p = new InProcessProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', autogenerate: { dropUnmodeledTables: true }, binds: { app: { url: ${JSON.stringify(url())}, models: './models/app.ts' } } });\n`,
    });
    projects.push(p);
    await p.ok('init', '--multidb');
    await onApp(p, async (sql) => {
      for (const s of c.statements) await sql(s);
    });

    const models = await p.ok('models', '--from-database', '--bind', 'app');
    const source = p.read('models/app.ts');
    expect(source).toMatch(/name: 'account'/);
    for (const t of c.toolTables) expect(source).not.toMatch(new RegExp(`name: '${t}'`));
    expect(source.replace(/\n\/\/ /g, ' ')).toContain(`Left out, as another migration tool's tables (autogenerate never drops them): ${c.described}.`);
    expect(models.stderr).toContain(`[app] NOTE: left out ${c.described}: another migration tool's bookkeeping, not models.`);
    expect(models.stderr).toMatch(/\[app\] Wrote .* \(1 table, 0 enums\)\./);

    const checked = await p.run('check');
    expect(checked.stdout).toBe('[app] No changes in schema detected.\n');
    for (const t of c.toolTables) {
      expect(checked.stderr).toContain(`[app] WARNING: Table '${t}' is the migration table of ${c.described.replace(/^.*\((.*)\)$/, '$1')}, not in the models; left alone`);
    }
    expect(checked.code).toBe(0);

    // Adopt, then a change: the revision written touches only the app's table.
    await p.revision('-m', 'baseline', '--bind', 'app');
    await p.ok('stamp', 'app@head');
    p.write('models/app.ts', source.replace(/(name: 'account',\s*columns: \[)/, "$1\n        { name: 'note', type: 'varchar(40)' },"));
    const migrated = await p.ok('migrate', '-m', 'note');
    expect(migrated.stderr).toContain("[app] Detected added column 'account.note'");
    expect(migrated.stderr).not.toMatch(/Detected removed table/);
    await p.ok('upgrade');
    expect(await onApp(p, async (sql) => (await sql(c.toolRows)).map((r) => String(r.v)))).toEqual([c.toolValue]);
  });
}

describe('another migration tool\'s tables [sqlite]', () => {
  suite('sqlite', () => 'sqlite:.data/app.db');
});

describeWithServers("another migration tool's tables [postgres]", ['postgres'], () => {
  const dbs = useDatabases('tool_tables_pg', { db: 'postgres' });
  suite('postgres', () => dbs.db.url);
});

describeWithServers("another migration tool's tables [mysql]", ['mysql'], () => {
  const dbs = useDatabases('tool_tables_my', { db: 'mysql' });
  suite('mysql', () => dbs.db.url);
});

/** Kysely's own Migrator on the project's SQLite file: one migration (`account`); returns the names it ran. */
async function kyselyMigrate(p: TempProject, tables: { migrationTableName?: string; migrationLockTableName?: string } = {}): Promise<string[]> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(join(p.dir, '.data', 'app.db')) }) });
  try {
    const migrations: Record<string, Migration> = {
      '2024_01_01_create_account': { up: async (k) => k.schema.createTable('account').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'varchar(50)', (c) => c.notNull()).execute() },
    };
    const { results, error } = await new Migrator({ db, provider: { getMigrations: async () => migrations }, ...tables }).migrateToLatest();
    if (error) throw error;
    return (results ?? []).map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

/** Models: `account`, and `feature_flag` of the shape of Kysely's `kysely_migration` (name varchar(255) primary key, timestamp varchar(255) not null). */
const FLAG_MODELS =
  `import { defineModels } from '@multidb/core';\n` +
  `export default defineModels({ tables: [\n` +
  `  { name: 'account', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)', nullable: false }] },\n` +
  `  { name: 'feature_flag', columns: [{ name: 'name', type: 'varchar(255)', primaryKey: true }, { name: 'timestamp', type: 'varchar(255)', nullable: false }] },\n` +
  `] });\n`;

describe("another migration tool's tables are no rename candidates [sqlite, Kysely's Migrator]", () => {
  async function adopted(config: string): Promise<TempProject> {
    const p = new InProcessProject([], { config });
    projects.push(p);
    p.write('.data/.keep', '');
    await p.ok('init', '--multidb');
    return p;
  }

  it("a model table of the shape of kysely_migration is added, not kysely_migration renamed (no decision asked; a --rename of it is ignored); Kysely's Migrator then runs nothing again", async () => {
    const p = await adopted(
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts' } } });\n`,
    );
    expect(await kyselyMigrate(p)).toEqual(['2024_01_01_create_account']);
    p.write('models.ts', FLAG_MODELS);

    const checked = await p.run('check');
    expect(checked.stdout).toBe("[app] Detected added table 'feature_flag'\n");
    expect(checked.stderr.split('\n').filter((l) => l.includes('WARNING'))).toEqual([
      expect.stringMatching(/^\[app\] WARNING: Table 'kysely_migration' is the migration table of Kysely's Migrator, not in the models; left alone/),
      expect.stringMatching(/^\[app\] WARNING: Table 'kysely_migration_lock' is the migration table of Kysely's Migrator, not in the models; left alone/),
    ]);
    expect(checked.code).toBe(4);

    const refused = await p.ok('migrate', '-m', 'flags', '--rename', 'kysely_migration=feature_flag');
    expect(refused.stderr).toContain('WARNING: --rename kysely_migration=feature_flag matches no rename candidate in bind app; ignored.');
    expect(refused.stderr).toContain("[app] Detected added table 'feature_flag'");
    expect(refused.stderr).not.toContain('Detected renamed table');
    await p.ok('upgrade');
    expect(p.tables('app')).toEqual(['account', 'feature_flag', 'kysely_migration', 'kysely_migration_lock', 'multidb_version']);
    expect(p.query('app', 'SELECT name FROM kysely_migration')).toEqual([{ name: '2024_01_01_create_account' }]);
    expect(await kyselyMigrate(p)).toEqual([]);
  });

  it("under a name of the app's choosing (migrationTableName), includeName leaves it out: neither a rename candidate nor warned about", async () => {
    const p = await adopted(
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', autogenerate: { includeName: (name, type) => !(type === 'table' && (name === 'app_migration' || name === 'app_migration_lock')) }, ` +
        `binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts' } } });\n`,
    );
    expect(await kyselyMigrate(p, { migrationTableName: 'app_migration', migrationLockTableName: 'app_migration_lock' })).toEqual(['2024_01_01_create_account']);
    p.write('models.ts', FLAG_MODELS);
    const checked = await p.run('check');
    expect(checked.stdout).toBe("[app] Detected added table 'feature_flag'\n");
    expect(checked.stderr).toBe("Differences found in app: run 'migrate migrate -m <message>' to write a revision.\n");
    expect(checked.code).toBe(4);
  });
});
