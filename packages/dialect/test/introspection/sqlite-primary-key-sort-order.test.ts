import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

// A PRIMARY KEY written in CREATE TABLE with a key sorted DESC: introspection reads the order from
// the CREATE TABLE text into `primaryKey.descending`; a batch rebuild writes it again. SQLite's
// quirk: a column-level `INTEGER PRIMARY KEY DESC` is no rowid alias (it has an index of its own,
// and holds NULLs and text), while a table-level `PRIMARY KEY ("id" DESC)` is one, whatever its
// order. So the first reads as a key with `descending` that CREATE TABLE writes on its column
// again (a rebuild used to make it `INTEGER PRIMARY KEY`, a rowid alias, and failed on its rows),
// and the second as a plain key.
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
      // A rowid alias all the same (no index of its own): its order means nothing.
      expect(await keyOrder(conn, 'seq')).toEqual([]);
      expect((await conn.introspectTable('seq'))!.primaryKey).toEqual({ columns: ['id'] });
      // Column-level: no rowid alias (SQLite made an index for it), so not NOT NULL either.
      expect(await keyOrder(conn, 'quirk')).toEqual(['id desc']);
      const quirk = (await conn.introspectTable('quirk'))!;
      expect(quirk.primaryKey).toEqual({ columns: ['id'], descending: ['id'] });
      expect(quirk.columns[0]).toEqual({ name: 'id', type: expect.objectContaining({ name: 'integer' }), nullable: true });
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

      // The column-level INTEGER PRIMARY KEY DESC stays one through a rebuild, with rows a rowid alias refuses.
      await run('CREATE TABLE quirk (id integer CONSTRAINT quirk_pk PRIMARY KEY DESC, v text)');
      await run("INSERT INTO quirk VALUES ('abc', 'x'), (NULL, 'y'), (7, 'z')");
      await runOps(conn, (op) => op.batchAlterTable('quirk', (batch) => batch.createCheckConstraint('ck_v', "v <> ''")));
      expect(await keyOrder(conn, 'quirk')).toEqual(['id desc']);
      expect((await conn.introspectTable('quirk'))!.primaryKey).toEqual({ name: 'quirk_pk', columns: ['id'], descending: ['id'] });
      expect(await run('SELECT rowid AS r, id, v FROM quirk ORDER BY rowid')).toEqual([
        { r: 1, id: 'abc', v: 'x' },
        { r: 2, id: null, v: 'y' },
        { r: 3, id: 7, v: 'z' },
      ]);
      // A table-level DESC key on one INTEGER column is a rowid alias: rebuilt as one.
      await run('CREATE TABLE seq (id integer, v text, PRIMARY KEY (id DESC))');
      await run("INSERT INTO seq VALUES (5, 'a')");
      await runOps(conn, (op) => op.batchAlterTable('seq', (batch) => batch.createCheckConstraint('ck_seq', "v <> ''")));
      expect(await keyOrder(conn, 'seq')).toEqual([]);
      expect(await run('SELECT rowid AS r, id FROM seq')).toEqual([{ r: 5, id: 5 }]);

      await run('CREATE TABLE log (source text NOT NULL, at integer NOT NULL)');
      await runOps(conn, (op) => op.createPrimaryKey('pk_log', 'log', ['source', 'at'], { descending: ['at'] }));
      expect(await keyOrder(conn, 'log')).toEqual(['source', 'at desc']);
      expect((await conn.introspectTable('log'))!.primaryKey).toEqual({ name: 'pk_log', columns: ['source', 'at'], descending: ['at'] });
    });
  },
  ['sqlite'],
);
