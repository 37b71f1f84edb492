// A user adds multidb to their own app (the scripting/parity issue): every package is packed with
// `npm pack`, the tarballs are installed into a fresh app outside the monorepo together with the
// registry's public packages, and there the README's steps run: init --multidb, revision, upgrade, downgrade db2,
// upgrade --sql, the README's programmatic snippet as .mjs and as .ts, and its CommonJS one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_KYSELY_VERSION } from '@multidb/dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PACKAGES = ['core', 'dialect', 'autogenerate', 'tui', 'cli'];

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, timeout = 600_000): Promise<Result> {
  return new Promise((done) => {
    execFile(cmd, [...args], { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0', npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr', ...env } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function ok(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * The workspace's own build of the SQLite driver as a prebuilt binary in `dir`, under the name the
 * driver's install script (prebuild-install) looks for in its local prebuilds folder
 * (`npm_config_better_sqlite3_local_prebuilds`): the app's install unpacks it instead of compiling
 * SQLite from source (a minute or two of one core). The registry's package is still what is
 * installed, and its install script still runs and loads the binary; a version other than the
 * workspace's finds no file of its name and is built from source as before.
 */
async function localPrebuild(dir: string): Promise<void> {
  const driver = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(driver, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await ok('tar', ['-czf', join(dir, name), '-C', driver, 'build/Release/better_sqlite3.node'], ROOT);
}

/** The files of an installed package, relative to its folder with `/` (its own node_modules left out). */
function packageFiles(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = sub === '' ? entry.name : `${sub}/${entry.name}`;
    if (entry.isDirectory()) return path === 'node_modules' ? [] : packageFiles(dir, path);
    return [path];
  });
}

/** The README's "From your own code" snippet, as written there: the first `lang` block, or the first that contains `containing`. */
function readmeSnippet(containing = '', lang: 'ts' | 'js' = 'ts'): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## From your own code'));
  const code = [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!).find((c) => c.includes(containing));
  if (!code) throw new Error(`README: no ${lang} block${containing ? ` with '${containing}'` : ''} under '## From your own code'`);
  return code;
}

describe('packages a user can install', () => {
  let packs: string;
  let app: string;
  const migrate = (...args: string[]) => run(join(app, 'node_modules', '.bin', 'migrate'), args, app);

  beforeAll(async () => {
    packs = mkdtempSync(join(tmpdir(), 'multidb-packs-'));
    app = mkdtempSync(join(tmpdir(), 'multidb-app-'));
    // One npm for the five packs (the same tarballs as `npm pack` in each package's folder).
    await ok('npm', ['pack', '--silent', '--pack-destination', packs, ...PACKAGES.flatMap((p) => ['--workspace', `packages/${p}`])], ROOT);
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
    expect(tarballs).toHaveLength(PACKAGES.length);
    await localPrebuild(packs);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2));
    // The user's side: the packages, the one driver their binds use, tsx to run TypeScript, and
    // what a TypeScript app type-checks with (no driver's types: only SQLite binds here).
    await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'better-sqlite3@^12.11.1', 'tsx@^4', 'typescript@~5.9.3', '@types/node@^20'], app, {
      npm_config_better_sqlite3_local_prebuilds: packs,
    });
  }, 900_000);

  afterAll(() => {
    for (const dir of [packs, app]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs without the monorepo: only the packed files, with their types and the licence', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const p of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(app, 'node_modules', '@multidb', p, 'package.json'), 'utf8'));
      const types = manifest.exports['.'].types as string;
      expect(readFileSync(join(app, 'node_modules', '@multidb', p, types), 'utf8').length).toBeGreaterThan(0);
      expect(readdirSync(join(app, 'node_modules', '@multidb', p)).sort()).not.toContain('src');
      // The root LICENSE, copied in by each package's prepack script.
      expect(manifest.license).toBe('MIT');
      expect(readFileSync(join(app, 'node_modules', '@multidb', p, 'LICENSE'), 'utf8')).toBe(license);
    }
  });

  // A shipped file that names another (a `//# sourceMappingURL=` comment, a map's `sources`) names
  // one the package has: the declaration maps named ../src/*.ts, which is not packed (the packages
  // ship none now, as Kysely and drizzle-orm do not). The one exception is another package's code
  // that a bundle inlines (kysely in the dialects', commander and core's cache-folder in the CLI's):
  // its map names the file outside the package it was read from, and holds that file's text
  // itself (`sourcesContent`).
  it('every file a shipped file points at (sourceMappingURL, a map\'s sources) is in the package, or in the map', () => {
    const missing: string[] = [];
    for (const p of PACKAGES) {
      const dir = join(app, 'node_modules', '@multidb', p);
      const files = new Set(packageFiles(dir));
      for (const file of files) {
        const text = readFileSync(join(dir, file), 'utf8');
        if (file.endsWith('.map')) {
          const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string; sourcesContent?: (string | null)[] };
          map.sources.forEach((source, i) => {
            const target = posix.join(posix.dirname(file), map.sourceRoot ?? '', source);
            const inlined = target.startsWith('../') && typeof map.sourcesContent?.[i] === 'string';
            if (!files.has(target) && !inlined) missing.push(`@multidb/${p}/${file} -> ${source}`);
          });
        } else if (/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) {
          for (const [, url] of text.matchAll(/^\/\/[#@] sourceMappingURL=(\S+)$/gm)) {
            if (!url!.startsWith('data:') && !files.has(posix.join(posix.dirname(file), url!))) missing.push(`@multidb/${p}/${file} -> ${url}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  // What only the packages' own tests use stays out of the tarballs: test files, their support
  // modules (autogenerate's src/testing, compiled to dist/testing, was shipped) and fixtures.
  it('ships no test-only files: no *.test.* or *.spec.*, no testing/, test/, fixtures/ folder', () => {
    const testOnly = PACKAGES.flatMap((p) =>
      packageFiles(join(app, 'node_modules', '@multidb', p))
        .filter((file) => /\.(test|spec)\.[^/]+$/.test(file) || /(^|\/)(testing|tests?|__tests__|fixtures?|__fixtures__)\//.test(file))
        .map((file) => `@multidb/${p}/${file}`),
    );
    expect(testOnly).toEqual([]);
  });

  it('migrate --version prints the version of the installed CLI package', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
    const out = await migrate('--version');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe(version);
  });

  it('runs the walkthrough: init --multidb, revision, upgrade, downgrade db2, upgrade --sql', async () => {
    const init = await migrate('init', '--multidb');
    expect(init.code, init.stderr).toBe(0);
    const rev = await migrate('revision', '-m', 'create account', '--bind', 'db2');
    expect(rev.code, rev.stderr).toBe(0);
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(rev.stdout)![1]!;
    const source = readFileSync(file, 'utf8');
    // The revision imports kysely as the app has it installed (a peer of the packages, npm's newest
    // 0.28): the CLI gives it the dialects' bundled copy, the one op.db is made with, when the app's
    // is that version, else the app's own, every name of it there (0.28.20's AbortedTransactionError
    // was undefined with the bundled 0.28.18), and op.db is then made by the app's copy too (0.28.x),
    // except offline (--sql).
    const appKysely = createRequire(join(app, 'package.json'));
    const appVersion = (JSON.parse(readFileSync(join(dirname(appKysely.resolve('kysely')), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    const appNames = Object.keys(appKysely('kysely') as object).filter((name) => name !== '__esModule');
    expect(appNames).toContain('Kysely');
    writeFileSync(
      file,
      "import * as kysely from 'kysely';\nimport { Kysely, sql } from 'kysely';\n" +
        source
          .replace(
            '// Nothing to do.',
            `const missing = ${JSON.stringify(appNames)}.filter((name) => (kysely as Record<string, unknown>)[name] === undefined);\n` +
              "  if (missing.length > 0) throw new Error('not the app\\'s kysely: no ' + missing.join(', '));\n" +
              // Online, op.db is made by the app's kysely when it is the bundled minor; offline (--sql) by the bundled copy.
              `  const madeByApp = process.argv.includes('--sql') ? ${JSON.stringify(appVersion === BUNDLED_KYSELY_VERSION)} : ${JSON.stringify(appVersion.split('.').slice(0, 2).join('.') === BUNDLED_KYSELY_VERSION.split('.').slice(0, 2).join('.'))};\n` +
              "  if ((op.db instanceof Kysely) !== madeByApp) throw new Error('op.db instanceof Kysely: ' + (op.db instanceof Kysely));\n" +
              "  await op.createTable('account', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)' }]);\n" +
              "  await sql`INSERT INTO account (id, name) VALUES (${1}, ${'first'})`.execute(op.db);",
          )
          .replace('// Nothing to do.', "await op.dropTable('account');"),
    );
    const up = await migrate('upgrade');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('[db2] Running upgrade <base> ->');
    const current = await migrate('current');
    expect(current.stdout).toMatch(/\[db2\] \w+ \(head\)/);
    const down = await migrate('downgrade', 'db2');
    expect(down.code, down.stderr).toBe(0);
    expect((await migrate('current', 'db2')).stdout.trim()).toBe('[db2] <base>');
    const sql = await migrate('upgrade', '--sql', 'db2@base:head');
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain('CREATE TABLE "account"');
    expect(sql.stdout).toContain('INSERT INTO account');
  });

  it("runs the README's programmatic snippet as .mjs and as .ts", async () => {
    const snippet = readmeSnippet();
    writeFileSync(join(app, 'snippet.ts'), snippet);
    // Plain JavaScript: the snippet has no type annotations, so it runs as it is.
    writeFileSync(join(app, 'snippet.mjs'), snippet);
    const mjs = await run(process.execPath, ['snippet.mjs'], app);
    expect(mjs.code, mjs.stderr).toBe(0);
    const ts = await run(join(app, 'node_modules', '.bin', 'tsx'), ['snippet.ts'], app);
    expect(ts.code, ts.stderr).toBe(0);
    expect(mjs.stderr + ts.stderr).toContain("type: 'run-done'");
  });

  // Node 20.19+ and 22.12+ require() an ES module without top-level await: the entries have none
  // (core's and the dialects' are facades that load their bundle with require() there, by the
  // "module-sync" export condition), but @multidb/tui/screens, whose Ink has one, says so.
  it.runIf(process.features.require_module)("requires every package from CommonJS, and runs the README's CommonJS snippet", async () => {
    writeFileSync(join(app, 'snippet.cjs'), readmeSnippet('require(', 'js'));
    const snippet = await run(process.execPath, ['snippet.cjs'], app);
    expect(snippet.code, snippet.stderr).toBe(0);
    expect(snippet.stderr).toContain("type: 'run-done'");
    writeFileSync(
      join(app, 'packages.cjs'),
      [
        "const assert = require('node:assert/strict');",
        "const { REVISION_ID_PATTERN, generateRevisionId } = require('@multidb/core');",
        "assert.match(generateRevisionId(), REVISION_ID_PATTERN);",
        "const { dialects } = require('@multidb/dialect');",
        "assert.deepEqual(dialects.map((d) => d.name), ['sqlite', 'postgres', 'mysql']);",
        "const { sqliteDriver } = require('@multidb/dialect/sqlite');",
        "const { sql } = require('@multidb/dialect/kysely');",
        "assert.equal(typeof sql.raw, 'function');",
        "const { splitCommandLine } = require('@multidb/autogenerate');",
        `assert.deepEqual(splitCommandLine('prettier --write "{file}"'), ['prettier', '--write', '{file}']);`,
        "const { NOT_A_TTY_MESSAGE } = require('@multidb/tui');",
        "assert.match(NOT_A_TTY_MESSAGE, /interactive terminal/);",
        "const { cliVersion } = require('@multidb/cli');",
        `assert.equal(cliVersion(), '${(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version}');`,
        "assert.throws(() => require('@multidb/tui/screens'), { name: 'RequireAsyncModuleError', code: 'ERR_REQUIRE_ASYNC_MODULE', message: /^@multidb\\/tui\\/screens is an ES module with top-level await; use `await import\\('@multidb\\/tui\\/screens'\\)` from CommonJS/ });",
        // One copy of each package: the registry's dialect (imported) is the one required above.
        "dialects[0].load().then((driver) => { assert.equal(driver, sqliteDriver); console.log('ok'); });",
        '',
      ].join('\n'),
    );
    const packages = await run(process.execPath, ['packages.cjs'], app);
    expect(packages.code, packages.stderr).toBe(0);
    expect(packages.stdout.trim()).toBe('ok');
  });

  it("type-checks a strict app (skipLibCheck: false) with the README's CI script, which runs: upgrade, codegen, check's exit code 4", async () => {
    // db2 declares models (the walkthrough's account table and a column it lacks) and a types file.
    writeFileSync(
      join(app, 'models-db2.ts'),
      "import { defineModels } from '@multidb/core';\n" +
        "export default defineModels({ tables: [{ name: 'account', columns: [\n" +
        "  { name: 'id', type: 'integer', primaryKey: true },\n  { name: 'name', type: 'varchar(50)' },\n  { name: 'email', type: 'varchar(120)' },\n] }] });\n",
    );
    const config = readFileSync(join(app, 'migrate.config.ts'), 'utf8');
    writeFileSync(join(app, 'migrate.config.ts'), config.replace(/db2: \{ url: ([^}]*) \}/, "db2: { url: $1, models: './models-db2.ts', types: './db2-types.ts' }"));
    expect(readFileSync(join(app, 'migrate.config.ts'), 'utf8')).toContain("models: './models-db2.ts'");
    writeFileSync(join(app, 'ci.ts'), readmeSnippet('await check(env)'));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
        files: ['ci.ts', 'migrate.config.ts', 'models-db2.ts'],
      }),
    );
    const tsc = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const ci = await run(join(app, 'node_modules', '.bin', 'tsx'), ['ci.ts'], app);
    expect(ci.stderr).toContain("[db2] Detected added column 'account.email'");
    expect(ci.code, ci.stderr).toBe(4);
    expect(readFileSync(join(app, 'db2-types.ts'), 'utf8')).toContain('export interface Account {');
  });
});
