// Adopting an existing database whose keys carry the database's own names (PostgreSQL
// `album_pkey`, `album_title_key`, `album_artist_id_fkey`; MariaDB names a column-level UNIQUE after
// its column), then changing those keys in the models: the revision drops and changes them by the
// names they have (it used to name them by the naming convention, and the upgrade failed with
// 'constraint "fk_album_artist_id_artist" of relation "album" does not exist'). Through `migrate`
// in-process, as a user runs it: models --from-database, check, revision -m baseline, stamp,
// migrate, upgrade, check, downgrade.
import { readFileSync } from 'node:fs';
import { main } from '@multidb/cli';
import { createModuleLoader, loadEnvironment, type DatabaseSnapshot } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

type Kind = 'postgres' | 'mysql';
const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

const SCHEMA: Record<Kind, readonly string[]> = {
  postgres: [
    'CREATE TABLE artist (artist_id integer PRIMARY KEY, name varchar(40) NOT NULL)',
    'CREATE TABLE album (album_id integer PRIMARY KEY, title varchar(160) NOT NULL UNIQUE, artist_id integer NOT NULL REFERENCES artist (artist_id), ' +
      'a integer NOT NULL, b integer NOT NULL, UNIQUE (a, b))',
    'CREATE TABLE pair (x integer PRIMARY KEY, y integer NOT NULL)',
  ],
  mysql: [
    'CREATE TABLE artist (artist_id integer PRIMARY KEY, name varchar(40) NOT NULL)',
    'CREATE TABLE album (album_id integer PRIMARY KEY, title varchar(160) NOT NULL UNIQUE, artist_id integer NOT NULL, ' +
      'a integer NOT NULL, b integer NOT NULL, UNIQUE (a, b), CONSTRAINT album_artist FOREIGN KEY (artist_id) REFERENCES artist (artist_id))',
    'CREATE TABLE pair (x integer PRIMARY KEY, y integer NOT NULL)',
  ],
};

/**
 * The adopted models, changed: album's foreign key ON DELETE CASCADE, album.title no longer
 * unique, album's unique (a, b) now (b, a), pair's primary key (x) now (x, y). MariaDB's foreign
 * key and composite unique key carry their names (`album_artist`, `a`) in the models, as
 * `models --from-database` writes them. (Its foreign key is named in the SQL: MariaDB names the
 * index it makes for an unnamed one after the column, a name no recreated key gets back.)
 */
function changedModels(kind: Kind): string {
  const fk =
    kind === 'postgres'
      ? `{ name: 'artist_id', type: 'integer', nullable: false, references: { table: 'artist', column: 'artist_id', onDelete: 'cascade' } }`
      : `{ name: 'artist_id', type: 'integer', nullable: false }`;
  const tableFk = kind === 'postgres' ? '' : `foreignKeys: [{ name: 'album_artist', columns: ['artist_id'], referredTable: 'artist', referredColumns: ['artist_id'], onDelete: 'cascade' }],`;
  const unique = kind === 'postgres' ? `['b', 'a']` : `{ name: 'a', columns: ['b', 'a'] }`;
  return `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    { name: 'album', columns: [
        { name: 'album_id', type: 'integer', primaryKey: true },
        { name: 'title', type: 'varchar(160)', nullable: false },
        ${fk},
        { name: 'a', type: 'integer', nullable: false },
        { name: 'b', type: 'integer', nullable: false },
      ],
      ${tableFk}
      uniqueConstraints: [${unique}],
    },
    { name: 'artist', columns: [{ name: 'artist_id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(40)', nullable: false }] },
    { name: 'pair', columns: [{ name: 'x', type: 'integer', nullable: false }, { name: 'y', type: 'integer', nullable: false }], primaryKey: ['x', 'y'] },
  ],
});
`;
}

/** What the rendered upgrade must drop, by the names the database has. */
const DROPS: Record<Kind, readonly RegExp[]> = {
  postgres: [
    /op\.dropConstraint\('album_artist_id_fkey', 'album'/,
    /op\.dropConstraint\('album_title_key', 'album'/,
    /op\.dropConstraint\('album_a_b_key', 'album'/,
    /op\.dropConstraint\('pair_pkey', 'pair'/,
  ],
  mysql: [/op\.dropConstraint\('album_artist', 'album'/, /op\.dropConstraint\('title', 'album'/, /op\.dropConstraint\('a', 'album'/],
};

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function suite(kind: Kind, url: () => string): void {
  it(`${kind}: keys named by the database are dropped and changed by those names; upgrade, check and downgrade work`, async () => {
    const p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url())}, models: './models/app.ts' } } });\n`,
    });
    projects.push(p);
    const migrate = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(args, { cwd: p.dir, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
      const r = { code, stdout: out.join('\n'), stderr: err.join('\n') };
      if (code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${code}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    const snapshot = async (): Promise<DatabaseSnapshot> => {
      const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
      try {
        return await (await env.connection('app')).introspect({ exclude: [...env.versionTable('app').ownTables] });
      } finally {
        await env.close();
      }
    };

    for (const sql of SCHEMA[kind]) await queryUrl(url(), sql, [], { baseDir: p.dir, write: true });
    await migrate('init', '--multidb');
    await migrate('models', '--from-database');
    const adopted = p.read('models/app.ts');
    if (kind === 'postgres') {
      // PostgreSQL's default names are left out of the models, as the convention's would be.
      expect(adopted).not.toMatch(/_pkey|_key'|_fkey/);
      expect(adopted).toContain(`references: 'artist.artist_id'`);
    }
    expect((await migrate('check')).stdout).toBe('[app] No changes in schema detected.');
    await migrate('revision', '-m', 'baseline', '--bind', 'app');
    await migrate('stamp', 'app@head');
    const before = await snapshot();

    // The edited models go to a new file (and a config naming it): this process's module cache
    // still holds models/app.ts.
    p.write('models/app_v2.ts', changedModels(kind));
    p.write('v2.config.ts', p.read('migrate.config.ts').replace('./models/app.ts', './models/app_v2.ts'));
    const generated = await migrate('-c', 'v2.config.ts', 'migrate', '-m', 'change keys');
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(generated.stdout)?.[1];
    expect(file, generated.stdout + generated.stderr).toBeDefined();
    const source = readFileSync(file!, 'utf8');
    const upgrade = source.slice(0, source.indexOf('async function downgrade'));
    for (const drop of DROPS[kind]) expect(upgrade, source).toMatch(drop);
    // (MySQL's DROP PRIMARY KEY names no key: the convention's name there is only a label.)
    expect(upgrade).not.toMatch(kind === 'postgres' ? /dropConstraint\('(fk|uq|pk)_/ : /dropConstraint\('(fk|uq)_/);

    await migrate('-c', 'v2.config.ts', 'upgrade');
    expect((await migrate('-c', 'v2.config.ts', 'check')).stdout).toBe('[app] No changes in schema detected.');

    // The downgrade restores the keys under the names they had.
    await migrate('-c', 'v2.config.ts', 'downgrade', '-1');
    expect(await snapshot()).toEqual(before);
  });
}

describeWithServers('adopted keys changed [postgres]', ['postgres'], () => {
  const dbs = useDatabases('adopt_keys_pg', { app: 'postgres' });
  suite('postgres', () => dbs.app.url);
});

describeWithServers('adopted keys changed [mysql]', ['mysql'], () => {
  const dbs = useDatabases('adopt_keys_my', { app: 'mysql' });
  suite('mysql', () => dbs.app.url);
});
