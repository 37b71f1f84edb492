// bulkInsert: rows grouped by their set of keys, values as bound parameters, chunked by the
// dialect's parameter limit (SQLite 32,766; PostgreSQL and MySQL 65,535; MySQL also by size);
// on a real database, more rows than one statement can bind, and defaults for missing keys.
import type { DialectConnection } from '@multidb/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, hasEntry, forDialect, MYSQL, type PerDialect } from './support/dialects.js';
import { compileOps, q, runOps, type RevisionBody } from './support/op-harness.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    // Kysely's SQL; a row with no keys gets `default values`; undefined counts as a missing key.
    name: 'grouped by key set, values as parameters, missing keys left to the defaults',
    ops: {
      sqlite: async (op) => {
        await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2 }, { Name: "O'Reilly", GenreId: 3 }, {}, { GenreId: 4, Name: undefined }]);
        await op.bulkInsert('we.ird', [{ a: true }], { schema: 'aux' });
      },
      postgres: (op) =>
        op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2 }, { Name: "O'Reilly", GenreId: 3 }, {}, { Stamp: sql`now()` }], { schema: 'music' }),
    },
    expected: {
      sqlite: [
        { sql: 'insert into "Genre" ("GenreId", "Name") values (?, ?), (?, ?)', parameters: [1, 'Rock', 3, "O'Reilly"] },
        { sql: 'insert into "Genre" ("GenreId") values (?), (?)', parameters: [2, 4] },
        { sql: 'insert into "Genre" default values', parameters: [] },
        { sql: 'insert into "aux"."we.ird" ("a") values (?)', parameters: [1] },
      ],
      postgres: [
        { sql: 'insert into "music"."Genre" ("GenreId", "Name") values ($1, $2), ($3, $4)', parameters: [1, 'Rock', 3, "O'Reilly"] },
        { sql: 'insert into "music"."Genre" ("GenreId") values ($1)', parameters: [2] },
        { sql: 'insert into "music"."Genre" default values', parameters: [] },
        { sql: 'insert into "music"."Genre" ("Stamp") values (now())', parameters: [] },
      ],
    },
  },
];

/** Rows too many for one statement, and the parameters of each statement they compile to. */
const chunking: PerDialect<{ readonly rows: readonly Record<string, unknown>[]; readonly parameters: readonly number[] }> = {
  sqlite: { rows: Array.from({ length: 10_000 }, (_, i) => ({ a: i, b: i, c: i, d: i })), parameters: [32_764, 7_236] },
  postgres: { rows: Array.from({ length: 40_000 }, (_, i) => ({ a: i, b: i })), parameters: [65_534, 14_466] },
  mysql: { rows: [...Array.from({ length: 40_000 }, (_, i) => ({ a: i, b: `x${i}` })), { a: -1 }], parameters: [65_534, 80_000 - 65_534, 1] },
};

