// The `migrate` bin loads @multidb/core and the CLI as scripts with V8 code caches kept in the
// project's cache folder (packages/cli/src/script-cache.ts; issue #13, P1): the first run writes
// one cache file per script, the next runs use them, and a corrupt cache or one V8 refuses is
// ignored and replaced. Whichever way the code was compiled, `migrate` prints the same, and the
// same as the CLI's ES module bundle (what the bin ran before) with the same exit code.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlesSettled, TempProject, type RunOutput } from '../support/project.js';
import { addRevision } from '../faults/faults-support.js';

const CLI_BUNDLE = fileURLToPath(new URL('../../packages/cli/dist/bundle/main.js', import.meta.url));

/** What the output of each of these is compared on: a command, its help, usage and other errors. */
const COMMANDS: readonly (readonly string[])[] = [
  ['heads'],
  ['heads', '--json'],
  ['history', '-v'],
  ['current'],
  ['--help'],
  ['heads', '--bogus'],
  ['show', 'nope'],
  ['upgrade', 'bogus'],
];

describe('the V8 code cache of the migrate bin', () => {
  let p: TempProject;
  let cacheDir: string;

  /** The cache files: name → inode and modification time (a rewrite changes the inode). */
  const cacheFiles = (): Record<string, string> =>
    Object.fromEntries(
      readdirSync(cacheDir)
        .filter((f) => /^v8-.*\.bin$/.test(f))
        .map((f) => {
          const s = statSync(join(cacheDir, f));
          return [f, `${s.ino}:${s.mtimeMs}`];
        }),
    );

  /** `main` of the CLI's ES module bundle, run in a fresh process (no script, no code cache). */
  const runEsmBundle = (args: readonly string[]): Promise<RunOutput> =>
    new Promise((resolve) => {
      const program = `import { main } from ${JSON.stringify(pathToFileURL(CLI_BUNDLE).href)}; process.exitCode = await main(process.argv.slice(1));`;
      execFile(process.execPath, ['--input-type=module', '-e', program, '--', ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });

  beforeAll(async () => {
    await bundlesSettled(); // else the first run writes no cache
    p = new TempProject(['default']);
    // The project's node_modules: its cache folder is node_modules/.cache/multidb.
    mkdirSync(join(p.dir, 'node_modules'));
    cacheDir = join(p.dir, 'node_modules', '.cache', 'multidb');
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'first', upgrade: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);" });
  });
  afterAll(() => p.remove());

  it('the first run writes a cache of core and one of the CLI; the next run uses them (not rewritten) and prints the same', async () => {
    rmSync(cacheDir, { recursive: true, force: true });
    const first = await p.ok('heads');
    expect(first.stdout).toContain('aa01 (default) (head)');
    const written = cacheFiles();
    expect(Object.keys(written)).toHaveLength(2);
    const second = await p.ok('heads');
    expect(second).toEqual(first);
    expect(cacheFiles()).toEqual(written);
    // A command that connects loads the dialects' script too (packages/dialect's shared.script.cjs): one cache more.
    const current = await p.ok('current');
    const withDialects = cacheFiles();
    expect(Object.keys(withDialects)).toHaveLength(3);
    for (const name of Object.keys(written)) expect(withDialects[name]).toBe(written[name]);
    expect(await p.ok('current')).toEqual(current);
    expect(cacheFiles()).toEqual(withDialects);
  });

  it.each(COMMANDS)('with the caches used, `%s ...` prints what the ES module bundle prints, with its exit code', async (...args) => {
    await p.run('current'); // the caches exist
    const before = cacheFiles();
    expect(Object.keys(before)).toHaveLength(3);
    const withCache = await p.run(...args);
    expect(cacheFiles()).toEqual(before);
    const esm = await runEsmBundle(args);
    expect(withCache).toEqual(esm);
  });

  it('a corrupt cache is ignored (same output and exit code) and replaced; the next run uses the new one', async () => {
    await p.ok('current');
    const expected = await p.run('current', '--verbose');
    const before = cacheFiles();
    expect(Object.keys(before)).toHaveLength(3);
    for (const name of Object.keys(before)) {
      const bytes = readFileSync(join(cacheDir, name));
      for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] = bytes[i]! ^ 0x5a;
      writeFileSync(join(cacheDir, name), bytes);
    }
    expect(await p.run('current', '--verbose')).toEqual(expected);
    const rewritten = cacheFiles();
    for (const name of Object.keys(before)) expect(rewritten[name], name).not.toBe(before[name]);
    expect(await p.run('current', '--verbose')).toEqual(expected);
    expect(cacheFiles()).toEqual(rewritten);
  });

  it('a cache V8 refuses (made under other V8 flags) is ignored (same output) and rewritten', async () => {
    const expected = await p.ok('current');
    const before = cacheFiles();
    expect(Object.keys(before)).toHaveLength(3);
    const other = await p.run('current');
    expect(cacheFiles()).toEqual(before);
    // --max-old-space-size is one of the V8 flags NODE_OPTIONS takes; V8's code cache checks a hash of its flags.
    const withFlag = await new Promise<RunOutput>((resolve) => {
      execFile(process.execPath, ['--max-old-space-size=3000', fileURLToPath(new URL('../../packages/cli/bin/migrate.cjs', import.meta.url)), 'current'], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
    expect(withFlag).toEqual(expected);
    expect(other).toEqual(expected);
    const rewritten = cacheFiles();
    for (const name of Object.keys(before)) expect(rewritten[name], name).not.toBe(before[name]);
  });
});
