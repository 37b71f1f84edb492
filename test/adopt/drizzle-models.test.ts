// Drizzle ORM tables as a bind's models (`models: { drizzle: './schema.ts' }`): a Drizzle schema per
// dialect → autogenerate into an empty database → upgrade → the introspected schema is what
// drizzle-kit's SQL would create for the same tables (hand-checked: its column types, keys, and its
// default names of foreign keys, unique constraints, composite primary keys and unnamed PostgreSQL
// indexes), and `check` then finds nothing to do.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autogenerate, check } from '@multidb/autogenerate';
import { createModuleLoader, formatColumnType, initRepository, loadEnvironment, type DatabaseSnapshot, type MigrationEnvironment, type TableSnapshot } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';
import type { AdoptDialect } from './schemas.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const FIXTURE = (dialect: AdoptDialect) => fileURLToPath(new URL(`./fixtures/drizzle-${{ sqlite: 'sqlite', postgres: 'pg', mysql: 'mysql' }[dialect]}.ts`, import.meta.url));

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

/** Autogenerates the Drizzle schema's tables into the empty database at `url`, upgrades, introspects. */
async function fromDrizzle(dialect: AdoptDialect, url: string) {
  return upgradeFixture(FIXTURE(dialect), url, async (env) => ({
    snapshot: await (await env.connection('app')).introspect({ exclude: ['multidb_version', 'multidb_version_progress'] }),
  }));
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
      ...t.indexes.filter((i) => i.unique).map((i) => `${i.name}: ${i.columns.map((c) => (typeof c === 'string' ? c : 'sql' in c ? c.sql : c.name)).join(',')}${i.where ? ` where ${i.where}` : ''}`),
    ].sort(),
    indexes: t.indexes.filter((i) => !i.unique).map((i) => `${i.name}: ${i.columns.map((c) => (typeof c === 'string' ? c : 'sql' in c ? c.sql : c.name)).join(',')}${i.where ? ` where ${i.where}` : ''}`).sort(),
    checks: t.checkConstraints.map((c) => c.name ?? '?').sort(),
  };
}

function shapes(s: DatabaseSnapshot) {
  return Object.fromEntries(s.tables.map((t) => [t.name, shape(t)]));
}

const fk = (name: string, columns: string, to: string) => `${name}: ${columns} -> ${to} on delete cascade`;

/**
 * What drizzle-kit's `generate` SQL for the fixtures creates, as introspection reads it back
 * (checked by hand against drizzle-kit's DDL for these builders: its types, NOT NULLs, and its names
 * `<table>_<columns>_<table>_<columns>_fk`, `<table>_<columns>_unique`, `<table>_<columns>_pk`).
 * One difference, not visible here: drizzle-kit makes a PostgreSQL `serial` a sequence default,
 * multidb an identity column (both read as auto-increment).
 */
