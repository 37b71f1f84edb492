// Which kysely a config or revision gets for `import … from 'kysely'` (and `kysely/helpers/*`),
// decided in one place (`kyselyModuleAlias(projectDir)` of @multidb/dialect, called by core's
// loadEnvironment with the config's folder): the dialects' bundled copy when the project has no
// kysely or the same version (kysely-copy.test.ts: `op.db instanceof Kysely` holds), the project's
// own copy when it has another version installed, so that a revision gets the API it was typed
// against (a newer kysely's AbortedTransactionError, not `undefined`). With the project's copy of
// the bundled minor (0.28.x), the Kysely user code gets (`op.db`, `onConnect`'s) is made by that
// copy too (its `Kysely`, and its dialect's introspector); with another minor (0.27.x), by the
// bundled copy, as before (core calls the 0.28 API on it).
//
// The project's "newer" kysely is a copy of the repository's with another version in its
// package.json and a marker export, MULTIDB_KYSELY_COPY, that the bundle does not have: what a
// module reads there tells which copy it got. Checked on every path that loads a project: the CLI
// (main thread, and worker threads for many SQLite tenants; SQLite and PostgreSQL), the TUI's
// backend and run drivers (in process, worker), and loadEnvironment's default loader.
//
// The project's copy is loaded only when user code needs it: a revision or config importing
// `kysely` (then it is loaded already), or reading `op.db` / `onConnect`'s db. A command whose
// revisions only import kysely's types never loads it (its 262 modules cost ~90 ms of CPU at
// every connect): the copy's entry module writes a marker file when evaluated.
//
// `migrate` runs in-process (`main`, InProcessProject) but for one run through the built binary.
import { appendFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands, loadEnvironment } from '@multidb/core';
import { BUNDLED_KYSELY_VERSION, dialects } from '@multidb/dialect';
import { EnvironmentBackend, defaultModuleAlias, inProcessRunDriver, workerRunDriver, type RunDriver, type RunMessage } from '@multidb/tui';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, runMigrate, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const REPO_KYSELY = fileURLToPath(new URL('../../node_modules/kysely/', import.meta.url));
const NEWER = `${BUNDLED_KYSELY_VERSION.split('.').slice(0, 2).join('.')}.999`;
/** A kysely of another minor than the bundled one (0.27.999 for 0.28.x): its own code is the repository's. */
const OTHER_MINOR = `0.${Number(BUNDLED_KYSELY_VERSION.split('.')[1]) - 1}.999`;

/**
 * Installs the repository's kysely as the project's own, as version `version`, with the marker
 * export `MULTIDB_KYSELY_COPY` (its version) in its ES module entry and in `kysely/helpers/sqlite` and `/postgres`.
 */
function installKysely(p: TempProject, version: string): void {
  const dir = join(p.dir, 'node_modules', 'kysely');
  cpSync(REPO_KYSELY, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, version }, null, 2));
  for (const file of ['index.js', 'helpers/sqlite.js', 'helpers/postgres.js']) appendFileSync(join(dir, 'dist', 'esm', file), `\nexport const MULTIDB_KYSELY_COPY = ${JSON.stringify(version)};\n`);
  // One line in node_modules/kysely/evaluated per evaluation of its entry module (see LOADED).
  appendFileSync(
    join(dir, 'dist', 'esm', 'index.js'),
    "\nimport { appendFileSync as multidbMarker } from 'node:fs';\nmultidbMarker(new URL('../../evaluated', import.meta.url), 'evaluated\\n');\n",
  );
}

/** The marker file of {@link installKysely}: how many times the project's kysely was evaluated (one line each). */
const LOADED = join('node_modules', 'kysely', 'evaluated');

/**
 * Upgrades `p` through loadEnvironment; at each step's start, how many times the project's kysely
 * had been evaluated (`'<revision>: <count>'`, in run order).
 */
async function kyselyLoadsAtEachStep(p: TempProject): Promise<string[]> {
  const env = await loadEnvironment({ dialects, cwd: p.dir });
  const loadedAt: string[] = [];
  try {
    await commands.upgrade(env, [], { onEvent: (e) => e.type === 'step-start' && loadedAt.push(`${e.revision}: ${evaluations(p)}`) });
  } finally {
    await env.close();
  }
  return loadedAt;
}

