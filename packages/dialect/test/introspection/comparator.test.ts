import { parseColumnType, type ColumnInput, type ColumnSnapshot, type DefaultValue, type SchemaComparator } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect, type TestDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

/** Types each dialect takes, as models write them. */
const TYPES: Readonly<Record<TestDialect, readonly string[]>> = {
  sqlite: ['integer', 'INTEGER', 'int', 'bigint', 'varchar(64)', 'VARCHAR(3)', 'nvarchar(40)', 'NUMERIC(10, 2)', 'text', 'boolean', 'bool', 'real', 'blob', 'datetime', 'date', 'jsonb', "enum('G','PG','NC-17')"],
  postgres: [
    'int',
    'int4',
    'integer',
    'int8',
    'smallint',
    'serial',
    'bigserial',
    'varchar(64)',
    'character varying(64)',
    'nvarchar(40)',
    'char(2)',
    'char',
    'text',
    'bool',
    'boolean',
    'numeric(10,2)',
    'decimal(12,4)',
    'numeric',
    'real',
    'float8',
    'double precision',
    'float(10)',
    'timestamp',
    'timestamp(3)',
    'timestamp without time zone',
    'timestamptz',
    'timestamp with time zone',
    'time',
    'date',
    'datetime',
    'json',
    'jsonb',
    'uuid',
    'bytea',
    'text[]',
    'varchar(20)[]',
    // A precision without a scale: PostgreSQL reports numeric(5,0).
    'numeric(5)',
    'decimal(7)',
  ],
  mysql: [
    'int',
    'integer',
    'int(11)',
    'bigint',
    'int unsigned',
    'smallint',
    'tinyint',
    'tinyint(1)',
    'boolean',
    'bool',
    'varchar(64)',
    'nvarchar(40)',
    'char',
    'char(36)',
    'text',
    'mediumtext',
    'numeric(10,2)',
    'decimal',
    'decimal(12,4)',
    'float',
    'double',
    'double precision',
    'real',
    'datetime',
    'datetime(3)',
    'timestamp',
    'date',
    'time',
    'json',
    "enum('G','PG','NC-17')",
    "set('A','b')",
    'blob',
    "enum('C:\\dir','a\\','it''s')",
    "set('p\\q','r')",
  ],
};

