import { expect, it } from 'vitest';
import { describeEachDialect, per } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

describeEachDialect('an index key’s sort order (DESC, NULLS FIRST/LAST) is read back', 'ixsort', (db) => {
  const d = db.dialect;

  it('made by SQL and by createIndex: DESC (and on PostgreSQL NULLS) on the key, plain keys as names', async () => {
    const conn = await db.fresh();
    const run = (sql: string) => conn.execute({ sql, parameters: [] });
    await run('CREATE TABLE extras (id integer PRIMARY KEY, amount integer, note varchar(20))');
    await run(
      per(d, {
        postgres: 'CREATE UNIQUE INDEX extras_amt_desc ON extras (amount DESC NULLS LAST)',
        sqlite: 'CREATE UNIQUE INDEX extras_amt_desc ON extras (amount DESC)',
        mysql: 'CREATE UNIQUE INDEX extras_amt_desc ON extras (amount DESC)',
      }),
    );
    await runOps(conn, async (op) => {
      await op.createIndex('extras_mixed', 'extras', [{ name: 'note', order: 'desc' }, 'id']);
      if (d === 'postgres') await op.createIndex('extras_nulls_first', 'extras', [{ name: 'amount', nulls: 'first' }]);
    });
    const read = async () => (await conn.introspect()).tables.find((t) => t.name === 'extras')!.indexes;
    const expected = [
      { name: 'extras_amt_desc', columns: [d === 'postgres' ? { name: 'amount', order: 'desc', nulls: 'last' } : { name: 'amount', order: 'desc' }], unique: true },
      { name: 'extras_mixed', columns: [{ name: 'note', order: 'desc' }, 'id'], unique: false },
      ...(d === 'postgres' ? [{ name: 'extras_nulls_first', columns: [{ name: 'amount', nulls: 'first' }], unique: false }] : []),
    ];
    expect(await read()).toEqual(expected);
    expect((await conn.introspectTable('extras'))!.indexes).toEqual(expected);
  });
});
