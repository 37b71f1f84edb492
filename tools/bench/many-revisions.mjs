#!/usr/bin/env node
// Benchmark: how fast do script-only commands stay with thousands of revisions?
// Generates N revisions over B branches (with some cross-branch depends-on) in a temp project,
// then times, over several runs, a cold `migrate heads` and `migrate history` process (which
// read headers only: no driver, no revision module) and, in-process, reading the headers and
// building the revision map. Usage: node tools/bench/many-revisions.mjs [N=5000] [B=5] [runs=5]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RevisionMap, ScriptDirectory } from '@multidb/core';

const [N = 5000, B = 5, RUNS = 5] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../../packages/cli/bin/migrate.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'multidb-bench-'));
const branches = Array.from({ length: B }, (_, i) => `bind${i}`);
writeFileSync(
  join(dir, 'migrate.config.ts'),
  `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: {\n${branches.map((b) => `  ${b}: { url: 'sqlite:.data/${b}.db' },`).join('\n')}\n} });\n`,
);
writeFileSync(join(dir, 'script.ts.tmpl'), '');
const last = new Map();
const id = (i) => i.toString(16).padStart(12, '0');
for (let i = 0; i < N; i++) {
  const branch = branches[i % B];
  const down = last.get(branch) ?? null;
  const deps = i > B && i % 50 === 0 ? [last.get(branches[(i + 1) % B])] : [];
  mkdirSync(join(dir, 'migrations', 'versions', branch), { recursive: true });
  writeFileSync(
    join(dir, 'migrations', 'versions', branch, `${id(i)}_step_${i}.ts`),
    `import type { Operations } from '@multidb/core';\n\nexport const revision = '${id(i)}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport const branchLabels = ${down ? '[]' : `['${branch}']`};\nexport const dependsOn = ${JSON.stringify(deps).replace(/"/g, "'")};\nexport const message = 'step ${i}';\nexport const createDate = '2026-11-23T10:00:00Z';\n\nexport async function upgrade(op: Operations): Promise<void> {\n  await op.execute('SELECT ${i}');\n}\n\nexport async function downgrade(op: Operations): Promise<void> {\n  await op.execute('SELECT ${i}');\n}\n`,
  );
  last.set(branch, id(i));
}

function time(fn) {
  const samples = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0] };
}
const run = (...args) => execFileSync(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

const results = {
  'migrate heads (process)': time(() => run('heads')),
  'migrate history (process)': time(() => run('history')),
  'migrate --help (process, baseline)': time(() => run('--help')),
};
const inProcess = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const scripts = await (await ScriptDirectory.open(join(dir, 'migrations'))).scripts();
  const t1 = performance.now();
  new RevisionMap(scripts);
  inProcess.push([t1 - t0, performance.now() - t1]);
}
inProcess.sort((a, b) => a[0] + a[1] - (b[0] + b[1]));
const mid = inProcess[Math.floor(inProcess.length / 2)];
console.log(`${N} revisions, ${B} branches, ${RUNS} runs (median, min) in ms:`);
for (const [name, r] of Object.entries(results)) console.log(`  ${name.padEnd(40)} ${r.median.toFixed(0).padStart(6)} ${r.min.toFixed(0).padStart(6)}`);
console.log(`  ${'read headers (in-process)'.padEnd(40)} ${mid[0].toFixed(0).padStart(6)}`);
console.log(`  ${'build revision map (in-process)'.padEnd(40)} ${mid[1].toFixed(0).padStart(6)}`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
