// MySQL/MariaDB write a column's type in the catalog (information_schema.COLUMNS.COLUMN_TYPE,
// SHOW CREATE TABLE) in the system character set, utf8mb3: an ENUM or SET member with a character
// outside it (an emoji, '🌧') reads as '?', though the column keeps and checks the real member. So
// introspection read enum('☀','?') and autogenerate saw a change at every check, and a revision's
// `existing` type (its downgrade) would have written '?' back. Introspection now reads such a
// column's members from the column itself (a temporary table of it, on the introspecting
// connection, dropped at once), and a default the catalog wrote with '?' is the member it stands
// for (one member only: else it stays as read). Members that the catalog writes whole are read from it, as before, with no extra query.
import { expect, it } from 'vitest';
import { countStatements, describeEachDialect } from '../support/dialect-databases.js';

describeEachDialect('ENUM and SET members outside utf8mb3', 'membersmb4', (db) => {
  it('are read whole, in order, by introspect() and introspectTable(), and no temporary table is left', async () => {
    const conn = await db.fresh();
    const run = (sql: string) => conn.execute({ sql, parameters: [] });
    await run("CREATE TABLE item (id int PRIMARY KEY, weather enum('☀','🌧','?','a🌧b') NOT NULL, tags set('🏷','x'), plain enum('s','m'))");

    const { result, statements } = await countStatements(conn, () => conn.introspect());
    const item = result.tables.find((t) => t.name === 'item')!;
    const args = (name: string) => item.columns.find((c) => c.name === name)!.type.args;
    expect(args('weather')).toEqual(['☀', '🌧', '?', 'a🌧b']);
    expect(args('tags')).toEqual(['🏷', 'x']);
    expect(args('plain')).toEqual(['s', 'm']);
    expect((await conn.introspectTable('item'))!.columns.map((c) => c.type.args)).toEqual([[], ['☀', '🌧', '?', 'a🌧b'], ['🏷', 'x'], ['s', 'm']]);
    // One temporary table for each of the two columns that lost members, each dropped.
    const made = statements.filter((s) => /^CREATE TEMPORARY TABLE/.test(s.sql)).map((s) => /`([^`]+)`/.exec(s.sql)![1]);
    const dropped = statements.filter((s) => /^DROP TEMPORARY TABLE/.test(s.sql)).map((s) => /`([^`]+)`/.exec(s.sql)![1]);
    expect(made).toHaveLength(2);
    expect(dropped).toEqual(made);
    expect(await run('SELECT COUNT(*) AS n FROM item')).toEqual([{ n: 0 }]);
  });

  it("a default the catalog wrote with '?' is the member, or the SET's members, it stands for", async () => {
    const conn = await db.fresh();
    await conn.execute({
      sql: "CREATE TABLE day (id int PRIMARY KEY, weather enum('☀','🌧') NOT NULL DEFAULT '🌧', tags set('🏷','x') DEFAULT '🏷,x', odd enum('🌧','?') DEFAULT '?')",
      parameters: [],
    });
    const day = (await conn.introspectTable('day'))!;
    const dflt = (name: string) => day.columns.find((c) => c.name === name)!.default;
    expect(dflt('weather')).toBe('🌧');
    expect(dflt('tags')).toBe('🏷,x');
    // Two members read as '?' in the catalog: which one is the default cannot be told, so it stays.
    expect(dflt('odd')).toBe('?');
  });

  it('a table whose members the catalog writes whole costs no extra statement', async () => {
    const conn = await db.fresh();
    await conn.execute({ sql: "CREATE TABLE item (id int PRIMARY KEY, size enum('s','m'), note varchar(3))", parameters: [] });
    const { statements } = await countStatements(conn, () => conn.introspect());
    expect(statements.some((s) => /TEMPORARY/i.test(s.sql))).toBe(false);
  });
}, ['mysql']);
