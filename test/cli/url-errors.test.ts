// A bind whose URL no dialect takes (`mssql://…`, a typo such as `postgress://…`) or that its
// dialect cannot parse is a configuration problem, not a network one: nothing was tried. `status`,
// `current` and `history -i` list it as `misconfigured: …` (as a bind whose options its dialect
// refuses), never `unreachable: …`; `--json` marks it (`condition.kind: 'misconfigured'`,
// `misconfigured: true`) beside what it always had (`reachable: false`, the masked `reason`). The
// other binds are still read, the command exits 1, and no password is printed. `migrate` runs
// in this process (InProcessProject); the SQLite bind is real.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createModuleLoader, loadEnvironment, UrlError } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource } from '../support/project.js';

const SECRET = 'Zq9pw77secret';
const MSSQL = `mssql://sa:${SECRET}@127.0.0.1:1433/sales`;
const TYPO = `postgress://app:${SECRET}@127.0.0.1/sales`;
const SUPPORTED = 'Supported: sqlite:, postgres:, postgresql:, mysql:, mariadb:.';

describe('a URL no dialect takes: misconfigured, not unreachable', () => {
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      `    aa: { url: 'sqlite:.data/aa.db' },\n` +
      `    ms: { url: '${MSSQL}' },\n` +
      `    typo: { url: '${TYPO}' },\n` +
      `  },\n});\n`,
  });
  const ms = `no dialect for URL 'mssql://sa:***@127.0.0.1:1433/sales'. ${SUPPORTED}`;
  const typo = `no dialect for URL 'postgress://app:***@127.0.0.1/sales'. ${SUPPORTED}`;
  beforeAll(async () => {
    for (const bind of ['aa', 'ms', 'typo']) {
      p.write(`migrations/versions/${bind}/${bind}1_first.ts`, revisionSource({ revision: `${bind}1`, downRevision: null, branchLabels: [bind] }));
    }
    await p.ok('upgrade', 'aa@head');
  });
  afterAll(() => p.remove());

  it('status: misconfigured with the reason, the other bind read, exit 1', async () => {
    const out = await p.run('status');
    expect(out.code).toBe(1);
    expect(out.stdout.trimEnd().split('\n')).toEqual([
      '[aa] sqlite sqlite:.data/aa.db: current aa1, head aa1; up to date',
      `[ms] ? mssql://sa:***@127.0.0.1:1433/sales: current unknown, head ms1; misconfigured: ${ms}`,
      `[typo] ? postgress://app:***@127.0.0.1/sales: current unknown, head typo1; misconfigured: ${typo}`,
    ]);
    expect(out.stdout + out.stderr).not.toContain(SECRET);
    const json = await p.run('status', '--json');
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(SECRET);
    expect(JSON.parse(json.stdout).binds.map((b: { bind: string; reachable: boolean; condition: unknown }) => [b.bind, b.reachable, b.condition])).toEqual([
      ['aa', true, { kind: 'up-to-date' }],
      ['ms', false, { kind: 'misconfigured', reason: `Bind 'ms': ${ms}` }],
      ['typo', false, { kind: 'misconfigured', reason: `Bind 'typo': ${typo}` }],
    ]);
  });

  it('current: misconfigured, the other bind shown, exit 1; --json says misconfigured: true', async () => {
    const out = await p.run('current');
    expect(out.code).toBe(1);
    expect(out.stdout.trimEnd().split('\n')).toEqual(['[aa] aa1 (head)', `[ms] misconfigured: ${ms}`, `[typo] misconfigured: ${typo}`]);
    const json = await p.run('current', '--json');
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(SECRET);
    expect(JSON.parse(json.stdout).binds.slice(1)).toEqual([
      { bind: 'ms', branch: 'ms', displayUrl: 'mssql://sa:***@127.0.0.1:1433/sales', reachable: false, misconfigured: true, reason: `Bind 'ms': ${ms}`, revisions: [], atHeads: false },
      { bind: 'typo', branch: 'typo', displayUrl: 'postgress://app:***@127.0.0.1/sales', reachable: false, misconfigured: true, reason: `Bind 'typo': ${typo}`, revisions: [], atHeads: false },
    ]);
  });

  it('history -i: misconfigured after the revisions, exit 1; --json marks it', async () => {
    const out = await p.run('history', '-i');
    expect(out.code).toBe(1);
    expect(out.stdout.trimEnd().split('\n').slice(-2)).toEqual([`[ms] misconfigured: ${ms}`, `[typo] misconfigured: ${typo}`]);
    const json = await p.run('history', '-i', '--json');
    expect(json.stdout).not.toContain(SECRET);
    expect(JSON.parse(json.stdout).unreachable).toEqual([
      { bind: 'ms', reason: `Bind 'ms': ${ms}`, misconfigured: true },
      { bind: 'typo', reason: `Bind 'typo': ${typo}`, misconfigured: true },
    ]);
  });

  it("upgrade --json: the error names the bind (`bind`), as its message does", async () => {
    const json = await p.run('upgrade', 'typo', '--json');
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(SECRET);
    expect(JSON.parse(json.stdout)).toEqual({ error: { message: `Bind 'typo': ${typo}`, bind: 'typo', code: 'URL' } });
  });
});