const EXPECTED: Readonly<Record<AdoptDialect, ReturnType<typeof shapes>>> = {
  sqlite: {
    users: {
      columns: ['id integer not null auto', 'email text not null', 'name text', 'mood text', 'active integer not null', 'score numeric', 'ratio real', 'avatar blob', 'created_at integer not null'],
      primaryKey: ['id'],
      foreignKeys: [],
      uniques: ['users_email_unique: email', 'users_lower_email: lower("email")'],
      indexes: ['users_name_idx: name'],
      checks: ['ratio_positive'],
    },
    posts: {
      columns: ['id integer not null', 'author_id integer not null', 'title text not null', 'views integer'],
      primaryKey: ['id'],
      foreignKeys: [fk('posts_author_id_users_id_fk', 'author_id', 'users(id)')],
      uniques: [],
      indexes: ['posts_author_idx: author_id where "views" > 0'],
      checks: [],
    },
    post_tags: {
      columns: ['post_id integer not null', 'tag text not null', 'position integer not null'],
      primaryKey: ['post_id', 'tag'],
      foreignKeys: [fk('post_tags_post_id_posts_id_fk', 'post_id', 'posts(id)')],
      uniques: ['post_tags_tag_position_unique: tag,position'],
      indexes: [],
      checks: [],
    },
  },
  postgres: {
    users: {
      columns: [
        'id integer not null auto',
        'email varchar(256) not null',
        'name text',
        "mood enum('sad','ok','happy')",
        'active boolean not null',
        'score numeric(10,2)',
        'tags text[]',
        'settings jsonb',
        'uid uuid',
        'ratio double precision',
        'born date',
        'created_at timestamptz not null',
      ],
      primaryKey: ['id'],
      foreignKeys: [],
      uniques: ['users_email_unique: email', 'users_lower_email: lower(email::text)'],
      indexes: ['users_name_idx: name'],
      checks: ['score_positive'],
    },
    posts: {
      columns: ['id integer not null auto', 'author_id integer not null', 'title varchar(200) not null', 'views bigint'],
      primaryKey: ['id'],
      foreignKeys: [fk('posts_author_id_users_id_fk', 'author_id', 'users(id)')],
      uniques: ['posts_author_id_title_index: author_id,title'],
      indexes: ['posts_author_idx: author_id where views > 0', 'posts_title_index: title'],
      checks: [],
    },
    post_tags: {
      columns: ['post_id integer not null', 'tag varchar(50) not null', 'position smallint not null'],
      primaryKey: ['post_id', 'tag'],
      foreignKeys: [fk('post_tags_post_id_posts_id_fk', 'post_id', 'posts(id)')],
      uniques: ['post_tags_tag_position_unique: tag,position'],
      indexes: [],
      checks: [],
    },
  },
  mysql: {
    users: {
      columns: [
        'id int not null auto',
        'email varchar(256) not null',
        'name varchar(100)',
        'bio text',
        "mood enum('sad','ok','happy')",
        'active boolean not null',
        'score decimal(10,2)',
        'plays int unsigned not null',
        'ratio double',
        'born date',
        'created_at datetime',
        'updated_at timestamp not null',
      ],
      primaryKey: ['id'],
      foreignKeys: [],
      uniques: ['users_email_unique: email'],
      indexes: ['users_name_idx: name'],
      checks: ['plays_sane'],
    },
    posts: {
      // MySQL's SERIAL: BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
      columns: ['id bigint unsigned not null auto', 'author_id int not null', 'title varchar(200) not null', 'views bigint'],
      primaryKey: ['id'],
      foreignKeys: [fk('posts_author_id_users_id_fk', 'author_id', 'users(id)')],
      uniques: ['?: id', 'posts_title_idx: title'],
      indexes: [],
      checks: [],
    },
    post_tags: {
      columns: ['post_id int not null', 'tag varchar(50) not null', 'position smallint not null'],
      primaryKey: ['post_id', 'tag'],
      foreignKeys: [fk('post_tags_post_id_users_id_fk', 'post_id', 'users(id)')],
      uniques: ['post_tags_tag_position_unique: tag,position'],
      indexes: [],
      checks: [],
    },
  },
};

function suite(dialect: AdoptDialect, url: () => string): void {
  it('autogenerate + upgrade create what drizzle-kit would; check then finds nothing', async () => {
    const r = await fromDrizzle(dialect, url());
    expect(shapes(r.snapshot)).toEqual(EXPECTED[dialect]);
    expect(r.snapshot.enums).toEqual(dialect === 'postgres' ? [{ name: 'mood', values: ['sad', 'ok', 'happy'] }] : []);
    // Defaults and the MySQL ON UPDATE, as drizzle-kit writes them.
    const users = r.snapshot.tables.find((t) => t.name === 'users')!;
    const column = (name: string) => users.columns.find((c) => c.name === name)!;
    expect(column('mood').default).toBe('ok');
    expect(column('active').default).toBe(dialect === 'sqlite' ? 1 : true);
    if (dialect === 'mysql') expect(column('updated_at').onUpdate).toMatch(/^current_timestamp/i);
    expect(r.revision).toMatch(/name: 'posts_author_id_users_id_fk'/);
    expect(r.checked?.changes.map((c) => c.line)).toEqual([]);
    expect(r.checked).toMatchObject({ outcome: 'match', changes: [] });
  });
}

/**
 * Autogenerates the fixture's tables into the database at `url`, upgrades, reads what `after` reads
 * of the upgraded bind, and runs `check`.
 */
