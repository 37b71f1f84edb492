// A preload that times what a PostgreSQL run sends (issue #13): wraps pg's Client#query when the
// process loads pg, and at exit prints, for the queries that carry a revision (`BEGIN;CREATE…`),
// how long the server sat idle between answering one query and receiving the next (median, p90,
// sum), and when the first query and the first revision went out. Run on demand, never in CI:
//   node -r ./tools/bench/pg-query-gaps.cjs packages/cli/bin/migrate.cjs upgrade
const Module = require('node:module');
const events = [];
let query;
function timed(...args) {
  const config = args[0];
  const text = typeof config === 'string' ? config : String(config?.text);
  events.push({ kind: 'sent', at: performance.now(), revision: text.startsWith('BEGIN;CREATE') });
  const answered = () => events.push({ kind: 'answered', at: performance.now() });
  if (config && typeof config === 'object' && typeof config.callback === 'function') {
    const callback = config.callback;
    config.callback = (...a) => (answered(), callback.apply(config, a));
  }
  const result = query.apply(this, args);
  if (result && typeof result.then === 'function') result.then(answered, answered);
  return result;
}
const load = Module._load;
Module._load = function (request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (request === 'pg' && !query) {
    query = loaded.Client.prototype.query;
    loaded.Client.prototype.query = timed;
  }
  return loaded;
};
process.on('exit', () => {
  const gaps = [];
  let lastAnswer;
  for (const e of events) {
    if (e.kind === 'sent' && e.revision && lastAnswer !== undefined) gaps.push(e.at - lastAnswer);
    if (e.kind === 'answered') lastAnswer = e.at;
  }
  gaps.sort((a, b) => a - b);
  const first = events.find((e) => e.kind === 'sent');
  const firstRevision = events.find((e) => e.kind === 'sent' && e.revision);
  const ms = (x) => (x === undefined ? '-' : x.toFixed(3));
  process.stderr.write(
    `pg-query-gaps: ${gaps.length} gaps, median ${ms(gaps[gaps.length >> 1])} ms, p90 ${ms(gaps[Math.floor(gaps.length * 0.9)])} ms, ` +
      `sum ${ms(gaps.reduce((a, b) => a + b, 0))} ms; first query at ${ms(first?.at)} ms, first revision at ${ms(firstRevision?.at)} ms\n`,
  );
});