// A CI job that lints the migrations (`heads --json`: one head per bind) usually has no database
// secrets: `url: process.env.DB2_URL` is then undefined. The commands that only read scripts work
// (as Alembic's `heads` runs without env.py); a command that needs the bind says its url is unset
// and runs nothing.
describe('a bind whose url is unset (an environment variable a lint job does not have)', () => {
  const UNSET = 'MULTIDB_TEST_UNSET_DB2_URL';
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      `    aa: { url: 'sqlite:.data/aa.db' },\n` +
      `    db2: { url: process.env.${UNSET} },\n` +
      `  },\n});\n`,
  });
  const noUrl =
    "Bind 'db2' has no url: binds.db2.url is undefined (is the environment variable the config reads it from set? " +
    "'migrate' reads .env from the config's folder; loadEnvironment does not: call process.loadEnvFile() before it). " +
    'Set it, or give a kysely instance and its dialect.';
  beforeAll(() => {
    delete process.env[UNSET];
    // The template 'migrate init' writes, abridged (the project was not made by init).
    p.write(
      'migrations/script.ts.tmpl',
      'export const revision = ${revision};\nexport const downRevision = ${downRevision};\nexport const branchLabels = ${branchLabels};\n' +
        'export const dependsOn = ${dependsOn};\nexport const message = ${message};\nexport const createDate = ${createDate};\n\n' +
        'export async function upgrade(op) {\n  ${upgrades}\n}\n\nexport async function downgrade(op) {\n  ${downgrades}\n}\n',
    );
    for (const bind of ['aa', 'db2']) {
      p.write(`migrations/versions/${bind}/${bind}1_first.ts`, revisionSource({ revision: `${bind}1`, downRevision: null, branchLabels: [bind] }));
    }
  });
  afterAll(() => p.remove());

  it('heads (--json), history, branches, show: exit 0, every branch listed', async () => {
    const heads = await p.run('heads');
    expect(heads.code, heads.stderr).toBe(0);
    expect(heads.stdout.trimEnd().split('\n')).toEqual(['[aa] aa1 (aa) (head)', '[db2] db21 (db2) (head)']);
    const json = await p.run('heads', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { heads: { branch: string; revision: string }[] }).heads.map((h) => [h.branch, h.revision])).toEqual([
      ['aa', 'aa1'],
      ['db2', 'db21'],
    ]);
    for (const args of [['history'], ['branches'], ['show', 'db2@head']]) {
      const out = await p.run(...args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
    }
  });

  it('revision --bind db2 and upgrade --sql of the other bind work', async () => {
    const rev = await p.run('revision', '-m', 'second', '--bind', 'db2', '--rev-id', 'db22');
    expect(rev.code, rev.stderr).toBe(0);
    expect(readdirSync(join(p.dir, 'migrations/versions/db2'))).toContain('db22_second.ts');
    const sql = await p.run('upgrade', '--sql', 'aa@head');
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain("-- multidb offline script: bind 'aa' (sqlite)");
  });

  it('status: db2 misconfigured (its url unset), aa read, exit 1', async () => {
    const out = await p.run('status');
    expect(out.code).toBe(1);
    expect(out.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\[aa\] sqlite sqlite:\.data\/aa\.db: current <base>/),
      `[db2] ? (no url): current unknown, head db22; misconfigured: ${noUrl}`,
    ]);
  });

  it('upgrade: refused naming db2 and its unset url, nothing run on aa either', async () => {
    const out = await p.run('upgrade', '--json');
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({ error: { message: noUrl, bind: 'db2', code: 'URL' } });
    expect(existsSync(join(p.dir, '.data/aa.db'))).toBe(false);
  });

  it('from code (loadEnvironment reads no .env): the same refusal says to load the file first', async () => {
    // The .env beside the config that `migrate` would read; a script of the app's own gets nothing from it.
    p.write('.env', `${UNSET}=sqlite:.data/db2.db\n`);
    const alias = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias, fsCache: false }) });
    try {
      const error = await env.upgrade().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UrlError);
      expect(error).toMatchObject({ code: 'URL', bind: 'db2', message: noUrl });
      expect(noUrl).toContain('call process.loadEnvFile() before it');
    } finally {
      await env.close();
      rmSync(join(p.dir, '.env'));
    }
  });
});

// From code: the UrlError a command throws carries the bind in `bind` (as BindError does), for a
// URL no dialect takes and for one its dialect's parser refuses; never the password.
describe('UrlError from the command API names its bind', () => {
  const cases = [
    ['no dialect takes it', TYPO, `Bind 'typo': ${`no dialect for URL 'postgress://app:***@127.0.0.1/sales'. ${SUPPORTED}`}`],
    [
      'its dialect cannot parse it',
      `postgres://app:${SECRET}@127.0.0.1:notaport/sales`,
      "Bind 'typo': Invalid PostgreSQL URL '<unparsable postgres URL>': it does not parse as a URL (percent-encode @ : / ? # in the user name and password: %40 %3A %2F %3F %23). Write postgres://user:<password>@host:5432/database.",
    ],
    [
      'a SQLite URL with a host',
      'sqlite://somehost/app.db',
      "Bind 'typo': Invalid SQLite URL 'sqlite://somehost/app.db': a host is not allowed (use three slashes for an absolute path). Write sqlite:relative/path.db, sqlite:~/path/in/home.db, sqlite:///absolute/path.db or sqlite::memory:.",
    ],
  ] as const;
  it.each(cases)('%s', async (_what, url, message) => {
    const p = new InProcessProject([], { config: false });
    p.write('migrations/versions/typo/typo1_first.ts', revisionSource({ revision: 'typo1', downRevision: null, branchLabels: ['typo'] }));
    const env = await loadEnvironment({ dialects, baseDir: p.dir, configObject: { directory: 'migrations', binds: { typo: { url } } } });
    try {
      const error = await env.upgrade().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UrlError);
      expect(error).toMatchObject({ code: 'URL', bind: 'typo', message });
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(SECRET);
    } finally {
      await env.close();
      p.remove();
    }
  });
});
