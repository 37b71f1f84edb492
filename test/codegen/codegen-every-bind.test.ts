// `migrate codegen` (with and without --verify, and --json) with two binds, the first of which
// cannot be generated: its URL comes from DB2_URL, which is unset (misconfigured) or points at a
// closed port (unreachable). The other bind's types are still generated or verified, the failing
// bind is reported by name with its reason (the unset `binds.db2.url`; the masked URL, never the
// password), and the command exits 1, as `migrate check` does (test/cli/check-every-bind.test.ts).
// SQLite files. `migrate` runs in-process (`main`), the variables set in process.env while it runs
// (withEnv: this file's tests run one at a time), except one run through the built binary (below).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodegenJson } from '@multidb/cli';
import { addRevision } from '../faults/faults-support.js';
import { runInProcess } from '../support/in-process.js';
import { TempProject, runMigrate, type RunOutput } from '../support/project.js';

const PASSWORD = 'Zq9pw77secret';
/** Nothing listens on port 9 of the loopback: the connection is refused at once. */
const CLOSED_URL = `postgres://app:${PASSWORD}@127.0.0.1:9/sales`;

const lines = (text: string) => text.split('\n').filter(Boolean);

/**
 * Runs `fn` with `vars` set in process.env (a key set to `undefined` removed; a config reads them
 * while it loads, during a run), then puts back what was there. Only for tests that run one at a
 * time, as this file's do.
 */
