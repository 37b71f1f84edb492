import { parseColumnType, type DeclaredType, type Dialect } from '@multidb/core';
import { expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../src/sqlite/sqlite-dialect.js';
import { describeEachDialect } from './support/dialect-databases.js';

// Dialect.unknownTypes: which column types a revision would declare that the database does not
// know. PostgreSQL asks the live database; MySQL/MariaDB and SQLite answer from their own rules.
const declared = (type: string, strict = false): DeclaredType => ({ table: 't', column: type, type: parseColumnType(type), ...(strict ? { strict: true } : {}) });
const unknownOf = async (dialect: Dialect, types: readonly DeclaredType[], execute?: Parameters<NonNullable<Dialect['unknownTypes']>>[1]) =>
  (await dialect.unknownTypes!(types, execute)).map((u) => `${u.column} -> ${u.rendered}: ${u.reason}`);

describeEachDialect(
  'unknownTypes',
  'unktypes',
  (db) => {
    it('postgres: to_regtype on the live database, with parameters and arrays; domains it has are known; a text it cannot parse is unknown', async () => {
      const conn = await db.fresh();
      const execute = (s: Parameters<typeof conn.execute>[0]) => conn.execute(s);
      await conn.execute({ sql: 'CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)', parameters: [] });
      const types = ['varchar(20)', 'int[]', 'numeric(10,2)', 'timestamp(3) with time zone', 'nvarchar(40)', 'datetime', 'serial', 'bigserial', 'positive_int', 'string', 'citext', 'geometry'].map((t) => declared(t));
      expect(await unknownOf(postgresDialect, types, execute)).toEqual([
        'string -> string: PostgreSQL has no such type',
        'citext -> citext: PostgreSQL has no such type',
        'geometry -> geometry: PostgreSQL has no such type',
      ]);
      // One text the database cannot parse: the others are still asked, one by one.
      expect(await unknownOf(postgresDialect, [declared('text'), { table: 't', column: 'bad', type: { name: 'foo bar baz', args: [], modifiers: [], array: false } }], execute)).toEqual([
        'bad -> foo bar baz: PostgreSQL has no such type',
      ]);
    });

    it('postgres, without a database (a baseline): the types a fresh database lacks, as a fresh database finds them', async () => {
      const builtIn = [
        'varchar(20)', 'int[]', 'numeric(10,2)', 'timestamp(3) with time zone', 'timestamptz(3)', 'time(2) without time zone', 'interval day to second',
        'interval(3)', 'nvarchar(40)', 'datetime', 'serial', 'bigserial', 'double precision', 'float(24)', 'bit varying(5)', 'character(2)', 'money',
        'jsonb', 'uuid', 'inet', 'tstzrange', 'int4multirange', 'xml', 'tsvector', 'bytea', 'boolean[]',
      ];
      const made = ['citext', 'positive_int', 'geometry', 'string', 'mood[]'];
      // Qualified names, as a column type names a type of a schema.
      const qualified = (name: string): DeclaredType => ({ table: 't', column: name, type: { name, args: [], modifiers: [], array: false } });
      const types = [...builtIn.map((t) => declared(t)), qualified('pg_catalog.int4'), ...made.map((t) => declared(t)), qualified('public.citext')];
      const reason =
        "a fresh PostgreSQL database has no such type (not built in: an extension's type, such as citext, or a domain or type made in the database); " +
        "create it first in the upgrade (await op.execute('CREATE EXTENSION IF NOT EXISTS …') or 'CREATE DOMAIN …'), or the upgrade of a fresh database fails";
      expect(await unknownOf(postgresDialect, types)).toEqual([
        `citext -> citext: ${reason}`,
        `positive_int -> positive_int: ${reason}`,
        `geometry -> geometry: ${reason}`,
        `string -> string: ${reason}`,
        `mood[] -> mood[]: ${reason}`,
        `public.citext -> public.citext: ${reason}`,
      ]);
      // What a fresh database says of each: the built-in ones are known there, the others are not.
      const conn = await db.fresh();
      const execute = (s: Parameters<typeof conn.execute>[0]) => conn.execute(s);
      expect((await unknownOf(postgresDialect, types, execute)).map((line) => line.split(': ')[0])).toEqual([...made, 'public.citext'].map((t) => `${t} -> ${t}`));
    });

    it('postgres: a type only a schema off the search path has is unknown unqualified, even for a table in that schema (as CREATE TABLE finds it); the reason names the schema; qualified, it is known', async () => {
      const conn = await db.fresh();
      const execute = (s: Parameters<typeof conn.execute>[0]) => conn.execute(s);
      for (const sql of ['CREATE SCHEMA "other"', 'CREATE SCHEMA "third"', `CREATE TYPE "other"."mood" AS ENUM ('sad', 'ok')`, 'CREATE DOMAIN "other"."positive" AS integer CHECK (VALUE > 0)', 'CREATE DOMAIN "third"."positive" AS integer CHECK (VALUE > 0)']) {
        await conn.execute({ sql, parameters: [] });
      }
      const inOther = (type: string): DeclaredType => ({ table: 't', schema: 'other', column: type, type: parseColumnType(type) });
      const qualified = (name: string, array = false): DeclaredType => ({ table: 't', schema: 'other', column: `${name}${array ? '[]' : ''}`, type: { name, args: [], modifiers: [], array } });
      const inThird: DeclaredType = { ...inOther('positive'), schema: 'third' };
      expect(await unknownOf(postgresDialect, [inOther('mood'), inOther('mood[]'), declared('mood'), inOther('positive'), inThird, qualified('other.mood'), qualified('other.mood', true), qualified('third.mood'), inOther('string')], execute)).toEqual([
        "mood -> mood: PostgreSQL has no such type on the search path (schema 'other' has one, which an unqualified type is not looked up in: declare the enum in the models' enums with its schema)",
        "mood[] -> mood[]: PostgreSQL has no such type on the search path (schema 'other' has one, which an unqualified type is not looked up in: declare the enum in the models' enums with its schema)",
        "mood -> mood: PostgreSQL has no such type on the search path (schema 'other' has one, which an unqualified type is not looked up in: declare the enum in the models' enums with its schema)",
        // The table's schema first.
        "positive -> positive: PostgreSQL has no such type on the search path (schemas 'other', 'third' have one, which an unqualified type is not looked up in: put the schema on the bind's search_path)",
        "positive -> positive: PostgreSQL has no such type on the search path (schemas 'third', 'other' have one, which an unqualified type is not looked up in: put the schema on the bind's search_path)",
        'third.mood -> third.mood: PostgreSQL has no such type',
        'string -> string: PostgreSQL has no such type',
      ]);
      // What the warning says, PostgreSQL does: the unqualified name fails for a table in that schema, the qualified one works.
      await expect(conn.execute({ sql: 'CREATE TABLE "other"."t" ("m" mood)', parameters: [] })).rejects.toThrow(/type "mood" does not exist/);
      await conn.execute({ sql: 'CREATE TABLE "other"."t" ("m" other.mood)', parameters: [] });
      // On the search path, the unqualified name is known.
      await conn.execute({ sql: 'SET search_path TO "third", "other", public', parameters: [] });
      expect(await unknownOf(postgresDialect, [inOther('mood'), declared('positive')], execute)).toEqual([]);
    });
  },
  ['postgres'],
);

it('mysql and mariadb: the closed list of type names, after the dialect maps other spellings; inet6 and uuid are MariaDB only', async () => {
  const types = ['varchar(20)', 'int unsigned', 'int(11) zerofill', 'double precision', 'boolean', 'uuid', 'jsonb', 'timestamptz', 'serial', 'long varchar', 'enum(\'a\',\'b\')', 'inet6', 'string', 'money2'].map((t) => declared(t));
  expect(await unknownOf(mariadbDialect, types)).toEqual(['string -> string: MariaDB has no such type', 'money2 -> money2: MariaDB has no such type']);
  expect(await unknownOf(mysqlDialect, types)).toEqual(['inet6 -> inet6: MySQL has no such type', 'string -> string: MySQL has no such type', 'money2 -> money2: MySQL has no such type']);
  // An array is left to compile, which refuses it.
  expect(await unknownOf(mysqlDialect, [declared('text[]')])).toEqual([]);
});

it('sqlite: any name outside STRICT tables; in one, a name the affinity rules do not place (declared ANY)', async () => {
  const names = ['varchar(20)', 'boolean', 'timestamp', 'numeric(10,2)', 'uuid', 'any', 'blob', 'string', 'geometry'];
  expect(await unknownOf(sqliteDialect, names.map((t) => declared(t)))).toEqual([]);
  expect(await unknownOf(sqliteDialect, names.map((t) => declared(t, true)))).toEqual([
    'string -> string: SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY',
    'geometry -> geometry: SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY',
  ]);
});
