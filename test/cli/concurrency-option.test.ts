// `migrate upgrade|downgrade --concurrency N` (DESIGN §8): binds run at the same time where no
// dependency orders them. Every revision sleeps ~700 ms and logs its start and end time, so the
// tests compare intervals (overlapping or not), never wall-clock totals.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModuleLoader, loadEnvironment, RunError, type RunEvent } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject } from '../support/project.js';

const SLEEP = 'await new Promise((r) => setTimeout(r, 700));';
const LOG = `new URL('../../../timing.log', import.meta.url)`;
/** A revision body: sleeps, then logs `<revision> <direction> <start> <end>`; `fail` throws after sleeping. */
const body = (direction: 'up' | 'down', fail = false) =>
  `const t0 = Date.now(); ${SLEEP} ` +
  (fail ? `throw new Error('boom in ' + revision);` : `appendFileSync(${LOG}, \`\${revision} ${direction} \${t0} \${Date.now()}\\n\`);`);

interface Interval {
  readonly start: number;
  readonly end: number;
}

/** What the revisions logged since the last {@link reset}: per revision, its interval. */
function logged(p: TempProject): Map<string, Interval> {
  const out = new Map<string, Interval>();
  if (!p.exists('timing.log')) return out;
  for (const line of p.read('timing.log').split('\n').filter(Boolean)) {
    const [revision, , start, end] = line.split(' ');
    out.set(revision!, { start: Number(start), end: Number(end) });
  }
  return out;
}
const reset = (p: TempProject) => rmSync(join(p.dir, 'timing.log'), { force: true });
/** The span of a bind's steps (revisions `<bind>1`, `<bind>2`, ...). */
function span(log: Map<string, Interval>, bind: string): Interval {
  const mine = [...log].filter(([r]) => r.startsWith(bind)).map(([, i]) => i);
  expect(mine.length).toBeGreaterThan(0);
  return { start: Math.min(...mine.map((i) => i.start)), end: Math.max(...mine.map((i) => i.end)) };
}
const overlap = (a: Interval, b: Interval) => Math.max(a.start, b.start) < Math.min(a.end, b.end);

/** Writes `<bind>1`, `<bind>2` for each bind (sleeping, logging); `deps` adds depends-on, `failing` throws. */
function addBinds(p: TempProject, binds: readonly string[], deps: Record<string, string> = {}, failing: readonly string[] = []): void {
  for (const b of binds) {
    for (const n of [1, 2]) {
      const revision = `${b}${n}`;
      addRevision(p, b, {
        revision,
        downRevision: n === 1 ? null : `${b}1`,
        message: `step ${revision}`,
        ...(deps[revision] ? { dependsOn: [deps[revision]!] } : {}),
        extra: `import { appendFileSync } from 'node:fs';`,
        upgrade: body('up', failing.includes(revision)),
        downgrade: body('down'),
      });
    }
  }
}

