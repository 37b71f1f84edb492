// The shared runner: runs every tool of a case on the same workload, alternating the tools within
// each round (the order rotates from round to round), after a warm-up round, and reports the
// median and min–max wall time per tool, the ratios the case names, and each tool's peak RSS.
//
// A tool is `{ cmd: [file, ...args], cwd?, env?, prepare?(tool), check?(stdout, stderr) }`. `prepare` runs
// before every run of that tool, untimed (reset a database, delete a cache). `check` gets the
// run's stdout and throws if the result is wrong, so a broken tool cannot look fast.
// Wall time is taken around the process; CPU time is its user + system time (children
// included), as GNU time reports it: on a machine others load, CPU time moves less than wall time,
// so both are shown. Targets are judged on wall time. Peak memory comes two ways, the same for
// every tool:
// - `peakRssMiB`: the largest single process's maximum resident set size, from GNU time (for a
//   shell pipeline such as `xargs -P 4`, the largest of its processes, not their sum);
// - `peakRssSumMiB`: the peak of the SUM of the resident set sizes of all the processes of the
//   run (the tool's process and every descendant, GNU time itself excluded), sampled from
//   /proc/<pid>/statm every SAMPLE_MS ms. A sample can miss a peak shorter than the interval, so
//   for one process it is at most (usually just under) `peakRssMiB`; pages shared between
//   processes (a binary, its libraries) count once per process, as `ps` and `top` count them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** How often the process tree's RSS is sampled, in ms. */
const SAMPLE_MS = 5;

/** Bytes per page, for /proc/<pid>/statm (4096 on x86_64 Linux; getconf PAGESIZE). */
const PAGE_BYTES = 4096;

/** The median of numbers (the mean of the two middle ones for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The load average over the last minute, one decimal. */
export function load() {
  return Math.round(loadavg()[0] * 10) / 10;
}

/** How often /proc is listed for new processes of the tree: every this many samples. */
const SCAN_EVERY = 4;

/**
 * Samples the resident set size of the process `root` and all its descendants (`withRoot`
 * false: the descendants only, e.g. under GNU time) from /proc/<pid>/statm every SAMPLE_MS ms,
 * until `stop()`, which returns the largest sum seen, in KiB (undefined without /proc). Listing
 * /proc costs ~0.4 ms here, so new processes are looked for every SCAN_EVERY samples (a process
 * joins the sum at most SAMPLE_MS × SCAN_EVERY ms after it started); the sampler then took
 * 5–9 % of one core of this 2-core machine (measured at load 10–14), the same for every tool.
 */
function sampleTreeRss(root, { withRoot = true } = {}) {
  if (!existsSync('/proc/self/statm')) return { stop: () => undefined };
  const parentOf = new Map(); // pid -> parent pid, read once per process from /proc/<pid>/stat
  let tree = new Set([root]);
  let peakKiB = 0;
  let tick = 0;
  const scan = () => {
    const live = new Set();
    for (const name of readdirSync('/proc')) {
      if (name.charCodeAt(0) > 57) continue; // not a pid
      const pid = Number(name);
      live.add(pid);
      if (parentOf.has(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        parentOf.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // gone already
      }
    }
    for (const pid of parentOf.keys()) if (!live.has(pid)) parentOf.delete(pid); // pids are reused
    tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, parent] of parentOf) {
        if (!tree.has(pid) && tree.has(parent)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
  };
  const sample = () => {
    if (tick++ % SCAN_EVERY === 0) scan();
    let bytes = 0;
    for (const pid of tree) {
      if (pid === root && !withRoot) continue;
      try {
        bytes += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
      } catch {
        // exited since the last listing
      }
    }
    peakKiB = Math.max(peakKiB, bytes / 1024);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return peakKiB || undefined;
    },
  };
}

/**
 * Runs a command to its end, sampling its process tree's RSS (see {@link sampleTreeRss}).
 * Resolves `{ status, stdout, stderr, error, rssSumKiB }`.
 */
