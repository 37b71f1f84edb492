import {
  indexColumnName,
  indexColumnSql,
  type AutogenerateObjectType,
  type AutogenerateOptions,
  type ColumnSnapshot,
  type DatabaseSnapshot,
  type DialectCapabilities,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type NamingConvention,
  type SchemaComparator,
  type TableSnapshot,
} from '@multidb/core';
import { CompareContext } from '../compare/compare-context.js';
import { knownName } from '../compare/normalized-table.js';
import { mentionsSqlName } from '../compare/rename-sql-identifiers.js';

/** What {@link filterByIncludeHooks} needs besides the snapshot: the bind's hooks and dialect rules. */
export interface IncludeHooksContext extends Pick<AutogenerateOptions, 'includeName' | 'includeObject'> {
  /** The bind's dialect comparator (names the dialect gives unnamed keys). */
  readonly comparator: SchemaComparator;
  /** The bind's dialect capabilities. */
  readonly capabilities: DialectCapabilities;
  /** The project's naming convention (names of unnamed keys, as the models resolve them). */
  readonly namingConvention: NamingConvention;
}

/** A database snapshot with what the hooks leave out removed, and what was removed, described. */
export interface FilteredByIncludeHooks {
  /** The snapshot without the objects the hooks leave out. */
  readonly snapshot: DatabaseSnapshot;
  /** The objects the hooks leave out (`table legacy_users`, `column account.tmp_note`, `index search_name on account`). */
  readonly leftOut: readonly string[];
  /**
   * Columns the hooks leave out, kept because the primary key, or an index, key, foreign key, check
   * constraint or generated column the hooks keep, uses them (`account.code (used by the primary key)`).
   */
  readonly keptForUse: readonly string[];
  /**
   * Foreign keys kept that refer to a table or column left out (`account (legacy_id) -> legacy_users (id)`):
   * a fresh database made from the models cannot have them.
   */
  readonly dangling: readonly string[];
}

/**
 * Leaves out of a database snapshot what the bind's `includeName` / `includeObject` hooks leave out
 * of a comparison, for `models --from-database`: the models it writes then declare nothing that
 * autogenerate would not manage. Each object is asked about as a comparison of those models with
 * the same database asks when it compares the object (the models and the database then both have
 * it; a constraint or index alike on both sides it does not ask about at all): `includeName` for each
 * table and enum name; `includeObject` from the models' side (`reflected: false`,
 * `hasCounterpart: true`) for each table, enum, column, index, unique constraint, foreign key and
 * check constraint, named as the comparison names it (an unnamed key by the naming convention). A
 * hook that only leaves out what one side lacks (Alembic's "don't drop unmodeled tables") thus
 * leaves nothing out. A column left out is kept when the primary key or an index, unique
 * constraint or foreign key the hooks keep uses it: the models could not declare that object
 * without it, and a comparison would then drop the object (primary keys are not asked about); so
 * is one a kept check constraint, an index's expression or predicate, or a kept generated column
 * names (a fresh database refuses a check naming no column).
 * Pure: the snapshot is not changed.
 * @param snapshot - the database, as introspected (the bind's schema, unqualified).
 * @param context - the hooks, the dialect's comparator and capabilities, the naming convention.
 * @returns the snapshot without what the hooks leave out, and descriptions of what was left out.
 * @throws whatever a hook throws.
 */
