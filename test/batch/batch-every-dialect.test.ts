// Batch mode on every dialect (issue 4): the SAME revision files, run through `migrate` (in this
// process, InProcessProject) on three binds that share one branch (`batch`): `lite` on SQLite
// (move-and-copy rebuilds),
// `pg` on PostgreSQL and `my` on MariaDB/MySQL (ordinary ALTERs). Each case is a revision with a
// real downgrade. The tests run in order, each starting where the last one ended: first every
// case is upgraded (one revision at a time), then every case is downgraded again.
//
// After each upgrade and downgrade, on every bind: the version table; every table's row count
// and a digest of the kept columns' values, as before; the catalog (sqlite_master and pragmas,
// pg_catalog, information_schema) changed exactly as the case says, or (downgrade) is back to
// what it was; the three binds' catalogs and rows are the same; SQLite's foreign_key_check is
// clean. A server that cannot be reached drops its bind locally and fails the file under CI=true.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { InProcessProject } from '../support/in-process-project.js';
import { type RunOutput } from '../support/project.js';
import { queryUrl, sqliteFile, UNDER_CI, unavailable, useDatabases, type ServerKind } from '../support/servers.js';
import { bindState, catalogDiff, catalogOf, digest, type BindState, type CatalogDiff, type TableCatalog } from './support.js';

const SERVERS = { pg: 'postgres', my: 'mysql' } as const satisfies Record<string, ServerKind>;
type ServerBind = keyof typeof SERVERS;
type Bind = 'lite' | ServerBind;
const reachable = (Object.keys(SERVERS) as ServerBind[]).filter((b) => unavailable[SERVERS[b]] === undefined);
const missing = (Object.keys(SERVERS) as ServerBind[]).filter((b) => !reachable.includes(b)).map((b) => `${b}: ${unavailable[SERVERS[b]]}`);
const BINDS: Bind[] = ['lite', ...reachable];
const TABLES = ['parent', 'child', 'item'] as const;
const BRANCH = 'batch';

/** One case: a revision with its upgrade and downgrade bodies and what it must do to the catalog. */
interface Case {
  readonly id: string;
  readonly down: string;
  readonly message: string;
  readonly upgrade: string;
  readonly downgrade: string;
  /** What the upgrade changes in the catalog (the downgrade must restore it exactly). */
  readonly diff: Record<string, CatalogDiff>;
  /**
   * MariaDB/MySQL only: indexes of `item` InnoDB keeps after the upgrade / the downgrade. InnoDB
   * makes an index (named after the key) for a foreign key without one, and `DROP FOREIGN KEY`
   * leaves it; the MySQL dialect now drops it with the key when no other index serves the key, so
   * no case lists any (dropping a foreign key, ba05 up and ba04 down, leaves the same catalog as on
   * the other dialects).
   */
  readonly innodbLeftoverUp?: readonly string[];
  readonly innodbLeftoverDown?: readonly string[];
  /** Columns renamed by the upgrade, per table (old → new), for the kept-columns digest. */
  readonly renamed?: Record<string, Record<string, string>>;
  /** Columns whose values the downgrade cannot bring back (dropped by the upgrade), per table. */
  readonly lossy?: Record<string, readonly string[]>;
}

