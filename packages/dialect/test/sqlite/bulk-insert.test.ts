import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connectTemp, q, runOps } from './helpers.js';

describe('sqlite bulkInsert on a real file', () => {
  it('inserts more rows than one statement can bind (> 32,766 parameters)', async () => {
    const { conn } = await connectTemp();
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ TrackId: i + 1, Name: `Track ${i + 1}`, Milliseconds: i * 10 }));
    await runOps(conn, async (op) => {
      await op.createTable('Track', [
        { name: 'TrackId', type: 'integer', primaryKey: true },
        { name: 'Name', type: 'nvarchar(200)', nullable: false },
        { name: 'Milliseconds', type: 'integer', nullable: false },
      ]);
      await op.bulkInsert('Track', rows); // 60,000 parameters
    });
    expect(await q(conn, 'SELECT count(*) AS n, sum("Milliseconds") AS total, max("Name") AS last FROM "Track"')).toEqual([
      { n: 20_000, total: rows.reduce((a, r) => a + r.Milliseconds, 0), last: 'Track 9999' },
    ]);
  });

  it('keeps column defaults for keys a row lacks, and converts values', async () => {
    const { conn } = await connectTemp();
    await runOps(conn, async (op) => {
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
    });
    expect(await q(conn, 'SELECT * FROM "Invoice" ORDER BY "InvoiceId"')).toEqual([
      { InvoiceId: 1, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: null },
      { InvoiceId: 2, Currency: 'EUR', Paid: 1, Meta: '{"tags":["a"]}', At: null, Stamp: null },
      { InvoiceId: 3, Currency: 'USD', Paid: 0, Meta: null, At: '2024-01-31T12:00:00.000Z', Stamp: null },
      { InvoiceId: 4, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: null },
      { InvoiceId: 5, Currency: 'USD', Paid: 0, Meta: null, At: null, Stamp: 'rawsql' },
    ]);
  });
});
