// Random op sequences on each dialect (fast-check), in process through core's commands (no CLI
// process per run). A fixed root revision creates `base_a` and `base_b` with rows; each run writes
// a second revision of random ops — createTable, addColumn, dropColumn, alterColumn (nullable,
// default, integer -> bigint), createIndex, renameTable, createForeignKey — with an explicit
// downgrade (the inverse ops in reverse order), generated against a model of the schema so every
// op is valid. Upgrade, then downgrade: the catalog (columns, indexes, constraints) of every table
// is exactly what it was (column order aside: a dropped column comes back last), no table was added or lost, and the rows of the columns the sequence did
// not drop are unchanged. Alters, drops and foreign keys go through batchAlterTable, so SQLite
// rebuilds (move and copy) while PostgreSQL and MariaDB ALTER.
//
// Runs per dialect: MULTIDB_RELIABILITY_OP_RUNS (npm test: 5; full run: 50). A failure prints the
// seed and the revision's source; pass the seed as MULTIDB_RELIABILITY_SEED to replay it.
import fc from 'fast-check';
import { commands, createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { tablesAt } from '../support/servers.js';
import { bindState, catalogOf, digest } from '../batch/support.js';
import { countFromEnv, DIALECT_NAMES, forEachDialect, oneBindConfig, SEED, type Dialect } from './support.js';

const RUNS = countFromEnv('MULTIDB_RELIABILITY_OP_RUNS', 5);
const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const ROWS = 12;

const ROOT_UP = `
  await op.createTable('base_a', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(20)' },
    { name: 'qty', type: 'integer' },
    { name: 'note', type: 'varchar(30)', nullable: false, default: 'none' },
  ]);
  await op.createTable('base_b', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'a_ref', type: 'integer' },
    { name: 'score', type: 'integer' },
  ]);
  await op.bulkInsert('base_a', Array.from({ length: ${ROWS} }, (_, i) => ({ id: i + 1, name: i % 3 ? 'n' + i : null, qty: i * 2, note: 'note ' + i })));
  await op.bulkInsert('base_b', Array.from({ length: ${ROWS} }, (_, i) => ({ id: i + 1, a_ref: (i % ${ROWS}) + 1, score: i % 5 })));`;
const ROOT_DOWN = `await op.dropTable('base_b');\n  await op.dropTable('base_a');`;

/** One random choice: an op kind and numbers that pick its table, column and variant. */
interface Choice {
  readonly kind: 'createTable' | 'addColumn' | 'dropColumn' | 'alterNullable' | 'alterDefault' | 'alterType' | 'createIndex' | 'renameTable' | 'createForeignKey';
  readonly a: number;
  readonly b: number;
}

const choice: fc.Arbitrary<Choice> = fc.record({
  kind: fc.constantFrom('createTable', 'addColumn', 'dropColumn', 'alterNullable', 'alterDefault', 'alterType', 'createIndex', 'renameTable', 'createForeignKey'),
  a: fc.nat(),
  b: fc.nat(),
});

interface ModelColumn {
  name: string;
  type: 'integer' | 'bigint' | 'varchar(20)' | 'varchar(30)';
  nullable: boolean;
  default?: string;
  /** Part of an index or foreign key made by this sequence (not dropped, not altered then). */
  pinned: boolean;
}
interface ModelTable {
  /** The table's name now; `original` is its name before the sequence (undefined: created by it). */
  name: string;
  original?: string;
  columns: ModelColumn[];
}

/**
 * Turns choices into a revision's upgrade and downgrade bodies, against a model of the schema, so
 * each op is valid where it runs. Returns the columns dropped (their rows cannot come back), per
 * original table.
 */
function buildRevision(choices: readonly Choice[]): { upgrade: string; downgrade: string; dropped: Record<string, string[]> } {
  const tables: ModelTable[] = [
    {
      name: 'base_a',
      original: 'base_a',
      columns: [
        { name: 'id', type: 'integer', nullable: false, pinned: true },
        { name: 'name', type: 'varchar(20)', nullable: true, pinned: false },
        { name: 'qty', type: 'integer', nullable: true, pinned: false },
        { name: 'note', type: 'varchar(30)', nullable: false, default: 'none', pinned: false },
      ],
    },
    {
      name: 'base_b',
      original: 'base_b',
      columns: [
        { name: 'id', type: 'integer', nullable: false, pinned: true },
        { name: 'a_ref', type: 'integer', nullable: true, pinned: false },
        { name: 'score', type: 'integer', nullable: true, pinned: false },
      ],
    },
  ];
  const up: string[] = [];
  const down: string[] = [];
  const dropped: Record<string, string[]> = {};
  let n = 0;
  const js = (v: unknown) => JSON.stringify(v);
  const existing = (c: ModelColumn) => `{ type: ${js(c.type)}, nullable: ${c.nullable}${c.default !== undefined ? `, default: ${js(c.default)}` : ''} }`;
  const batch = (table: string, body: string) => `await op.batchAlterTable(${js(table)}, (b) => { ${body} });`;

  for (const c of choices) {
    const t = tables[c.a % tables.length]!;
    const free = t.columns.filter((col) => !col.pinned);
    const col = free.length ? free[c.b % free.length] : undefined;
    switch (c.kind) {
      case 'createTable': {
        const name = `new_${++n}`;
        up.push(`await op.createTable(${js(name)}, [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'v', type: 'integer' }]);`);
        down.unshift(`await op.dropTable(${js(name)});`);
        tables.push({ name, columns: [{ name: 'id', type: 'integer', nullable: false, pinned: true }, { name: 'v', type: 'integer', nullable: true, pinned: false }] });
        break;
      }
      case 'addColumn': {
        const name = `col_${++n}`;
        up.push(`await op.addColumn(${js(t.name)}, { name: ${js(name)}, type: 'integer' });`);
        down.unshift(batch(t.name, `b.dropColumn(${js(name)}, { existing: { type: 'integer', nullable: true } });`));
        t.columns.push({ name, type: 'integer', nullable: true, pinned: false });
        break;
      }
      case 'dropColumn': {
        if (!col) break;
        up.push(batch(t.name, `b.dropColumn(${js(col.name)}, { existing: ${existing(col)} });`));
        const def = col.default !== undefined ? `, default: ${js(col.default)}` : '';
        // A NOT NULL column comes back nullable-with-default first only if it has a default; else nullable.
        const nullable = col.nullable || col.default === undefined;
        down.unshift(
          batch(t.name, `b.addColumn({ name: ${js(col.name)}, type: ${js(col.type)}, nullable: ${nullable}${def} });`) +
            (nullable === col.nullable ? '' : `\n  ${batch(t.name, `b.alterColumn(${js(col.name)}, { nullable: ${col.nullable}, existing: { type: ${js(col.type)}, nullable: ${nullable}${def} } });`)}`),
        );
        t.columns.splice(t.columns.indexOf(col), 1);
        if (t.original) (dropped[t.original] ??= []).push(col.name);
        break;
      }
      case 'alterNullable': {
        // Only nullable -> nullable toggles that the rows allow: to NOT NULL only when it has no NULLs
        // is unknown here, so only NOT NULL -> nullable and back.
        if (!col || col.nullable) break;
        up.push(batch(t.name, `b.alterColumn(${js(col.name)}, { nullable: true, existing: ${existing(col)} });`));
        const after = { ...col, nullable: true };
        down.unshift(batch(t.name, `b.alterColumn(${js(col.name)}, { nullable: false, existing: ${existing(after)} });`));
        col.nullable = true;
        col.pinned = true; // its reverse needs the rows as they are: no further change to it
        break;
      }
      case 'alterDefault': {
        if (!col || col.type === 'bigint') break;
        const value = col.type.startsWith('varchar') ? `d${n++}` : String(c.b % 100);
        up.push(batch(t.name, `b.alterColumn(${js(col.name)}, { default: ${js(value)}, existing: ${existing(col)} });`));
        const after = { ...col, default: value };
        down.unshift(batch(t.name, `b.alterColumn(${js(col.name)}, { default: ${col.default === undefined ? 'null' : js(col.default)}, existing: ${existing(after)} });`));
        col.default = value;
        col.pinned = true;
        break;
      }
      case 'alterType': {
        if (!col || col.type !== 'integer' || col.default !== undefined) break;
        up.push(batch(t.name, `b.alterColumn(${js(col.name)}, { type: 'bigint', existing: ${existing(col)} });`));
        down.unshift(batch(t.name, `b.alterColumn(${js(col.name)}, { type: 'integer', existing: ${existing({ ...col, type: 'bigint' })} });`));
        col.type = 'bigint';
        col.pinned = true;
        break;
      }
      case 'createIndex': {
        if (!col) break;
        const name = `ix_${++n}`;
        up.push(`await op.createIndex(${js(name)}, ${js(t.name)}, [${js(col.name)}]);`);
        down.unshift(`await op.dropIndex(${js(name)}, { table: ${js(t.name)} });`);
        col.pinned = true;
        break;
      }
      case 'renameTable': {
        const name = `ren_${++n}`;
        up.push(`await op.renameTable(${js(t.name)}, ${js(name)});`);
        down.unshift(`await op.renameTable(${js(name)}, ${js(t.name)});`);
        t.name = name;
        break;
      }
      case 'createForeignKey': {
        // A new nullable column (all NULL) referring to another table's primary key: always valid.
        const parent = tables[c.b % tables.length]!;
        const colName = `ref_${++n}`;
        const fk = `fk_${n}`;
        up.push(`await op.addColumn(${js(t.name)}, { name: ${js(colName)}, type: 'integer' });`);
        up.push(batch(t.name, `b.createForeignKey(${js(fk)}, ${js(parent.name)}, [${js(colName)}], ['id']);`));
        down.unshift(batch(t.name, `b.dropColumn(${js(colName)}, { existing: { type: 'integer', nullable: true } });`));
        down.unshift(batch(t.name, `b.dropConstraint(${js(fk)}, { type: 'foreignkey' });`));
        t.columns.push({ name: colName, type: 'integer', nullable: true, pinned: true });
        parent.columns[0]!.pinned = true;
        break;
      }
    }
  }
  return { upgrade: up.join('\n  '), downgrade: down.join('\n  '), dropped };
}

/**
 * A catalog with each table's columns sorted: a dropped column added back comes last (as in
 * Alembic; no dialect here can add a column in the middle), so column order is not compared.
 */
function unordered(catalog: ReturnType<typeof catalogOf>): ReturnType<typeof catalogOf> {
  return Object.fromEntries(Object.entries(catalog).map(([t, c]) => [t, { ...c, columns: [...c.columns].sort() }]));
}

function opSequenceSuite(dialect: Dialect, url: () => string) {
  it(`${DIALECT_NAMES[dialect]}: ${RUNS} random op sequences: upgrade then downgrade restores the catalog and the rows of untouched columns (seed ${SEED})`, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(choice, { minLength: 1, maxLength: 8 }), async (choices) => {
        run++;
        const p = new TempProject([], { config: oneBindConfig(url()) });
        const rev = `0b5${String(run).padStart(9, '0')}`;
        const built = buildRevision(choices);
        addRevision(p, 'default', { revision: 'a0a000000000', downRevision: null, message: 'root', upgrade: ROOT_UP, downgrade: ROOT_DOWN });
        addRevision(p, 'default', { revision: rev, downRevision: 'a0a000000000', message: 'random ops', upgrade: built.upgrade, downgrade: built.downgrade });
        const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
        try {
          await commands.upgrade(env, ['a0a000000000']);
          const tablesBefore = await tablesAt(url(), { baseDir: p.dir, write: true });
          const before = await bindState(url(), ['base_a', 'base_b'], p.dir);
          await commands.upgrade(env, ['head']);
          await commands.downgrade(env, 'a0a000000000');
          const after = await bindState(url(), ['base_a', 'base_b'], p.dir);
          const context = `seed ${SEED}, run ${run}\n--- upgrade\n${built.upgrade}\n--- downgrade\n${built.downgrade}`;
          expect(await tablesAt(url(), { baseDir: p.dir, write: true }), context).toEqual(tablesBefore);
          expect(unordered(catalogOf(after)), context).toEqual(unordered(catalogOf(before)));
          for (const table of ['base_a', 'base_b'] as const) {
            const kept = before.tables[table]!.names.filter((c) => !(built.dropped[table] ?? []).includes(c));
            expect(digest(after.tables[table]!, kept), `${context}\n${table}: ${kept.join(', ')}`).toBe(digest(before.tables[table]!, kept));
          }
          expect(after.foreignKeyViolations, context).toEqual([]);
        } finally {
          await commands.downgrade(env, 'base').catch(() => undefined);
          await env.close();
          p.remove();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000 + RUNS * 20_000);
}

forEachDialect('random op sequences', 'rel_ops', opSequenceSuite);
