// A step's elapsedMs (its step-done event, the run's steps) counts the step's own time. On
// PostgreSQL a step's COMMIT is pipelined: the bind's next revision runs its code while the COMMIT
// is on the server, and the answer is read only once the thread is free. The time the next
// revision's code held the thread (a module it loads, data it builds before its first query) was
// counted as the time of the step before it (2 s for a revision of two inserts, in a fresh process),
// and the next step's clock started only after it. Checked with a revision that holds the thread
// for a while before its first query, as it measures that itself: the bounds below follow from the
// events' own times, whatever the machine's speed.
// On MariaDB a step's version-table write is held back and goes out with the bind's next step's
// first write (one commit fewer per revision): the step's elapsedMs ended before that write, and
// the next step's clock started only once it had committed, so neither counted the write, and the
// next step's own start (its code before that first write) was counted nowhere. Checked with a
// trigger on the version table that sleeps in the first step's write, and the same revision that
// holds the thread.
import { commands, createModuleLoader, loadEnvironment, type RunEvent } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const R1 = 'e1a000000001';
const R2 = 'e1a000000002';

/** What revision R2 writes when its synchronous start ends: when it began and ended (performance.now()). */
interface Held {
  from: number;
  to: number;
}

/** What {@link timedRun} saw: the run's two steps, the time R2's code held the thread, and the step events. */
interface TimedRun {
  readonly first: { readonly elapsedMs: number };
  readonly second: { readonly elapsedMs: number };
  /** Milliseconds R2's code held the thread before its first statement (at least 300). */
  readonly blocked: number;
  /** R1's step-done less its step-start, as this process saw them (ms). */
  readonly r1Wall: number;
}

/**
 * Writes a one-bind project on `url` whose R1 creates `t` and inserts a row, then runs `r1Extra`
 * (upgrade) / `r1ExtraDown` (first in the downgrade), and whose R2 holds the thread for 300 ms
 * before its first statement, as a revision loading a large module would; upgrades it with events
 * and checks what every dialect shares: both steps in order, their events carrying the steps' times.
 */
async function timedRun(url: string, r1Extra = '', r1ExtraDown = ''): Promise<TimedRun> {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n`,
  });
  p.write(
    `migrations/versions/app/${R1}_inserts.ts`,
    revisionSource({
      revision: R1,
      downRevision: null,
      branchLabels: ['app'],
      upgrade: `await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.execute('INSERT INTO t VALUES (1)');\n  await op.execute('INSERT INTO t VALUES (2)');${r1Extra}`,
      downgrade: `${r1ExtraDown}await op.dropTable('t');`,
    }),
  );
  p.write(
    `migrations/versions/app/${R2}_held.ts`,
    revisionSource({
      revision: R2,
      downRevision: R1,
      upgrade:
        `const from = performance.now();\n  while (performance.now() - from < 300);\n` +
        `  (globalThis as { __held?: unknown }).__held = { from, to: performance.now() };\n` +
        `  await op.execute('INSERT INTO t VALUES (3)');`,
      downgrade: `await op.execute('DELETE FROM t WHERE id = 3');`,
    }),
  );
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  try {
    const at = new Map<string, number>();
    const events: RunEvent[] = [];
    const run = await commands.upgrade(env, [], {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step-start' || e.type === 'step-done') at.set(`${e.type} ${e.revision}`, performance.now());
      },
    });
    const held = (globalThis as { __held?: Held }).__held!;
    const blocked = held.to - held.from;
    expect(blocked).toBeGreaterThanOrEqual(300);
    expect(run.steps.map((s) => s.revision)).toEqual([R1, R2]);
    const [first, second] = [run.steps[0]!, run.steps[1]!];
    // The events carry the same times, and still come in order.
    const done = events.filter((e): e is Extract<RunEvent, { type: 'step-done' }> => e.type === 'step-done');
    expect(done.map((e) => [e.revision, e.elapsedMs])).toEqual([
      [R1, first.elapsedMs],
      [R2, second.elapsedMs],
    ]);
    expect(events.filter((e) => e.type.startsWith('step-')).map((e) => `${e.type} ${(e as { revision: string }).revision}`)).toEqual([
      `step-start ${R1}`,
      `step-done ${R1}`,
      `step-start ${R2}`,
      `step-done ${R2}`,
    ]);
    return { first, second, blocked, r1Wall: at.get(`step-done ${R1}`)! - at.get(`step-start ${R1}`)! };
  } finally {
    delete (globalThis as { __held?: Held }).__held;
    await env.close();
    p.remove();
  }
}

describeWithServers('step elapsedMs on PostgreSQL (COMMIT pipelined with the next revision)', ['postgres'], () => {
  const dbs = useDatabases('step_elapsed', { db: 'postgres' });

  it("the next revision's synchronous start counts as its own time, not as the time of the step before it", async () => {
    const { first, second, blocked, r1Wall } = await timedRun(dbs.db.url);
    // R1 ran between its step-start and its step-done, less the time R2's code held the thread.
    expect(first.elapsedMs).toBeLessThanOrEqual(r1Wall - blocked);
    // R2's own time includes it.
    expect(second.elapsedMs).toBeGreaterThanOrEqual(blocked);
  });
});

describeWithServers('step elapsedMs on MariaDB (a step\'s version write sent with the next step\'s first write)', ['mysql'], () => {
  const dbs = useDatabases('step_elapsed', { db: 'mysql' });

  it("a step's elapsedMs covers its own version write and commit; the next revision's synchronous start counts as its own time", async () => {
    // R1's version write (the version table's INSERT of R1) sleeps 300 ms on the server.
    const { first, second, blocked, r1Wall } = await timedRun(
      dbs.db.url,
      `\n  await op.execute('CREATE TRIGGER slow_version_write BEFORE INSERT ON multidb_version FOR EACH ROW SET @slept = SLEEP(0.3)');`,
      `await op.execute('DROP TRIGGER slow_version_write');\n  `,
    );
    // R1's own time includes its version write, which slept 300 ms on the server (was: its time ended before it)…
    expect(first.elapsedMs).toBeGreaterThanOrEqual(300);
    // …and not the time R2's code held the thread before that write went out with R2's first.
    expect(first.elapsedMs).toBeLessThanOrEqual(r1Wall - blocked);
    // R2's own time includes it (was: its clock started once R1's write had committed).
    expect(second.elapsedMs).toBeGreaterThanOrEqual(blocked);
  });
});
