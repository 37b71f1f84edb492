// Times where a multidb (or any node+pg) process spends its time per PostgreSQL connection:
// client-side timestamps of each pg client's connect, each query (sent → answered) and end, and
// the gaps between them (client work: loading, planning, compiling, events). Preload it:
//   node -r ./tools/bench/time-statements.cjs packages/cli/bin/migrate.cjs upgrade --concurrency 1
// At exit it prints to stderr, over every client that connected: the median, min and max per
// step kind (connect, each statement kind in order, the gaps, end), the median per client, and
// the process's time before the first connect and after the last end. TIME_STATEMENTS_LOG=1 also
// prints each client's timeline. pg only (the driver of this repository's node_modules); it
// times, it changes nothing.
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const load = Module.createRequire(path.join(__dirname, '../../packages/dialect/package.json'));
const pg = load('pg');
const clients = [];
const now = () => performance.now();
const kindOf = (sql) => {
  const text = String(sql).replace(/\s+/g, ' ').trim();
  if (/pg_try_advisory_lock/.test(text)) return 'lock';
  if (/pg_advisory_unlock/.test(text)) return 'unlock';
  if (/current_database\(\)|pg_control_system/.test(text)) return 'identity';
  if (/^SELECT to_regclass\(/.test(text)) return 'version look-up';
  if (/^SELECT "version_num"/.test(text)) return 'version select';
  if (/^(BEGIN;)?create table if not exists "multidb_version"/i.test(text)) return text.startsWith('BEGIN;') ? 'BEGIN;version create' : 'version create';
  if (/^(BEGIN;)?CREATE TABLE.*multidb_version.*;COMMIT$/.test(text)) return text.startsWith('BEGIN;') ? 'BEGIN;DDL;version write;COMMIT' : 'DDL;version write;COMMIT';
  if (/^BEGIN;CREATE TABLE/.test(text)) return 'BEGIN;DDL';
  if (/^CREATE TABLE/i.test(text)) return 'DDL';
  if (/multidb_version.*;COMMIT$/.test(text)) return 'version write;COMMIT';
  return text.slice(0, 40).replace(/t\d{5}|[0-9a-f]{12}/g, 'X');
};
const { connect, query, end } = pg.Client.prototype;
pg.Client.prototype.connect = function (...args) {
  const entry = { steps: [], t0: now() };
  clients.push(entry);
  this.__timing = entry;
  const done = () => entry.steps.push({ kind: 'connect', start: entry.t0, end: now() });
  const result = connect.apply(this, args);
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};
pg.Client.prototype.query = function (config, ...rest) {
  const entry = this.__timing;
  // A Query object with its own callback (multidb's session sends a held statement with the
  // version write and COMMIT that way): timed through the callback.
  if (entry && config && typeof config.submit === 'function' && typeof config.callback === 'function') {
    const step = { kind: kindOf(config.text), start: now(), end: undefined, failed: false };
    entry.steps.push(step);
    const callback = config.callback;
    config.callback = (error, ...results) => {
      step.end = now();
      step.failed = Boolean(error);
      return callback(error, ...results);
    };
    return query.call(this, config, ...rest);
  }
  const result = query.call(this, config, ...rest);
  if (entry && result && typeof result.then === 'function') {
    const step = { kind: kindOf(typeof config === 'string' ? config : config?.text), start: now(), end: undefined, failed: false };
    entry.steps.push(step);
    result.then(() => (step.end = now()), () => { step.end = now(); step.failed = true; });
  }
  return result;
};
pg.Client.prototype.end = function (...args) {
  const entry = this.__timing;
  const result = end.apply(this, args);
  if (entry && result && typeof result.then === 'function') {
    const step = { kind: 'end', start: now(), end: undefined };
    entry.steps.push(step);
    result.then(() => (step.end = now()), () => (step.end = now()));
  }
  return result;
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
process.on('exit', () => {
  const out = (line) => process.stderr.write(`${line}\n`);
  const used = clients.filter((c) => c.steps.length > 0);
  if (used.length === 0) return;
  // Per client: totals per kind (a kind may occur several times: summed), and the gaps.
  const perKind = new Map();
  const add = (kind, ms) => { if (!perKind.has(kind)) perKind.set(kind, []); perKind.get(kind).push(ms); };
  const spans = [];
  for (const c of used) {
    const steps = c.steps.filter((s) => s.end !== undefined).sort((a, b) => a.start - b.start);
    const sums = new Map();
    let gap = 0;
    let gapBeforeFirstQuery = 0;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      const key = s.failed ? `${s.kind} (failed)` : s.kind;
      sums.set(key, (sums.get(key) ?? 0) + (s.end - s.start));
      if (i > 0) {
        const g = Math.max(0, s.start - steps[i - 1].end);
        if (i === 1) gapBeforeFirstQuery = g; else gap += g;
      }
    }
    for (const [k, v] of sums) add(k, v);
    add('gap after connect (client)', gapBeforeFirstQuery);
    add('other gaps (client)', gap);
    const span = steps.length ? steps[steps.length - 1].end - steps[0].start : 0;
    add('client span: connect → end', span);
    // A bind's turn: from its lock query to its unlock (what a run of binds in turn waits for),
    // the client's own gaps inside it, and the hand-off from the previous client's unlock.
    const lock = steps.find((x) => x.kind === 'lock');
    const unlock = [...steps].reverse().find((x) => x.kind === 'unlock');
    if (lock && unlock) {
      add('turn: lock → unlock', unlock.end - lock.start);
      let inside = 0;
      for (let i = steps.indexOf(lock) + 1; i <= steps.indexOf(unlock); i++) inside += Math.max(0, steps[i].start - steps[i - 1].end);
      add('  client gaps in the turn', inside);
      c.turn = { start: lock.start, end: unlock.end };
    }
    spans.push({ start: steps[0]?.start ?? 0, end: steps[steps.length - 1]?.end ?? 0 });
    if (process.env.TIME_STATEMENTS_LOG === '1') {
      out(`client ${clients.indexOf(c)}: ${steps.map((s) => `${s.kind}${s.failed ? '!' : ''} ${(s.end - s.start).toFixed(2)}`).join(' | ')}`);
    }
  }
  const turns = used.filter((c) => c.turn).map((c) => c.turn).sort((a, b) => a.start - b.start);
  for (let i = 1; i < turns.length; i++) add('hand-off: previous unlock → lock', turns[i].start - turns[i - 1].end);
  out(`time-statements: ${used.length} pg clients; ms per client (sum over the client's steps of that kind): median (min–max)`);
  for (const [k, v] of perKind) out(`  ${k.padEnd(34)} ${median(v).toFixed(2).padStart(8)} (${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}) ×${v.length}`);
  const first = Math.min(...spans.map((s) => s.start));
  const last = Math.max(...spans.map((s) => s.end));
  let overlap = 0;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) overlap += Math.max(0, sorted[i - 1].end - sorted[i].start);
  let between = 0;
  for (let i = 1; i < sorted.length; i++) between += Math.max(0, sorted[i].start - sorted[i - 1].end);
  out(`  process: ${first.toFixed(0)} ms before the first connect, ${(last - first).toFixed(0)} ms first connect → last end (${between.toFixed(0)} ms between clients, ${overlap.toFixed(0)} ms overlapping), ${(now() - last).toFixed(0)} ms after`);
});
