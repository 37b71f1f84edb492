import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { connect, q, runOps } from './helpers.js';

describeWithPostgres('postgres bulkInsert on a real server', () => {
  const database = useTestDatabase('bulk');

  it('inserts more values than one statement can bind (> 65,535 parameters)', async () => {
    const conn = await connect(database.url);
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ TrackId: i + 1, Name: `Track ${i + 1}`, Milliseconds: i * 10 }));
    await runOps(conn, async (op) => {
      await op.createTable('Track', [
        { name: 'TrackId', type: 'integer', primaryKey: true },
        { name: 'Name', type: 'nvarchar(200)', nullable: false },
        { name: 'Milliseconds', type: 'integer', nullable: false },
      ]);
      await op.bulkInsert('Track', rows); // 90,000 parameters: two statements
    });
    expect(await q(conn, 'SELECT count(*)::int AS n, sum("Milliseconds")::bigint::text AS total, max("TrackId") AS last FROM "Track"')).toEqual([
      { n: 30_000, total: String(rows.reduce((a, r) => a + r.Milliseconds, 0)), last: 30_000 },
    ]);
  });

  it('keeps column defaults for keys a row lacks, and binds booleans, JSON, dates, bytes and SQL expressions', async () => {
    const conn = await connect(database.url);
    await runOps(conn, async (op) => {
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
    });
    expect(await q(conn, `SELECT "InvoiceId", "Currency", "Paid", "Meta", "At", encode("Raw", 'hex') AS "Raw", "Stamp" FROM "Invoice" ORDER BY 1`)).toEqual([
      { InvoiceId: 1, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: null },
      { InvoiceId: 2, Currency: 'EUR', Paid: true, Meta: { tags: ['a'] }, At: null, Raw: null, Stamp: null },
      { InvoiceId: 3, Currency: 'USD', Paid: false, Meta: null, At: new Date('2024-01-31T12:00:00Z'), Raw: '00ff', Stamp: null },
      { InvoiceId: 4, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: null },
      { InvoiceId: 5, Currency: 'USD', Paid: false, Meta: null, At: null, Raw: null, Stamp: 'rawsql' },
    ]);
  });
});
