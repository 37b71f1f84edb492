// CPU time of picking every target's binds for N tenant targets (`t<i>@head`) in a config of N
// SQLite tenant binds sharing one branch: `bindsForTargets([target])` once per target (what the
// TUI's startRun did) against one `bindsForTargetsEach(targets)` call. No database is opened.
//
//   node tools/bench/binds-for-targets.mjs [--tenants 500,1000,2000] [--runs 5]
//
// Needs the build (`packages/core/dist`). Prints, per size, the median and min–max CPU time
// (user + system, `process.cpuUsage`) of each form over the runs, after one warm-up, with the
// load average at start; checks that both forms give the same binds. Writes nothing else. A build
// from before bindsForTargetsEach (a baseline) measures the per-target form only.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../packages/core/dist/index.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt('tenants', '500,1000,2000').split(',').map(Number);
const runs = Number(opt('runs', '5'));

const cpuMs = async (fn) => {
  const start = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}) ms`;

const root = mkdtempSync(join(tmpdir(), 'mdb-binds-for-targets-'));
try {
  const folder = join(root, 'migrations', 'versions', 'tenant');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'a1a1a1a1a1a1_users.ts'),
    "export const revision = 'a1a1a1a1a1a1';\nexport const downRevision = null;\nexport const branchLabels = ['tenant'];\nexport async function upgrade() {}\nexport async function downgrade() {}\n",
  );
  for (const n of sizes) {
    const names = Array.from({ length: n }, (_, i) => `t${i}`);
    const env = await loadEnvironment({
      dialects: [],
      configObject: { directory: 'migrations', binds: Object.fromEntries(names.map((t) => [t, { url: `sqlite:tenants/${t}.db`, branch: 'tenant' }])) },
      baseDir: root,
    });
    await env.revisionMap();
    const targets = names.map((t) => `${t}@head`);
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const each = [];
    const eachBatch = [];
    for (let r = 0; r <= runs; r++) {
      const one = await cpuMs(async () => {
        const out = [];
        for (const target of targets) out.push(await env.bindsForTargets([target]));
        return out;
      });
      if (!env.bindsForTargetsEach) {
        if (r > 0) each.push(one.ms);
        continue; // a build from before bindsForTargetsEach (a baseline)
      }
      const batch = await cpuMs(() => env.bindsForTargetsEach(targets));
      if (JSON.stringify(one.result) !== JSON.stringify(targets.map((t) => batch.result.get(t)))) throw new Error(`the two forms differ at ${n} tenants`);
      if (r === 0) continue; // warm-up
      each.push(one.ms);
      eachBatch.push(batch.ms);
    }
    const batch = eachBatch.length ? `${fmt(eachBatch)} CPU` : 'absent';
    console.log(`${n} tenants, ${n} targets, load ${load}: bindsForTargets per target ${fmt(each)} CPU; bindsForTargetsEach ${batch} (${runs} runs after 1 warm-up)`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
