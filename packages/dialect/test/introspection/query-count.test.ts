import type { DialectConnection } from '@multidb/core';
import { expect, it } from 'vitest';
import { countStatements, describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

/** N tables, each with a key, a foreign key to the one before, a unique constraint, a check and an index. */
async function createTables(conn: DialectConnection, n: number): Promise<void> {
  const q = (name: string) => conn.dialect.quoteIdentifier(name);
  await runOps(conn, async (op) => {
    for (let i = 1; i <= n; i++) {
      await op.createTable(
        `t${i}`,
        [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'parent', type: 'integer' },
          { name: 'code', type: 'varchar(10)', unique: true },
          { name: 'qty', type: 'integer', nullable: false, default: 0 },
        ],
        {
          foreignKeys: i > 1 ? [{ columns: ['parent'], referredTable: `t${i - 1}`, referredColumns: ['id'] }] : [],
          checkConstraints: [{ name: `ck_t${i}_qty`, expression: `${q('qty')} >= 0` }],
          indexes: [{ columns: ['qty'] }],
        },
      );
    }
  });
}

describeEachDialect('introspection issues a fixed number of queries, whatever the number of tables', 'querycount', (db) => {
  it('introspect() of 1 table and of 50 tables run the same number of statements; so does introspectTable()', async () => {
    const one = await db.fresh();
    const fifty = await db.fresh();
    await createTables(one, 1);
    await createTables(fifty, 50);

    const small = await countStatements(one, () => one.introspect());
    const large = await countStatements(fifty, () => fifty.introspect());
    expect(small.result.tables).toHaveLength(1);
    expect(large.result.tables).toHaveLength(50);
    expect(large.result.tables.every((t) => t.checkConstraints.length === 1 && t.indexes.length === 1)).toBe(true);
    expect(large.result.tables.filter((t) => t.foreignKeys.length + t.columns.filter((c) => c.references).length === 1)).toHaveLength(49);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(9);

    const tableInSmall = await countStatements(one, () => one.introspectTable('t1'));
    const tableInLarge = await countStatements(fifty, () => fifty.introspectTable('t25'));
    expect(tableInLarge.result?.name).toBe('t25');
    expect(tableInLarge.count).toBe(tableInSmall.count);
    expect(tableInLarge.count).toBeLessThanOrEqual(6);
    // One table read alone is the same table as in the whole database's snapshot.
    expect(tableInLarge.result).toMatchObject(large.result.tables.find((t) => t.name === 't25')!);
  });
});
