// Smoke run of the performance bench (tools/bench, `npm run bench`): every workload at its tiny
// size, multidb side only, one run, no warm-up, so the bench cannot rot. It asserts that each
// workload runs (each case's own check verifies what the run did) and produces the result shape;
// never a time. Alembic and the floors run only in `npm run bench`.
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithServers } from '../support/servers.js';

interface ToolResult {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly peakRssMiB?: number;
  readonly peakRssSumMiB?: number;
}
interface CaseResult {
  readonly case: string;
  readonly tools: Readonly<Record<string, ToolResult>>;
  readonly ratios: readonly unknown[];
  readonly load: { readonly before: number; readonly after: number };
}
interface Workload {
  readonly id: string;
}
type RunWorkload = (w: Workload, options: { size: 'tiny'; runs: number; warmup: number; only: readonly string[] }) => Promise<CaseResult[]>;

// The bench is plain .mjs outside the packages: imported by URL, typed here.
const bench = new URL('../../tools/bench/', import.meta.url);
const { WORKLOADS } = (await import(new URL('workloads/index.mjs', bench).href)) as { WORKLOADS: readonly Workload[] };
const { runWorkload } = (await import(new URL('lib/run-workload.mjs', bench).href)) as { runWorkload: RunWorkload };

describeWithServers('npm run bench, smoke (tiny sizes, multidb only)', ['postgres', 'mysql'], () => {
  it('has the six workloads of the performance issue', () => {
    expect(WORKLOADS.map((w) => w.id)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
  });

  for (const workload of WORKLOADS) {
    it(`${workload.id} runs and reports median, min–max, runs and peak RSS per case`, async () => {
      const results = await runWorkload(workload, { size: 'tiny', runs: 1, warmup: 0, only: ['multidb'] });
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.case).toMatch(new RegExp(`^${workload.id}'? `));
        expect(Object.keys(r.tools)).toEqual(['multidb']);
        const t = r.tools['multidb']!;
        expect(t.runs).toBe(1);
        expect(t.min).toBeGreaterThan(0);
        expect(t.min).toBeLessThanOrEqual(t.median);
        expect(t.median).toBeLessThanOrEqual(t.max);
        if (existsSync('/usr/bin/time')) expect(t.peakRssMiB).toBeGreaterThan(0);
        if (existsSync('/proc/self/statm')) {
          // The sampled peak of the sum over the run's processes: multidb is one process (GNU
          // time's own is not counted), so the sum is that process's RSS, never above its peak
          // (1 MiB of slack: the kernel updates RSS counters in batches).
          expect(t.peakRssSumMiB).toBeGreaterThan(0);
          if (t.peakRssMiB !== undefined) expect(t.peakRssSumMiB).toBeLessThanOrEqual(t.peakRssMiB + 1);
        }
        expect(r.ratios).toEqual([]); // the other side of every ratio runs only in npm run bench
        expect(typeof r.load.before).toBe('number');
      }
    });
  }
});
