import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyNoColor, NOT_A_TTY_MESSAGE, runTui } from '../src/index.js';
import { executeRun } from '../src/run/execute-run.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { eventually } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

/** A terminal's two ends in memory: what the app wrote, and keys to send it. */
function fakeTerminal(isTTY = true) {
  let written = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 80, rows: 24 },
  ) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), { isTTY, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream & PassThrough;
  let errors = '';
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      errors += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stdin, stdout, stderr, output: () => written, errors: () => errors };
}

/**
 * `runTui` on a fake terminal in `cwd` (the in-process driver), and `waitFor(text)`: until the
 * output holds `text` (the app reads the project asynchronously: up to 20 s on a loaded machine).
 */
function startTui(cwd: string, env: NodeJS.ProcessEnv) {
  const t = fakeTerminal();
  const done = runTui({ cwd, stdin: t.stdin, stdout: t.stdout, stderr: t.stderr, env, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  const waitFor = (text: string) => eventually(() => expect(t.output()).toContain(text), 20_000);
  return { t, done, waitFor };
}

describe('runTui', () => {
  const p = new SampleProject({ default: 'sqlite:.data/default.db' });
  p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], message: 'create artist', upgrade: `await op.createTable('Artist', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  afterAll(() => p.remove());

  it('refuses without a terminal, pointing to the plain commands (exit code 2)', async () => {
    const t = fakeTerminal(false);
    expect(await runTui({ cwd: p.dir, stdin: t.stdin, stdout: t.stdout, stderr: t.stderr })).toBe(2);
    expect(t.errors()).toBe(NOT_A_TTY_MESSAGE);
    expect(t.errors()).toContain('migrate upgrade [targets...]');
    expect(t.output()).toBe('');
  });

  it('prints one ERROR line when the config does not load (exit code 1)', async () => {
    const t = fakeTerminal();
    const empty = new SampleProject({});
    try {
      expect(await runTui({ cwd: empty.dir, config: 'missing.config.ts', stdin: t.stdin, stdout: t.stdout, stderr: t.stderr, env: {} })).toBe(1);
      expect(t.errors()).toMatch(/^ERROR: .*missing\.config\.ts.*\n$/);
    } finally {
      empty.remove();
    }
  });

  it('draws on the alternate screen, upgrades, and prints the run summary after quitting', async () => {
    const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    // Each frame is drawn as it comes (Ink loaded for a terminal, as runTui does), not only the last one.
    const { t, done, waitFor } = startTui(p.dir, env);
    await waitFor('1 pending');
    expect(env.FORCE_COLOR).toBe('0');
    expect(t.output().startsWith('\u001B[?1049h')).toBe(true);
    t.stdin.write('\r');
    await waitFor('[ Upgrade: 1 revision on 1 bind ]');
    t.stdin.write('u');
    await waitFor('Upgrade · finished');
    t.stdin.write('q');
    await waitFor('up to date');
    t.stdin.write('q');
    expect(await done).toBe(0);
    expect(t.output()).toMatch(/\u001B\[\?1049l(\u001B\[\?25h)?Upgrade finished in \d+\.\d s: default upgraded \(1 revision\)\.\n$/);
    expect(p.versions('default')).toEqual(['a1']);
  });
});

describe("runTui with codegen: 'after-run'", () => {
  const p = new SampleProject();
  afterAll(() => p.remove());

  it('a codegen that fails after a completed downgrade: the summary says the downgrade finished and why the types were not regenerated; exit 1', async () => {
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ codegen: 'after-run', binds: { default: { url: 'sqlite:.data/default.db', types: './blocked/default.ts' } } });\n`,
    );
    p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: `await op.createTable('Artist', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Artist');` });
    p.write('blocked/default.ts', '');
    await executeRun({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['default@head'] }, () => undefined);
    expect(readFileSync(join(p.dir, 'blocked', 'default.ts'), 'utf8')).toContain('export interface Artist {');
    // The types file's folder becomes a file: the codegen after the downgrade cannot write it.
    rmSync(join(p.dir, 'blocked'), { recursive: true });
    p.write('blocked', 'not a folder');
    const { t, done, waitFor } = startTui(p.dir, { NO_COLOR: '1' });
    await waitFor('up to date');
    t.stdin.write('d');
    await waitFor('Downgrade default · now at a1');
    t.stdin.write('\r');
    // The confirmation takes `y` once its plan is loaded (its title shows while it loads).
    await waitFor('Run it? y / n');
    t.stdin.write('y');
    await waitFor('Downgrade · finished');
    t.stdin.write('q');
    await waitFor('1 pending'); // the binds again, read anew
    t.stdin.write('q');
    expect(await done).toBe(1);
    const file = join(p.dir, 'blocked', 'default.ts');
    expect(t.output()).toMatch(/\u001B\[\?1049l(\u001B\[\?25h)?Downgrade finished in \d+\.\d s: default downgraded \(1 revision\)\. Types not regenerated: ENOTDIR: not a directory, open '[^']+' \(run 'migrate codegen' once fixed\)\.\n$/);
    expect(t.output()).toContain(`open '${file}'`);
    expect(p.versions('default')).toEqual([]);
  });
});

describe('applyNoColor', () => {
  it('sets FORCE_COLOR=0 when NO_COLOR is set and not empty', () => {
    const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    expect(applyNoColor(env)).toBe(true);
    expect(env.FORCE_COLOR).toBe('0');
    const empty: NodeJS.ProcessEnv = { NO_COLOR: '' };
    expect(applyNoColor(empty)).toBe(false);
    expect(empty.FORCE_COLOR).toBeUndefined();
  });
});

describe('the main entry', () => {
  it('does not load Ink (colour is decided when Ink loads), even through its imports', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '../src');
    const seen = new Set<string>();
    const reaches: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(src, file), 'utf8');
      // Static value imports and re-exports; `import type` / `export type` are erased.
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)) {
        const spec = m[1]!;
        if (spec === 'ink' || spec === 'ink-testing-library' || spec === '@inkjs/ui') reaches.push(`${file} → ${spec}`);
        if (spec.startsWith('./') || spec.startsWith('../')) {
          const base = join(dirname(file), spec).replace(/\.js$/, '');
          visit(existsSync(join(src, `${base}.ts`)) ? `${base}.ts` : `${base}.tsx`);
        }
      }
    };
    visit('index.ts');
    expect(reaches).toEqual([]);
    expect(seen.has(join('app', 'run-tui.ts'))).toBe(true);
    expect(seen.has(join('run', 'run-driver.ts'))).toBe(true);
  });
});
