import { parseColumnType } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { parseSqliteCreateIndex } from './sqlite-index-parser.js';
import { parseDefault } from './sqlite-introspector.js';
import { parseSqliteCreateTable } from './sqlite-table-parser.js';

describe('parseSqliteCreateTable', () => {
  it('reads columns, constraints and options, with every quoting style and comments', () => {
    const parsed = parseSqliteCreateTable(`CREATE TABLE IF NOT EXISTS main."t" (
      [id] INTEGER CONSTRAINT pk PRIMARY KEY DESC ON CONFLICT ABORT AUTOINCREMENT, /* inline */
      \`name\` varchar ( 10 ) NOT NULL ON CONFLICT FAIL CONSTRAINT uq UNIQUE COLLATE "NOCASE",
      'p' REFERENCES parent (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT NULL,
      g AS (id + 1) STORED, -- generated
      "we""ird" double precision DEFAULT (1 + 2) CHECK (g > 0),
      CONSTRAINT "fk" FOREIGN KEY (p, g) REFERENCES other,
      CHECK ("we""ird" <> 'a,b')
    ) WITHOUT ROWID, STRICT`);
    expect(parsed).toEqual({
      columns: [
        { name: 'id', type: 'INTEGER', primaryKey: { name: 'pk', autoincrement: true, descending: true }, checks: [] },
        { name: 'name', type: 'varchar ( 10 )', unique: { name: 'uq' }, collation: 'NOCASE', checks: [] },
        { name: 'p', type: '', references: { columns: ['p'], referredTable: 'parent', referredColumns: ['id'], deferrable: true, initiallyDeferred: true }, checks: [] },
        { name: 'g', type: '', generated: { sql: 'id + 1', stored: true }, checks: [] },
        { name: 'we"ird', type: 'double precision', checks: [{ expression: 'g > 0' }] },
      ],
      uniqueConstraints: [],
      checkConstraints: [{ expression: `"we""ird" <> 'a,b'` }],
      foreignKeys: [{ name: 'fk', columns: ['p', 'g'], referredTable: 'other', referredColumns: [] }],
      strict: true,
      withoutRowid: true,
    });
  });

  it("reads the columns of a table-level PRIMARY KEY written DESC (after COLLATE too); a column-level key's order is not the table's", () => {
    expect(parseSqliteCreateTable('CREATE TABLE t (a text, b int, c int, CONSTRAINT pk_t PRIMARY KEY (a COLLATE NOCASE DESC, "b" ASC, [c] DESC))')?.primaryKey).toEqual({
      name: 'pk_t',
      columns: ['a', 'b', 'c'],
      autoincrement: false,
      descending: ['a', 'c'],
    });
    expect(parseSqliteCreateTable('CREATE TABLE t (id integer, PRIMARY KEY (id DESC AUTOINCREMENT))')?.primaryKey).toEqual({ columns: ['id'], autoincrement: true, descending: ['id'] });
    const columnLevel = parseSqliteCreateTable('CREATE TABLE t (id integer PRIMARY KEY DESC, k text PRIMARY KEY ASC)');
    expect(columnLevel?.primaryKey).toBeUndefined();
    expect(columnLevel?.columns.map((c) => c.primaryKey)).toEqual([{ autoincrement: false, descending: true }, { autoincrement: false }]);
  });

  it('returns undefined for CREATE TABLE … AS SELECT', () => {
    expect(parseSqliteCreateTable('CREATE TABLE t AS SELECT 1')).toBeUndefined();
  });
});

describe('parseSqliteCreateIndex', () => {
  it('reads terms and the partial-index predicate', () => {
    expect(parseSqliteCreateIndex('CREATE INDEX ix ON t (lower(name) COLLATE NOCASE, id DESC) WHERE id > 0 AND x IN (1, 2)')).toEqual({
      terms: ['lower(name) COLLATE NOCASE', 'id'],
      where: 'id > 0 AND x IN (1, 2)',
    });
  });
});

describe('parseDefault', () => {
  const text = parseColumnType('text');
  const bool = parseColumnType('boolean');
  it.each([
    [null, text, undefined],
    ['NULL', text, null],
    ["'it''s'", text, "it's"],
    ['-1.5', text, -1.5],
    ['1', bool, true],
    ['FALSE', bool, false],
    ['TRUE', text, { sql: 'TRUE' }],
    ['CURRENT_TIMESTAMP', text, { sql: 'CURRENT_TIMESTAMP' }],
    ["(datetime('now'))", text, { sql: "datetime('now')" }],
    ['(1) + (2)', text, { sql: '(1) + (2)' }],
    ['99999999999999999999', text, { sql: '99999999999999999999' }],
  ])('%s → %j', (raw, type, expected) => {
    expect(parseDefault(raw, type)).toEqual(expected);
  });
});

describe('parseSqliteCreateTable on broken text', () => {
  it.each([
    'CREATE TABLE t (a int CHECK (a > 0',
    'CREATE TABLE t (a CHECK, b REFERENCES, c DEFAULT, d GENERATED, CONSTRAINT, PRIMARY KEY, FOREIGN KEY)',
    'CREATE TABLE t (a COLLATE, b PRIMARY KEY ON CONFLICT)',
  ])('neither hangs nor throws on %s', (sql) => {
    expect(() => parseSqliteCreateTable(sql)).not.toThrow();
  });
});
