import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, Transaction, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { capturingKysely } from './capturing-kysely.js';
import { kyselyClassOf } from './kysely-class.js';

/** A Kysely that compiles SQLite and sends nothing (kysely's own DummyDriver: no database here). */
const compilingOnly = () =>
  new Kysely<any>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

describe('kyselyClassOf', () => {
  it('gives the Kysely class of an instance, and of a transaction the class it extends', async () => {
    const db = compilingOnly();
    expect(kyselyClassOf(db)).toBe(Kysely);
    const inTransaction = await db.transaction().execute(async (trx) => {
      expect(trx).toBeInstanceOf(Transaction);
      return kyselyClassOf(trx);
    });
    expect(inTransaction).toBe(Kysely);
  });

  it('refuses what is not a Kysely', () => {
    expect(() => kyselyClassOf({} as Kysely<any>)).toThrow(TypeError);
    expect(() => kyselyClassOf(Object.create(null) as Kysely<any>)).toThrow('expected a Kysely instance');
  });

  it('capturingKysely, given a transaction, builds a plain Kysely of the same class that compiles as it does', async () => {
    const seen: CompiledQuery[] = [];
    const db = compilingOnly();
    const captured = await db.transaction().execute(async (trx) => {
      const dry = capturingKysely(trx, (q) => seen.push(q));
      await dry.updateTable('Invoice').set({ Currency: 'USD' }).where('InvoiceId', '=', 1).execute();
      return dry;
    });
    expect(captured).toBeInstanceOf(Kysely);
    expect(captured.isTransaction).toBe(false);
    expect(seen.map((q) => [q.sql, q.parameters])).toEqual([['update "Invoice" set "Currency" = ? where "InvoiceId" = ?', ['USD', 1]]]);
  });
});
