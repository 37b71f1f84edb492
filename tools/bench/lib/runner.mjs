// The shared runner: runs every tool of a case on the same workload, alternating the tools within
// each round (the order rotates from round to round), after a warm-up round, and reports the
// median and min–max wall time per tool, the ratios the case names, and each tool's peak RSS.
//
// A tool is `{ cmd: [file, ...args], cwd?, env?, prepare?(tool), check?(stdout, stderr) }`. `prepare` runs
// before every run of that tool, untimed (reset a database, delete a cache). `check` gets the
// run's stdout and throws if the result is wrong, so a broken tool cannot look fast.
// Wall time is taken around the process; peak RSS is the child's maximum resident set size as
// GNU time reports it (for a shell pipeline, the largest single process of it, not the sum), and
// CPU time its user + system time (children included): on a machine others load, CPU time moves
// less than wall time, so both are shown. Targets are judged on wall time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

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

/**
 * Runs one tool once: its `prepare`, then the timed process. Returns `{ ms, rssKiB, stdout }`.
 * Throws with the tool's stderr when it exits non-zero or its `check` fails.
 */
export async function runOnce(name, tool) {
  if (tool.prepare) await tool.prepare(tool);
  const scratch = mkdtempSync(join(tmpdir(), 'multidb-bench-run-'));
  const rssFile = join(scratch, 'rss');
  const timed = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, ...tool.cmd] : tool.cmd;
  try {
    const t0 = performance.now();
    const r = spawnSync(timed[0], timed.slice(1), {
      cwd: tool.cwd,
      env: { ...process.env, ...tool.env },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status !== 0) {
      throw new Error(`${name} failed (exit ${r.status}): ${tool.cmd.join(' ')}\n${(r.stderr || r.stdout).slice(-2000)}`);
    }
    if (tool.check) tool.check(r.stdout, r.stderr);
    // GNU time's last line: peak RSS in KiB, user and system CPU seconds (of the process and
    // the children it waited for).
    const [rssKiB, user, sys] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
    return { ms, rssKiB, cpuMs: user === undefined ? undefined : (user + sys) * 1000, stdout: r.stdout };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Measures one case: `warmup` rounds (untimed), then `runs` rounds; round r runs the tools in an
 * order rotated by r. Returns the result shape every workload produces:
 * `{ case, tools: { [name]: { median, min, max, runs, peakRssMiB } }, ratios: [{ of, to, value,
 * target }], load: { before, after } }`.
 */
export async function measureCase(c, { runs = 5, warmup = 1, only } = {}) {
  const names = Object.keys(c.tools).filter((n) => !only || only.includes(n));
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const rss = Object.fromEntries(names.map((n) => [n, 0]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const before = load();
  for (let round = -warmup; round < runs; round++) {
    const shift = ((round % names.length) + names.length) % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const r = await runOnce(`${c.name}: ${name}`, c.tools[name]);
      if (round < 0) continue;
      samples[name].push(r.ms);
      if (r.rssKiB) rss[name] = Math.max(rss[name], r.rssKiB);
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
    }));
  return { case: c.name, tools, ratios, load: { before, after: load() } };
}

/** Formats a case's result as console lines. */
export function formatResult(result) {
  const lines = [`${result.case}  (load ${result.load.before} → ${result.load.after})`];
  for (const [name, t] of Object.entries(result.tools)) {
    const rss = `${t.cpuMedian === undefined ? '' : `  CPU ${t.cpuMedian.toFixed(0)} ms`}${t.peakRssMiB === undefined ? '' : `  peak RSS ${t.peakRssMiB} MiB`}`;
    lines.push(`  ${name.padEnd(24)} median ${t.median.toFixed(0).padStart(6)} ms  (${t.min.toFixed(0)}–${t.max.toFixed(0)}, ${t.runs} runs)${rss}`);
  }
  for (const r of result.ratios) {
    const target = r.target === undefined ? '' : `  target ≤ ${r.target}x ${r.value <= r.target ? 'met' : 'NOT met'}`;
    const cpu = r.cpu === undefined ? '' : `  (CPU time ${r.cpu.toFixed(2)}x)`;
    lines.push(`  ${`${r.of} / ${r.to}`.padEnd(24)} ${r.value.toFixed(2)}x${target}${cpu}`);
  }
  return lines.join('\n');
}

/** Formats a case's result as one Markdown table row for RESULTS.md. */
export function markdownRow(result, label) {
  const tools = Object.entries(result.tools)
    .map(([n, t]) => `${n} ${t.median.toFixed(0)} (${t.min.toFixed(0)}–${t.max.toFixed(0)})${t.cpuMedian === undefined ? '' : `, CPU ${t.cpuMedian.toFixed(0)}`}${t.peakRssMiB === undefined ? '' : `, ${t.peakRssMiB} MiB`}`)
    .join('; ');
  const ratios = result.ratios.map((r) => `${r.of}/${r.to} ${r.value.toFixed(2)}x${r.target === undefined ? '' : ` (≤ ${r.target})`}${r.cpu === undefined ? '' : `, CPU ${r.cpu.toFixed(2)}x`}`).join('; ');
  return `| ${label} | ${result.case} | ${result.load.before}–${result.load.after} | ${tools} | ${ratios} |`;
}
