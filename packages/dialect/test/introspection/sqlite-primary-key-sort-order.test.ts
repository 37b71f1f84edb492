import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

// A table-level PRIMARY KEY written in CREATE TABLE with a key sorted DESC: introspection reads the
// order from the CREATE TABLE text (a table-level `PRIMARY KEY (x DESC)` on an INTEGER column is a
// rowid alias and has no index to read it from) into `primaryKey.descending`; a batch rebuild
// writes it again. A column-level `INTEGER PRIMARY KEY DESC` is not a rowid alias (SQLite's quirk):
// it stays on its column, so no rebuild turns it into a table-level key of another meaning.
describeEachDialect(
  'SQLite: a table-level PRIMARY KEY with a DESC key keeps its order',
  'pksort',
  (db) => {
    const keyOrder = async (conn: Awaited<ReturnType<typeof db.fresh>>, table: string) =>
      (await conn.execute({ sql: `SELECT x.name, x."desc" FROM pragma_index_list(?) l JOIN pragma_index_xinfo(l.name) x WHERE l.origin = 'pk' AND x.key = 1 ORDER BY x.seqno`, parameters: [table] })).map(
        (r) => `${String(r.name)}${Number(r.desc) === 1 ? ' desc' : ''}`,
      );

    it('is introspected with the columns written DESC, by getTable and by the whole database', async () => {
      const conn = await db.fresh();
      for (const sql of [
        'CREATE TABLE reading (sensor text NOT NULL, taken_at integer NOT NULL, v real, CONSTRAINT pk_reading PRIMARY KEY (sensor, taken_at DESC))',
        'CREATE TABLE tally (k text, n integer, PRIMARY KEY (k COLLATE NOCASE DESC, n)) WITHOUT ROWID',
        'CREATE TABLE seq (id integer, v text, PRIMARY KEY (id DESC))',
        'CREATE TABLE quirk (id integer PRIMARY KEY DESC, v text)',
        'CREATE TABLE plain (a text, b text, PRIMARY KEY (a, b))',
      ]) {
        await conn.execute({ sql, parameters: [] });
      }
      expect((await conn.introspectTable('reading'))!.primaryKey).toEqual({ name: 'pk_reading', columns: ['sensor', 'taken_at'], descending: ['taken_at'] });
      expect((await conn.introspectTable('tally'))!.primaryKey).toEqual({ columns: ['k', 'n'], descending: ['k'] });
      // A rowid alias all the same (no index of its own): the order is read from the text.
      expect(await keyOrder(conn, 'seq')).toEqual([]);
      expect((await conn.introspectTable('seq'))!.primaryKey).toEqual({ columns: ['id'], descending: ['id'] });
      // Column-level: not a rowid alias (SQLite made an index for it), and not a table-level key.
      expect(await keyOrder(conn, 'quirk')).toEqual(['id desc']);
      const quirk = (await conn.introspectTable('quirk'))!;
      expect(quirk.primaryKey).toBeUndefined();
      expect(quirk.columns[0]).toMatchObject({ name: 'id', primaryKey: true });
      expect((await conn.introspectTable('plain'))!.primaryKey).toEqual({ columns: ['a', 'b'] });
      const whole = await conn.introspect();
      expect(whole.tables.find((t) => t.name === 'reading')!.primaryKey).toEqual({ name: 'pk_reading', columns: ['sensor', 'taken_at'], descending: ['taken_at'] });
    });

    it('a batch rebuild keeps the order (and the rows); a batch creating a primary key writes it', async () => {
      const conn = await db.fresh();
      const run = (sql: string) => conn.execute({ sql, parameters: [] });
      await run('CREATE TABLE reading (sensor text NOT NULL, taken_at integer NOT NULL, v real, note text, PRIMARY KEY (sensor, taken_at DESC))');
      await run("INSERT INTO reading VALUES ('a', 1, 0.5, 'x'), ('a', 2, 0.7, NULL)");
      await runOps(conn, (op) => op.batchAlterTable('reading', (batch) => batch.dropColumn('note').renameColumn('taken_at', 'at')));
      expect(await keyOrder(conn, 'reading')).toEqual(['sensor', 'at desc']);
      expect((await conn.introspectTable('reading'))!.primaryKey).toEqual({ columns: ['sensor', 'at'], descending: ['at'] });
      expect(await run('SELECT sensor, at, v FROM reading ORDER BY at')).toEqual([
        { sensor: 'a', at: 1, v: 0.5 },
        { sensor: 'a', at: 2, v: 0.7 },
      ]);
      await expect(run("INSERT INTO reading VALUES ('a', 2, 0.1)")).rejects.toThrow(/UNIQUE constraint failed/);

      await run('CREATE TABLE log (source text NOT NULL, at integer NOT NULL)');
      await runOps(conn, (op) => op.createPrimaryKey('pk_log', 'log', ['source', 'at'], { descending: ['at'] }));
      expect(await keyOrder(conn, 'log')).toEqual(['source', 'at desc']);
      expect((await conn.introspectTable('log'))!.primaryKey).toEqual({ name: 'pk_log', columns: ['source', 'at'], descending: ['at'] });
    });
  },
  ['sqlite'],
);
