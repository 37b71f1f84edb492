// Runs one workload end to end: sets it up in a temp folder of its own, measures each case,
// cleans up (its server databases are dropped, its folder deleted) even when a run fails.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATE } from './projects.mjs';
import { measureCase } from './runner.mjs';

/**
 * `options`: `size` ('full' | 'tiny'), `scale` (multiplies every count of the size: 0.2 runs a
 * fifth of the revisions, tables, rows, tenants), `runs`, `warmup`, `only` (tool names to run, e.g.
 * ['multidb'] for the smoke test; default every tool), `filter(caseName)` (cases to run),
 * `baseline` (the `migrate.cjs`, or `migrate.js`, of another build: adds a "multidb (baseline)" tool to every case,
 * and the ratio of multidb to it), `onResult(result)`.
 * Returns the results, one per case.
 */
export async function runWorkload(workload, { size = 'full', scale, runs = 5, warmup = 1, only, filter = () => true, baseline, onResult = () => {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `multidb-bench-${workload.id}-`));
  const want = (tool) => !only || only.some((o) => tool.startsWith(o));
  let setup;
  try {
    const sized = scale === undefined
      ? workload.sizes[size]
      : Object.fromEntries(Object.entries(workload.sizes[size]).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))]));
    setup = await workload.setup(dir, sized, { want });
    const results = [];
    for (const c of setup.cases.filter((x) => filter(x.name))) {
      if (baseline) withBaseline(c, baseline);
      const result = await measureCase(c, { runs, warmup, only: Object.keys(c.tools).filter(want) });
      onResult(result);
      results.push(result);
    }
    return results;
  } finally {
    await setup?.cleanup?.();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds "multidb (baseline)" to a case: the multidb tool's spec with the other build's bin. */
function withBaseline(c, bin) {
  const m = c.tools.multidb;
  const cmd = m.cmd.map((arg) => (arg === MIGRATE ? bin : arg));
  // Its own transpile cache folder, so neither build reads the other's cache entries.
  const env = m.env?.TMPDIR ? { ...m.env, TMPDIR: `${m.env.TMPDIR}-baseline` } : m.env;
  if (env?.TMPDIR) mkdirSync(env.TMPDIR, { recursive: true });
  c.tools['multidb (baseline)'] = { ...m, cmd, ...(env ? { env } : {}) };
  c.ratios = [...(c.ratios ?? []), { of: 'multidb', to: 'multidb (baseline)' }];
}
