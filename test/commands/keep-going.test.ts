// RunOptions.keepGoing: in a run of independent groups (tenants sharing a branch) with concurrency
// 1, a failing group stops only itself, as with concurrency > 1; the other groups go on, one after
// the other, and the run ends with one RunError. The TUI runs each part of a run this way (a part
// packs many tenants run one after the other: a failing tenant stopped the rest of its part).
// Real SQLite tenants, a run that connects every bind first (3 tenants) and a larger one (20).
import { createModuleLoader, loadEnvironment, MigrationError, RunError, type RunEvent } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const [T1, T2] = ['6b6b6b6b6b01', '6b6b6b6b6b02'];
const table = (name: string) => ({
  upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
  downgrade: `await op.dropTable('${name}');`,
});

/** `count` tenants t01… on branch `tenant`; `failing`'s second revision throws. */
function project(count: number, failing: string): { p: TempProject; tenants: string[] } {
  const tenants = Array.from({ length: count }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
  });
  p.write(`migrations/versions/tenant/${T1}_a.ts`, revisionSource({ revision: T1, downRevision: null, branchLabels: ['tenant'], ...table('a') }));
  p.write(
    `migrations/versions/tenant/${T2}_b.ts`,
    revisionSource({ revision: T2, downRevision: T1, upgrade: `if (op.bind === '${failing}') throw new Error('${failing} refuses b'); ${table('b').upgrade}`, downgrade: table('b').downgrade }),
  );
  return { p, tenants };
}

const projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.remove();
});

async function upgrade(p: TempProject, options: { keepGoing?: boolean }): Promise<{ error: unknown; events: RunEvent[] }> {
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  const events: RunEvent[] = [];
  try {
    await env.upgrade([], { ...options, onEvent: (e) => events.push(e) });
    return { error: undefined, events };
  } catch (error) {
    return { error, events };
  } finally {
    await env.close();
  }
}

describe.each([3, 20])('keepGoing with concurrency 1, %i tenants', (count) => {
  it('a failing tenant stops only itself: every other tenant reaches head, one RunError names the failure', async () => {
    const { p, tenants } = project(count, 't02');
    projects.push(p);
    const { error, events } = await upgrade(p, { keepGoing: true });
    expect(error).toBeInstanceOf(RunError);
    const run = error as RunError;
    expect(run.failures.map((f) => [f.bind, f.revision])).toEqual([['t02', T2]]);
    expect(run.skipped).toEqual([]);
    expect(run.completed.filter((s) => s.bind !== 't02')).toHaveLength(2 * (count - 1));
    for (const t of tenants) expect(p.versionsApplied(t), t).toEqual(t === 't02' ? [T1] : [T2]);
    const done = events.filter((e): e is Extract<RunEvent, { type: 'bind-done' }> => e.type === 'bind-done');
    expect(done.filter((e) => e.ok).map((e) => e.bind)).toEqual(tenants.filter((t) => t !== 't02'));
    expect(done.find((e) => e.bind === 't02')).toMatchObject({ ok: false, heads: [T1] });
    // Run again: only what is left, the same failure.
    const again = await upgrade(p, { keepGoing: true });
    expect((again.error as RunError).failures.map((f) => f.bind)).toEqual(['t02']);
    expect((again.error as RunError).completed).toEqual([]);
  });

  it('without it the run stops at the failing tenant, the tenants after it not run', async () => {
    const { p, tenants } = project(count, 't02');
    projects.push(p);
    const { error } = await upgrade(p, {});
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).notRun).toEqual(tenants.slice(2));
    expect(p.versionsApplied('t03')).toEqual([]);
  });
});