describe('--concurrency: independent binds', () => {
  const p = new InProcessProject(['aa', 'bb', 'cc']);
  afterAll(() => p.remove());
  beforeAll(() => addBinds(p, ['aa', 'bb', 'cc']));

  it('by default the binds run one after the other: no two binds overlap', async () => {
    reset(p);
    await p.ok('upgrade');
    const log = logged(p);
    expect(log.size).toBe(6);
    const spans = ['aa', 'bb', 'cc'].map((b) => span(log, b));
    expect(overlap(spans[0]!, spans[1]!)).toBe(false);
    expect(overlap(spans[0]!, spans[2]!)).toBe(false);
    expect(overlap(spans[1]!, spans[2]!)).toBe(false);
    // Within a bind, steps run in order.
    expect(log.get('aa2')!.start).toBeGreaterThanOrEqual(log.get('aa1')!.end);
  });

  it('downgrade base --concurrency 3 runs the binds at the same time', async () => {
    reset(p);
    await p.ok('downgrade', 'base', '--concurrency', '3');
    const log = logged(p);
    expect(log.size).toBe(6);
    const spans = ['aa', 'bb', 'cc'].map((b) => span(log, b));
    expect(overlap(spans[0]!, spans[1]!) && overlap(spans[0]!, spans[2]!) && overlap(spans[1]!, spans[2]!)).toBe(true);
    for (const b of ['aa', 'bb', 'cc']) {
      expect(p.versionsApplied(b)).toEqual([]);
      // Newest first within a bind.
      expect(log.get(`${b}1`)!.start).toBeGreaterThanOrEqual(log.get(`${b}2`)!.end);
    }
  });

  it('upgrade --concurrency 3: the three binds overlap in time, each runs its steps in order, all reach head', async () => {
    reset(p);
    const out = await p.ok('upgrade', '--concurrency', '3');
    const log = logged(p);
    expect(log.size).toBe(6);
    const spans = ['aa', 'bb', 'cc'].map((b) => span(log, b));
    expect(overlap(spans[0]!, spans[1]!)).toBe(true);
    expect(overlap(spans[0]!, spans[2]!)).toBe(true);
    expect(overlap(spans[1]!, spans[2]!)).toBe(true);
    for (const b of ['aa', 'bb', 'cc']) {
      expect(log.get(`${b}2`)!.start).toBeGreaterThanOrEqual(log.get(`${b}1`)!.end);
      expect(p.versionsApplied(b)).toEqual([`${b}2`]);
      expect(out.stderr).toContain(`[${b}] Running upgrade ${b}1 -> ${b}2, step ${b}2`);
    }
  });

  it('rejects a --concurrency that is not a whole number of 1 or more (usage error)', async () => {
    for (const bad of ['0', '-1', '1.5', 'two']) {
      const out = await p.run('upgrade', '--concurrency', bad);
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toContain('--concurrency');
    }
  });
});

describe('--concurrency: a cross-bind depends-on is still respected', () => {
  const p = new InProcessProject(['aa', 'bb', 'cc']);
  afterAll(() => p.remove());
  // cc1 depends on aa2: cc starts after aa has ended; bb is free to run alongside.
  beforeAll(() => addBinds(p, ['aa', 'bb', 'cc'], { cc1: 'aa2' }));

  it('upgrade --concurrency 3 starts the dependent after its dependency ended', async () => {
    reset(p);
    await p.ok('upgrade', '--concurrency', '3');
    const log = logged(p);
    expect(log.size).toBe(6);
    expect(log.get('cc1')!.start).toBeGreaterThanOrEqual(log.get('aa2')!.end);
    expect(overlap(span(log, 'aa'), span(log, 'bb'))).toBe(true);
    for (const b of ['aa', 'bb', 'cc']) expect(p.versionsApplied(b)).toEqual([`${b}2`]);
  });

  it('downgrade base --concurrency 3 removes the dependency only after its dependent', async () => {
    reset(p);
    await p.ok('downgrade', 'base', '--concurrency', '3');
    const log = logged(p);
    expect(log.get('aa2')!.start).toBeGreaterThanOrEqual(log.get('cc1')!.end);
    for (const b of ['aa', 'bb', 'cc']) expect(p.versionsApplied(b)).toEqual([]);
  });
});