async function upgradeFixture<T extends object = object>(fixture: string, url: string, after?: (env: MigrationEnvironment) => Promise<T>) {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: { drizzle: ${JSON.stringify(fixture)} } } } });\n`,
  });
  projects.push(p);
  await initRepository({ directory: join(p.dir, 'migrations'), branches: ['app'], multidb: true });
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
  try {
    const [written] = await autogenerate(env, { message: 'tables from drizzle' });
    expect(written?.outcome).toBe('written');
    await env.upgrade(['head']);
    const read = after ? await after(env) : ({} as T);
    const [checked] = await check(env);
    return { ...read, dir: p.dir, checked, revision: p.read(written!.revision!.path.slice(p.dir.length + 1)) };
  } finally {
    await env.close();
  }
}

const DEFAULTS_FIXTURE = (dialect: 'sqlite' | 'postgres') => fileURLToPath(new URL(`./fixtures/drizzle-defaults-${dialect === 'sqlite' ? 'sqlite' : 'pg'}.ts`, import.meta.url));

describe('Drizzle tables as models [sqlite]', () => {
  suite('sqlite', () => 'sqlite:.data/drizzle.db');

  it('a Date or JSON default reads back through Drizzle as that value; check then finds nothing', async () => {
    const { dir, checked } = await upgradeFixture(DEFAULTS_FIXTURE('sqlite'), 'sqlite:.data/defaults.db');
    expect(checked).toMatchObject({ outcome: 'match', changes: [] });
    const { default: Database } = await import('better-sqlite3');
    const { drizzle } = await import('drizzle-orm/better-sqlite3');
    const { AT, events } = await import('./fixtures/drizzle-defaults-sqlite.js');
    const client = new Database(join(dir, '.data', 'defaults.db'));
    try {
      // Inserted without Drizzle (which on SQLite sends a JS default itself): the database's default.
      client.prepare('INSERT INTO events (id) VALUES (1)').run();
      const db = drizzle(client);
      expect(db.select().from(events).all()).toEqual([{ id: 1, at: AT, atMs: AT, meta: { a: 1 } }]);
    } finally {
      client.close();
    }
  });

  suite('sqlite', () => 'sqlite:.data/drizzle.db');

  it("refuses tables of another dialect than the bind's, naming the bind and the file", async () => {
    const p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/x.db', models: { drizzle: ${JSON.stringify(FIXTURE('postgres'))} } } } });\n`,
    });
    projects.push(p);
    await initRepository({ directory: join(p.dir, 'migrations'), branches: ['app'], multidb: true });
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
    try {
      await expect(autogenerate(env, { message: 'x' })).rejects.toThrow(
        `[app] models ${FIXTURE('postgres')}: Drizzle tables: its tables are postgres tables, but bind 'app' is a sqlite database.`,
      );
    } finally {
      await env.close();
    }
  });
});

describeWithServers('Drizzle tables as models [postgres]', ['postgres'], () => {
  const dbs = useDatabases('drizzle_pg', { db: 'postgres', defaults: 'postgres' });
  suite('postgres', () => dbs.db.url);

  it('a Date, array or JSON default is created (an array literal, not JSON) and reads back through Drizzle as that value; check then finds nothing', async () => {
    const { checked } = await upgradeFixture(DEFAULTS_FIXTURE('postgres'), dbs.defaults.url);
    expect(checked?.changes.map((c) => c.line)).toEqual([]);
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { AT, events } = await import('./fixtures/drizzle-defaults-pg.js');
    const client = new pg.Client({ connectionString: dbs.defaults.url });
    await client.connect();
    try {
      await client.query('INSERT INTO events (id) VALUES (1)');
      const db = drizzle(client);
      expect(await db.select().from(events)).toEqual([{ id: 1, at: AT, atz: AT, day: new Date('2024-01-02T00:00:00Z'), tags: ['a', 'b "c"'], flags: [true, false], meta: { a: [1, 2] } }]);
    } finally {
      await client.end();
    }
  });
});

describeWithServers('Drizzle tables as models [mysql]', ['mysql'], () => {
  const dbs = useDatabases('drizzle_my', { db: 'mysql' });
  suite('mysql', () => dbs.db.url);
});