/** How many times a `migrate` run evaluated the project's kysely (see {@link installKysely}). */
function evaluations(p: TempProject): number {
  return p.exists(LOADED) ? p.read(LOADED).split('\n').filter(Boolean).length : 0;
}

/**
 * A project (SQLite `.data/app.db` unless `url` is given) with the project's kysely `version`, a
 * config that neither imports kysely nor has an `onConnect` hook, and two revisions that only
 * import kysely's types: `aa01` runs an op, `aa02` reads `op.db` when `readDb` (it inserts a row;
 * `'helper'`: through `seed(op)` of `migrations/seed.ts`, which it imports, its own source not
 * naming `db`), else runs the insert with `op.execute`.
 */
function typeOnlyProject(version: string, readDb: boolean | 'helper', url?: string): TempProject {
  const p = new InProcessProject([], {
    config: [
      "import { defineConfig } from '@multidb/core';",
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url ?? 'sqlite:.data/app.db')}, branch: 'app' } } });`,
      '',
    ].join('\n'),
  });
  const extra = "import type { Kysely, Selectable } from 'kysely';\nexport type Db = Kysely<{ item: { id: number } }>;\nexport type Item = Selectable<{ id: number }>;\n";
  p.write(
    'migrations/versions/app/aa01_item.ts',
    revisionSource({ revision: 'aa01', downRevision: null, branchLabels: ['app'], extra, upgrade: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('item');" }),
  );
  const insert = "await (op.db as unknown as Db).insertInto('item').values({ id: 7 }).execute();";
  if (readDb === 'helper') {
    p.write('migrations/seed.ts', `import type { Operations } from '@multidb/core';\n${extra}export async function seed(op: Operations): Promise<void> {\n  ${insert}\n}\n`);
  }
  p.write(
    'migrations/versions/app/aa02_row.ts',
    revisionSource({
      revision: 'aa02',
      downRevision: 'aa01',
      extra: readDb === 'helper' ? "import { seed } from '../../seed.ts';\n" : extra,
      upgrade: readDb === 'helper' ? 'await seed(op);' : readDb ? insert : "await op.execute('INSERT INTO item (id) VALUES (7)');",
    }),
  );
  installKysely(p, version);
  return p;
}

/**
 * A project whose binds (all on branch `app`; SQLite `.data/<bind>.db` unless `url` is given)
 * record in a table `seen` which kysely the config's `onConnect` and the revision got: `copy` is
 * the marker's value (`bundled` without it), `instance_of` whether the bind's Kysely is an instance
 * of that copy's `Kysely` (for the revision, and its `op.db.introspection` of that copy's
 * introspector), `thread` where the revision ran. The revision also runs the project's `sql` and
 * `jsonArrayFrom` on `op.db`, and `sql` compiled by `op.db`.
 */
function project(binds: readonly string[], kyselyVersion?: string, url?: string): TempProject {
  const dialect = url === undefined ? 'sqlite' : 'postgres';
  const introspector = dialect === 'sqlite' ? 'SqliteIntrospector' : 'PostgresIntrospector';
  const p = new InProcessProject([], {
    config: [
      "import { defineConfig } from '@multidb/core';",
      "import * as kysely from 'kysely';",
      "const copy = (kysely as Record<string, unknown>)['MULTIDB_KYSELY_COPY'] ?? 'bundled';",
      'export default defineConfig({',
      "  directory: 'migrations',",
      `  binds: Object.fromEntries(${JSON.stringify(binds)}.map((b) => [b, {`,
      url === undefined ? "    url: 'sqlite:.data/' + b + '.db'," : `    url: ${JSON.stringify(url)},`,
      "    branch: 'app',",
      '    async onConnect(db) {',
      '      await kysely.sql`CREATE TABLE IF NOT EXISTS seen (what text, copy text, instance_of integer, introspector integer, thread text)`.execute(db);',
      "      await kysely.sql`INSERT INTO seen VALUES ('config', ${copy}, ${db instanceof kysely.Kysely ? 1 : 0}, NULL, NULL)`.execute(db);",
      '    },',
      '  }])),',
      '});',
      '',
    ].join('\n'),
  });
  p.write(
    'migrations/versions/app/aa01_seen.ts',
    revisionSource({
      revision: 'aa01',
      downRevision: null,
      branchLabels: ['app'],
      extra: [
        "import * as kysely from 'kysely';",
        `import * as helpers from 'kysely/helpers/${dialect}';`,
        "import { isMainThread } from 'node:worker_threads';",
        '',
      ].join('\n'),
      upgrade: [
        "const copy = (m: object) => (m as Record<string, unknown>)['MULTIDB_KYSELY_COPY'] ?? 'bundled';",
        "  await op.db.insertInto('seen').values([",
        `    { what: 'revision', copy: copy(kysely), instance_of: op.db instanceof kysely.Kysely ? 1 : 0, introspector: op.db.introspection instanceof kysely.${introspector} ? 1 : 0, thread: isMainThread ? 'main' : 'worker' },`,
        "    { what: 'helpers', copy: copy(helpers), instance_of: null, introspector: null, thread: null },",
        '  ]).execute();',
        // The project's `sql` and helper on op.db.
        "  const [row] = await op.db.selectFrom('seen').select((eb) => [kysely.sql<string>`upper(cast(${'x'} as text))`.as('x'), helpers.jsonArrayFrom(eb.selectFrom('seen as s').select('s.what').where('s.what', '=', 'helpers')).as('h')]).limit(1).execute();",
        "  const h = typeof row.h === 'string' ? JSON.parse(row.h) : row.h;",
        "  if (row.x !== 'X' || h.length !== 1) throw new Error('rows: ' + JSON.stringify(row));",
        "  const { rows } = await op.db.executeQuery(kysely.sql<{ n: number }>`select ${2} + 1 as n`.compile(op.db));",
        "  if (Number(rows[0]?.n) !== 3) throw new Error('compiled: ' + JSON.stringify(rows));",
      ].join('\n'),
    }),
  );
  if (kyselyVersion !== undefined) installKysely(p, kyselyVersion);
  return p;
}

/** What bind `bind` recorded: one row per kind of record (a config connects more than once). */
function seen(p: TempProject, bind: string): Seen[] {
  return p.query(bind, SEEN);
}

/** One row of `seen` (see {@link project}). */
type Seen = { what: string; copy: string; instance_of: number | null; introspector: number | null; thread: string | null };
const SEEN = 'SELECT DISTINCT what, copy, instance_of, introspector, thread FROM seen ORDER BY what';

/**
 * What a bind records when configs and revisions get the project's own kysely `version`: the
 * Kysely of `onConnect` and `op.db` are the project's (`made` 1) for 0.28.x, the bundled copy's (0)
 * for another minor.
 */
const projectCopy = (version: string, thread = 'main', made = 1) => [
  { what: 'config', copy: version, instance_of: made, introspector: null, thread: null },
  { what: 'helpers', copy: version, instance_of: null, introspector: null, thread: null },
  { what: 'revision', copy: version, instance_of: made, introspector: made, thread },
];
/** What a bind records when configs and revisions get the dialects' bundled kysely. */
const BUNDLED = [
  { what: 'config', copy: 'bundled', instance_of: 1, introspector: null, thread: null },
  { what: 'helpers', copy: 'bundled', instance_of: null, introspector: null, thread: null },
  { what: 'revision', copy: 'bundled', instance_of: 1, introspector: 1, thread: 'main' },
];

/** Runs a TUI run job to its end through `driver`; returns its messages. */
async function runJob(driver: RunDriver, cwd: string): Promise<RunMessage[]> {
  const messages: RunMessage[] = [];
  await driver.start({ cwd, moduleAlias: defaultModuleAlias(), direction: 'up', targets: ['app@head'] }, (m) => messages.push(m)).done;
  return messages;
}

describe("configs and revisions get the project's own kysely when it is another version than the bundled one", () => {
  let p: TempProject | undefined;
  afterEach(() => {
    p?.remove();
    p = undefined;
  });

  it(`migrate upgrade, the project's kysely ${NEWER}: its copy, for kysely and kysely/helpers/sqlite, and op.db and onConnect's db are instances of its Kysely`, async () => {
    p = project(['app'], NEWER);
    // Through the built binary (the other CLI runs here are main in this process): the one check of
    // the project's copy as the shipped `migrate` loads it.
    const out = await runMigrate(p.dir, ['upgrade']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(seen(p, 'app')).toEqual(projectCopy(NEWER));
  });

  it(`migrate upgrade, the project's kysely ${OTHER_MINOR} (another minor): its copy for imports, op.db made by the bundled copy`, async () => {
    p = project(['app'], OTHER_MINOR);
    await p.ok('upgrade');
    expect(seen(p, 'app')).toEqual(projectCopy(OTHER_MINOR, 'main', 0));
  });

  it(`migrate upgrade, the project's kysely ${BUNDLED_KYSELY_VERSION} (the bundled version): the bundled copy, op.db instanceof Kysely`, async () => {
    p = project(['app'], BUNDLED_KYSELY_VERSION);
    await p.ok('upgrade');
    expect(seen(p, 'app')).toEqual(BUNDLED);
  });

  it('migrate upgrade --concurrency 2 over 17 SQLite tenants (worker threads): the project\'s copy on each worker', async () => {
    const tenants = Array.from({ length: 17 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    p = project(tenants, NEWER);
    await p.ok('upgrade', '--concurrency', '2');
    for (const t of ['t00', 't16']) expect(seen(p, t)).toEqual(projectCopy(NEWER, 'worker'));
  });

  it("the TUI: an in-process run and its backend's reads get the project's copy", async () => {
    p = project(['app'], NEWER);
    expect((await runJob(inProcessRunDriver, p.dir)).filter((m) => m.type === 'failed')).toEqual([]);
    expect(seen(p, 'app')).toEqual(projectCopy(NEWER));
    // The backend's own environment (the binds screen reading where each bind stands).
    p.exec('app', 'DELETE FROM seen');
    const backend = await EnvironmentBackend.open({ cwd: p.dir, driver: inProcessRunDriver });
    try {
      expect((await backend.loadBind('app')).name).toBe('app');
    } finally {
      await backend.close();
    }
    expect(seen(p, 'app')).toEqual([{ what: 'config', copy: NEWER, instance_of: 1, introspector: null, thread: null }]);
  });

  it("the TUI's worker run driver: the project's copy on the worker thread", async () => {
    p = project(['app'], NEWER);
    expect((await runJob(workerRunDriver(), p.dir)).filter((m) => m.type === 'failed')).toEqual([]);
    expect(seen(p, 'app')).toEqual(projectCopy(NEWER, 'worker'));
  });

  it("loadEnvironment's default loader: the project's copy", async () => {
    p = project(['app'], NEWER);
    // The project has @multidb/core installed, as an app has (the default loader maps it to the
    // copy running loadEnvironment all the same).
    mkdirSync(join(p.dir, 'node_modules', '@multidb'));
    symlinkSync(fileURLToPath(new URL('../../packages/core', import.meta.url)), join(p.dir, 'node_modules', '@multidb', 'core'), 'dir');
    const env = await loadEnvironment({ dialects, cwd: p.dir });
    try {
      await commands.upgrade(env, ['heads']);
    } finally {
      await env.close();
    }
    expect(seen(p, 'app')).toEqual(projectCopy(NEWER));
  });
});

describe("the project's own kysely is loaded only when user code needs it", () => {
  let p: TempProject | undefined;
  afterEach(() => {
    p?.remove();
    p = undefined;
  });

  it(`revisions that only import kysely's types (the project's kysely ${NEWER}): migrate upgrade and current never load it`, async () => {
    p = typeOnlyProject(NEWER, false);
    await p.ok('upgrade');
    expect(p.query('app', 'SELECT id FROM item')).toEqual([{ id: 7 }]);
    expect((await p.ok('current')).stdout).toContain('aa02 (head)');
    expect(evaluations(p)).toBe(0);
  });

  it('a revision that reads op.db (with only type imports of kysely): the project\'s kysely is loaded, once', async () => {
    p = typeOnlyProject(NEWER, true);
    await p.ok('upgrade');
    expect(p.query('app', 'SELECT id FROM item')).toEqual([{ id: 7 }]);
    expect(evaluations(p)).toBe(1);
  });

  it("loadEnvironment: a revision that reads op.db has the project's kysely loaded before the run's first step, not in its own step and transaction", async () => {
    p = typeOnlyProject(NEWER, true);
    expect(await kyselyLoadsAtEachStep(p)).toEqual(['aa01: 1', 'aa02: 1']);
    expect(p.query('app', 'SELECT id FROM item')).toEqual([{ id: 7 }]);
  });

  // The helper's read was inside aa02's step before: ['aa01: 0', 'aa02: 0'].
  it("loadEnvironment: a revision that hands op to a helper module reading op.db has the project's kysely loaded before the run's first step too", async () => {
    p = typeOnlyProject(NEWER, 'helper');
    expect(await kyselyLoadsAtEachStep(p)).toEqual(['aa01: 1', 'aa02: 1']);
    expect(evaluations(p)).toBe(1);
    expect(p.query('app', 'SELECT id FROM item')).toEqual([{ id: 7 }]);
  });

  it("a revision that imports kysely (op.db instanceof its Kysely): loaded once, by the revision's import and op.db alike", async () => {
    p = project(['app'], NEWER);
    await p.ok('upgrade');
    expect(seen(p, 'app')).toEqual(projectCopy(NEWER));
    expect(evaluations(p)).toBe(1);
  });
});

describeWithServers("PostgreSQL: op.db is made by the project's own kysely", ['postgres'], () => {
  const dbs = useDatabases('kysely_project_copy', { newer: 'postgres', same: 'postgres', typesOnly: 'postgres' });
  let p: TempProject | undefined;
  afterEach(() => {
    p?.remove();
    p = undefined;
  });

  it(`migrate upgrade, the project's kysely ${NEWER}: op.db and onConnect's db are instances of its Kysely, its sql and helpers run`, async () => {
    p = project(['app'], NEWER, dbs.newer.url);
    await p.ok('upgrade');
    expect(await queryUrl<Seen>(dbs.newer.url, SEEN)).toEqual(projectCopy(NEWER));
  });

  it("revisions that only import kysely's types: migrate upgrade and current never load the project's kysely", async () => {
    p = typeOnlyProject(NEWER, false, dbs.typesOnly.url);
    await p.ok('upgrade');
    expect(await queryUrl<{ id: number }>(dbs.typesOnly.url, 'SELECT id FROM item')).toEqual([{ id: 7 }]);
    expect((await p.ok('current')).stdout).toContain('aa02 (head)');
    expect(evaluations(p)).toBe(0);
  });

  it(`migrate upgrade, the project's kysely ${BUNDLED_KYSELY_VERSION} (the bundled version): the bundled copy, op.db instanceof Kysely`, async () => {
    p = project(['app'], BUNDLED_KYSELY_VERSION, dbs.same.url);
    await p.ok('upgrade');
    expect(await queryUrl<Seen>(dbs.same.url, SEEN)).toEqual(BUNDLED);
  });
});

describeWithServers("MySQL/MariaDB: the project's own kysely is loaded only when user code needs it", ['mysql'], () => {
  const dbs = useDatabases('kysely_project_copy', { typesOnly: 'mysql', readsDb: 'mysql' });
  let p: TempProject | undefined;
  afterEach(() => {
    p?.remove();
    p = undefined;
  });

  // Revisions run outside a transaction there, their progress tracked: op.db is a tracking Kysely, made as the revision first reads it.
  it("revisions that only import kysely's types: migrate upgrade and current never load it", async () => {
    p = typeOnlyProject(NEWER, false, dbs.typesOnly.url);
    await p.ok('upgrade');
    expect(await queryUrl<{ id: number }>(dbs.typesOnly.url, 'SELECT id FROM item')).toEqual([{ id: 7 }]);
    expect((await p.ok('current')).stdout).toContain('aa02 (head)');
    expect(evaluations(p)).toBe(0);
  });

  it('a revision that reads op.db (with only type imports of kysely): loaded, once', async () => {
    p = typeOnlyProject(NEWER, true, dbs.readsDb.url);
    await p.ok('upgrade');
    expect(await queryUrl<{ id: number }>(dbs.readsDb.url, 'SELECT id FROM item')).toEqual([{ id: 7 }]);
    expect(evaluations(p)).toBe(1);
  });
});
