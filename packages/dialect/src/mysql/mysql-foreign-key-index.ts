import { conventionalName, indexColumnName, type DropConstraintOp, type IndexColumn, type NamingConvention, type Statement, type TableSnapshot } from '@multidb/core';
import { mysqlColumnList, mysqlName } from './mysql-column-definition.js';
import { mysqlInlineLiteral } from './mysql-parameter.js';
import type { MysqlFlavour } from './mysql-url.js';

/** A foreign key of a table as far as its index matters: its name and local columns. */
interface KeyColumns {
  readonly name: string | undefined;
  readonly columns: readonly string[];
}

/** An index (or unique key, or the primary key) of a table that can serve a foreign key. */
interface ServingIndex {
  readonly name: string | undefined;
  readonly columns: readonly (string | undefined)[];
}

/**
 * The foreign keys of `t`: its table-level ones and its columns' `references`, named by the
 * convention as CREATE TABLE names them (a snapshot that a `createTable` of the script made, offline,
 * keeps them on the columns; introspection reports them table-level).
 */
function foreignKeysOf(t: TableSnapshot, convention: NamingConvention): KeyColumns[] {
  return [
    ...t.foreignKeys.map((fk) => ({ name: fk.name, columns: fk.columns })),
    ...t.columns
      .filter((c) => c.references)
      .map((c) => ({ name: conventionalName(convention, 'fk', { table: t.name, columns: [c.name], referredTable: c.references!.table }), columns: [c.name] })),
  ];
}

/**
 * The indexes of `t` that introspection (or the script) knows and that can serve a foreign key:
 * plain and unique indexes without a predicate, unique constraints, columns flagged `unique`
 * (named as introspection found them, else by the convention's `uq` template) and the primary key.
 * The index InnoDB made for a key is not among them: introspection leaves it out.
 */
function servingIndexes(t: TableSnapshot, convention: NamingConvention): ServingIndex[] {
  const names = (columns: readonly IndexColumn[]) => columns.map((c) => indexColumnName(c));
  const uniqueName = (column: string) =>
    t.constraintNames?.find((n) => n.type === 'unique' && n.columns.length === 1 && n.columns[0] === column)?.name ??
    conventionalName(convention, 'uq', { table: t.name, columns: [column] });
  const pk = t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name);
  return [
    ...t.indexes.filter((ix) => ix.where === undefined).map((ix) => ({ name: ix.name, columns: names(ix.columns) })),
    ...t.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns })),
    ...t.columns.filter((c) => c.unique).map((c) => ({ name: uniqueName(c.name), columns: [c.name] })),
    ...(pk.length ? [{ name: 'PRIMARY', columns: pk }] : []),
  ];
}

/** Whether an index over `columns` begins with the key's columns (so InnoDB can use it for the key). */
function leads(key: readonly string[], columns: readonly (string | undefined)[]): boolean {
  return key.every((c, i) => columns[i] === c);
}

/**
 * Whether InnoDB made an index of its own for foreign key `name` of table `t` (named as the key;
 * introspection does not report it): `true` when the table has that key, no index, unique key or
 * primary key that introspection reports begins with the key's columns, and no other key of more
 * columns begins with them (InnoDB keeps one index for both, the longer key's, whichever came
 * first); `false` otherwise; `undefined` when it cannot be told: no snapshot of the table (offline,
 * a table the script did not make) or no such key in it.
 */
export function hasImplicitIndex(t: TableSnapshot | undefined, name: string, convention: NamingConvention): boolean | undefined {
  const keys = t && foreignKeysOf(t, convention);
  const fk = keys?.find((f) => f.name === name);
  if (!t || !keys || !fk) return undefined;
  if (servingIndexes(t, convention).some((ix) => ix.name !== name && leads(fk.columns, ix.columns))) return false;
  return !keys.some((k) => k.name !== name && k.columns.length > fk.columns.length && leads(fk.columns, k.columns));
}

/**
 * `ADD INDEX` clauses for the foreign keys of table `t` that dropping index (or unique key) `name`
 * would leave without an index that begins with their columns, which InnoDB refuses ("needed in a
 * foreign key constraint"). That happens when the dropped index was created after the key: InnoDB
 * then silently dropped the index it had made for the key, as the new one served it, so the
 * downgrade of a revision that created such an index fails. Each clause makes the index InnoDB
 * would make, named as the key (introspection leaves it out again), in the same ALTER as the drop.
 * Without a snapshot (offline, a table the script did not make) none are known: `[]`.
 *
 * @param t - the table as it is before the drop.
 * @param name - the index or unique key dropped.
 * @param convention - names the keys of column `references` and column-level unique keys.
 * @param implicit - the columns of an index `name` that introspection does not report (the one
 *   InnoDB made for a foreign key that is dropped in the same ALTER).
 */
export function keepForeignKeyIndexClauses(t: TableSnapshot | undefined, name: string, convention: NamingConvention, implicit?: readonly string[]): string[] {
  if (!t) return [];
  const indexes = servingIndexes(t, convention);
  const dropped = [...indexes.filter((ix) => ix.name === name).map((ix) => ix.columns), ...(implicit ? [implicit] : [])];
  if (dropped.length === 0) return [];
  const others = indexes.filter((ix) => ix.name !== name).map((ix) => ix.columns);
  const clauses: string[] = [];
  for (const fk of foreignKeysOf(t, convention)) {
    if (!fk.name || fk.name === name) continue;
    if (dropped.some((columns) => leads(fk.columns, columns)) && !others.some((columns) => leads(fk.columns, columns))) {
      clauses.push(`ADD INDEX ${mysqlName(fk.name)} ${mysqlColumnList(fk.columns)}`);
    }
  }
  return clauses;
}

