import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

// A table-level UNIQUE written in CREATE TABLE with a key sorted DESC (SQLite keeps the order in
// the index it makes for the constraint): read back as a unique index with the key's order, as
// MySQL reports a DESC unique key (a unique constraint has no order in the snapshot), named by
// its CONSTRAINT name or else by the naming convention. An ascending UNIQUE stays a constraint.
describeEachDialect(
  'SQLite: a table-level UNIQUE with a DESC key reads back as a unique index with the order',
  'uqsort',
  (db) => {
    const create = `CREATE TABLE extras (
      id integer PRIMARY KEY, a integer, b integer, c integer, d integer,
      UNIQUE (a DESC, b), CONSTRAINT uq_named UNIQUE (c DESC), UNIQUE (d)
    )`;
    // As SQLite keeps them after a rebuild: plain unique indexes.
    const DESC_A_B = { name: 'uq_extras_a_b', columns: [{ name: 'a', order: 'desc' }, 'b'], unique: true };
    const DESC_C = { name: 'uq_named', columns: [{ name: 'c', order: 'desc' }], unique: true };
    const made = (ix: object) => ({ ...ix, tableConstraint: true });

    it('is introspected with its order, by getTable and by the whole database', async () => {
      const conn = await db.fresh();
      await conn.execute({ sql: create, parameters: [] });
      const table = (await conn.introspectTable('extras'))!;
      expect(table.indexes).toEqual([made(DESC_A_B), made(DESC_C)]);
      expect(table.uniqueConstraints).toEqual([{ columns: ['d'] }]);
      expect((await conn.introspect()).tables.find((t) => t.name === 'extras')!.indexes).toEqual([made(DESC_A_B), made(DESC_C)]);
    });

    it('dropIndex and renameIndex rebuild the table (SQLite drops such an index no other way); a rebuild keeps it as a unique index', async () => {
      const conn = await db.fresh();
      const run = (sql: string) => conn.execute({ sql, parameters: [] });
      const indexes = async () => (await conn.introspectTable('extras'))!.indexes;
      const duplicate = (sql: string) => expect(run(sql)).rejects.toThrow(/UNIQUE constraint failed/);
      const start = async () => {
        await run('DROP TABLE IF EXISTS extras');
        await run(create);
        await run('INSERT INTO extras (id, a, b, c, d) VALUES (1, 1, 1, 1, 1)');
      };

      await start();
      await runOps(conn, (op) => op.dropIndex('uq_extras_a_b', { table: 'extras' }));
      expect(await indexes()).toEqual([DESC_C]);
      await run('INSERT INTO extras (id, a, b, c, d) VALUES (2, 1, 1, 2, 2)');
      await duplicate('INSERT INTO extras (id, a, b, c, d) VALUES (3, 3, 3, 1, 3)');
      // The rebuild names the unnamed UNIQUE by the convention, as any rebuild does.
      expect((await conn.introspectTable('extras'))!.uniqueConstraints).toEqual([{ name: 'uq_extras_d', columns: ['d'] }]);

      await start();
      await runOps(conn, (op) => op.renameIndex('extras', 'uq_named', 'ix_extras_c'));
      expect(await indexes()).toEqual([{ ...DESC_C, name: 'ix_extras_c' }, DESC_A_B]);
      await duplicate('INSERT INTO extras (id, a, b, c, d) VALUES (2, 2, 2, 1, 2)');

      // A batch that changes another column: the keys stay unique and DESC.
      await start();
      await runOps(conn, (op) => op.batchAlterTable('extras', (batch) => batch.alterColumn('d', { nullable: false, existing: { type: 'integer', nullable: true } })));
      expect(await indexes()).toEqual([DESC_A_B, DESC_C]);
      await duplicate('INSERT INTO extras (id, a, b, c, d) VALUES (2, 1, 1, 2, 2)');
      await duplicate('INSERT INTO extras (id, a, b, c, d) VALUES (2, 2, 2, 1, 2)');
    });
  },
  ['sqlite'],
);
