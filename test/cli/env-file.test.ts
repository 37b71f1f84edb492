// `.env` loading: before the config loads, `migrate` reads `.env` from the config file's folder
// (found from the working folder upward), or the file `--env-file PATH` names, into process.env
// without overriding what is already set. A missing default `.env` is fine; a missing
// `--env-file` is a usage error (exit 2) naming the path. In-process (`main`): each test has its
// own project and its own variable name (process.env is shared by every in-process run of the worker).
// On a Node.js older than 20.12 (no process.loadEnvFile) the binary says so and exits 1.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CurrentJson } from '@multidb/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { TempProject, runMigrate } from '../support/project.js';

const projects: TempProject[] = [];
const variables: string[] = [];

/** A project whose one bind's URL comes from `process.env[VAR]` (fallback `sqlite:.data/fallback.db`). */
function project(): { p: TempProject; name: string } {
  const name = `MULTIDB_ENV_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  variables.push(name);
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: process.env.${name} ?? 'sqlite:.data/fallback.db' } } });\n`,
  });
  mkdirSync(join(p.dir, 'migrations', 'versions', 'app'), { recursive: true });
  projects.push(p);
  return { p, name };
}

async function urlSeen(cwd: string, ...args: string[]): Promise<string> {
  const out = await runInProcess(cwd, [...args, 'current', '--json']);
  expect(out.code, out.stderr).toBe(0);
  return (JSON.parse(out.stdout) as CurrentJson).binds[0]!.displayUrl;
}

afterEach(() => {
  for (const name of variables.splice(0)) delete process.env[name];
  for (const p of projects.splice(0)) p.remove();
});

describe('.env and --env-file', () => {
  it(".env next to the config sets the config's URL, also when run from a subfolder", async () => {
    const { p, name } = project();
    p.write('.env', `# the bind's database\n${name}=sqlite:.data/from-dotenv.db\n`);
    p.write('sub/deeper/.keep', '');
    expect(await urlSeen(join(p.dir, 'sub', 'deeper'))).toBe('sqlite:.data/from-dotenv.db');
    expect(p.exists('.data/from-dotenv.db')).toBe(false); // current reads; it creates no database file
  });

  it('never overrides a variable already set', async () => {
    const { p, name } = project();
    p.write('.env', `${name}=sqlite:.data/from-dotenv.db\n`);
    process.env[name] = 'sqlite:.data/preset.db';
    expect(await urlSeen(p.dir)).toBe('sqlite:.data/preset.db');
  });

  it('--env-file PATH loads that file (relative to the working folder) instead of .env', async () => {
    const { p, name } = project();
    p.write('.env', `${name}=sqlite:.data/from-dotenv.db\n`);
    p.write('env/staging.env', `${name}=sqlite:.data/staging.db\n`);
    expect(await urlSeen(p.dir, '--env-file', 'env/staging.env')).toBe('sqlite:.data/staging.db');
  });

  it('a missing default .env is fine', async () => {
    const { p } = project();
    expect(await urlSeen(p.dir)).toBe('sqlite:.data/fallback.db');
  });

  it('a missing --env-file is a usage error (exit 2) naming the path', async () => {
    const { p } = project();
    const out = await runInProcess(p.dir, ['--env-file', 'nope.env', 'current']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(`ERROR: --env-file ${join(p.dir, 'nope.env')}: no such file.`);
  });
});

describe('on a Node.js older than the CLI needs', () => {
  // Node 20.11 as far as the CLI can tell: its version, and no process.loadEnvFile (Node 20.12).
  // npm only warns about engines at install; the bin said `process.loadEnvFile is not a function`
  // once a .env file existed.
  const PRELOAD = `Object.defineProperty(process.versions, 'node', { value: '20.11.1' }); delete process.loadEnvFile;\n`;

  it('the binary says which Node.js it needs, and exits 1 before loading anything', async () => {
    const { p, name } = project();
    p.write('.env', `${name}=sqlite:.data/from-env.db\n`);
    p.write('preload.cjs', PRELOAD);
    for (const args of [['current'], ['--version']]) {
      const out = await runMigrate(p.dir, args, { NODE_OPTIONS: `--require ${join(p.dir, 'preload.cjs')}` });
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toBe('migrate needs Node.js 20.12.0 or later; this is Node.js 20.11.1. Upgrade Node.js (nvm install 20, or a newer LTS).\n');
      expect(out.stdout).toBe('');
    }
    expect(p.exists('.data')).toBe(false);
  });
});