/** Defaults each dialect takes: [type, default]. */
const DEFAULTS: Readonly<Record<TestDialect, readonly (readonly [string, DefaultValue])[]>> = {
  sqlite: [
    ['varchar(3)', 'USD'],
    ['text', "it's"],
    ['integer', 0],
    ['integer', -1],
    ['numeric(10,2)', 0.99],
    ['boolean', true],
    ['boolean', false],
    ['datetime', { sql: 'CURRENT_TIMESTAMP' }],
    ['text', { sql: "datetime('now')" }],
    ['text', { sql: "'quoted'" }],
    ['integer', { sql: 'NULL' }],
  ],
  postgres: [
    ['varchar(3)', 'USD'],
    ['varchar(3)', { sql: "'USD'::character varying" }],
    ['text', "it's"],
    ['integer', 0],
    ['integer', -1],
    ['bigint', '42'],
    ['numeric(10,2)', 0.99],
    ['numeric(10,2)', 0],
    ['boolean', true],
    ['boolean', false],
    ['timestamp', { sql: 'CURRENT_TIMESTAMP' }],
    ['timestamptz', { sql: 'now()' }],
    ['date', '2020-01-01'],
    ['date', { sql: 'CURRENT_DATE' }],
    ['jsonb', '{"a": 1}'],
    // As an application (Drizzle's mapping of a Date, an array, a JSON value) writes them; the
    // database reports them in its own spelling.
    ['jsonb', '{"b":[1,2],"a":{"y":null,"x":"s"}}'],
    ['json', '{"a":1}'],
    ['text[]', '{"a","b c","",NULL,"q\\"x"}'],
    ['integer[]', '{1,2,3}'],
    ['text[]', '{}'],
    ['timestamp', '2024-01-02T03:04:05.000Z'],
    ['timestamp(3)', '2024-01-02T03:04:05.120Z'],
    ['timestamptz', '2024-01-02T03:04:05.000Z'],
    ['timestamptz', '2024-01-02T03:04:05+02:00'],
    ['date', '2024-01-02T00:00:00.000Z'],
    ['integer', { sql: 'NULL' }],
    ['uuid', { sql: 'gen_random_uuid()' }],
    ['integer', { sql: '1 + 2' }],
  ],
  mysql: [
    ['varchar(3)', 'USD'],
    ['text', "it's"],
    ['varchar(10)', 'NULL'],
    ['int', 0],
    ['int', -1],
    ['bigint', '42'],
    ['decimal(10,2)', 0.99],
    ['decimal(10,2)', 0],
    ['boolean', true],
    ['boolean', false],
    ['datetime', { sql: 'CURRENT_TIMESTAMP' }],
    ['timestamp', { sql: 'now()' }],
    ['datetime(3)', { sql: 'CURRENT_TIMESTAMP(3)' }],
    // MariaDB stores the column's precision, whatever the default says: current_timestamp(3).
    ['datetime(3)', { sql: 'CURRENT_TIMESTAMP(0)' }],
    ['timestamp(3)', { sql: 'CURRENT_TIMESTAMP()' }],
    ['datetime', { sql: 'CURRENT_TIMESTAMP(0)' }],
    // Stored with two-digit hours, minutes and seconds: '01:02:00', '-01:02:03', '2020-01-01 01:02:03'.
    ['time', '1:02'],
    ['time', '1:2:3'],
    ['time', '-1:02:03'],
    ['time(2)', '1:02:03.5'],
    ['time', '100:02'],
    ['datetime', '2020-01-01 1:02:03'],
    ['datetime', '2020-01-01 10:00'],
    ['datetime', '2020-01-01'],
    ['date', '2020-01-01'],
    ["enum('G','PG','NC-17')", 'PG'],
    ['int', { sql: 'NULL' }],
    ['int', { sql: '1 + 2' }],
  ],
};

