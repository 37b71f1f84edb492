import { formatColumnType, type DatabaseSnapshot, type Dialect, type Op, type TypeSubstitution } from '@multidb/core';
import { opColumnTypes } from './unknown-type-warnings.js';

/**
 * The column types of a revision's ops that the bind's database gets as another type, or cannot
 * get (see `Dialect.typeSubstitutions`): `timestamptz` → `datetime` on MySQL/MariaDB, an enum →
 * `varchar(n)` on SQLite, an array on MySQL. A dialect without the check substitutes nothing.
 * Pure: no database is asked.
 *
 * @param dialect - the bind's dialect.
 * @param ops - the upgrade ops.
 * @param models - the models, resolved for the dialect (for the tables' `strict`).
 * @returns one entry per substituted column type, in op order.
 * @example
 * ```ts
 * // resolved: the models, resolved for the bind's dialect; ops: the revision's upgrade ops
 * const lossy = (resolved: DatabaseSnapshot, ops: Op[]) =>
 *   typeSubstitutionsOf(conn.dialect, ops, resolved).filter((s) => s.effect !== 'note');
 * ```
 */
export function typeSubstitutionsOf(dialect: Dialect, ops: readonly Op[], models: DatabaseSnapshot): readonly TypeSubstitution[] {
  if (!dialect.typeSubstitutions) return [];
  const types = opColumnTypes(ops, models);
  return types.length ? dialect.typeSubstitutions(types) : [];
}

/**
 * One warning line for a type the database gets as another type that loses something, or cannot
 * get: names the bind, the table, the column, the models' type, what the database gets and why.
 * @example
 * ```ts
 * typeSubstitutionLine('app', { table: 'event', column: 'at', type: parseColumnType('timestamptz'), rendered: 'datetime', effect: 'loss', reason: 'MariaDB has no time zone types: values are stored without their time zone' });
 * // "[app] Column 'at' of table 'event' is timestamptz in the models, and the database gets datetime: MariaDB has no time zone types: values are stored without their time zone."
 * ```
 */
export function typeSubstitutionLine(bind: string, s: TypeSubstitution): string {
  const declared = formatColumnType(s.type);
  const table = s.schema === undefined ? s.table : `${s.schema}.${s.table}`;
  const gets = s.effect === 'fails' ? 'which the database cannot store' : `and the database gets ${s.rendered}`;
  return `[${bind}] Column '${s.column}' of table '${table}' is ${declared} in the models, ${gets}: ${s.reason}${s.effect === 'fails' ? '; the upgrade fails' : ''}.`;
}
