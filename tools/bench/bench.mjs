#!/usr/bin/env node
// `npm run bench [-- P3 ...] [--baseline DIR] [--case TEXT] [--scale F] [--runs N] [--warmup N] [--tiny] [--multidb-only] [--record LABEL]`
// Runs the performance workloads (all, or those named) with multidb, Alembic and, where listed,
// the floor, alternating tools within each round; prints median, min–max, ratios and peak RSS.
// --baseline DIR adds "multidb (baseline)", the build snapshot-build.mjs copied into DIR, to
// every case, alternating with the working tree's build: before/after in one run.
// --record LABEL appends the rows, with date, machine, load and versions, to RESULTS.md.
// See README.md in this folder.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runWorkload } from './lib/run-workload.mjs';
import { formatResult, load, markdownRow } from './lib/runner.mjs';
import { ensureAlembic, serverVersions } from './lib/servers.mjs';
import { WORKLOADS } from './workloads/index.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    tiny: { type: 'boolean', default: false },
    record: { type: 'string' },
    'multidb-only': { type: 'boolean', default: false },
    case: { type: 'string' },
    baseline: { type: 'string' },
    scale: { type: 'string' },
  },
});
const selected = positionals.length ? positionals.map((p) => p.toUpperCase().replace(/'$/, '')) : WORKLOADS.map((w) => w.id);
const unknown = selected.filter((id) => !WORKLOADS.some((w) => w.id === id));
if (unknown.length) {
  console.error(`Unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')} (P2 includes P2').`);
  process.exit(2);
}

const only = values['multidb-only'] ? ['multidb'] : undefined;
const versions = only ? {} : ensureAlembic();
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' }).trim();
const header = [
  new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  `Node ${process.version}`,
  ...(only ? [] : [`Alembic ${versions.alembic}`, `SQLAlchemy ${versions.sqlalchemy}`, versions.python]),
  ...(await serverVersions()),
  `multidb ${commit}`,
  `load at start ${load()}`,
  ...(values.scale ? [`scale ${values.scale}`] : []),
  // Every Node process (multidb, the floors, `node -e 0`) parses this bundle at start-up, before any
  // of its own code; Python does not read it (RESULTS.md, 2026-12-07 08:09–08:44, P1's start-up).
  ...(process.env.NODE_EXTRA_CA_CERTS ? [`NODE_EXTRA_CA_CERTS set (${process.env.NODE_EXTRA_CA_CERTS}): every Node process parses it at start-up, Alembic does not`] : []),
].join(' · ');
console.log(header);

const rows = [];
for (const workload of WORKLOADS.filter((w) => selected.includes(w.id))) {
  console.log(`\n== ${workload.id}: ${workload.title}`);
  await runWorkload(workload, {
    size: values.tiny ? 'tiny' : 'full',
    ...(values.scale ? { scale: Number(values.scale) } : {}),
    runs: Number(values.runs),
    warmup: Number(values.warmup),
    only,
    ...(values.baseline ? { baseline: baselineBin(values.baseline) } : {}),
    ...(values.case ? { filter: (name) => name.toLowerCase().includes(values.case.toLowerCase()) } : {}),
    onResult: (r) => {
      console.log(formatResult(r));
      rows.push(markdownRow(r, values.record ?? ''));
    },
  });
}

if (values.record !== undefined) {
  const results = fileURLToPath(new URL('RESULTS.md', import.meta.url));
  appendFileSync(results, `\n${header} · ${values.runs} runs after ${values.warmup} warm-up\n\n| label | case | load | median (min–max) ms, peak RSS | ratios of medians (target) |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
  console.log(`\nRecorded in ${results}`);
}

/** The bin of the build in `dir`: bin/migrate.cjs, or bin/migrate.js in builds before the bin was CommonJS. */
function baselineBin(dir) {
  const cjs = resolve(dir, 'packages', 'cli', 'bin', 'migrate.cjs');
  return existsSync(cjs) ? cjs : resolve(dir, 'packages', 'cli', 'bin', 'migrate.js');
}
