// Counts the statements a multidb command sends, per driver, and prints them grouped (revision
// ids and table names t00000 folded to X) to stderr at exit; STATEMENTS_LOG=1 also prints each.
// Preload it into a command of a generated project, e.g. the P3 workload's:
//   node -r ./tools/bench/count-statements.cjs packages/cli/bin/migrate.cjs upgrade
// It wraps better-sqlite3's statements (run, all, get, iterate) and `exec`, pg's Client#query and mysql2's query (the drivers of this
// repository's node_modules); nothing else changes.
const Module = require('node:module');
const path = require('node:path');

const load = Module.createRequire(path.join(__dirname, '../../packages/dialect/package.json'));
const counts = new Map();
const log = process.env.STATEMENTS_LOG === '1';
const note = (driver, sql) => {
  const text = String(sql);
  const key = `${driver}: ${text.replace(/\s+/g, ' ').slice(0, 70).replace(/t\d{5}|[0-9a-f]{12}/g, 'X')}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  if (log) process.stderr.write(`${driver} ${text}\n`);
};

// SQLite: each statement run (a connection keeps the statements it sends every revision, so
// counting prepares would miss them); its text is the statement's `source`.
const Sqlite = load('better-sqlite3');
const memory = new Sqlite(':memory:');
const Statement = Object.getPrototypeOf(memory.prepare('SELECT 1'));
memory.close();
for (const method of ['run', 'all', 'get', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function (...args) {
    note('sqlite', this.source);
    return original.apply(this, args);
  };
}
// An op's DDL without parameters runs through the database's `exec` (no statement object).
const exec = Sqlite.prototype.exec;
Sqlite.prototype.exec = function (sql) {
  note('sqlite', sql);
  return exec.call(this, sql);
};
const pg = load('pg');
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  note('pg', typeof config === 'string' ? config : config?.text);
  return pgQuery.call(this, config, ...rest);
};
const BaseConnection = Object.getPrototypeOf(load('mysql2').Connection.prototype).constructor;
const mysqlQuery = BaseConnection.prototype.query;
BaseConnection.prototype.query = function (sql, ...rest) {
  note('mysql', typeof sql === 'string' ? sql : sql?.sql);
  return mysqlQuery.call(this, sql, ...rest);
};

process.on('exit', () => {
  let total = 0;
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    total += n;
    process.stderr.write(`${String(n).padStart(6)}  ${key}\n`);
  }
  process.stderr.write(`${String(total).padStart(6)}  in all\n`);
});