/**
 * The `note` of an index (or unique key) dropped from a table whose shape is not known (offline, a
 * table the script did not make): online, a foreign key that the index was the last one for first
 * gets an index of its own ({@link keepForeignKeyIndexClauses}); the script takes it that there is
 * none, and stops with InnoDB's "needed in a foreign key constraint" if there is.
 */
export function unknownIndexNote(table: string, schema: string | undefined, index: string): string {
  return (
    `The shape of ${mysqlName(table, schema)} is not known here: taken that no foreign key needs index ${mysqlName(index)}. If one does (the\n` +
    `script stops: "needed in a foreign key constraint"), add an index over the key's columns first, named as the key.`
  );
}

/**
 * Compiles the `dropConstraint` of a foreign key so that the table ends as it was before the key
 * was created, online and offline alike: InnoDB made an index for the key (named as the key) when
 * no index began with its columns, and `DROP FOREIGN KEY` leaves that index behind, where
 * introspection (and so autogenerate) would then find an index the models never declared.
 *
 * - The table's shape known (online it is read from the database; offline, a table the script
 *   made): `ALTER TABLE t DROP FOREIGN KEY k`, with `, DROP INDEX k` when InnoDB made an index for
 *   the key ({@link hasImplicitIndex}); another key that index served gets an index of its own in
 *   the same ALTER (as InnoDB would have made it).
 * - Not known (offline, a table made before the script or changed by `op.execute`): the index is
 *   dropped if there is one named as the key: MariaDB `… DROP FOREIGN KEY k, DROP INDEX IF EXISTS k`
 *   (one statement); MySQL has no `DROP INDEX IF EXISTS`, so the key is dropped, then a prepared
 *   statement drops the index when `information_schema.STATISTICS` has it. The statement's `note`
 *   says so (a comment above it in the script). An index named as the key that was made by hand
 *   goes too; one that another key needs makes the script stop ("needed in a foreign key
 *   constraint"), where an online run gives that key an index of its own.
 *
 * @param op - the `DropConstraint` op of type `'foreignkey'`.
 * @param t - the table's current shape, if known.
 * @param convention - the naming convention (names of column `references`).
 * @param flavour - `'mysql' | 'mariadb'`.
 * @returns the statements: one, or (MySQL, shape unknown) five.
 * @example
 * ```ts
 * compileMysqlDropForeignKey({ kind: 'DropConstraint', table: 'Album', name: 'fk_Album_ArtistId_Artist', type: 'foreignkey' }, undefined, DEFAULT_NAMING_CONVENTION, 'mariadb');
 * // [{ sql: 'ALTER TABLE `Album` DROP FOREIGN KEY `fk_Album_ArtistId_Artist`, DROP INDEX IF EXISTS `fk_Album_ArtistId_Artist`', parameters: [], note: 'The shape of `Album` is not known here. …' }]
 * ```
 */
export function compileMysqlDropForeignKey(op: DropConstraintOp, t: TableSnapshot | undefined, convention: NamingConvention, flavour: MysqlFlavour): Statement[] {
  const table = mysqlName(op.table, op.schema);
  const key = mysqlName(op.name);
  const statement = (sql: string): Statement => ({ sql, parameters: [] });
  const implicit = hasImplicitIndex(t, op.name, convention);
  if (implicit === false) return [statement(`ALTER TABLE ${table} DROP FOREIGN KEY ${key}`)];
  if (implicit === true) {
    const columns = foreignKeysOf(t!, convention).find((f) => f.name === op.name)!.columns;
    const keep = keepForeignKeyIndexClauses(t, op.name, convention, columns);
    return [statement(`ALTER TABLE ${table} ${[`DROP FOREIGN KEY ${key}`, ...keep, `DROP INDEX ${key}`].join(', ')}`)];
  }
  const note =
    `The shape of ${table} is not known here. InnoDB made an index named ${key} for the key if no index\n` +
    `served it: it is dropped with the key if there is one, as an online run drops it.`;
  if (flavour === 'mariadb') return [{ ...statement(`ALTER TABLE ${table} DROP FOREIGN KEY ${key}, DROP INDEX IF EXISTS ${key}`), note }];
  const exists =
    `SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${op.schema === undefined ? 'DATABASE()' : mysqlInlineLiteral(op.schema)} ` +
    `AND TABLE_NAME = ${mysqlInlineLiteral(op.table)} AND INDEX_NAME = ${mysqlInlineLiteral(op.name)}`;
  return [
    { ...statement(`ALTER TABLE ${table} DROP FOREIGN KEY ${key}`), note },
    statement(`SET @multidb_ddl = IF((${exists}) > 0, ${mysqlInlineLiteral(`ALTER TABLE ${table} DROP INDEX ${key}`)}, 'DO 0')`),
    statement('PREPARE multidb_ddl FROM @multidb_ddl'),
    statement('EXECUTE multidb_ddl'),
    statement('DEALLOCATE PREPARE multidb_ddl'),
  ];
}
