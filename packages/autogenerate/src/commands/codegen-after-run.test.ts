// Which binds `codegen: 'after-run'` regenerates after a run, up or down (the mode's earlier name
// 'after-upgrade' the same), read from the config alone; and what a failing codegen after a
// completed run throws. No database: the registry's one dialect fails to load, so a codegen that
// starts fails (test/codegen/ regenerates real files after real runs).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, type BindConfig, type DialectRegistry, type MigrationEnvironment, type MultidbConfig, type RunResult, type StepResult } from '@multidb/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodegenAfterRunError } from '../codegen/codegen-after-run-error.js';
import { codegenAfterRun, codegenAfterUpgrade, codegenBindsAfterRun, codegenModeOf } from './codegen.js';

let root: string;
let loaded: number;
const envs: MigrationEnvironment[] = [];

const dialects: DialectRegistry = [
  {
    name: 'sqlite',
    schemes: ['sqlite'],
    load: async () => {
      loaded++;
      throw new Error('cannot load the SQLite dialect here');
    },
  },
];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-codegen-after-run-'));
  loaded = 0;
});
afterEach(async () => {
  for (const env of envs.splice(0)) await env.close();
  await rm(root, { recursive: true, force: true });
});

async function open(binds: Record<string, Partial<BindConfig>>, top: Partial<MultidbConfig> = {}): Promise<MigrationEnvironment> {
  for (const bind of Object.keys(binds)) await mkdir(join(root, 'migrations', 'versions', bind), { recursive: true });
  const env = await loadEnvironment({
    dialects,
    configObject: { ...top, directory: 'migrations', binds: Object.fromEntries(Object.entries(binds).map(([name, b]) => [name, { url: `sqlite:data/${name}.db`, ...b }])) },
    baseDir: root,
  });
  envs.push(env);
  return env;
}

const step = (bind: string, revision: string, direction: 'up' | 'down'): StepResult => ({ bind, revision, direction, elapsedMs: 1 });
const run = (steps: StepResult[]): RunResult => ({ steps, heads: new Map(steps.map((s) => [s.bind, []])), elapsedMs: 2 });

describe('codegenModeOf', () => {
  it("reads the bind's own mode, else the top level's, else 'manual'; 'after-upgrade' reads as 'after-run'", async () => {
    const env = await open({ own: { codegen: 'after-upgrade' }, inherits: {}, manual: { codegen: 'manual' }, current: { codegen: 'after-run' } }, { codegen: 'after-upgrade' });
    expect(['own', 'inherits', 'manual', 'current'].map((b) => codegenModeOf(env, b))).toEqual(['after-run', 'after-run', 'manual', 'after-run']);
    const plain = await open({ x: {} });
    expect(codegenModeOf(plain, 'x')).toBe('manual');
  });
});

describe('codegenBindsAfterRun', () => {
  it("after an upgrade and after a downgrade alike: the binds the run changed, with types, in 'after-run' mode, in config order", async () => {
    const env = await open({
      b: { types: './b.ts', codegen: 'after-run' },
      a: { types: './a.ts', codegen: 'after-upgrade' },
      untouched: { types: './u.ts', codegen: 'after-run' },
      manual: { types: './m.ts', codegen: 'manual' },
      untyped: { codegen: 'after-run' },
    });
    for (const direction of ['up', 'down'] as const) {
      const result = run(['a', 'b', 'a', 'manual', 'untyped'].map((bind, i) => step(bind, `r${i}`, direction)));
      expect(codegenBindsAfterRun(env, result)).toEqual(['b', 'a']);
    }
    expect(codegenBindsAfterRun(env, run([]))).toEqual([]);
  });
});

describe('codegenAfterRun', () => {
  it('does nothing, loading no dialect, when no bind is to be regenerated', async () => {
    const env = await open({ manual: { types: './m.ts' } });
    expect(await codegenAfterRun(env, run([step('manual', 'r1', 'down')]))).toEqual([]);
    expect(loaded).toBe(0);
  });

  it('a failing codegen after a completed downgrade: CodegenAfterRunError saying the downgrade completed, with the cause, steps and heads', async () => {
    const env = await open({ db2: { types: './db2.ts', codegen: 'after-run' } });
    const result: RunResult = { steps: [step('db2', 'r2', 'down'), step('db2', 'r1', 'down')], heads: new Map([['db2', []]]), elapsedMs: 5 };
    const error = await codegenAfterRun(env, result).catch((e: unknown) => e);
    expect(loaded).toBe(1);
    expect(error).toBeInstanceOf(CodegenAfterRunError);
    const e = error as CodegenAfterRunError;
    expect(e.code).toBe('CODEGEN_AFTER_RUN');
    expect(e.command).toBe('downgrade');
    expect(e.binds).toEqual(['db2']);
    expect(e.completed).toBe(result.steps);
    expect(e.heads).toBe(result.heads);
    expect((e.cause as Error).message).toMatch(/cannot load the SQLite dialect here/);
    expect(e.message).toMatch(/^The downgrade completed \(2 revisions\), but regenerating the types of db2 failed: .*cannot load the SQLite dialect here\..* The types may be stale: run 'migrate codegen db2' once that is fixed\.$/);
  });

  it('after an upgrade the message names the upgrade; codegenAfterUpgrade is the same function', async () => {
    const env = await open({ a: { types: './a.ts' }, b: { types: './b.ts' } }, { codegen: 'after-upgrade' });
    const error = (await codegenAfterUpgrade(env, run([step('a', 'r1', 'up'), step('b', 's1', 'up')])).catch((e: unknown) => e)) as CodegenAfterRunError;
    expect(codegenAfterUpgrade).toBe(codegenAfterRun);
    expect(error.command).toBe('upgrade');
    expect(error.message).toMatch(/^The upgrade completed \(2 revisions\), but regenerating the types of a, b failed: .* run 'migrate codegen a b' once that is fixed\.$/);
  });
});