function runSampled(cmd, options, sampleOptions) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = child.pid === undefined ? { stop: () => undefined } : sampleTreeRss(child.pid, sampleOptions);
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    let error;
    child.on('error', (e) => (error = e));
    child.on('close', (status) => {
      const rssSumKiB = sampler.stop();
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), error, rssSumKiB });
    });
  });
}

/**
 * Runs one tool once: its `prepare`, then the timed process. Returns `{ ms, rssKiB, rssSumKiB,
 * cpuMs, stdout }` (`rssKiB`: the largest single process, GNU time; `rssSumKiB`: the peak of
 * the sum over the run's processes, sampled). Throws with the tool's stderr when it exits
 * non-zero or its `check` fails.
 */
export async function runOnce(name, tool) {
  if (tool.prepare) await tool.prepare(tool);
  const scratch = mkdtempSync(join(tmpdir(), 'multidb-bench-run-'));
  const rssFile = join(scratch, 'rss');
  const gnuTime = existsSync(GNU_TIME);
  const timed = gnuTime ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, ...tool.cmd] : tool.cmd;
  try {
    const t0 = performance.now();
    // Under GNU time, its own process is not the tool's: only its descendants are summed.
    const r = await runSampled(timed, { cwd: tool.cwd, env: { ...process.env, ...tool.env } }, { withRoot: !gnuTime });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status !== 0) {
      throw new Error(`${name} failed (exit ${r.status}): ${tool.cmd.join(' ')}\n${(r.stderr || r.stdout).slice(-2000)}`);
    }
    if (tool.check) tool.check(r.stdout, r.stderr);
    // GNU time's last line: peak RSS in KiB, user and system CPU seconds (of the process and
    // the children it waited for).
    const [rssKiB, user, sys] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
    return { ms, rssKiB, rssSumKiB: r.rssSumKiB, cpuMs: user === undefined ? undefined : (user + sys) * 1000, stdout: r.stdout };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Measures one case: `warmup` rounds (untimed), then `runs` rounds; round r runs the tools in an
 * order rotated by r. Returns the result shape every workload produces:
 * `{ case, tools: { [name]: { median, min, max, runs, peakRssMiB, peakRssSumMiB, cpuMedian } },
 * ratios: [{ of, to, value, target, cpu, rss, rssSum }], load: { before, after } }` (`rss`: the
 * ratio of the largest single processes' peak RSS; `rssSum`: of the peaks of the sums).
 */
export async function measureCase(c, { runs = 5, warmup = 1, only } = {}) {
  const names = Object.keys(c.tools).filter((n) => !only || only.includes(n));
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const rss = Object.fromEntries(names.map((n) => [n, 0]));
  const rssSum = Object.fromEntries(names.map((n) => [n, 0]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const before = load();
  for (let round = -warmup; round < runs; round++) {
    const shift = ((round % names.length) + names.length) % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const r = await runOnce(`${c.name}: ${name}`, c.tools[name]);
      if (round < 0) continue;
      samples[name].push(r.ms);
      if (r.rssKiB) rss[name] = Math.max(rss[name], r.rssKiB);
      if (r.rssSumKiB) rssSum[name] = Math.max(rssSum[name], r.rssSumKiB);
      if (r.cpuMs !== undefined) cpu[name].push(r.cpuMs);
    }
  }
  const tools = Object.fromEntries(
    names.map((n) => [
      n,
      {
        median: median(samples[n]),
        min: Math.min(...samples[n]),
        max: Math.max(...samples[n]),
        runs: samples[n].length,
        peakRssMiB: rss[n] ? Math.round((rss[n] / 1024) * 10) / 10 : undefined,
        peakRssSumMiB: rssSum[n] ? Math.round((rssSum[n] / 1024) * 10) / 10 : undefined,
        cpuMedian: cpu[n].length ? median(cpu[n]) : undefined,
      },
    ]),
  );
  const ratios = (c.ratios ?? [])
    .filter((r) => tools[r.of] && tools[r.to])
    .map((r) => ({
      ...r,
      value: tools[r.of].median / tools[r.to].median,
      ...(tools[r.of].cpuMedian && tools[r.to].cpuMedian ? { cpu: tools[r.of].cpuMedian / tools[r.to].cpuMedian } : {}),
      ...(tools[r.of].peakRssMiB && tools[r.to].peakRssMiB ? { rss: tools[r.of].peakRssMiB / tools[r.to].peakRssMiB } : {}),
      ...(tools[r.of].peakRssSumMiB && tools[r.to].peakRssSumMiB ? { rssSum: tools[r.of].peakRssSumMiB / tools[r.to].peakRssSumMiB } : {}),
    }));
  return { case: c.name, tools, ratios, load: { before, after: load() } };
}

/** The peak-RSS ratios of a ratio (largest process, sum of processes), or ''. */
function rssRatios(r, open, close) {
  const parts = [r.rss === undefined ? '' : `RSS ${r.rss.toFixed(2)}x largest process`, r.rssSum === undefined ? '' : `${r.rssSum.toFixed(2)}x sum of processes`].filter(Boolean);
  return parts.length ? `${open}${parts.join(', ')}${close}` : '';
}

/** Formats a case's result as console lines. */
export function formatResult(result) {
  const lines = [`${result.case}  (load ${result.load.before} → ${result.load.after})`];
  for (const [name, t] of Object.entries(result.tools)) {
    const rss =
      `${t.cpuMedian === undefined ? '' : `  CPU ${t.cpuMedian.toFixed(0)} ms`}${t.peakRssMiB === undefined ? '' : `  peak RSS ${t.peakRssMiB} MiB (largest process)`}` +
      `${t.peakRssSumMiB === undefined ? '' : `, ${t.peakRssSumMiB} MiB (sum of processes)`}`;
    lines.push(`  ${name.padEnd(24)} median ${t.median.toFixed(0).padStart(6)} ms  (${t.min.toFixed(0)}–${t.max.toFixed(0)}, ${t.runs} runs)${rss}`);
  }
  for (const r of result.ratios) {
    const target = r.target === undefined ? '' : `  target ≤ ${r.target}x ${r.value <= r.target ? 'met' : 'NOT met'}`;
    const cpu = r.cpu === undefined ? '' : `  (CPU time ${r.cpu.toFixed(2)}x)`;
    lines.push(`  ${`${r.of} / ${r.to}`.padEnd(24)} ${r.value.toFixed(2)}x${target}${cpu}${rssRatios(r, '  (', ')')}`);
  }
  return lines.join('\n');
}

/** Formats a case's result as one Markdown table row for RESULTS.md. */
export function markdownRow(result, label) {
  const tools = Object.entries(result.tools)
    .map(
      ([n, t]) =>
        `${n} ${t.median.toFixed(0)} (${t.min.toFixed(0)}–${t.max.toFixed(0)})${t.cpuMedian === undefined ? '' : `, CPU ${t.cpuMedian.toFixed(0)}`}` +
        `${t.peakRssMiB === undefined ? '' : `, ${t.peakRssMiB} MiB`}${t.peakRssSumMiB === undefined ? '' : ` (sum ${t.peakRssSumMiB} MiB)`}`,
    )
    .join('; ');
  const ratios = result.ratios.map((r) => `${r.of}/${r.to} ${r.value.toFixed(2)}x${r.target === undefined ? '' : ` (≤ ${r.target})`}${r.cpu === undefined ? '' : `, CPU ${r.cpu.toFixed(2)}x`}${rssRatios(r, ', ', '')}`).join('; ');
  return `| ${label} | ${result.case} | ${result.load.before}–${result.load.after} | ${tools} | ${ratios} |`;
}