/** Pairs that must stay different: [type, type] and [type, default, default]. */
const UNEQUAL_TYPES: readonly (readonly [string, string])[] = [
  ['varchar(10)', 'varchar(20)'],
  ['integer', 'bigint'],
  ['numeric(10,2)', 'numeric(12,2)'],
  ['text', 'varchar(10)'],
];
const UNEQUAL_DEFAULTS: readonly (readonly [string, DefaultValue, DefaultValue])[] = [
  ['varchar(3)', 'a', 'b'],
  ['varchar(3)', 'USD', 'usd'],
  ['integer', 0, 1],
  ['boolean', true, false],
  ['varchar(3)', 'a', { sql: 'NULL' }],
  ['jsonb', '{"a":1}', '{"a":2}'],
  ['text[]', '{a,b}', '{b,a}'],
  ['text[]', '{NULL}', '{"NULL"}'],
  ['timestamp', '2024-01-02T03:04:05Z', '2024-01-02T03:04:06Z'],
  ['timestamptz', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05+01:00'],
  ['date', '2024-01-02', '2024-01-03'],
  ['time', '1:02', '10:02'],
  ['time', '1:02', '-1:02'],
];

const column = (name: string, type: string, extra: Partial<ColumnInput> = {}): ColumnInput => ({ name, type, ...extra });

/** The declared column as `op.createTable` builds it. */
const declared = (input: ColumnInput): ColumnSnapshot => ({
  name: input.name,
  type: parseColumnType(input.type),
  nullable: input.nullable ?? true,
  ...(input.default !== undefined ? { default: input.default } : {}),
});

describeEachDialect('the dialect’s comparator reduces a declared column and its introspected self to the same text', 'comparator', (db) => {
  const d = db.dialect;

  it('types: every declared type equals what the database reports; different types stay different', async () => {
    const conn = await db.fresh();
    const c: SchemaComparator = conn.dialect.comparator;
    const inputs = TYPES[d].map((type, i) => column(`c${i}`, type));
    await runOps(conn, (op) => op.createTable('types', inputs));
    const table = (await conn.introspectTable('types'))!;
    const pairs = inputs.map((input, i) => [input.type, c.canonicalType(parseColumnType(input.type)), c.canonicalType(table.columns[i]!.type)]);
    expect(pairs.filter(([, a, b]) => a !== b)).toEqual([]);

    for (const [a, b] of UNEQUAL_TYPES) expect(c.canonicalType(parseColumnType(a)), `${a} vs ${b}`).not.toBe(c.canonicalType(parseColumnType(b)));
    // Introspected different types stay different too.
    const ten = table.columns[TYPES[d].indexOf('varchar(64)')]!;
    expect(c.canonicalType(ten.type)).not.toBe(c.canonicalType(parseColumnType('varchar(63)')));
    if (d === 'mysql') {
      // ENUM/SET members with a backslash are created as given and read back as the members themselves.
      const members = (type: string) => table.columns[TYPES[d].indexOf(type)]!.type.args;
      expect(members("enum('C:\\dir','a\\','it''s')")).toEqual(['C:\\dir', 'a\\', "it's"]);
      expect(members("set('p\\q','r')")).toEqual(['p\\q', 'r']);
      expect(c.canonicalType(parseColumnType("enum('a\\')"))).not.toBe(c.canonicalType(parseColumnType("enum('a')")));
      expect(c.canonicalType(parseColumnType("enum('PG')"))).not.toBe(c.canonicalType(parseColumnType("enum('pg')")));
      expect(c.canonicalType(parseColumnType('tinyint(1)'))).not.toBe(c.canonicalType(parseColumnType('tinyint(4)')));
    }
    if (d === 'postgres') {
      expect(c.canonicalType(parseColumnType('json'))).not.toBe(c.canonicalType(parseColumnType('jsonb')));
      expect(c.canonicalType(parseColumnType('timestamp'))).not.toBe(c.canonicalType(parseColumnType('timestamptz')));
    }
  });

  it('types: an AUTOINCREMENT bigint key equals what the database reports (SQLite declares it integer)', async () => {
    const conn = await db.fresh();
    const c: SchemaComparator = conn.dialect.comparator;
    const key: ColumnSnapshot = { name: 'id', type: parseColumnType('bigint'), nullable: false, primaryKey: true, autoincrement: true };
    await runOps(conn, (op) => op.createTable('big', [{ name: 'id', type: 'bigint', primaryKey: true, autoincrement: true }, column('n', 'bigint')]));
    const [live, n] = (await conn.introspectTable('big'))!.columns;
    expect(c.canonicalType(live!.type, live)).toBe(c.canonicalType(key.type, key));
    // Not AUTOINCREMENT: a bigint stays a bigint.
    expect(c.canonicalType(n!.type, n)).not.toBe(c.canonicalType(parseColumnType('integer'), { ...key, name: 'n', autoincrement: false }));
  });

  it('defaults: every declared default equals what the database reports; different defaults stay different', async () => {
    const conn = await db.fresh();
    const c: SchemaComparator = conn.dialect.comparator;
    const inputs = DEFAULTS[d].map(([type, dflt], i) => column(`d${i}`, type, { default: dflt }));
    await runOps(conn, (op) => op.createTable('defaults', inputs));
    const table = (await conn.introspectTable('defaults'))!;
    const pairs = inputs.map((input, i) => {
      const live = table.columns[i]!;
      return [input.type, input.default, c.canonicalDefault(input.default, declared(input)), c.canonicalDefault(live.default, live)];
    });
    expect(pairs.filter(([, , a, b]) => a !== b)).toEqual([]);
    // A NULL default is no default; every other one is something (MySQL's string 'NULL' too).
    const isNull = (v: unknown) => typeof v === 'object' && v !== null && /^null$/i.test((v as { sql: string }).sql);
    expect(pairs.map(([, dflt, , live]) => live === undefined)).toEqual(pairs.map(([, dflt]) => isNull(dflt)));

    for (const [type, a, b] of UNEQUAL_DEFAULTS) {
      const col = declared(column('x', type));
      expect(c.canonicalDefault(a, col), `${String(a)} vs ${JSON.stringify(b)}`).not.toBe(c.canonicalDefault(b, col));
    }
    expect(c.canonicalDefault({ sql: 'CURRENT_TIMESTAMP' }, declared(column('x', 'date')))).not.toBe(c.canonicalDefault({ sql: 'CURRENT_DATE' }, declared(column('x', 'date'))));
  });

  it('expressions: checks and partial-index predicates equal what the database stores; different ones stay different', async () => {
    const conn = await db.fresh();
    const c: SchemaComparator = conn.dialect.comparator;
    const q = (n: string) => conn.dialect.quoteIdentifier(n);
    const checks = [
      `${q('x')} > 0`,
      `${q('kind')} IN ('a', 'b')`,
      `${q('x')} BETWEEN 1 AND 5`,
      `length(${q('s')}) > 0 AND ${q('x')} < 10`,
      `(${q('x')} > 0) OR (${q('s')} IS NULL)`,
      `${q('s')} <> 'x'`,
      `${q('s')} LIKE 'a%'`,
      // MariaDB stores a doubled quote as \' ('b\'c').
      `${q('s')} IN ('a', 'b''c') OR ${q('s')} IS NULL`,
      // PostgreSQL spells out a BETWEEN of any operands, stores -5 as '-5'::integer and parenthesizes
      // arithmetic operands; MariaDB stores NOT (x = 3) as x <> 3, % as MOD, lower as lcase.
      `length(${q('s')}) BETWEEN 1 AND 10`,
      `${q('x')} NOT IN (1, 2, 3)`,
      `${q('s')} NOT LIKE '%x%'`,
      `COALESCE(${q('x')}, 0) >= 0`,
      `${q('x')} IS NOT NULL OR ${q('s')} IS NOT NULL`,
      `CASE WHEN ${q('kind')} = 'a' THEN ${q('x')} > 0 ELSE ${q('x')} >= 0 END`,
      `${q('x')} * 2 + 1 > 3`,
      `${q('x')} >= -5`,
      `${q('x')} > 0.5`,
      `NOT (${q('x')} = 3)`,
      `lower(${q('s')}) = ${q('s')}`,
      `${q('s')} <> ''`,
      `${q('x')} % 2 = 0`,
      `${q('x')} BETWEEN -1 AND ${q('x')} + 1`,
      `upper(${q('kind')}) IN ('A', 'B')`,
    ];
    await runOps(conn, (op) =>
      op.createTable('checks', [column('x', 'integer'), column('kind', 'varchar(5)'), column('s', 'varchar(10)')], {
        checkConstraints: checks.map((expression, i) => ({ name: `ck_${i}`, expression })),
      }),
    );
    if (d !== 'mysql') await runOps(conn, (op) => op.createIndex('ix_partial', 'checks', ['x'], { where: `${q('x')} > 0 AND ${q('kind')} IN ('a', 'b')` }));
    const table = (await conn.introspectTable('checks'))!;
    const live = new Map(table.checkConstraints.map((ck) => [ck.name, ck.expression]));
    const pairs = checks.map((expression, i) => [expression, live.get(`ck_${i}`), c.canonicalExpression(expression), c.canonicalExpression(live.get(`ck_${i}`) ?? '')]);
    expect(pairs.filter(([, , a, b]) => a !== b)).toEqual([]);
    if (d !== 'mysql') {
      expect(c.canonicalExpression(table.indexes[0]!.where!)).toBe(c.canonicalExpression(`${q('x')} > 0 AND ${q('kind')} IN ('a', 'b')`));
    }
    // What PostgreSQL's catalog really holds differs from what was declared: the comparator is needed.
    if (d === 'postgres') expect(live.get('ck_1')).not.toBe(checks[1]);
    expect(c.canonicalExpression(`${q('x')} > 0`)).not.toBe(c.canonicalExpression(`${q('x')} >= 0`));
    expect(c.canonicalExpression(`${q('s')} = 'A'`)).not.toBe(c.canonicalExpression(`${q('s')} = 'a'`));
    expect(c.canonicalExpression(`(${q('x')} + 1) * 2`)).not.toBe(c.canonicalExpression(`${q('x')} + 1 * 2`));
  });
});
