// Exit codes of `migrate` (README "Exit codes"), each from a real command line: 0 success; 1 failure
// (unknown bind or revision, a failing revision); 2 usage (unknown command or option, missing or
// malformed argument, a command that needs a bind named); 3 lock timeout; 4 differences (check).
// In-process (`main`) on SQLite binds, except `--version`, which runs the `migrate` binary.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { MIGRATE_BIN, TempProject, revisionSource, runMigrate } from '../support/project.js';

const B1 = 'e1e1e1e1e1e1';
const CONFIG =
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db', models: './models/db2.ts' } } });\n`;
const MODELS = `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 'account', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });\n`;

describe('exit codes', () => {
  const p = new TempProject([], { config: CONFIG });
  afterAll(() => p.remove());
  const run = (...args: string[]) => runInProcess(p.dir, args);

  beforeAll(() => {
    p.write('models/db2.ts', MODELS);
    p.write(`migrations/versions/default/.keep`, '');
    p.write(`migrations/versions/db2/${B1}_b1.ts`, revisionSource({ revision: B1, downRevision: null, branchLabels: ['db2'], upgrade: "await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t');" }));
  });

  it('0: success', async () => {
    expect((await run('heads')).code).toBe(0);
    expect((await run('upgrade')).code).toBe(0);
  });

  it.each([
    [['upgrade', 'nosuch'], /No revision, bind or branch label matches 'nosuch'/],
    [['current', 'nosuch'], /Unknown bind 'nosuch'\. Configured binds: default, db2\./],
    // A misspelled bind name: the error names the bind it likely meant.
    [['current', 'db3'], /Unknown bind 'db3' \(did you mean 'db2'\?\)\. Configured binds: default, db2\./],
    [['upgrade', 'defualt'], /No revision, bind or branch label matches 'defualt' \(did you mean bind 'default'\?\)\. Binds: default, db2\./],
    [['show', 'ffffffffffff'], /'ffffffffffff'/],
    // Stepping below a branch's first revision is base, which an upgrade cannot go to (Alembic refuses it too).
    [['upgrade', `${B1}-1`], new RegExp(`'${B1}-1' steps below the first revision of branch 'db2', to base; an upgrade cannot go to base`)],
    [['upgrade', 'db2@head-1'], /Bind 'db2': 'db2@head-1' steps below the first revision of branch 'db2', to base/],
  ])('1: failure: migrate %j', async (args, message) => {
    const out = await run(...args);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(message);
  });

  it.each([
    [['bogus'], /unknown command 'bogus'/],
    [['upgrade', '--bogus'], /unknown option '--bogus'/],
    [['show'], /missing required argument 'rev'/],
    [['upgrade', '--lock-timeout', 'soon'], /expected a number of seconds/],
    [['-x', 'tenant', 'upgrade'], /'tenant' is invalid\. expected KEY=VALUE/],
    [['revision', '-m', 'x', '--bind', 'db2', '--rev-id', 'not-an-id'], /'not-an-id' is invalid/],
    [['downgrade'], /'downgrade' needs a bind: name one of default, db2/],
    [['revision', '-m', 'x'], /'revision' needs a bind: name one of default, db2/],
    [['upgrade', '--output', 'sql'], /--output writes the SQL of --sql: add --sql/],
    // A revision target written wrong for its command, or malformed.
    [['upgrade', '-1'], /'-1' steps down; use 'downgrade -1'\./],
    [['downgrade', 'db2@+1'], /'db2@\+1' steps up; use 'upgrade db2@\+1'\./],
    // Alembic's `downgrade -1` with the bind in front: one target, written with '@'.
    [['downgrade', 'db2', '-1'], /'downgrade' takes one target, not 2 \('db2' '-1'\): to step 'db2' back, write 'db2@-1'\./],
    [['downgrade', 'db2', 'default'], /'downgrade' takes one target, not 2 \('db2' 'default'\)\./],
    // The step first gets the same hint (was: none).
    [['downgrade', '-1', 'db2'], /'downgrade' takes one target, not 2 \('-1' 'db2'\): to step 'db2' back, write 'db2@-1'\./],
    // A step up beside a bind: a downgrade cannot go up; the upgrade is written db2@+1 (was: no hint).
    [['downgrade', 'db2', '+1'], /'downgrade' takes one target, not 2 \('db2' '\+1'\): a downgrade cannot go up; to step 'db2' up, write 'upgrade db2@\+1'\./],
    [['downgrade', '+2', 'db2'], /'downgrade' takes one target, not 2 \('\+2' 'db2'\): a downgrade cannot go up; to step 'db2' up, write 'upgrade db2@\+2'\./],
    // A revision beside the step is not a bind: no hint that calls it one (was: "to step 'B1' back, write 'B1@-1'").
    [['downgrade', B1, '-1'], new RegExp(`'downgrade' takes one target, not 2 \\('${B1}' '-1'\\)\\.\\s*$`)],
    // The same with upgrade and stamp, which take several targets: 'db2' and '+1' would be two
    // (db2 to its head, and every bind one step), the second moving binds never named.
    [['upgrade', 'db2', '+1'], /'upgrade db2 \+1' gives 'db2' and '\+1' as separate targets: 'db2' to its head, and '\+1' every bind 1 revision up\. To step only 'db2' 1 revision up, write 'db2@\+1'\./],
    [['upgrade', '+2', 'db2', 'default'], /'upgrade \+2 db2 default' gives 'db2', 'default' and '\+2' as separate targets: .* write 'db2@\+2 default@\+2'\./],
    [['upgrade', 'db2', '-1'], /To step only 'db2' 1 revision back, write 'downgrade db2@-1'\./],
    [['upgrade', '--sql', 'db2', '+1'], /write 'db2@\+1'\./],
    // So are a count from the head or base beside a bind's name: every bind, not that one.
    [['upgrade', 'db2', 'head-1'], /'upgrade db2 head-1' gives 'db2' and 'head-1' as separate targets: 'db2' to its head, and 'head-1' every bind to 1 revision below its head\. To take only 'db2' to 1 revision below its head, write 'db2@head-1'\./],
    [['stamp', 'base+2', 'db2', 'default'], /'stamp base\+2 db2 default' gives 'db2', 'default' and 'base\+2' as separate targets: .* To stamp only 'db2', 'default' to 2 revisions above base, write 'db2@base\+2 default@base\+2'\./],
    [['stamp', 'db2', '-1'], /'stamp db2 -1' gives 'db2' and '-1' as separate targets: 'db2' to its head, and '-1' every bind 1 revision back\. To stamp only 'db2' 1 revision back, write 'db2@-1'\./],
    [['upgrade', 'head+1'], /'head\+1' goes beyond the head/],
    [['upgrade', 'db2@head@x'], /a target has at most one '@'/],
    [['upgrade', '+0'], /a relative step needs a whole number of at least 1/],
    // Offline, a downgrade must say where it starts (as Alembic's downgrade --sql).
    [['downgrade', '--sql', 'db2@base'], /'downgrade --sql db2@base' needs a range FROM:TO/],
    [['downgrade', '--sql', 'db2@-1'], /'downgrade --sql db2@-1' needs a range FROM:TO/],
  ])('2: usage: migrate %j', async (args, message) => {
    const out = await run(...args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe('');
  });

  it('3: lock timeout, while another connection holds the lock of db2', async () => {
    const lockFile = readdirSync(join(p.dir, '.data')).find((f) => f.startsWith('db2.db-multidb-') && f.endsWith('.lock'));
    expect(lockFile).toBeDefined();
    const holder = new Database(join(p.dir, '.data', lockFile!));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const out = await run('downgrade', 'db2', '--lock-timeout', '0');
      expect(out.code).toBe(3);
      expect(out.stderr).toMatch(/waiting for the migration lock on db2/);
    } finally {
      holder.close();
    }
    expect(p.versionsApplied('db2')).toEqual([B1]);
  });

  it('4: check finds differences', async () => {
    const out = await run('check', 'db2');
    expect(out.code).toBe(4);
    expect(out.stdout).toContain("[db2] Detected added table 'account'");
  });

  it('1: check of binds none of which has models compares nothing: a config error, not a pass', async () => {
    const out = await run('check', 'default');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `ERROR: Nothing to check: bind 'default' has no models, so no database can be compared. ` +
        `Set binds.default.models in ${p.dir}/migrate.config.ts to the module that declares its tables (binds: { default: { url: …, models: './src/models/default.ts' } }), ` +
        `or write one from its database with 'migrate models --from-database --bind default'.\n`,
    );
    // Some binds with models: those without are a warning, the others are compared.
    const both = await run('check');
    expect(both.code).toBe(4);
    expect(both.stderr).toContain('[default] WARNING: has no models (binds.default.models): skipped.');
    expect(both.stdout).toContain("[db2] Detected added table 'account'");
  });

  it('--version and -V print the CLI package version (the binary, from its package.json)', async () => {
    const version = (JSON.parse(readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(MIGRATE_BIN).toMatch(/bin\/migrate\.cjs$/);
    const out = await runMigrate(p.dir, ['--version']);
    expect(out).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(await run('-V')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  // A revision that awaits a promise nothing can settle (no timer, no socket: SQLite is
  // synchronous) leaves Node's event loop empty half way through the run. The ES module bin then
  // exited 13 (Node's "unsettled top-level await"); the CommonJS bin must not exit 0 as if the
  // upgrade had run.
  it('13: a revision that never settles is a failure, not a success (the binary)', async () => {
    const stuck = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' } } });\n` });
    try {
      stuck.write('migrations/versions/default/a1a1a1a1a1a1_stuck.ts', revisionSource({ revision: 'a1a1a1a1a1a1', downRevision: null, branchLabels: ['default'], upgrade: 'await new Promise(() => {});' }));
      const out = await runMigrate(stuck.dir, ['upgrade']);
      expect(out.code).toBe(13);
      expect(out.stderr).toMatch(/migrate: the command stopped before it finished/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    } finally {
      stuck.remove();
    }
  });
});

describe('check in a project where no bind has models', () => {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db' } } });\n`,
  });
  afterAll(() => p.remove());

  it('exits 1 naming every bind asked about, and creates nothing', async () => {
    p.write('migrations/versions/default/.keep', '');
    p.write('migrations/versions/db2/.keep', '');
    const out = await runInProcess(p.dir, ['check']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Nothing to check: none of the binds default, db2 has models, so no database can be compared\. Set binds\.default\.models in /);
    expect(p.exists('.data')).toBe(false);
  });

  it('migrate (autogenerate) exits 1 the same way, and writes no revision', async () => {
    const out = await runInProcess(p.dir, ['migrate', '-m', 'nothing']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Nothing to autogenerate: none of the binds default, db2 has models, so no database can be compared\. Set binds\.default\.models in /);
    expect(p.versions('default')).toEqual([]);
    expect(p.exists('.data')).toBe(false);
  });
});

describe('a config with a misspelled key', () => {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ versionTabel: 'app_version', binds: { a: { url: 'sqlite:.data/a.db', modles: './m.ts' } } } as never);\n`,
  });
  afterAll(() => p.remove());

  it('1: every command refuses it, naming the file, the key and the key meant; no database is opened', async () => {
    const file = `${p.dir}/migrate.config.ts`;
    for (const args of [['current'], ['check'], ['upgrade']]) {
      const out = await runInProcess(p.dir, args);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toBe(`ERROR: ${file}: unknown setting versionTabel: did you mean versionTable?\n`);
    }
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace('versionTabel', 'versionTable'));
    expect((await runInProcess(p.dir, ['current'])).stderr).toBe(`ERROR: ${file}: unknown setting binds.a.modles: did you mean models?\n`);
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace("versionTable: 'app_version'", 'beforeRun: () => {}').replace('modles', 'models'));
    expect((await runInProcess(p.dir, ['upgrade'])).stderr).toBe(`ERROR: ${file}: unknown setting beforeRun: hooks go under hooks, e.g. hooks: { beforeRun: async (ctx) => { … } }.\n`);
    expect(p.exists('.data')).toBe(false);
  });
});
