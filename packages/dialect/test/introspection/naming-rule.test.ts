import type { DialectConnection } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect, per, type TestDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

/** The names the database gave the keys and unique constraints/indexes of a table, sorted. */
async function keyNames(conn: DialectConnection, d: TestDialect, table: string): Promise<string[]> {
  const rows = await conn.execute(
    per(d, {
      sqlite: { sql: 'SELECT sql AS name FROM sqlite_master WHERE name = ?', parameters: [table] },
      postgres: { sql: "SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u') ORDER BY 1", parameters: [`"${table}"`] },
      mysql: { sql: 'SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY 1', parameters: [table] },
    }),
  );
  if (d === 'sqlite') return [...String(rows[0]?.name ?? '').matchAll(/CONSTRAINT "([^"]+)" (?:PRIMARY KEY|UNIQUE)/g)].map((m) => m[1]!).sort();
  return rows.map((r) => String(r.name)).sort();
}

describeEachDialect('the naming rule: column-level keys take the convention’s names, so downgrades can drop them', 'naming', (db) => {
  const d = db.dialect;

  it('createTable and addColumn name a column-level PRIMARY KEY (pk) and UNIQUE (uq); introspection reports them on their column; dropConstraint by those names works', async () => {
    const conn = await db.fresh();
    await runOps(conn, async (op) => {
      await op.createTable('Genre', [
        { name: 'GenreId', type: 'integer', primaryKey: true },
        { name: 'Code', type: 'varchar(10)', unique: true },
      ]);
      await op.addColumn('Genre', { name: 'Slug', type: 'varchar(20)', unique: true });
      // Several flagged key columns: one composite key, named by the pk template too.
      await op.createTable('Pair', [
        { name: 'a', type: 'integer', primaryKey: true },
        { name: 'b', type: 'integer', primaryKey: true },
      ]);
    });
    // MySQL names every primary key PRIMARY.
    const pk = (table: string) => (d === 'mysql' ? 'PRIMARY' : `pk_${table}`);
    expect(await keyNames(conn, d, 'Genre')).toEqual([pk('Genre'), 'uq_Genre_Code', 'uq_Genre_Slug'].sort());
    expect(await keyNames(conn, d, 'Pair')).toEqual([pk('Pair')]);

    const genre = (await conn.introspectTable('Genre'))!;
    expect(genre.columns.map((c) => [c.name, c.primaryKey ?? false, c.unique ?? false])).toEqual([
      ['GenreId', true, false],
      ['Code', false, true],
      ['Slug', false, true],
    ]);
    expect(genre.primaryKey).toBeUndefined();
    expect(genre.uniqueConstraints).toEqual([]);
    expect((await conn.introspectTable('Pair'))!.primaryKey).toEqual(d === 'mysql' ? { columns: ['a', 'b'] } : { name: 'pk_Pair', columns: ['a', 'b'] });

    // The downgrade drops them by the names the rule gave them.
    await runOps(conn, async (op) => {
      await op.dropConstraint('uq_Genre_Slug', 'Genre', { type: 'unique' });
      await op.dropConstraint('uq_Genre_Code', 'Genre', { type: 'unique' });
      await op.dropConstraint('pk_Genre', 'Genre', { type: 'primary' });
      await op.dropConstraint('pk_Pair', 'Pair', { type: 'primary' });
    });
    expect(await keyNames(conn, d, 'Genre')).toEqual([]);
    expect(await keyNames(conn, d, 'Pair')).toEqual([]);
    const dropped = (await conn.introspectTable('Genre'))!;
    expect(dropped.columns.some((c) => c.primaryKey || c.unique)).toBe(false);
  });
});
