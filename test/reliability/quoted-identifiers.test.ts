// Identifiers that need quoting (reserved words `order`, `select`, `from`, `table`; names with `"`,
// `'`, a backtick, spaces) through every op on every dialect, through the built `migrate`: one
// revision creates, fills, alters (batch mode on SQLite, ALTERs elsewhere), indexes, constrains,
// renames; its downgrade undoes it all. After the upgrade the catalog holds exactly those names and
// the rows; after the downgrade the bind is back at base with nothing left. Further passes
// (MULTIDB_RELIABILITY_PASSES) do the same again (nothing half-quoted stayed behind).
import { expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { queryUrl, tablesAt, versionsAt } from '../support/servers.js';
import { tableCatalog, withQuery } from '../batch/support.js';
import { DIALECT_NAMES, forEachDialect, PASSES, useOneBindProject, type Dialect } from './support.js';

const T1 = 'order';
const T2 = 'group by';
const T2_RENAMED = 'table';
const Q = `we"ird`;
const APOS = `it's`;
const TICK = 'back`tick';
const SPACE = 'with space';

const js = (v: unknown) => JSON.stringify(v);

const UPGRADE = `
  await op.createTable(${js(T1)}, [
    { name: 'select', type: 'integer', primaryKey: true },
    { name: ${js(Q)}, type: 'varchar(20)' },
    { name: ${js(APOS)}, type: 'varchar(20)' },
    { name: ${js(TICK)}, type: 'integer' },
    { name: ${js(SPACE)}, type: 'integer' },
  ]);
  await op.createTable(${js(T2)}, [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'order ref', type: 'integer' },
  ]);
  await op.bulkInsert(${js(T1)}, [1, 2, 3].map((i) => ({ select: i, ${js(Q)}: 'q"' + i, ${js(APOS)}: "a'" + i, ${js(TICK)}: i * 10, ${js(SPACE)}: i * 100 })));
  await op.bulkInsert(${js(T2)}, [{ id: 1, 'order ref': 1 }, { id: 2, 'order ref': 3 }]);
  await op.addColumn(${js(T1)}, { name: 'from', type: 'integer' });
  await op.createIndex('ix "q"', ${js(T1)}, [${js(Q)}]);
  await op.createIndex("ix 'a'", ${js(T1)}, [${js(APOS)}, ${js(TICK)}], { unique: true });
  await op.batchAlterTable(${js(T1)}, (b) => {
    b.alterColumn(${js(SPACE)}, { nullable: false, existing: { type: 'integer', nullable: true } });
    b.alterColumn(${js(TICK)}, { type: 'bigint', existing: { type: 'integer', nullable: true } });
    b.createUniqueConstraint('uq \`t\`', [${js(SPACE)}]);
  });
  await op.batchAlterTable(${js(T2)}, (b) => {
    b.createForeignKey('fk "o" \`r\`', ${js(T1)}, ['order ref'], ['select']);
  });
  await op.renameTable(${js(T2)}, ${js(T2_RENAMED)});`;

const DOWNGRADE = `
  await op.renameTable(${js(T2_RENAMED)}, ${js(T2)});
  await op.batchAlterTable(${js(T2)}, (b) => {
    b.dropConstraint('fk "o" \`r\`', { type: 'foreignkey' });
  });
  await op.batchAlterTable(${js(T1)}, (b) => {
    b.dropConstraint('uq \`t\`', { type: 'unique' });
    b.alterColumn(${js(TICK)}, { type: 'integer', existing: { type: 'bigint', nullable: true } });
    b.alterColumn(${js(SPACE)}, { nullable: true, existing: { type: 'integer', nullable: false } });
  });
  await op.dropIndex("ix 'a'", { table: ${js(T1)} });
  await op.dropIndex('ix "q"', { table: ${js(T1)} });
  await op.batchAlterTable(${js(T1)}, (b) => {
    b.dropColumn('from', { existing: { type: 'integer', nullable: true } });
  });
  await op.dropTable(${js(T2)});
  await op.dropTable(${js(T1)});`;

function quotedSuite(dialect: Dialect, url: () => string) {
  const project = useOneBindProject(url);

  it(`${DIALECT_NAMES[dialect]}: upgrade and downgrade (${PASSES}x) with names that need quoting`, async () => {
    const p = project.p;
    addRevision(p, 'default', { revision: '90a000000001', downRevision: null, message: 'quoted names', upgrade: UPGRADE, downgrade: DOWNGRADE });
    const opts = { baseDir: p.dir, write: true };
    for (let pass = 1; pass <= PASSES; pass++) {
      const up = await p.run('upgrade');
      expect(up.code, `pass ${pass}\n${up.stderr}`).toBe(0);
      expect(await versionsAt(url(), opts)).toEqual(['90a000000001']);
      // multidb's own tables aside (MariaDB also keeps multidb_version_progress).
      const ours = (t: string) => t === 'multidb_version_progress';
      expect((await tablesAt(url(), opts)).filter((t) => !ours(t)).sort()).toEqual(['multidb_version', T1, T2_RENAMED].sort());
      const catalog = await withQuery(url(), p.dir, async (q) => ({ t1: await tableCatalog(dialect, q, T1), t2: await tableCatalog(dialect, q, T2_RENAMED) }));
      expect(catalog.t1.columns.map((c) => c.split(' ')[0])).toEqual(['select', Q, APOS, TICK, SPACE, 'from'].map((n) => n.split(' ')[0]));
      expect(catalog.t1.columns.join('|')).toContain(`${SPACE} integer not null`);
      expect(catalog.t1.indexes.join('|')).toContain('ix "q"');
      expect(catalog.t1.constraints.join('|')).toContain('uq `t`');
      expect(catalog.t2.constraints.join('|')).toContain('fk "o" `r`');
      const rows = await queryUrl(url(), `SELECT "select" AS s, "we""ird" AS q, "it's" AS a, "back\`tick" AS t, "with space" AS w FROM "order" ORDER BY 1`, [], opts);
      expect(rows.map((r) => Object.values(r).map(String))).toEqual([1, 2, 3].map((i) => [String(i), `q"${i}`, `a'${i}`, String(i * 10), String(i * 100)]));

      const down = await p.run('downgrade', 'base');
      expect(down.code, `pass ${pass}\n${down.stderr}`).toBe(0);
      expect(await versionsAt(url(), opts)).toEqual([]);
      expect((await tablesAt(url(), opts)).filter((t) => !ours(t))).toEqual(['multidb_version']);
    }
  }, 180_000);
}

forEachDialect('identifiers that need quotes', 'rel_quoted', quotedSuite);
