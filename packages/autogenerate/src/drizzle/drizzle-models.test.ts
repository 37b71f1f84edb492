import { sql } from 'drizzle-orm';
import { date as mysqlDate, datetime, int, mysqlEnum, mysqlTable } from 'drizzle-orm/mysql-core';
import { integer as sqliteInteger, sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import { bigint, date, index, integer, jsonb, pgEnum, pgSchema, pgTable, primaryKey, serial, text, timestamp, unique, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { DrizzleSchemaError, drizzleModels, importDrizzle } from './drizzle-models.js';

const drizzle = await importDrizzle();

describe('drizzleModels', () => {
  it("reads pgTable/pgEnum exports into defineModels' shape, with Drizzle's default names", () => {
    const role = pgEnum('role', ['admin', 'user']);
    const account = pgTable('account', {
      id: serial('id').primaryKey(),
      handle: varchar('handle', { length: 40 }).notNull().unique(),
      role: role('role').notNull().default('user'),
      bio: text('bio').default(sql`'none'`),
    });
    const member = pgTable('member', { a: integer('a').notNull().references(() => account.id), b: integer('b').notNull() }, (t) => [primaryKey({ columns: [t.a, t.b] })]);
    expect(drizzleModels({ role, account, member, alsoAccount: account, helper: () => 1, n: 3 }, drizzle)).toEqual({
      dialect: 'postgres',
      definition: {
        enums: [{ name: 'role', values: ['admin', 'user'] }],
        tables: [
          {
            name: 'account',
            columns: [
              { name: 'id', type: 'integer', nullable: false, autoincrement: true },
              { name: 'handle', type: 'varchar(40)', nullable: false },
              { name: 'role', type: 'role', nullable: false, default: 'user' },
              { name: 'bio', type: 'text', nullable: true, default: { sql: "'none'" } },
            ],
            primaryKey: { name: 'account_pkey', columns: ['id'] },
            uniqueConstraints: [{ name: 'account_handle_unique', columns: ['handle'] }],
          },
          {
            name: 'member',
            columns: [
              { name: 'a', type: 'integer', nullable: false },
              { name: 'b', type: 'integer', nullable: false },
            ],
            primaryKey: { name: 'member_a_b_pk', columns: ['a', 'b'] },
            foreignKeys: [{ name: 'member_a_account_id_fk', columns: ['a'], referredTable: 'account', referredColumns: ['id'] }],
          },
        ],
      },
    });
  });

  it("keeps a unique constraint's NULLS NOT DISTINCT, table-level and on its column", () => {
    const code = pgTable(
      'code',
      { id: integer('id').primaryKey(), tag: text('tag').unique('code_tag_nnd', { nulls: 'not distinct' }), a: integer('a'), b: integer('b') },
      (t) => [unique('code_a_b_nnd').on(t.a, t.b).nullsNotDistinct(), unique('code_a_plain').on(t.a)],
    );
    expect(drizzleModels({ code }, drizzle).definition.tables[0]?.uniqueConstraints).toEqual([
      { name: 'code_tag_nnd', columns: ['tag'], nullsNotDistinct: true },
      { name: 'code_a_b_nnd', columns: ['a', 'b'], nullsNotDistinct: true },
      { name: 'code_a_plain', columns: ['a'] },
    ]);
  });

  it('names an unnamed PostgreSQL index (and unique index) as drizzle-kit does: <table>_<columns>_index', () => {
    const posts = pgTable(
      'posts',
      { id: integer('id').primaryKey(), authorId: integer('author_id').notNull(), title: text('title').notNull() },
      (t) => [index().on(t.title), uniqueIndex().on(t.authorId, t.title.desc()), index('posts_named').on(t.authorId)],
    );
    expect(drizzleModels({ posts }, drizzle).definition.tables[0]!.indexes).toEqual([
      { name: 'posts_title_index', columns: ['title'], unique: false },
      { name: 'posts_author_id_title_index', columns: ['author_id', { name: 'title', order: 'desc', nulls: 'last' }], unique: true },
      { name: 'posts_named', columns: ['author_id'], unique: false },
    ]);
    // drizzle-kit names none on an expression.
    const lowered = pgTable('people', { email: text('email') }, (t) => [uniqueIndex().on(sql`lower(${t.email})`)]);
    expect(() => drizzleModels({ lowered }, drizzle)).toThrow(
      new DrizzleSchemaError("table 'people': an index on an expression has no name; drizzle-kit names only indexes on columns (give index('name'))."),
    );
  });

  it("reads generatedAlwaysAsIdentity() as autoincrement: 'always', generatedByDefaultAsIdentity() as true", () => {
    const extras = pgTable('extras', {
      id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
      n: integer('n').notNull().generatedByDefaultAsIdentity(),
    });
    const [table] = drizzleModels({ extras }, drizzle).definition.tables;
    expect(table!.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, autoincrement: 'always' },
      { name: 'n', type: 'integer', nullable: false, autoincrement: true },
    ]);
  });

  it("reads generatedAlwaysAs()'s storage from its mode: PostgreSQL's are stored, MySQL's and SQLite's virtual unless { mode: 'stored' }", () => {
    const pg = pgTable('pg_gen', { email: text('email'), lower: text('lower').generatedAlwaysAs(sql`lower(email)`), upper: text('upper').generatedAlwaysAs(() => sql`upper(email)`) });
    expect(drizzleModels({ pg }, drizzle).definition.tables[0]!.columns.slice(1)).toEqual([
      { name: 'lower', type: 'text', nullable: true, generated: { sql: 'lower(email)', stored: true } },
      { name: 'upper', type: 'text', nullable: true, generated: { sql: 'upper(email)', stored: true } },
    ]);
    const my = mysqlTable('my_gen', { a: int('a'), v: int('v').generatedAlwaysAs(sql`a + 1`), s: int('s').generatedAlwaysAs(sql`a * 2`, { mode: 'stored' }) });
    expect(drizzleModels({ my }, drizzle).definition.tables[0]!.columns.slice(1)).toEqual([
      { name: 'v', type: 'int', nullable: true, generated: { sql: 'a + 1', stored: false } },
      { name: 's', type: 'int', nullable: true, generated: { sql: 'a * 2', stored: true } },
    ]);
    const lite = sqliteTable('lite_gen', { a: sqliteInteger('a'), s: sqliteInteger('s').generatedAlwaysAs(sql`a * 2`, { mode: 'stored' }) });
    expect(drizzleModels({ lite }, drizzle).definition.tables[0]!.columns[1]).toEqual({ name: 's', type: 'integer', nullable: true, generated: { sql: 'a * 2', stored: true } });
  });

  it('reads an array of several dimensions or a size as PostgreSQL keeps it: one []', () => {
    const grid = pgTable('grid', { cells: text('cells').array().array(), three: integer('three').array(3), plain: integer('plain').array() });
    expect(drizzleModels({ grid }, drizzle).definition.tables[0]!.columns.map((c) => c.type)).toEqual(['text[]', 'integer[]', 'integer[]']);
  });

  it("names the schema of a foreign key's table when it is not the referring table's (pgSchema), the bind's for a table without one", () => {
    const other = pgSchema('other');
    const node = pgTable('node', { id: integer('id').primaryKey() });
    const thing = other.table('thing', { id: integer('id').primaryKey(), nodeId: integer('node_id').references(() => node.id) });
    const ref = pgTable('ref', { id: integer('id').primaryKey(), thingId: integer('thing_id').references(() => thing.id) });
    const sibling = other.table('sibling', { id: integer('id').primaryKey(), thingId: integer('thing_id').references(() => thing.id) });
    const keys = (schema?: string) =>
      drizzleModels({ node, thing, ref, sibling }, drizzle, schema ? { schema } : {}).definition.tables.map((t) => [t.name, t.foreignKeys?.map((fk) => [fk.referredSchema, fk.referredTable])]);
    expect(keys()).toEqual([
      ['node', undefined],
      ['thing', [['public', 'node']]],
      ['ref', [['other', 'thing']]],
      ['sibling', [[undefined, 'thing']]],
    ]);
    expect(keys('app')[1]).toEqual(['thing', [['app', 'node']]]);
  });

  it("quotes a MySQL enum's members as SQL does (Drizzle's own type text leaves a quote in one unescaped)", () => {
    const answer = mysqlTable('answer', { id: int('id').primaryKey(), reply: mysqlEnum('reply', ["don't know", 'yes']).default("don't know") });
    expect(drizzleModels({ answer }, drizzle).definition.tables[0]!.columns[1]).toEqual({ name: 'reply', type: "enum('don''t know','yes')", nullable: true, default: "don't know" });
  });

  it("keeps a bigint default past 2^53 exact, and gives a MySQL date column's Date default as its day", () => {
    const big = pgTable('big', { id: integer('id').primaryKey(), n: bigint('n', { mode: 'bigint' }).default(9007199254740993n), small: bigint('small', { mode: 'bigint' }).default(42n) });
    expect(drizzleModels({ big }, drizzle).definition.tables[0]!.columns.slice(1).map((c) => c.default)).toEqual(['9007199254740993', 42]);
    const day = mysqlTable('day', { id: int('id').primaryKey(), d: mysqlDate('d').default(new Date('2020-01-02T00:00:00Z')), at: datetime('at').default(new Date('2020-01-02T03:04:05Z')) });
    expect(drizzleModels({ day }, drizzle).definition.tables[0]!.columns.slice(1).map((c) => c.default)).toEqual(['2020-01-02', '2020-01-02 03:04:05.000']);
  });

  it('reads the sort order of index columns: .desc(), .nullsFirst(), .nullsLast()', () => {
    const extras = pgTable('extras', { id: integer('id').notNull(), amount: integer('amount') }, (t) => [
      uniqueIndex('extras_amt_desc').on(t.amount.desc().nullsLast()),
      index('extras_mixed').on(t.amount.nullsFirst(), t.id.asc()),
      index('extras_desc').on(t.amount.desc()),
    ]);
    const [table] = drizzleModels({ extras }, drizzle).definition.tables;
    expect(table!.indexes).toEqual([
      { name: 'extras_amt_desc', columns: [{ name: 'amount', order: 'desc', nulls: 'last' }], unique: true },
      { name: 'extras_mixed', columns: [{ name: 'amount', nulls: 'first' }, 'id'], unique: false },
      // Drizzle's NULLs default is last whatever the direction (drizzle-kit writes DESC NULLS LAST).
      { name: 'extras_desc', columns: [{ name: 'amount', order: 'desc', nulls: 'last' }], unique: false },
    ]);
  });

  it("declares a Date, array or JSON default as the column's driver value: what an INSERT of it stores", () => {
    const at = new Date('2024-01-02T03:04:05Z');
    const ev = sqliteTable('ev', {
      at: sqliteInteger('at', { mode: 'timestamp' }).default(at),
      atMs: sqliteInteger('at_ms', { mode: 'timestamp_ms' }).default(at),
      flag: sqliteInteger('flag', { mode: 'boolean' }).default(true),
      meta: sqliteText('meta', { mode: 'json' }).default({ a: 1 }),
    });
    // SQLite's timestamp modes store seconds and milliseconds: an ISO text would read as an invalid date.
    expect(drizzleModels({ ev }, drizzle).definition.tables[0]!.columns.map((c) => c.default)).toEqual([1704164645, 1704164645000, true, '{"a":1}']);
    const pgEv = pgTable('ev', {
      at: timestamp('at').default(at),
      day: date('day', { mode: 'date' }).default(new Date('2024-01-02T00:00:00Z')),
      tags: text('tags').array().default(['a', 'b "c"']),
      meta: jsonb('meta').default({ a: [1, 2] }),
    });
    // A PostgreSQL array default is an array literal, not JSON (which CREATE TABLE refuses).
    expect(drizzleModels({ pgEv }, drizzle).definition.tables[0]!.columns.map((c) => c.default)).toEqual([
      '2024-01-02T03:04:05.000Z',
      '2024-01-02T00:00:00.000Z',
      '{"a","b \\"c\\""}',
      '{"a":[1,2]}',
    ]);
  });

  it('refuses a module without tables, and one that mixes dialects', () => {
    expect(() => drizzleModels({ x: 1 }, drizzle)).toThrow(new DrizzleSchemaError('it exports no Drizzle table (pgTable, mysqlTable or sqliteTable).'));
    const a = pgTable('a', { id: integer('id') });
    const b = sqliteTable('b', { id: sqliteText('id') });
    expect(() => drizzleModels({ a, b }, drizzle)).toThrow(/mixes Drizzle dialects \(postgres, sqlite\)/);
  });
});
