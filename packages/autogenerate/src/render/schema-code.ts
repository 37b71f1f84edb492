import { indexColumnName, indexColumnSort, indexColumnSql, type ForeignKeySnapshot, type IndexSnapshot } from '@multidb/core';
import type { Code } from './code-printer.js';
import { objectCode, stringCode, stringsCode } from './value-code.js';

const optionalString = (value: string | undefined): Code | undefined => (value === undefined ? undefined : stringCode(value));
const onlyTrue = (value: boolean | undefined): Code | undefined => (value ? { kind: 'boolean', value: true } : undefined);

/**
 * The fields of a foreign key in source form, all but its name (which the models file and a
 * revision name differently): columns, referred table/schema/columns, actions, deferrability.
 * Fields that are unset (or `false`) are left out.
 * @param fk - the foreign key.
 * @returns object-literal entries, for {@link objectCode}.
 */
export function foreignKeyEntries(fk: ForeignKeySnapshot): [string, Code | undefined][] {
  return [
    ['columns', stringsCode(fk.columns)],
    ['referredTable', stringCode(fk.referredTable)],
    ['referredSchema', optionalString(fk.referredSchema)],
    ['referredColumns', stringsCode(fk.referredColumns)],
    ['onDelete', optionalString(fk.onDelete)],
    ['onUpdate', optionalString(fk.onUpdate)],
    ['deferrable', onlyTrue(fk.deferrable)],
    ['initiallyDeferred', onlyTrue(fk.initiallyDeferred)],
  ];
}

/**
 * An index's columns in source form: a column name as a string, a sorted column as
 * `{ name: '…', order: 'desc', nulls: 'last' }`, an expression as `{ sql: '…' }` (with its order).
 */
export const indexColumnsCode = (columns: IndexSnapshot['columns']): Code => ({
  kind: 'array',
  elements: columns.map((c) => {
    if (typeof c === 'string') return stringCode(c);
    const sort = indexColumnSort(c);
    const name = indexColumnName(c);
    return objectCode([
      name === undefined ? ['sql', stringCode(indexColumnSql(c)!)] : ['name', stringCode(name)],
      ['order', optionalString(sort.order)],
      ['nulls', optionalString(sort.nulls)],
    ]);
  }),
});