export function filterByIncludeHooks(snapshot: DatabaseSnapshot, context: IncludeHooksContext): FilteredByIncludeHooks {
  const ctx = new CompareContext(context);
  const include = ctx.include;
  const leftOut: string[] = [];
  const keptForUse: string[] = [];
  const dangling: string[] = [];
  const schemaOf = (schema: string | undefined) => (schema === undefined ? {} : { schema });
  const label = (t: { readonly name: string; readonly schema?: string }) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`);

  const enums = snapshot.enums.filter((e) => {
    const kept = include.name(e.name, 'enum', e.schema) && include.objects('enum', schemaOf(e.schema), e.name, e.name);
    if (!kept) leftOut.push(`enum ${label(e)}`);
    return kept;
  });

  const keptTables = snapshot.tables.filter((t) => {
    const kept = include.name(t.name, 'table', t.schema) && include.objects('table', schemaOf(t.schema), t.name, t.name);
    if (!kept) leftOut.push(`table ${label(t)}`);
    return kept;
  });

  /** Columns left out, by table label. */
  const droppedColumns = new Map<string, Set<string>>();
  const tables = keptTables.map((t) => {
    const where = { table: t.name, ...schemaOf(t.schema) };
    const asked = (type: AutogenerateObjectType, name: string) => include.objects(type, where, name, name);
    const of = `on ${label(t)}`;
    /** The table's indexes, keys and checks left out (said after its columns). */
    const objectsLeftOut: string[] = [];
    /** Keeps an object the hooks keep; records the others. */
    const keep = (what: string, type: AutogenerateObjectType, name: string) => {
      if (asked(type, name)) return true;
      objectsLeftOut.push(`${what} ${name} ${of}`);
      return false;
    };
    /** What each column is needed by: the primary key, and the indexes, keys and foreign keys kept. */
    const users = new Map<string, string[]>();
    const uses = (columns: readonly string[], user: string) => {
      for (const c of columns) users.set(c, [...(users.get(c) ?? []), user]);
    };
    uses(t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name), 'the primary key');

    const excluded = new Set(t.columns.filter((c) => !asked('column', c.name)).map((c) => c.name));
    const fkName = (fk: ForeignKeySnapshot) =>
      ctx.foreignKeyName(t.name, t.name, { ...fk, ...(fk.name === undefined ? knownName(t, 'foreignkey', fk.columns, fk.referredTable) : {}), inline: false }, false);

    const columns = t.columns.map((c): ColumnSnapshot => {
      let column = c;
      if (c.unique) {
        const name = ctx.uniqueName(t.name, t.name, { ...knownName(t, 'unique', [c.name]), columns: [c.name], inline: true }, false);
        if (keep('unique constraint', 'unique_constraint', name)) uses([c.name], `unique constraint ${name}`);
        else {
          const { unique: _unique, ...rest } = column;
          column = rest;
        }
      }
      const r = c.references;
      if (r) {
        const name = fkName({ columns: [c.name], referredTable: r.table, referredColumns: [r.column] });
        if (keep('foreign key', 'foreign_key_constraint', name)) uses([c.name], `foreign key ${name}`);
        else {
          const { references: _references, ...rest } = column;
          column = rest;
        }
      }
      return column;
    });
    const uniqueConstraints = t.uniqueConstraints.filter((u) => {
      const name = ctx.uniqueName(t.name, t.name, { ...(u.name === undefined ? knownName(t, 'unique', u.columns) : { name: u.name }), columns: u.columns, inline: false }, false);
      return keep('unique constraint', 'unique_constraint', name) && (uses(u.columns, `unique constraint ${name}`), true);
    });
    const foreignKeys = t.foreignKeys.filter((fk) => {
      const name = fkName(fk);
      return keep('foreign key', 'foreign_key_constraint', name) && (uses(fk.columns, `foreign key ${name}`), true);
    });
    /** The table's columns an expression names (a check, an index term or predicate, a generated column). */
    const named = (sql: string | undefined) => (sql === undefined ? [] : t.columns.filter((c) => mentionsSqlName(sql, c.name)).map((c) => c.name));
    const checkConstraints = t.checkConstraints.filter((c) => {
      const name = ctx.checkName(t.name, c);
      return keep('check constraint', 'check_constraint', name) && (uses(named(c.expression), `check constraint ${name}`), true);
    });
    // SQLite's index of a table-level UNIQUE is part of the table, as its keys are: not asked about.
    const indexes = t.indexes.filter((ix) => {
      if (ix.tableConstraint !== true && !keep('index', 'index', ix.name)) return false;
      const terms = ix.columns.flatMap((c) => indexColumnName(c) ?? named(indexColumnSql(c)));
      uses([...terms, ...(ix.include ?? []), ...named(ix.where)], `index ${ix.name}`);
      return true;
    });
    // A generated column kept computes from the columns it names (one kept for use too, in turn).
    const computed = new Set<string>();
    for (let more = true; more; ) {
      more = false;
      for (const c of t.columns) {
        if (c.generated === undefined || computed.has(c.name) || (excluded.has(c.name) && !users.has(c.name))) continue;
        computed.add(c.name);
        uses(named(c.generated.sql).filter((n) => n !== c.name), `generated column ${c.name}`);
        more = true;
      }
    }

    // A column left out that something kept uses stays: the models could not declare that without it,
    // and a comparison would find it missing (a fresh database refuses a check or index naming it).
    const gone = new Set<string>();
    for (const c of t.columns) {
      if (!excluded.has(c.name)) continue;
      const by = users.get(c.name);
      if (by) keptForUse.push(`${label(t)}.${c.name} (used by ${by.join(', ')})`);
      else {
        gone.add(c.name);
        leftOut.push(`column ${label(t)}.${c.name}`);
      }
    }
    leftOut.push(...objectsLeftOut);
    droppedColumns.set(label(t), gone);
    const table: TableSnapshot = { ...t, columns: columns.filter((c) => !gone.has(c.name)), uniqueConstraints, foreignKeys, checkConstraints, indexes };
    return table;
  });

  // Foreign keys kept that refer to a table or column left out: a fresh database cannot have them.
  const goneTables = new Set(snapshot.tables.filter((t) => !keptTables.includes(t)).map(label));
  for (const t of tables) {
    const references: ForeignKeySnapshot[] = [
      ...t.foreignKeys,
      ...t.columns.flatMap((c) => (c.references ? [{ columns: [c.name], referredTable: c.references.table, referredColumns: [c.references.column] }] : [])),
    ];
    for (const fk of references) {
      const target = label({ name: fk.referredTable, ...schemaOf(fk.referredSchema ?? t.schema) });
      if (goneTables.has(target) || fk.referredColumns.some((c) => droppedColumns.get(target)?.has(c))) {
        dangling.push(`${label(t)} (${fk.columns.join(', ')}) -> ${target} (${fk.referredColumns.join(', ')})`);
      }
    }
  }
  return { snapshot: { ...snapshot, tables, enums }, leftOut, keptForUse, dangling };
}