/** A Track table of 3 columns, and rows enough to need more than one statement. */
const tracks = (n: number) => Array.from({ length: n }, (_, i) => ({ TrackId: i + 1, Name: `Track ${i + 1}`, Milliseconds: i * 10 }));
const createTrack: RevisionBody = (op) =>
  op.createTable('Track', [
    { name: 'TrackId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'nvarchar(200)', nullable: false },
    { name: 'Milliseconds', type: 'integer', nullable: false },
  ]);
const totalMs = (rows: readonly { Milliseconds: number }[]) => rows.reduce((a, r) => a + r.Milliseconds, 0);

/** Per dialect: how many rows, what a summary query returns, and (MySQL) the statements' parameter counts. */
const beyondOneStatement: PerDialect<{ readonly rows: number; readonly check: (conn: DialectConnection, rows: ReturnType<typeof tracks>) => Promise<void>; readonly parameters?: readonly number[] }> = {
  // 60,000 parameters
  sqlite: {
    rows: 20_000,
    check: async (conn, rows) =>
      expect(await q(conn, 'SELECT count(*) AS n, sum("Milliseconds") AS total, max("Name") AS last FROM "Track"')).toEqual([
        { n: 20_000, total: totalMs(rows), last: 'Track 9999' },
      ]),
  },
  // 90,000 parameters: two statements
  postgres: {
    rows: 30_000,
    check: async (conn, rows) =>
      expect(await q(conn, 'SELECT count(*)::int AS n, sum("Milliseconds")::bigint::text AS total, max("TrackId") AS last FROM "Track"')).toEqual([
        { n: 30_000, total: String(totalMs(rows)), last: 30_000 },
      ]),
  },
  // 90,000 parameters
  mysql: {
    rows: 30_000,
    parameters: [65_535, 90_000 - 65_535],
    check: async (conn, rows) =>
      expect(await q(conn, 'SELECT COUNT(*) AS n, SUM(`Milliseconds`) AS total, MAX(`TrackId`) AS last FROM `Track`')).toEqual([
        { n: 30_000, total: String(totalMs(rows)), last: 30_000 },
      ]),
  },
};

/** Per dialect: a table with defaults, rows lacking keys or holding values to convert, and what the table then holds. */
const defaultsAndValues: PerDialect<{ readonly ops: RevisionBody; readonly query: string; readonly rows: readonly Record<string, unknown>[] }> = {
  sqlite: {
    ops: async (op) => {
      await op.createTable('Invoice', [
        { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' },
        { name: 'Paid', type: 'boolean', nullable: false, default: false },
        { name: 'Meta', type: 'json' },
        { name: 'At', type: 'text' },
        { name: 'Stamp', type: 'text' },
      ]);
      await op.bulkInsert('Invoice', [
        { InvoiceId: 1 },
        { InvoiceId: 2, Currency: 'EUR', Paid: true, Meta: { tags: ['a'] } },
        { InvoiceId: 3, Paid: undefined, At: new Date('2024-01-31T12:00:00Z') },
        {},
        { Stamp: sql`'raw' || 'sql'` },
      ]);
    },
    query: 'SELECT * FROM "Invoice" ORDER BY "InvoiceId"',
    rows: [
      { InvoiceId: 1, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: null },
      { InvoiceId: 2, Currency: 'EUR', Paid: 1, Meta: '{"tags":["a"]}', At: null, Stamp: null },
      { InvoiceId: 3, Currency: 'USD', Paid: 0, Meta: null, At: '2024-01-31T12:00:00.000Z', Stamp: null },
      { InvoiceId: 4, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: null },
      { InvoiceId: 5, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: 'rawsql' },
    ],
  },
  // Booleans, JSON, dates, bytes and SQL expressions bound as such.
  postgres: {
    ops: async (op) => {
      await op.createTable('Invoice', [
        { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' },
        { name: 'Paid', type: 'boolean', nullable: false, default: false },
        { name: 'Meta', type: 'jsonb' },
        { name: 'At', type: 'timestamptz' },
        { name: 'Raw', type: 'bytea' },
        { name: 'Stamp', type: 'text' },
      ]);
      await op.bulkInsert('Invoice', [
        { InvoiceId: 1 },
        { InvoiceId: 2, Currency: 'EUR', Paid: true, Meta: { tags: ['a'] } },
        { InvoiceId: 3, Paid: undefined, At: new Date('2024-01-31T12:00:00Z'), Raw: Buffer.from([0, 255]) },
        { InvoiceId: 4 },
        { InvoiceId: 5, Stamp: sql`'raw' || 'sql'` },
      ]);
    },
    query: `SELECT "InvoiceId", "Currency", "Paid", "Meta", "At", encode("Raw", 'hex') AS "Raw", "Stamp" FROM "Invoice" ORDER BY 1`,
    rows: [
      { InvoiceId: 1, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: null },
      { InvoiceId: 2, Currency: 'EUR', Paid: true, Meta: { tags: ['a'] }, At: null, Raw: null, Stamp: null },
      { InvoiceId: 3, Currency: 'USD', Paid: false, Meta: null, At: new Date('2024-01-31T12:00:00Z'), Raw: '00ff', Stamp: null },
      { InvoiceId: 4, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: null },
      { InvoiceId: 5, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: 'rawsql' },
    ],
  },
};

for (const d of DIALECTS) {
  describe(`${d.name}: bulkInsert`, () => {
    itCompiles(d, cases);

    it('chunks so rows × columns stays within the dialect’s parameter limit', async () => {
      const { rows, parameters } = forDialect(d, chunking);
      const statements = await compileOps(d.dialect, (op) => op.bulkInsert('T', rows));
      expect(statements.map((s) => s.parameters.length)).toEqual(parameters);
      expect(statements.every((s) => s.parameters.length <= d.dialect.capabilities.maxParameters)).toBe(true);
    });

    d.describeOnDatabase('on a real database', () => {
      const database = d.useDatabase('bulk_insert');

      it('inserts more rows than one statement can bind', async () => {
        const conn = await database.connect();
        const { rows: n, check, parameters } = forDialect(d, beyondOneStatement);
        const rows = tracks(n);
        if (parameters) expect((await compileOps(d.dialect, (op) => op.bulkInsert('Track', rows))).map((s) => s.parameters.length)).toEqual(parameters);
        await runOps(conn, async (op) => {
          await createTrack(op);
          await op.bulkInsert('Track', rows);
        });
        await check(conn, rows);
      });

      if (hasEntry(defaultsAndValues, d)) {
        it('keeps column defaults for keys a row lacks, and converts values', async () => {
          const conn = await database.connect();
          const { ops, query, rows } = forDialect(d, defaultsAndValues);
          await runOps(conn, ops);
          expect(await q(conn, query)).toEqual(rows);
        });
      }
    });
  });
}

describe('mysql: bulkInsert statements', () => {
  it('Kysely MySQL SQL with bound parameters, grouped by key set; wide rows are cut by size too (mysql2 sends values inside the statement)', async () => {
    const statements = await compileOps(MYSQL.dialect, (op) => op.bulkInsert('T', forDialect(MYSQL, chunking).rows));
    expect(statements[0]!.sql.startsWith('insert into `T` (`a`, `b`) values (?, ?), (?, ?)')).toBe(true);
    expect(statements[2]).toEqual({ sql: 'insert into `T` (`a`) values (?)', parameters: [-1] });
    const wide = Array.from({ length: 10 }, (_, i) => ({ id: i, blob: 'x'.repeat(500_000) }));
    expect((await compileOps(MYSQL.dialect, (op) => op.bulkInsert('T', wide))).map((s) => s.parameters.length / 2)).toEqual([4, 4, 2]);
  });
});
