#!/usr/bin/env node
// Benchmark: autogenerate's pure comparison (compareSchemas) on a large schema.
// Models: N tables (default 1000) of 10 columns, 1 index and 1 foreign key each (table i refers
// to table i-1; table 0 to itself). Scenarios, each timed RUNS times (median and min printed):
//   (a) against an empty database snapshot: N CreateTable ops in foreign-key order;
//   (b) against a matching database with one column missing from every 10th table: N/10 AddColumn;
//   (c) against an identical database: no ops;
//   (b') as (b), on SQLite-like capabilities (each change in a BatchAlterTable).
// Usage (after building core and autogenerate: `npx nx run @multidb/autogenerate:build`):
//   node tools/bench/autogenerate-compare.mjs [N=1000] [RUNS=11]
import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION, freezeDeep, tableFromInput } from '@multidb/core';
import { compareSchemas } from '@multidb/autogenerate';
import { WIDE_COLUMNS, wideTableName, wideTableOptions } from './lib/wide-tables.mjs';

const [N = 1000, RUNS = 11] = process.argv.slice(2).map(Number);
function table(i, { dropExtra }) {
  const columns = dropExtra && i % 10 === 0 ? WIDE_COLUMNS.filter((c) => c.name !== 'extra') : WIDE_COLUMNS;
  return tableFromInput(wideTableName(i), columns, wideTableOptions(i), DEFAULT_NAMING_CONVENTION);
}

const snapshot = (tables) => freezeDeep({ tables, enums: [], objects: [] });
const models = snapshot(Array.from({ length: N }, (_, i) => table(i, { dropExtra: false })));
const missing = snapshot(Array.from({ length: N }, (_, i) => table(i, { dropExtra: true })).reverse());
const identical = snapshot(structuredClone([...models.tables].reverse()));
const empty = snapshot([]);
const options = { comparator: DEFAULT_COMPARATOR, capabilities: DEFAULT_CAPABILITIES, namingConvention: DEFAULT_NAMING_CONVENTION };
const sqliteLike = { ...options, capabilities: { ...DEFAULT_CAPABILITIES, alterColumn: false, alterConstraints: false, comments: false } };

const scenarios = [
  ['(a) against an empty database', empty, options],
  ['(b) one added column per 10 tables', missing, options],
  ['(c) against an identical database', identical, options],
  ["(b') as (b), SQLite-like (batch)", missing, sqliteLike],
];

console.log(`compareSchemas: ${N} tables x 10 columns, 1 index, 1 foreign key each; ${RUNS} rounds (Node ${process.version})`);
// Warm up, then rounds that rotate the order of the scenarios, so load and GC spread evenly.
const samples = scenarios.map(([, database, opts]) => {
  compareSchemas(models, database, opts);
  return [];
});
const opCounts = [];
for (let r = 0; r < RUNS; r++) {
  for (let k = 0; k < scenarios.length; k++) {
    const i = (r + k) % scenarios.length;
    const [, database, opts] = scenarios[i];
    const t0 = performance.now();
    opCounts[i] = compareSchemas(models, database, opts).ops.length;
    samples[i].push(performance.now() - t0);
  }
}
scenarios.forEach(([label], i) => {
  const sorted = samples[i].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${label.padEnd(40)} ${String(opCounts[i]).padStart(6)} ops  median ${median.toFixed(1).padStart(7)} ms  min ${sorted[0].toFixed(1).padStart(7)} ms`);
});
