// Column types: parsed from what models and revisions write ('varchar(3)', 'NUMERIC(10, 2)',
// 'nvarchar(40)', types of other databases) and rendered for each dialect. SQLite keeps declared
// types and maps the foreign ones (a STRICT table takes SQLite's own types only).
import { parseColumnType, UnsupportedOperationError } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { renderMysqlType } from '../src/mysql/mysql-type-map.js';
import { renderPostgresType } from '../src/postgres/postgres-type-map.js';
import { renderSqliteType } from '../src/sqlite/sqlite-type-map.js';
import { hasEntry, DIALECTS, forDialect, type PerDialect } from './support/dialects.js';

/** A way to render types for a dialect, and types with their rendering. */
interface TypeMap {
  readonly name: string;
  readonly render: (type: string) => string;
  readonly types: readonly (readonly [string, string])[];
}

const sqlite = (strict: boolean) => (type: string) => renderSqliteType(parseColumnType(type), { strict });

const typeMaps: PerDialect<readonly TypeMap[]> = {
  sqlite: [
    {
      name: 'keeps declared types',
      render: sqlite(false),
      types: [
        ['varchar(3)', 'varchar(3)'],
        ['NUMERIC(10, 2)', 'numeric(10,2)'],
        ['nvarchar(40)', 'nvarchar(40)'],
        ['timestamp with time zone', 'timestamp with time zone'],
        ['int unsigned', 'int unsigned'],
        ['double precision', 'double precision'],
      ],
    },
    {
      name: 'maps the foreign ones',
      render: sqlite(false),
      types: [
        ['bool', 'boolean'],
        ['boolean', 'boolean'],
        ['jsonb', 'json'],
        ['json', 'json'],
        ['bytea', 'blob'],
        ['bigserial', 'integer'],
        ["enum('a','bcd')", 'varchar(3)'],
        // The longest member in characters, as SQLite's length() counts: an emoji is one.
        ["enum('☀','🌧')", 'varchar(1)'],
        ["enum('ok','😀😀😀')", 'varchar(3)'],
        ["set('x')", 'text'],
      ],
    },
    {
      name: 'in a STRICT table, SQLite’s own types',
      render: sqlite(true),
      types: [
        ['varchar(3)', 'TEXT'],
        ['bigint', 'INTEGER'],
        ['boolean', 'INTEGER'],
        ['numeric(10,2)', 'REAL'],
        ['double', 'REAL'],
        ['datetime', 'TEXT'],
        ['blob', 'BLOB'],
        ['json', 'TEXT'],
        ['uuid', 'TEXT'],
        ['any', 'ANY'],
        ['int', 'INTEGER'],
      ],
    },
  ],
  postgres: [
    {
      name: 'maps types of other databases to PostgreSQL',
      render: (type) => renderPostgresType(parseColumnType(type)),
      types: [
        ['nvarchar(40)', 'varchar(40)'],
        ['NVARCHAR', 'varchar'],
        ['character varying(5)', 'varchar(5)'],
        ['nchar(2)', 'char(2)'],
        ['datetime', 'timestamp'],
        ['datetime(3)', 'timestamp(3)'],
        ['blob', 'bytea'],
        ['longblob', 'bytea'],
        ['varbinary(16)', 'bytea'],
        ['double', 'double precision'],
        ['double(10,2)', 'double precision'],
        ['float', 'double precision'],
        ['float(24)', 'float(24)'],
        ['tinyint(1)', 'boolean'],
        ['bool', 'boolean'],
        ['tinyint', 'smallint'],
        ['mediumint', 'integer'],
        ['int(11)', 'integer'],
        ['int unsigned', 'bigint'],
        ['bigint unsigned', 'numeric(20)'],
        ['decimal(10,2)', 'numeric(10,2)'],
        ['numeric(10,2)', 'numeric(10,2)'],
        ['longtext', 'text'],
        ['json', 'json'],
        ['jsonb', 'jsonb'],
        ['text[]', 'text[]'],
        ['integer[]', 'integer[]'],
        ['varchar(3)[]', 'varchar(3)[]'],
        ["enum('small','large')", 'varchar(5)'],
        // varchar(n) counts characters: an emoji is one, not two UTF-16 units.
        ["enum('☀','🌧')", 'varchar(1)'],
        ["enum('ok','😀😀😀')", 'varchar(3)'],
        ["set('a','b')", 'text'],
        ['timestamp with time zone', 'timestamp with time zone'],
        ['timestamptz', 'timestamptz'],
        ['uuid', 'uuid'],
        ['serial', 'serial'],
      ],
    },
  ],
  mysql: [
    {
      name: 'maps types to MySQL',
      render: (type) => renderMysqlType(parseColumnType(type)),
      types: [
        ['nvarchar(40)', 'varchar(40)'],
        ['nchar(2)', 'char(2)'],
        ['varchar(3)', 'varchar(3)'],
        ['text', 'text'],
        ['boolean', 'tinyint(1)'],
        ['integer', 'int'],
        ['int unsigned', 'int unsigned'],
        ['bigserial', 'bigint'],
        ['NUMERIC(10, 2)', 'decimal(10,2)'],
        ['real', 'double'],
        ['double precision', 'double'],
        ['datetime', 'datetime'],
        ['datetime(3)', 'datetime(3)'],
        ['timestamp', 'timestamp'],
        ['timestamp(3) with time zone', 'datetime(3)'],
        ['timestamptz', 'datetime'],
        ['date', 'date'],
        ['json', 'json'],
        ['jsonb', 'json'],
        ['uuid', 'char(36)'],
        ['bytea', 'longblob'],
        ["enum('a','b''c')", "enum('a','b''c')"],
        // Members are the members themselves: a backslash is doubled, as MySQL reads literals.
        ["enum('C:\\dir','a\\','b''c')", "enum('C:\\\\dir','a\\\\','b''c')"],
        ["set('p\\q','r')", "set('p\\\\q','r')"],
        ['tinyint(1)', 'tinyint(1)'],
      ],
    },
  ],
};

/** Types a dialect cannot render, and the error. */
const refused: PerDialect<readonly (readonly [string, RegExp | typeof UnsupportedOperationError])[]> = {
  mysql: [
    ['text[]', UnsupportedOperationError],
    ['varchar', /varchar\(255\)/],
  ],
};

for (const d of DIALECTS) {
  describe(`${d.name}: column types`, () => {
    for (const map of forDialect(d, typeMaps)) {
      it(map.name, () => {
        expect(map.types.map(([input]) => [input, map.render(input)])).toEqual(map.types);
      });
    }

    if (hasEntry(refused, d)) {
      it('refuses what it has no type for', () => {
        const render = forDialect(d, typeMaps)[0]!.render;
        for (const [type, error] of forDialect(d, refused)) expect(() => render(type)).toThrow(error);
      });
    }
  });
}