const ROOT = {
  id: 'ba00',
  message: 'parent child item',
  upgrade: `
  await op.createTable('parent', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'code', type: 'varchar(20)', nullable: false },
    { name: 'name', type: 'varchar(40)' },
  ], { uniqueConstraints: [{ name: 'uq_parent_code', columns: ['code'] }], checkConstraints: [{ name: 'ck_parent_code', expression: "code <> ''" }] });
  await op.createTable('child', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'parent_id', type: 'integer', nullable: false },
    { name: 'note', type: 'varchar(40)' },
  ], { foreignKeys: [{ name: 'fk_child_parent', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'], onDelete: 'cascade' }] });
  await op.createTable('item', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'parent_id', type: 'integer' },
    { name: 'owner_id', type: 'integer' },
    { name: 'sku', type: 'varchar(12)' },
    { name: 'qty', type: 'integer' },
    { name: 'label', type: 'varchar(40)' },
    { name: 'tag', type: 'varchar(20)' },
  ], {
    foreignKeys: [{ name: 'fk_item_owner', columns: ['owner_id'], referredTable: 'parent', referredColumns: ['id'] }],
    indexes: [{ name: 'ix_item_tag', columns: ['tag'] }],
  });
  const n = (k: number) => Array.from({ length: k }, (_, i) => i + 1);
  await op.bulkInsert('parent', n(20).map((i) => ({ id: i, code: 'P' + i, name: i % 4 ? 'parent ' + i : null })));
  await op.bulkInsert('child', n(60).map((i) => ({ id: i, parent_id: ((i - 1) % 20) + 1, note: 'child ' + i })));
  await op.bulkInsert('item', n(50).map((i) => ({
    id: i, parent_id: (i % 20) + 1, owner_id: ((i * 7) % 20) + 1, sku: String(1000 + i * 13), qty: i % 9, label: i % 5 ? 'label ' + i : null, tag: 't' + (i % 6),
  })));`,
  downgrade: `
  await op.dropTable('item');
  await op.dropTable('child');
  await op.dropTable('parent');`,
};
const SKU_SUM = 50 * 1000 + 13 * ((50 * 51) / 2);

