import type { TableSnapshot } from './table-snapshot.js';

/**
 * A PostgreSQL enum type (`CREATE TYPE mood AS ENUM ('sad', 'ok')`). MySQL/MariaDB ENUM and SET
 * are column types (`enum('a','b')`), not objects, and SQLite has neither.
 */
export interface EnumSnapshot {
  /** The enum type's name. */
  readonly name: string;
  /** PostgreSQL schema; omitted: the bind's default. */
  readonly schema?: string;
  /** Members in their declared order (they are case-sensitive values). */
  readonly values: readonly string[];
}

/** A table or column that a view, trigger or rule reads or writes. */
export interface ObjectReference {
  /** The table (or view) referenced. */
  readonly table: string;
  /** The table's PostgreSQL schema, when not the object's own. */
  readonly schema?: string;
  /** Omitted: the table as a whole (or columns the database does not report). */
  readonly column?: string;
}

/**
 * A schema object autogenerate does not manage but must know about: a view, materialized view,
 * trigger or rule (PostgreSQL), or a PostgreSQL domain. Autogenerate leaves these alone and warns
 * when a change touches a table or column one of them references.
 */
export interface SchemaObjectSnapshot {
  /** What the object is. */
  readonly type: 'view' | 'materialized view' | 'trigger' | 'rule' | 'domain';
  /** The object's name. */
  readonly name: string;
  /** PostgreSQL schema; omitted: the bind's default. */
  readonly schema?: string;
  /** The table a trigger or rule is on; for a view, its own name; omitted for a domain. */
  readonly table?: string;
  /** The definition as the database stores it (view query, trigger SQL, domain base type…). */
  readonly sql: string;
  /**
   * Tables and columns the object uses, as far as the database reports them (PostgreSQL:
   * `pg_depend`; MySQL: `VIEW_TABLE_USAGE`, trigger bodies; SQLite: parsed from the SQL).
   */
  readonly references: readonly ObjectReference[];
}

/**
 * A whole database (or, on PostgreSQL, the bind's schema) as introspection reads it and as a
 * bind's models describe it: the two sides autogenerate compares (DESIGN §3). Plain readonly
 * data, in name order. multidb's own tables (the version table and its bookkeeping tables) are
 * not in it.
 */
export interface DatabaseSnapshot {
  /** Tables, sorted by schema then name. */
  readonly tables: readonly TableSnapshot[];
  /** PostgreSQL enum types (empty elsewhere). */
  readonly enums: readonly EnumSnapshot[];
  /** Views, triggers, rules and domains: known, never created or dropped by autogenerate. */
  readonly objects: readonly SchemaObjectSnapshot[];
}