describe('--concurrency: a failing bind', () => {
  const p = new InProcessProject(['aa', 'bb', 'cc', 'dd']);
  afterAll(() => p.remove());
  // bb2 fails; cc1 depends on bb2 (so cc cannot run); aa and dd are independent.
  beforeAll(async () => {
    addBinds(p, ['aa', 'bb', 'cc', 'dd'], { cc1: 'bb2' }, ['bb2']);
    await p.ok('upgrade', 'bb@+1');
    expect(p.versionsApplied('bb')).toEqual(['bb1']);
  });

  it('upgrade --concurrency 3: the others reach head, the failing bind stays put, its dependent does not run, exit 1', async () => {
    reset(p);
    const out = await p.run('upgrade', '--concurrency', '3');
    const line = expectOneLineError(out, ['[bb]', 'revision bb2 failed', 'boom in bb2', "'bb' stays at bb1"]);
    // Nothing of bind cc (its name, its revisions) in the line; the project's temp path, which
    // names bb's file, is random and may hold the letters 'cc' (seen: /tmp/multidb-e2e-IvEccm).
    expect(line.replaceAll(p.dir, '<project>')).not.toContain('cc');
    expect(out.stderr).toContain('Not run (waiting on a failed bind): [cc] cc1, [cc] cc2');
    expect(p.versionsApplied('aa')).toEqual(['aa2']);
    expect(p.versionsApplied('dd')).toEqual(['dd2']);
    expect(p.versionsApplied('bb')).toEqual(['bb1']);
    expect(p.versionsApplied('cc')).toEqual([]);
    const log = logged(p);
    expect([...log.keys()].sort()).toEqual(['aa1', 'aa2', 'dd1', 'dd2']);
    expect(out.stderr).not.toContain('[cc] Running');
  });

  it('in process: a RunError with the failure and the steps not run; step-failed and bind-done {ok: false} events', async () => {
    // The project's config imports '@multidb/core': give it this checkout's copy.
    const loader = createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } });
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader });
    const events: RunEvent[] = [];
    let error: unknown;
    try {
      await expect(env.upgrade([], { concurrency: 0 })).rejects.toThrow(/'concurrency' must be a whole number of 1 or more/);
      await env.upgrade([], { concurrency: 2, onEvent: (e) => events.push(e) }).catch((e: unknown) => (error = e));
    } finally {
      await env.close();
    }
    expect(error).toBeInstanceOf(RunError);
    const run = error as RunError;
    expect(run.code).toBe('RUN');
    expect(run.failures.map((f) => [f.bind, f.revision, f.at])).toEqual([['bb', 'bb2', ['bb1']]]);
    expect(run.skipped).toEqual([
      { bind: 'cc', revision: 'cc1' },
      { bind: 'cc', revision: 'cc2' },
    ]);
    expect(run.message).toContain('[bb] revision bb2 failed: boom in bb2');
    const brief = events
      .filter((e) => e.type !== 'lock-acquired' && e.type !== 'plan')
      .map((e) => ('bind' in e ? `${e.type} ${e.bind}${'ok' in e ? ` ${String(e.ok)}` : ''}` : `${e.type} ${'ok' in e ? String(e.ok) : ''}`));
    expect(brief).toEqual(['step-start bb', 'step-failed bb', 'bind-done bb false', 'bind-done cc false', 'run-done false']);
  });
});

describe("--concurrency with transactionMode 'per-run'", () => {
  const config =
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  transactionMode: 'per-run',\n  binds: {\n` +
    ['aa', 'bb', 'cc'].map((b) => `    ${b}: { url: 'sqlite:.data/${b}.db' },\n`).join('') +
    `  },\n});\n`;
  const p = new InProcessProject([], { config });
  afterAll(() => p.remove());
  // bb2 fails; cc2 depends on bb2, cc1 does not.
  beforeAll(() => addBinds(p, ['aa', 'bb', 'cc'], { cc2: 'bb2' }, ['bb2']));

  it('the failing bind rolls back to where the run began; a bind stopped half way keeps what it completed', async () => {
    reset(p);
    const out = await p.run('upgrade', '--concurrency', '3');
    expectOneLineError(out, ['[bb]', 'revision bb2 failed', 'boom in bb2', "'bb' stays at <base>"]);
    expect(out.stderr).toContain('Not run (waiting on a failed bind): [cc] cc2');
    expect(p.versionsApplied('aa')).toEqual(['aa2']);
    expect(p.versionsApplied('bb')).toEqual([]);
    expect(p.versionsApplied('cc')).toEqual(['cc1']);
    expect(overlap(span(logged(p), 'aa'), span(logged(p), 'cc'))).toBe(true);
  });
});