const CASES: Case[] = [
  {
    id: 'ba01',
    down: 'ba00',
    message: 'drop a column that is in an index',
    upgrade: `await op.batchAlterTable('item', (b) => { b.dropColumn('tag', { existing: { type: 'varchar(20)', nullable: true } }); });`,
    downgrade: `await op.batchAlterTable('item', (b) => { b.addColumn({ name: 'tag', type: 'varchar(20)' }); b.createIndex('ix_item_tag', ['tag']); });`,
    diff: { item: { columns: { removed: ['tag varchar(20)'] }, indexes: { removed: ['ix_item_tag (tag)'] } } },
    lossy: { item: ['tag'] },
  },
  {
    id: 'ba02',
    down: 'ba01',
    message: 'sku varchar of digits to integer',
    upgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('sku', { type: 'integer', existing: { type: 'varchar(12)', nullable: true } }); });`,
    downgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('sku', { type: 'varchar(12)', existing: { type: 'integer', nullable: true } }); });`,
    diff: { item: { columns: { added: ['sku integer'], removed: ['sku varchar(12)'] } } },
  },
  {
    id: 'ba03',
    down: 'ba02',
    message: 'qty not null',
    upgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('qty', { nullable: false, existing: { type: 'integer', nullable: true } }); });`,
    downgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('qty', { nullable: true, existing: { type: 'integer', nullable: false } }); });`,
    diff: { item: { columns: { added: ['qty integer not null'], removed: ['qty integer'] } } },
  },
  {
    id: 'ba04',
    down: 'ba03',
    message: 'add a foreign key a unique and a check',
    upgrade: `await op.batchAlterTable('item', (b) => {
    b.createForeignKey('fk_item_parent', 'parent', ['parent_id'], ['id']);
    b.createUniqueConstraint('uq_item_sku', ['sku']);
    b.createCheckConstraint('ck_item_qty', 'qty >= 0');
  });`,
    downgrade: `await op.batchAlterTable('item', (b) => {
    b.dropConstraint('ck_item_qty', { type: 'check' });
    b.dropConstraint('uq_item_sku', { type: 'unique' });
    b.dropConstraint('fk_item_parent', { type: 'foreignkey' });
  });`,
    diff: { item: { constraints: { added: ['check ck_item_qty', 'foreign key fk_item_parent (parent_id) -> parent (id)', 'unique uq_item_sku (sku)'] } } },
  },
  {
    id: 'ba05',
    down: 'ba04',
    message: 'drop a foreign key a unique and a check',
    upgrade: `await op.batchAlterTable('parent', (b) => {
    b.dropConstraint('uq_parent_code', { type: 'unique' });
    b.dropConstraint('ck_parent_code', { type: 'check' });
  });
  await op.batchAlterTable('item', (b) => { b.dropConstraint('fk_item_owner', { type: 'foreignkey' }); });`,
    downgrade: `await op.batchAlterTable('item', (b) => { b.createForeignKey('fk_item_owner', 'parent', ['owner_id'], ['id']); });
  await op.batchAlterTable('parent', (b) => {
    b.createUniqueConstraint('uq_parent_code', ['code']);
    b.createCheckConstraint('ck_parent_code', "code <> ''");
  });`,
    diff: {
      parent: { constraints: { removed: ['check ck_parent_code', 'unique uq_parent_code (code)'] } },
      item: { constraints: { removed: ['foreign key fk_item_owner (owner_id) -> parent (id)'] } },
    },
  },
  {
    id: 'ba06',
    down: 'ba05',
    message: 'rename a column other tables point to',
    upgrade: `await op.batchAlterTable('parent', (b) => { b.renameColumn('id', 'parent_key'); });`,
    downgrade: `await op.batchAlterTable('parent', (b) => { b.renameColumn('parent_key', 'id'); });`,
    diff: {
      parent: {
        columns: { added: ['parent_key integer not null'], removed: ['id integer not null'] },
        constraints: { added: ['primary key (parent_key)'], removed: ['primary key (id)'] },
      },
      child: {
        constraints: {
          added: ['foreign key fk_child_parent (parent_id) -> parent (parent_key) on delete cascade'],
          removed: ['foreign key fk_child_parent (parent_id) -> parent (id) on delete cascade'],
        },
      },
      item: {
        constraints: { added: ['foreign key fk_item_parent (parent_id) -> parent (parent_key)'], removed: ['foreign key fk_item_parent (parent_id) -> parent (id)'] },
      },
    },
    renamed: { parent: { id: 'parent_key' } },
  },
  {
    id: 'ba07',
    down: 'ba06',
    message: 'rebuild a table children reference on delete cascade',
    upgrade: `await op.batchAlterTable('parent', (b) => {
    b.alterColumn('name', { type: 'varchar(80)', existing: { type: 'varchar(40)', nullable: true } });
    b.addColumn({ name: 'rank', type: 'integer', nullable: false, default: 0 });
  }, { recreate: 'always' });`,
    downgrade: `await op.batchAlterTable('parent', (b) => {
    b.dropColumn('rank', { existing: { type: 'integer', nullable: false, default: 0 } });
    b.alterColumn('name', { type: 'varchar(40)', existing: { type: 'varchar(80)', nullable: true } });
  }, { recreate: 'always' });`,
    diff: { parent: { columns: { added: ['name varchar(80)', 'rank integer not null default 0'], removed: ['name varchar(40)'] } } },
  },
];

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe(`batch mode on every dialect: the same revisions through the built CLI (${BINDS.join(', ')})`, () => {
  if (missing.length && UNDER_CI) {
    it('reaches its database servers (CI=true: a test that cannot reach its server fails)', () => {
      throw new Error(missing.join('; '));
    });
    return;
  }
  if (missing.length) console.warn(`batch-every-dialect: running without ${missing.join('; ')}`);

  const dbs = useDatabases('batch', Object.fromEntries(reachable.map((b) => [b, SERVERS[b]])) as Record<ServerBind, ServerKind>);
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());
  const urls = { lite: 'sqlite:.data/lite.db' } as Record<Bind, string>;
  /** The state after each revision, by id (what a downgrade to it must give back). */
  const states: Record<string, Record<Bind, BindState>> = {};
  /** MariaDB/MySQL: indexes of `item` InnoDB made for a foreign key and kept after the key was dropped. */
  let innodbLeftovers: string[] = [];
  /** The leftovers at each state, by revision id. */
  const leftoversAt: Record<string, string[]> = { [ROOT.id]: [] };

  const snapshot = async (): Promise<Record<Bind, BindState>> =>
    Object.fromEntries(await Promise.all(BINDS.map(async (b) => [b, await bindState(urls[b], TABLES, p.dir)] as const))) as Record<Bind, BindState>;

  /** A bind's catalog without the InnoDB leftovers (so it compares with the other dialects'). */
  const comparable = (bind: Bind, state: BindState): Record<string, TableCatalog> => {
    const catalog = catalogOf(state);
    if (bind !== 'my') return catalog;
    expect(catalog.item!.indexes, 'InnoDB leftover indexes of item').toEqual(expect.arrayContaining(innodbLeftovers));
    return { ...catalog, item: { ...catalog.item!, indexes: catalog.item!.indexes.filter((i) => !innodbLeftovers.includes(i)) } };
  };

  /** Every bind at `version`, foreign keys intact, and the same catalog and rows as the others. */
  const expectConsistent = (state: Record<Bind, BindState>, version: string) => {
    for (const bind of BINDS) {
      expect(state[bind].versions, `${bind} version table`).toEqual([version]);
      expect(state[bind].foreignKeyViolations, `${bind} foreign_key_check`).toEqual([]);
      expect(comparable(bind, state[bind]), `${bind} catalog vs lite`).toEqual(comparable('lite', state.lite));
      for (const t of TABLES) expect(state[bind].tables[t]!.rows, `${bind}.${t} rows vs lite`).toEqual(state.lite.tables[t]!.rows);
    }
  };

  /** Same row counts, and the same digest of every kept column (renamed ones by their new name). */
  const expectRowsKept = (before: BindState, after: BindState, bind: Bind, c: { renamed?: Case['renamed']; lossy?: Case['lossy'] }) => {
    for (const t of TABLES) {
      const b = before.tables[t]!;
      const a = after.tables[t]!;
      expect(a.rows.length, `${bind}.${t} row count`).toBe(b.rows.length);
      const rename = c.renamed?.[t] ?? {};
      const kept = b.names.filter((n) => !(c.lossy?.[t] ?? []).includes(n) && a.names.includes(rename[n] ?? n));
      expect(kept.length, `${bind}.${t} kept columns`).toBeGreaterThan(1);
      expect(digest(a, kept.map((n) => rename[n] ?? n)), `${bind}.${t} digest of ${kept.join(', ')}`).toBe(digest(b, kept));
    }
  };

  /** Runs one SQL statement on a bind, SQLite with foreign keys on (as the product's connections are). */
  const execOn = async (bind: Bind, sql: string): Promise<void> => {
    if (bind !== 'lite') {
      await queryUrl(urls[bind], sql);
      return;
    }
    const db = new Database(sqliteFile(urls.lite, p.dir), { fileMustExist: true });
    try {
      db.pragma('foreign_keys = ON');
      db.prepare(sql).run();
    } finally {
      db.close();
    }
  };
  /** The statement must be refused for `reason` (a constraint doing its job). */
  const expectRejected = async (bind: Bind, sql: string, reason: RegExp) => {
    await expect(execOn(bind, sql), `${bind}: ${sql}`).rejects.toThrow(reason);
  };

  /**
   * Each bind's `upgrade <bind>@head` failed on revision bx04 with one ERROR line naming the bind,
   * the revision, its file and the column; rolled back (SQLite, PostgreSQL) or, on MySQL, saying
   * that nothing of it was applied (its first statement failed) or that its completed writes are
   * recorded to resume.
   */
  const expectFailedAtBa03 = (outs: readonly RunOutput[], file: string) => {
    BINDS.forEach((bind, i) => {
      const line = expectOneLineError(outs[i]!, [`[${bind}] revision bx04 failed`, file, /label/]);
      // MySQL: nothing recorded (it failed on its first statement), or its completed writes recorded to resume.
      if (bind === 'my') expect(line).toMatch(/(nothing of it was applied \(it failed before its first write\); 'my' stays at ba03\.$|part of this revision was applied and its progress recorded; the version table is at the last completed revision \(ba03\)\.)/);
      else expect(line).toMatch(new RegExp(`rolled back; '${bind}' stays at (ba03|its previous revision)\\.$`));
    });
  };

  const upgradeCase = async (c: Case) => {
    const before = states[c.down]!;
    addRevision(p, BRANCH, { revision: c.id, downRevision: c.down, message: c.message, upgrade: c.upgrade, downgrade: c.downgrade });
    const out = await p.ok('upgrade', c.id);
    for (const bind of BINDS) expect(lines(out.stderr)).toContain(`[${bind}] Running upgrade ${c.down} -> ${c.id}, ${c.message}`);
    const after = await snapshot();
    innodbLeftovers = [...innodbLeftovers, ...(c.innodbLeftoverUp ?? [])];
    for (const bind of BINDS) {
      expectRowsKept(before[bind], after[bind], bind, c);
      const expected = bind === 'my' && c.innodbLeftoverUp ? withIndexes(c.diff, c.innodbLeftoverUp) : c.diff;
      expect(catalogDiff(catalogOf(before[bind]), catalogOf(after[bind])), `${bind}: what ${c.id} changed`).toEqual(expected);
    }
    expectConsistent(after, c.id);
    states[c.id] = after;
    leftoversAt[c.id] = innodbLeftovers;
    return after;
  };

  const downgradeCase = async (c: Case) => {
    const target = states[c.down]!;
    const from = states[c.id]!;
    // Every bind shares the branch: a revision target acts on all of them only with --all-binds.
    const out = await p.ok('downgrade', c.down, '--all-binds');
    for (const bind of BINDS) expect(lines(out.stderr)).toContain(`[${bind}] Running downgrade ${c.id} -> ${c.down}, ${c.message}`);
    const after = await snapshot();
    innodbLeftovers = [...innodbLeftovers.filter((i) => !(c.innodbLeftoverUp ?? []).includes(i)), ...(c.innodbLeftoverDown ?? [])];
    for (const bind of BINDS) {
      // Rows: as before the upgrade (except the values of a column the upgrade dropped), and as
      // just before this downgrade (renamed columns back under their old names).
      expectRowsKept(target[bind], after[bind], bind, { lossy: c.lossy ?? {} });
      const back = Object.fromEntries(Object.entries(c.renamed ?? {}).map(([t, m]) => [t, Object.fromEntries(Object.entries(m).map(([o, n]) => [n, o]))]));
      expectRowsKept(from[bind], after[bind], bind, { renamed: back });
      // On MariaDB/MySQL, exactly the InnoDB leftovers that appeared since that state differ.
      const then = leftoversAt[c.down]!;
      const added = innodbLeftovers.filter((i) => !then.includes(i));
      const removed = then.filter((i) => !innodbLeftovers.includes(i));
      const expected = bind === 'my' && (added.length || removed.length) ? { item: { indexes: { ...(added.length ? { added } : {}), ...(removed.length ? { removed } : {}) } } } : {};
      expect(catalogDiff(catalogOf(target[bind]), catalogOf(after[bind])), `${bind}: catalog after downgrading ${c.id} vs before its upgrade`).toEqual(expected);
    }
    expectConsistent(after, c.down);
  };

  beforeAll(async () => {
    for (const b of reachable) urls[b] = dbs[b].url;
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        BINDS.map((b) => `    ${b}: { url: ${JSON.stringify(urls[b])}, branch: '${BRANCH}' },\n`).join('') +
        `  },\n});\n`,
    );
    addRevision(p, BRANCH, { revision: ROOT.id, downRevision: null, message: ROOT.message, upgrade: ROOT.upgrade, downgrade: ROOT.downgrade });
    await p.ok('upgrade');
    states[ROOT.id] = await snapshot();
  });

  it('the root revision makes the same tables and rows on every dialect', () => {
    const s = states[ROOT.id]!;
    expectConsistent(s, ROOT.id);
    expect(s.lite.tables.parent!.rows).toHaveLength(20);
    expect(s.lite.tables.child!.rows).toHaveLength(60);
    expect(s.lite.tables.item!.rows).toHaveLength(50);
    expect(catalogOf(s.lite)).toEqual({
      parent: {
        columns: ['id integer not null', 'code varchar(20) not null', 'name varchar(40)'],
        indexes: [],
        constraints: ['check ck_parent_code', 'primary key (id)', 'unique uq_parent_code (code)'],
      },
      child: {
        columns: ['id integer not null', 'parent_id integer not null', 'note varchar(40)'],
        indexes: [],
        constraints: ['foreign key fk_child_parent (parent_id) -> parent (id) on delete cascade', 'primary key (id)'],
      },
      item: {
        columns: ['id integer not null', 'parent_id integer', 'owner_id integer', 'sku varchar(12)', 'qty integer', 'label varchar(40)', 'tag varchar(20)'],
        indexes: ['ix_item_tag (tag)'],
        constraints: ['foreign key fk_item_owner (owner_id) -> parent (id)', 'primary key (id)'],
      },
    });
  });

  const [dropIndexed, toInteger, notNull, addConstraints, dropConstraints, renameReferenced, rebuildReferenced] = CASES as [Case, Case, Case, Case, Case, Case, Case];

  it('drops a column that is in an index: the index goes with it', async () => {
    await upgradeCase(dropIndexed);
  });

  it('changes a varchar of digits to integer: every value cast (PostgreSQL needs USING)', async () => {
    // PostgreSQL refuses varchar → integer without USING ("cannot be cast automatically"): the
    // upgrade succeeding there is the dialect's USING at work.
    await upgradeCase(toInteger);
    for (const bind of BINDS) expect(Number((await queryUrl(urls[bind], `SELECT sum("sku") AS s FROM "item"`, [], { baseDir: p.dir }))[0]!.s), bind).toBe(SKU_SUM);
    // SQLite keeps whatever a value was; the rebuild's copy must have cast them.
    expect(await queryUrl(urls.lite, `SELECT typeof("sku") AS t, count(*) AS n FROM "item" GROUP BY 1`, [], { baseDir: p.dir })).toEqual([{ t: 'integer', n: 50 }]);
  });

  it('makes a column NOT NULL when it holds no NULLs', async () => {
    await upgradeCase(notNull);
    for (const bind of BINDS) await expectRejected(bind, `UPDATE "item" SET "qty" = NULL WHERE "id" = 1`, /null/i);
  });

  it('makes a column NOT NULL that holds NULLs: one ERROR line naming bind and revision on each dialect, nothing changed', async () => {
    const before = await snapshot();
    const file = addRevision(p, BRANCH, {
      revision: 'bx04',
      downRevision: 'ba03',
      message: 'label not null',
      upgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('label', { nullable: false, existing: { type: 'varchar(40)', nullable: true } }); });`,
      downgrade: `await op.batchAlterTable('item', (b) => { b.alterColumn('label', { nullable: true, existing: { type: 'varchar(40)', nullable: false } }); });`,
    });
    try {
      const outs = await Promise.all(BINDS.map((b) => p.run('upgrade', `${b}@head`)));
      expectFailedAtBa03(outs, file);
      expect(await snapshot()).toEqual(before);
      expect(lines((await p.ok('current')).stdout)).toEqual(BINDS.map((b) => `[${b}] ba03`));
    } finally {
      rmSync(join(p.dir, file));
    }
  });

  it('the same with an op before it in the batch: rolled back on SQLite and PostgreSQL; on MySQL (no transactional DDL) the first op stays, the version table and `current` say ba03', async () => {
    const before = await snapshot();
    const file = addRevision(p, BRANCH, {
      revision: 'bx04',
      downRevision: 'ba03',
      message: 'label len and label not null',
      upgrade: `await op.batchAlterTable('item', (b) => {
    b.addColumn({ name: 'label_len', type: 'integer' });
    b.alterColumn('label', { nullable: false, existing: { type: 'varchar(40)', nullable: true } });
  });`,
      downgrade: `await op.batchAlterTable('item', (b) => {
    b.alterColumn('label', { nullable: true, existing: { type: 'varchar(40)', nullable: false } });
    b.dropColumn('label_len', { existing: { type: 'integer', nullable: true } });
  });`,
    });
    try {
      const outs = await Promise.all(BINDS.map((b) => p.run('upgrade', `${b}@head`)));
      expectFailedAtBa03(outs, file);
      const after = await snapshot();
      // MySQL also shows bx04 in flight: its batch sent the first statement, and failed on the second.
      const inFlight = BINDS.includes('my') ? [expect.stringMatching(/^\[my\] bx04 \(in flight: upgrade stopped after 1 write\(s\), last: batchAlterTable item/)] : [];
      expect(lines((await p.ok('current')).stdout)).toEqual([...BINDS.map((b) => `[${b}] ba03`), ...inFlight]);
      for (const bind of BINDS) {
        expect(after[bind].versions, bind).toEqual(['ba03']);
        expectRowsKept(before[bind], after[bind], bind, {});
        const diff = catalogDiff(catalogOf(before[bind]), catalogOf(after[bind]));
        if (bind === 'my') expect(diff, bind).toEqual({ item: { columns: { added: ['label_len integer'] } } });
        else expect(after[bind], bind).toEqual(before[bind]);
      }
      if (BINDS.includes('my')) {
        // The repair is by hand, as it would be for a user, who then records bx04 as not applied.
        await queryUrl(urls.my, `ALTER TABLE "item" DROP COLUMN "label_len"`);
        await p.ok('resolve', 'my', '--not-applied');
        expect((await snapshot()).my).toEqual(before.my);
      }
    } finally {
      rmSync(join(p.dir, file));
    }
  });

  it('adds a foreign key, a unique and a check constraint: all three enforced', async () => {
    await upgradeCase(addConstraints);
    for (const bind of BINDS) {
      const insert = (parent: number, sku: number, qty: number) =>
        `INSERT INTO "item" ("id", "parent_id", "owner_id", "sku", "qty", "label") VALUES (900, ${parent}, 1, ${sku}, ${qty}, 'x')`;
      await expectRejected(bind, insert(1, 999_999, -1), /check|ck_item_qty/i);
      await expectRejected(bind, insert(1, 1013, 1), /unique|duplicate/i);
      await expectRejected(bind, insert(999, 999_999, 1), /foreign key/i);
    }
  });

  it('drops a foreign key, a unique and a check constraint (on SQLite the parent table rebuilt under its CASCADE children)', async () => {
    await upgradeCase(dropConstraints);
    // ck_parent_code (code <> '') is gone: an empty code is accepted, then put back.
    for (const bind of BINDS) await execOn(bind, `UPDATE "parent" SET "code" = '' WHERE "id" = 1`);
    for (const bind of BINDS) await execOn(bind, `UPDATE "parent" SET "code" = 'P1' WHERE "id" = 1`);
  });

  it('renames a column that other tables’ foreign keys point to: the foreign keys follow', async () => {
    await upgradeCase(renameReferenced);
  });

  it('rebuilds / alters a table other tables reference with ON DELETE CASCADE: every child row survives', async () => {
    const before = states[rebuildReferenced.down]!;
    const after = await upgradeCase(rebuildReferenced);
    for (const bind of BINDS) {
      expect(after[bind].tables.child, `${bind}: child, catalog and rows`).toEqual(before[bind].tables.child);
      expect(after[bind].tables.child!.rows).toHaveLength(60);
    }
  });

  for (const c of [...CASES].reverse()) {
    it(`downgrade ${c.id} (${c.message}): catalog and rows back`, async () => {
      await downgradeCase(c);
      if (c === toInteger) {
        // Cast back: on SQLite every sku is text again, not an integer in a varchar column.
        expect(await queryUrl(urls.lite, `SELECT typeof("sku") AS t, count(*) AS n FROM "item" GROUP BY 1`, [], { baseDir: p.dir })).toEqual([{ t: 'text', n: 50 }]);
      }
    });
  }

  it('after every rebuild and its downgrade, ON DELETE CASCADE and the plain foreign key still work', async () => {
    for (const bind of BINDS) {
      // fk_item_owner (no action) still refuses; once no item points to parent 20, its 3 children go with it.
      await expectRejected(bind, `DELETE FROM "parent" WHERE "id" = 20`, /foreign key/i);
      await execOn(bind, `DELETE FROM "item" WHERE "owner_id" = 20`);
      await execOn(bind, `DELETE FROM "parent" WHERE "id" = 20`);
      const children = await queryUrl<{ n: unknown }>(urls[bind], `SELECT count(*) AS n FROM "child"`, [], { baseDir: p.dir });
      expect(Number(children[0]!.n), bind).toBe(57);
    }
  });
});

/** A diff plus indexes of `item` added (the InnoDB leftovers). */
function withIndexes(diff: Record<string, CatalogDiff>, added: readonly string[]): Record<string, CatalogDiff> {
  const item = diff.item ?? {};
  return { ...diff, item: { ...item, indexes: { ...(item.indexes ?? {}), added: [...(item.indexes?.added ?? []), ...added].sort() } } };
}
