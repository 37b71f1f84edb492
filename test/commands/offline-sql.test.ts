// `migrate upgrade|downgrade|stamp --sql` through `migrate` (in this process, InProcessProject): offline mode imports the
// revision modules but opens no database and loads no driver (a resolve logger records every module
// request), prints one section per bind in that bind's dialect, writes files with --output, and
// fails with one line naming the bind, revision and op when a revision cannot be written offline.
import { commands, createModuleLoader, loadEnvironment, offlineScriptChunks, type OfflineScript } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { runMigrate } from '../support/project.js';
import { addRevision, expectOneLineError, resolveLogger } from '../faults/faults-support.js';

/** Revisions import the caller's `@multidb/core` (its built bundle), as the CLI's loader maps it. */
const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/** Module requests offline mode must not make. */
const DRIVERS = ['better-sqlite3', 'pg', 'mysql2'];

const requested = (specifiers: readonly string[], name: string) =>
  specifiers.some((s) => s === name || s.startsWith(`${name}/`) || s.includes(`/node_modules/${name}/`));

// Three binds on three dialects; the servers named here do not exist: offline mode never connects.
const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'migrations',
  binds: {
    default: { url: 'sqlite:.data/default.db' },
    db2: { url: 'postgres://app:s3cret@127.0.0.1:1/sales' },
    db3: { url: 'mariadb://app:s3cret@127.0.0.1:1/stock' },
  },
});
`;

const CREATE = `
  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'label', type: 'varchar(20)' }]);
  await op.bulkInsert('item', [{ id: 1, label: "it's" }]);`;
const DROP = `  await op.dropTable('item');`;

describe('offline mode through the CLI', () => {
  let p: InProcessProject;
  let logger: ReturnType<typeof resolveLogger>;

  beforeAll(() => {
    p = new InProcessProject([], { config: CONFIG });
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    addRevision(p, 'db3', { revision: 'cc01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    // db2's second revision depends on default's first: default's section comes first.
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', dependsOn: ['aa01'], message: 'more', upgrade: `  await op.db.updateTable('item').set({ label: null }).where('id', '=', 1).execute();` });
    logger = resolveLogger(p);
  });
  // The two runs with the resolve logger stay subprocesses (runMigrate): the logger is given by the
  // environment, and which modules a run loads is the process's own (in this one, the drivers are
  // loaded already).
  afterAll(() => p.remove());

  it('upgrade --sql loads no driver and opens no database; one section per bind, each in its dialect', async () => {
    logger.reset();
    const out = await runMigrate(p.dir, ['upgrade', '--sql'], { ...p.env, ...logger.env });
    expect(out.code, out.stderr).toBe(0);
    // Three dialects in one script on stdout: one line says so (no one client runs it whole).
    expect(out.stderr).toBe(
      "WARNING: the SQL on stdout is in 3 dialects, one section per bind (sqlite: default; postgres: db2; mariadb: db3): no one database client runs it whole. '--output DIR' writes one file per bind (DIR/<bind>.sql) and lists them on stderr in the order to run them.\n",
    );
    const specifiers = logger.specifiers();
    // The logger really ran (the dialects' script was read); the revision modules ran (their statements are below).
    expect(logger.loaded().some((u) => u.endsWith('/dialect/dist/bundle/shared.script.cjs'))).toBe(true);
    for (const name of DRIVERS) expect(requested(specifiers, name), `${name} requested by upgrade --sql`).toBe(false);
    expect(p.exists('.data')).toBe(false);

    const headers = out.stdout.split('\n').filter((l) => l.startsWith('-- multidb offline script'));
    expect(headers).toEqual([
      "-- multidb offline script: bind 'default' (sqlite), upgrade <base> -> aa01",
      "-- multidb offline script: bind 'db2' (postgres), upgrade <base> -> bb02",
      "-- multidb offline script: bind 'db3' (mariadb), upgrade <base> -> cc01",
    ]);
    expect(out.stdout).toContain(`insert into "item" ("id", "label") values (1, 'it''s');\ninsert into "multidb_version" ("version_num") values ('aa01');`);
    expect(out.stdout).toContain(`update "item" set "label" = NULL where "id" = '1';`); // db2, PostgreSQL: a number quoted, as pg binds it
    expect(out.stdout).toContain('insert into `item` (`id`, `label`) values (1, \'it\'\'s\');');
    // The URLs' passwords appear nowhere: scripts carry no URL.
    expect(out.stdout).not.toContain('s3cret');
  });

  it('a script in one dialect on stdout: nothing on stderr', async () => {
    const out = await p.ok('upgrade', '--sql', 'db3');
    expect(out.stdout).toContain("-- multidb offline script: bind 'db3' (mariadb), upgrade <base> -> cc01");
    expect(out.stderr).toBe('');
    // Nor with --json or --output, which keep the binds apart.
    expect((await p.ok('upgrade', '--sql', '--json')).stderr).toBe('');
  });

  it('positive control: an online upgrade of the same project requests the driver', async () => {
    logger.reset();
    const out = await runMigrate(p.dir, ['upgrade', 'default'], { ...p.env, ...logger.env });
    expect(out.code, out.stderr).toBe(0);
    expect(requested(logger.specifiers(), 'better-sqlite3')).toBe(true);
    expect(p.versionsApplied('default')).toEqual(['aa01']);
  });

  it('--output DIR writes one file per bind, named on stderr in dependency order; a range starts where FROM says', async () => {
    const out = await p.ok('upgrade', '--sql', 'db2@bb01:head', '--output', 'sql');
    expect(out.stdout).toBe('');
    // bb02 depends on aa01: default (from base) comes first.
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^Wrote .*\/sql\/default\.sql \(bind 'default', sqlite\)$/),
      expect.stringMatching(/^Wrote .*\/sql\/db2\.sql \(bind 'db2', postgres\)$/),
    ]);
    const db2 = p.read('sql/db2.sql');
    expect(db2).toMatch(/^-- multidb offline script: bind 'db2' \(postgres\), upgrade bb01 -> bb02\n/);
    expect(db2).not.toContain('create table');
    expect(db2).toContain(`update "multidb_version" set "version_num" = 'bb02' where "version_num" = 'bb01';`);
    expect(p.exists('sql/db3.sql')).toBe(false);
  });

  it('stamp --sql and downgrade --sql', async () => {
    const stamp = await p.ok('stamp', '--sql', 'db3@head');
    expect(stamp.stdout).toContain('insert into `multidb_version` (`version_num`) values (\'cc01\');');
    const down = await p.ok('downgrade', '--sql', 'db3@head:base');
    expect(down.stdout).toContain('DROP TABLE `item`;');
    // Leaving no heads, the script drops the version table, as Alembic's offline mode (MariaDB: on its own, after the row's DELETE).
    expect(down.stdout).toContain("delete from `multidb_version` where `version_num` in ('cc01');\ndrop table `multidb_version`;\n");
    // Offline, a stamp starts from base: a stamp to base writes nothing, and says how to write one from a revision.
    const none = await p.ok('stamp', '--sql', 'db3@base');
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain("No SQL to write: every selected bind is at its target. Offline, a stamp starts from base");
    expect(none.stderr).toContain("give FROM:TO (e.g. 'db3@head:base')");
    const back = await p.ok('stamp', '--sql', 'db3@head:base');
    expect(back.stdout).toContain("delete from `multidb_version` where `version_num` in ('cc01');\ndrop table `multidb_version`;\n");
  });

  it('errors are one line: downgrade --sql without FROM, --output without --sql, an op.db read, an op that needs the live schema', async () => {
    expectOneLineError(await p.run('downgrade', '--sql', 'db3'), ["'downgrade --sql db3' needs a range FROM:TO"], 2);
    expectOneLineError(await p.run('upgrade', '--output', 'x'), ['--output writes the SQL of --sql: add --sql.'], 2);
    addRevision(p, 'db3', { revision: 'cc02', downRevision: 'cc01', message: 'reads', upgrade: `  const rows = await op.db.selectFrom('item').selectAll().execute();` });
    expectOneLineError(await p.run('upgrade', '--sql', 'db3@cc01:cc02'), ['[db3] revision cc02 cannot be written offline: op.db: the query reads rows', 'cc02_reads.ts']);
    // A table no revision made (it was there before the first, as in an adopted database).
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'alter', upgrade: `  await op.alterColumn('legacy', 'label', { nullable: false });` });
    expectOneLineError(await p.run('upgrade', '--sql', 'default@aa01:aa02'), [
      "[default] revision aa02 cannot be written offline: op.alterColumn('legacy', 'label'): it needs the current shape of table 'legacy', which offline mode cannot read (no revision up to this one created it)",
      'pass it as copyFrom',
    ]);
  });
});

describe('offline mode: a bind another depends on comes first, also when the other starts earlier in the plan', () => {
  let p: InProcessProject;

  beforeAll(() => {
    p = new InProcessProject([], { config: CONFIG });
    // db2's first revision needs nothing; its second depends on db3's first. The run goes bb01,
    // cc01, bb02; run whole, db3's script must come before db2's.
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', dependsOn: ['cc01'], message: 'more', upgrade: `  await op.addColumn('item', { name: 'note', type: 'text' });` });
    addRevision(p, 'db3', { revision: 'cc01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
  });
  afterAll(() => p.remove());

  it('upgrade --sql db2 prints db3 first; --output names db3.sql first; --json lists it first', async () => {
    const out = await p.ok('upgrade', '--sql', 'db2');
    expect(out.stdout.split('\n').filter((l) => l.startsWith('-- multidb offline script'))).toEqual([
      "-- multidb offline script: bind 'db3' (mariadb), upgrade <base> -> cc01",
      "-- multidb offline script: bind 'db2' (postgres), upgrade <base> -> bb02",
    ]);
    // db3's MariaDB section, pulled in by the depends-on, would break '| psql': said on stderr (was: nothing).
    expect(out.stderr).toBe(
      "WARNING: the SQL on stdout is in 2 dialects, one section per bind (mariadb: db3; postgres: db2): no one database client runs it whole. '--output DIR' writes one file per bind (DIR/<bind>.sql) and lists them on stderr in the order to run them.\n",
    );
    const files = await p.ok('upgrade', '--sql', 'db2', '--output', 'sql');
    expect(files.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^Wrote .*\/sql\/db3\.sql \(bind 'db3', mariadb\)$/),
      expect.stringMatching(/^Wrote .*\/sql\/db2\.sql \(bind 'db2', postgres\)$/),
    ]);
    const json = JSON.parse((await p.ok('upgrade', '--sql', '--json')).stdout) as { scripts: { bind: string }[] };
    expect(json.scripts.map((s) => s.bind)).toEqual(['db3', 'db2']);
  });
});

describe('offline mode: binds whose revisions depend on each other both ways', () => {
  let p: InProcessProject;

  beforeAll(() => {
    p = new InProcessProject([], { config: CONFIG });
    // db3's cc01 depends on db2's bb01, db2's bb02 on db3's cc01: the plan runs bb01, cc01, bb02;
    // whole per-bind sections cannot keep both (db2's section holds bb01 and bb02).
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', dependsOn: ['cc01'], message: 'more', upgrade: `  await op.addColumn('item', { name: 'note', type: 'text' });` });
    addRevision(p, 'db3', { revision: 'cc01', downRevision: null, dependsOn: ['bb01'], message: 'create item', upgrade: CREATE, downgrade: DROP });
  });
  afterAll(() => p.remove());

  it('keeps plan order and says which depends-on it breaks (was: silent); also with --output and in --json', async () => {
    const warning =
      "[db2] WARNING: its section comes before db3's, though bb02 depends on db3's cc01: db2 and db3 wait for each other's revisions (depends-on both ways), " +
      'so no order of whole sections keeps every depends-on (they are in plan order). Write the SQL in parts with ranges (BIND@FROM:TO) that each keep it, or upgrade online.';
    const out = await p.ok('upgrade', '--sql');
    expect(out.stdout.split('\n').filter((l) => l.startsWith('-- multidb offline script'))).toEqual([
      "-- multidb offline script: bind 'db2' (postgres), upgrade <base> -> bb02",
      "-- multidb offline script: bind 'db3' (mariadb), upgrade <base> -> cc01",
    ]);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([warning, expect.stringMatching(/^WARNING: the SQL on stdout is in 2 dialects/)]);
    const files = await p.ok('upgrade', '--sql', '--output', 'sql');
    expect(files.stderr.split('\n').filter(Boolean)).toEqual([warning, expect.stringMatching(/\/sql\/db2\.sql /), expect.stringMatching(/\/sql\/db3\.sql /)]);
    const json = JSON.parse((await p.ok('upgrade', '--sql', '--json')).stdout) as { scripts: { bind: string; warnings?: string[] }[] };
    expect(json.scripts.map((s) => [s.bind, s.warnings ?? []])).toEqual([['db2', [warning.replace('[db2] WARNING: ', '')]], ['db3', []]]);
  });
});

describe('offline mode from a revision above base (SQLite rebuilds)', () => {
  let p: InProcessProject;
  const ALTER = `  await op.batchAlterTable('item', (batch) => { batch.alterColumn('label', { nullable: false }); });`;
  const UNALTER = `  await op.batchAlterTable('item', (batch) => { batch.alterColumn('label', { nullable: true }); });`;

  beforeAll(() => {
    p = new InProcessProject([], { config: CONFIG });
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create item', upgrade: CREATE, downgrade: DROP });
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'add note', upgrade: `  await op.addColumn('item', { name: 'note', type: 'text' });`, downgrade: `  await op.dropColumn('item', 'note');` });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'label required', upgrade: ALTER, downgrade: UNALTER });
  });
  afterAll(() => p.remove());

  it('follows the revisions before the start: the rebuild copies every column they made, and the script applies', async () => {
    const up = await p.ok('upgrade', '--sql', 'default@aa02:aa03');
    expect(up.stdout).not.toContain('-- Running upgrade aa01');
    expect(up.stdout).toContain('CREATE TABLE "_multidb_tmp_item"');
    expect(up.stdout).toMatch(/INSERT INTO "_multidb_tmp_item" \("id", "label", "note"\) SELECT "id", "label", "note" FROM "item"/);
    // Applied by sqlite3 to a database an online run took to aa02: the rows and columns survive.
    await p.ok('upgrade', 'default@aa02');
    p.exec('default', "UPDATE item SET note = 'kept' WHERE id = 1");
    const apply = (sql: string) => execFileSync('sqlite3', ['-bail', join(p.dir, '.data/default.db')], { input: sql });
    const labelNotNull = () => p.query<{ notnull: number }>('default', "SELECT \"notnull\" FROM pragma_table_info('item') WHERE name = 'label'")[0]!.notnull;
    apply(up.stdout);
    expect(p.query('default', 'SELECT id, label, note FROM item')).toEqual([{ id: 1, label: "it's", note: 'kept' }]);
    expect(p.versionsApplied('default')).toEqual(['aa03']);
    expect(labelNotNull()).toBe(1);
    // The downgrade from head back to aa02 rebuilds from the shape at head.
    apply((await p.ok('downgrade', '--sql', 'default@aa03:aa02')).stdout);
    expect(labelNotNull()).toBe(0);
    expect(p.query('default', 'SELECT note FROM item')).toEqual([{ note: 'kept' }]);
    expect(p.versionsApplied('default')).toEqual(['aa02']);
  });

  it('a revision before the start that reads rows leaves the tables unknown: the rebuild asks for copyFrom, naming that revision', async () => {
    addRevision(p, 'default', { revision: 'aa04', downRevision: 'aa03', message: 'reads', upgrade: `  await op.db.selectFrom('item').selectAll().execute();` });
    addRevision(p, 'default', { revision: 'aa05', downRevision: 'aa04', message: 'label optional', upgrade: UNALTER });
    expectOneLineError(await p.run('upgrade', '--sql', 'default@aa04:aa05'), [
      "[default] revision aa05 cannot be written offline: op.batchAlterTable('item'): it needs the current shape of table 'item', " +
        'which offline mode stopped following at revision aa04, which reads rows through op.db (offline there are none) (write the script from a later revision on, or run it online)',
      'pass it as copyFrom',
    ]);
  });
});

describe('a long offline script', () => {
  let p: InProcessProject;
  const N = 120;

  beforeAll(() => {
    p = new InProcessProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'postgres://app:s3cret@127.0.0.1:1/sales' } } });\n`,
    });
    for (let i = 0; i < N; i++) {
      const rev = (branch: string) => `${branch}${String(i).padStart(4, '0')}`;
      const table = `t${i}_é`; // non-ASCII: pieces and slices must not split a character
      const upgrade = `  await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
      addRevision(p, 'default', { revision: rev('aa'), downRevision: i === 0 ? null : rev('aa').replace(/\d+$/, String(i - 1).padStart(4, '0')), message: `step ${i}`, upgrade });
      addRevision(p, 'db2', { revision: rev('bb'), downRevision: i === 0 ? null : rev('bb').replace(/\d+$/, String(i - 1).padStart(4, '0')), message: `step ${i}`, upgrade });
    }
  });
  afterAll(() => p.remove());

  it('is made in pieces whose concatenation is its sql; stdout, --output files and --json all carry the same text', async () => {
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, fsCache: false }) });
    let scripts: readonly OfflineScript[];
    try {
      scripts = await commands.upgradeSql(env);
    } finally {
      await env.close();
    }
    expect(scripts.map((s) => s.bind)).toEqual(['default', 'db2']);
    for (const script of scripts) {
      const pieces = [...offlineScriptChunks(script)];
      expect(pieces.length).toBeGreaterThan(3); // written a few KiB at a time, not one string per line nor one in all
      expect(pieces.join('')).toBe(script.sql);
      expect(script.sql.endsWith(';\n')).toBe(true);
      expect(script.sql.split('\n').filter((l) => /^create table .t\d+_é/i.test(l))).toHaveLength(N);
      expect(script.sql).toBe(script.sql); // read twice: the same string
    }
    // A script not made by the writer is one piece.
    const plain = { bind: 'x', dialect: 'sqlite', from: [], to: [], sql: 'SELECT 1;\n' };
    expect([...offlineScriptChunks(plain)]).toEqual(['SELECT 1;\n']);

    const stdout = await p.ok('upgrade', '--sql');
    expect(stdout.stdout).toBe(`${scripts[0]!.sql}\n${scripts[1]!.sql}`);
    await p.ok('upgrade', '--sql', '--output', 'out');
    expect(p.read('out/default.sql')).toBe(scripts[0]!.sql);
    expect(p.read('out/db2.sql')).toBe(scripts[1]!.sql);
    const json = JSON.parse((await p.ok('upgrade', '--sql', '--json')).stdout) as { scripts: { bind: string; sql: string }[] };
    expect(json.scripts.map((s) => s.sql)).toEqual(scripts.map((s) => s.sql));
  });
});
