import type { DeclaredType, UnknownType } from '@multidb/core';
import { renderMysqlType } from './mysql-type-map.js';
import type { MysqlFlavour } from './mysql-url.js';

/** The data type names both servers take in CREATE TABLE (MySQL 8 and MariaDB 10.x reference manuals), lower-case. */
const COMMON: readonly string[] = [
  // Numeric.
  'bit', 'tinyint', 'smallint', 'mediumint', 'middleint', 'int', 'integer', 'bigint', 'int1', 'int2', 'int3', 'int4', 'int8',
  'decimal', 'dec', 'numeric', 'fixed', 'float', 'float4', 'float8', 'double', 'double precision', 'real', 'bool', 'boolean', 'serial',
  // Date and time.
  'date', 'datetime', 'timestamp', 'time', 'year',
  // Strings.
  'char', 'character', 'nchar', 'national char', 'national character', 'char byte',
  'varchar', 'character varying', 'char varying', 'nvarchar', 'national varchar', 'national character varying', 'national char varying', 'nchar varchar', 'nchar varying',
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'long varbinary',
  'tinytext', 'text', 'mediumtext', 'longtext', 'long', 'long varchar', 'enum', 'set', 'json',
  // Spatial.
  'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection',
];

/** Names one flavour adds: MariaDB's INET4 (10.10), INET6 (10.5), UUID (10.7) and VECTOR (11.7); MySQL 9's VECTOR. */
const FLAVOUR: Readonly<Record<MysqlFlavour, readonly string[]>> = {
  mariadb: ['inet4', 'inet6', 'uuid', 'vector'],
  mysql: ['vector'],
};

const KNOWN: Readonly<Record<MysqlFlavour, ReadonlySet<string>>> = {
  mariadb: new Set([...COMMON, ...FLAVOUR.mariadb]),
  mysql: new Set([...COMMON, ...FLAVOUR.mysql]),
};

/**
 * The name of a rendered MySQL type without its parameters and attributes: `int(11) unsigned
 * zerofill` → `int`, `varchar(20) character set latin1` → `varchar`, `double precision` stays.
 */
function typeName(rendered: string): string {
  return rendered
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(character set|charset|collate)\s+\S+/g, ' ')
    .replace(/\b(unsigned|signed|zerofill)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The declared types a MySQL or MariaDB server does not know, from its closed list of data type
 * names: each type is written as the dialect writes it in DDL (`uuid` → `char(36)`, `boolean` →
 * `tinyint(1)`, `jsonb` → `json`), then its name, without parameters and attributes (`unsigned`,
 * `zerofill`, `character set …`), is looked up. No database is asked; a type the dialect refuses
 * to write (an array) is left to compile, which says why.
 *
 * @param flavour - `'mysql'` or `'mariadb'` (MariaDB also has `inet4`, `inet6`, `uuid`).
 * @returns the check, as `Dialect.unknownTypes` takes it.
 * @example
 * ```ts
 * await mysqlUnknownTypes('mariadb')([{ table: 'note', column: 'body', type: parseColumnType('string') }]);
 * // [{ table: 'note', column: 'body', type: …, rendered: 'string', reason: 'MariaDB has no such type' }]
 * ```
 */
export function mysqlUnknownTypes(flavour: MysqlFlavour): (types: readonly DeclaredType[]) => Promise<UnknownType[]> {
  const known = KNOWN[flavour];
  const server = flavour === 'mariadb' ? 'MariaDB' : 'MySQL';
  return async (types) =>
    types.flatMap((t) => {
      let rendered: string;
      try {
        rendered = renderMysqlType(t.type);
      } catch {
        return [];
      }
      return known.has(typeName(rendered)) ? [] : [{ ...t, rendered, reason: `${server} has no such type` }];
    });
}