async function withEnv<T>(vars: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  const set = (entries: readonly (readonly [string, string | undefined])[]) => {
    for (const [key, value] of entries) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(Object.entries(vars));
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

/** Runs `migrate ARGS` in-process in `p` with `env` set while it runs ({@link withEnv}). */
const run = (p: TempProject, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunOutput> => withEnv(env, () => runInProcess(p.dir, args));

/** {@link run}, failing with the output unless it exits 0. */
async function ok(p: TempProject, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunOutput> {
  const out = await run(p, args, env);
  if (out.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${out.code}\n${out.stdout}\n${out.stderr}`);
  return out;
}

describe('codegen reports every bind, going on past a bind without a URL or unreachable', () => {
  const UNSET = { DB2_URL: undefined };
  let p: TempProject;

  beforeAll(async () => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        `    db2: { url: process.env.DB2_URL, types: './types/db2.ts', connectTimeout: 5 },\n` +
        `    default: { url: 'sqlite:.data/default.db', types: './types/default.ts' },\n` +
        `  },\n});\n`,
    });
    await ok(p, ['init', '--multidb'], UNSET);
    await ok(p, ['revision', '-m', 'note', '--head', 'default@head'], UNSET);
    const [file] = p.versions('default');
    p.fill(`migrations/versions/default/${file!}`, { upgrade: `await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'title', type: 'varchar(50)', nullable: false }]);` });
    await ok(p, ['upgrade', 'default'], UNSET);
  });
  afterAll(() => p?.remove());

  it('DB2_URL unset: default written, db2 reported as misconfigured naming binds.db2.url, exit 1; --verify and --json the same', async () => {
    const out = await run(p, ['codegen'], UNSET);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(lines(out.stdout)).toEqual(['[default] Wrote types/default.ts']);
    const stderr = lines(out.stderr);
    expect(stderr[0]).toMatch(/^ERROR: \[db2\] misconfigured: has no url: binds\.db2\.url is undefined \(is the environment variable the config reads it from set\?/);
    expect(stderr.slice(1)).toEqual(['Could not generate the types of 1 of 2 binds: db2 (misconfigured).']);
    expect(p.read('types/default.ts')).toContain('export interface Note {\n  id: Generated<number>;\n  title: string;\n}');
    expect(p.exists('types/db2.ts')).toBe(false);

    const verify = await run(p, ['codegen', '--verify'], UNSET);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(lines(verify.stdout)).toEqual(['[default] types/default.ts matches the database.']);
    expect(lines(verify.stderr)[0]).toMatch(/^ERROR: \[db2\] misconfigured: has no url: binds\.db2\.url is undefined/);

    const json = await run(p, ['codegen', '--verify', '--json'], UNSET);
    expect(json.code, json.stderr).toBe(1);
    const doc = JSON.parse(json.stdout) as CodegenJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome, b.code])).toEqual([
      ['db2', 'misconfigured', 'URL'],
      ['default', 'current', undefined],
    ]);
    expect(doc.binds[0]!.reason).toMatch(/^\[db2\] has no url: binds\.db2\.url is undefined/);
  });

  it('a stale default and db2 unreachable (password in its URL): both reported, the password masked, exit 1 (the most severe)', async () => {
    p.write('types/default.ts', '// stale\n');
    const env = { DB2_URL: CLOSED_URL };
    // Through the built binary: its whole stderr (a driver's own warnings included, which would not
    // go through main's output) is checked for the password.
    const verify = await runMigrate(p.dir, ['codegen', '--verify'], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(lines(verify.stdout)).toEqual(['[default] types/default.ts differs from the database.']);
    const stderr = lines(verify.stderr);
    expect(stderr[0]).toMatch(/^ERROR: \[db2\] unreachable: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(stderr.slice(1)).toEqual([
      "Types out of date for default: run 'migrate codegen default' and commit the files.",
      'Could not generate the types of 1 of 2 binds: db2 (unreachable).',
    ]);
    expect(verify.stdout + verify.stderr).not.toContain(PASSWORD);

    const json = await run(p, ['codegen', '--json'], env);
    expect(json.code, json.stderr).toBe(1);
    expect(json.stdout + json.stderr).not.toContain(PASSWORD);
    const doc = JSON.parse(json.stdout) as CodegenJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome, b.code])).toEqual([
      ['db2', 'unreachable', 'CONNECT'],
      ['default', 'written', undefined],
    ]);
    expect(doc.binds[0]!.reason).toMatch(/^\[db2\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: /);
    expect(p.read('types/default.ts')).toContain('export interface Note');

    // Only default asked about: every file current, exit 0.
    expect((await run(p, ['codegen', '--verify', 'default'], env)).code).toBe(0);
  });
});

/** A project of two tenant binds `t1` and `t2` (their configs as code) on the branch `tenant`, whose one revision creates `note`. */
async function tenantsProject(t1: string, t2: string, env: NodeJS.ProcessEnv = {}): Promise<TempProject> {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { t1: ${t1}, t2: ${t2} } });\n`,
  });
  await ok(p, ['init', '--multidb'], env);
  addRevision(p, 'tenant', { revision: 'aa01', downRevision: null, message: 'note', upgrade: `await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  return p;
}

describe('binds sharing a types file (tenants): the first that cannot be generated does not keep the others from it', () => {
  const T1_UNSET = { T1_URL: undefined };
  let p: TempProject;
  beforeAll(async () => {
    p = await tenantsProject(`{ url: process.env.T1_URL, branch: 'tenant', types: './types/tenant.ts' }`, `{ url: 'sqlite:.data/t2.db', branch: 'tenant', types: './types/tenant.ts' }`, T1_UNSET);
    await ok(p, ['upgrade', 't2'], T1_UNSET);
  });
  afterAll(() => p?.remove());

  it('t1 without a URL: t2 generates the shared file (it was skipped as if t1 had), exit 1 for t1', async () => {
    const json = await run(p, ['codegen', '--json'], T1_UNSET);
    expect(json.code, json.stderr).toBe(1);
    const doc = JSON.parse(json.stdout) as CodegenJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome])).toEqual([
      ['t1', 'misconfigured'],
      ['t2', 'written'],
    ]);
    expect(p.read('types/tenant.ts')).toContain('export interface Note');
  });
});

describe('a types file that cannot be read (its path is a folder): that bind fails, the next is still generated', () => {
  let p: TempProject;
  beforeAll(async () => {
    p = await tenantsProject(`{ url: 'sqlite:.data/t1.db', branch: 'tenant', types: './types' }`, `{ url: 'sqlite:.data/t2.db', branch: 'tenant', types: './types/t2.ts' }`);
    await ok(p, ['upgrade']);
    p.write('types/keep.txt', '');
  });
  afterAll(() => p?.remove());

  it('t1 is an error naming EISDIR, t2 written, exit 1', async () => {
    const json = await run(p, ['codegen', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const doc = JSON.parse(json.stdout) as CodegenJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome])).toEqual([
      ['t1', 'error'],
      ['t2', 'written'],
    ]);
    expect(doc.binds[0]!.reason).toMatch(/^\[t1\] .*EISDIR/);
    expect(p.read('types/t2.ts')).toContain('export interface Note');
  });
});

