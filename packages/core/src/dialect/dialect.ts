import type { CreateTableBuilder, Kysely } from 'kysely';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { Op } from '../operations/op-objects.js';
import type { ColumnType } from '../schema/column-type.js';
import type { DatabaseSnapshot } from '../schema/database-snapshot.js';
import type { ColumnSnapshot, DefaultValue, IndexSnapshot, TableSnapshot } from '../schema/table-snapshot.js';

/**
 * The contract between core and a dialect (DESIGN §3). Core imports no driver: the caller (the
 * CLI, the TUI or custom tooling) hands core a {@link DialectRegistry}, and core picks the
 * dialect by URL scheme. Each driver module loads only when a bind uses it.
 */

/** One SQL statement with positional parameters, as the dialect's driver takes them. */
export interface Statement {
  /** The SQL text, with the dialect's placeholders (`?`, or `$1` on PostgreSQL). */
  readonly sql: string;
  /** Values bound to the placeholders, in order (`[]` for none). */
  readonly parameters: readonly unknown[];
  /**
   * A remark for whoever reads an offline script: what the dialect took for granted where it could
   * not read the database (a table's shape the script does not know). Written as comment lines
   * above the statement (one per line of the note); never sent to the database.
   */
  readonly note?: string;
}

/** What compile may consult. Pure data: compiling never does I/O. */
export interface CompileContext {
  /**
   * Names the constraints an op does not name (column-level keys, reflected unnamed constraints in
   * a SQLite rebuild).
   */
  readonly namingConvention: NamingConvention;
  /**
   * Current shapes of the tables named by {@link Dialect.requiredSnapshots}, keyed by table name.
   * Online, the runner introspects them first (an op's `copyFrom` is not used then); offline, they
   * are the shapes the script's earlier revisions made, else the op's `copyFrom`.
   */
  readonly snapshots: ReadonlyMap<string, TableSnapshot>;
  /** The bind's default schema (PostgreSQL), if any. */
  readonly defaultSchema?: string;
}

/**
 * Capability flags with the defaults of {@link DEFAULT_CAPABILITIES}; code outside a dialect
 * branches on these, never on the dialect's name.
 */
export interface DialectCapabilities {
  /** DDL rolls back with the transaction (SQLite, PostgreSQL: yes; MySQL: no). */
  readonly transactionalDdl: boolean;
  /** Most bound parameters in one statement (SQLite 32,766; PostgreSQL 65,535; MySQL 65,535). */
  readonly maxParameters: number;
  /** ALTER COLUMN type/nullability/default without a table rebuild. */
  readonly alterColumn: boolean;
  /** ADD/DROP CONSTRAINT on an existing table. */
  readonly alterConstraints: boolean;
  /** Enum types are named schema objects (PostgreSQL `CREATE TYPE … AS ENUM`). */
  readonly namedEnums: boolean;
  /**
   * The database keeps table and column comments (default true; SQLite: false). Autogenerate
   * compares comments only where they are kept.
   */
  readonly comments?: boolean;
  /**
   * The database creates an index for a foreign key's columns when no index covers them (MySQL's
   * InnoDB), so introspection may report an index the models never declared. Autogenerate leaves
   * such an index alone. Default false.
   */
  readonly foreignKeyIndexes?: boolean;
  /**
   * The database renames an index in place (PostgreSQL `ALTER INDEX … RENAME TO`, MySQL `RENAME
   * INDEX`). Default true; SQLite: false, a rename there drops the index and creates it again, so
   * offline it needs the index's definition (autogenerate then writes it as `existing`).
   */
  readonly renameIndex?: boolean;
  /**
   * An auto-increment column is an identity column that generates its values ALWAYS or BY DEFAULT
   * (PostgreSQL), so autogenerate compares `autoincrement: 'always'` with `true` and changes one
   * into the other (`alterColumn`'s `identity`). Default false: the two are the same.
   */
  readonly identityGeneration?: boolean;
  /**
   * A column that a foreign key uses (at either end) may change type while the key exists.
   * Default true; MySQL/MariaDB: false (`Cannot change column … used in a foreign key
   * constraint`), so autogenerate drops such a key before the type change and creates it again
   * after.
   */
  readonly retypeForeignKeyColumns?: boolean;
  /**
   * A database holds schemas of its own (PostgreSQL), so a bind's `schema` and
   * `versionTableSchema` options mean something: the connection creates the schema when missing
   * and puts it first on the search path. Default true; MySQL/MariaDB and SQLite: false (a MySQL
   * schema is a database of the server; a SQLite schema, a database file attached to the
   * connection), and core refuses those options (`UnsupportedBindOptionError`) before it connects.
   */
  readonly schemas?: boolean;
  /**
   * The longest name of a table, column, index, constraint or enum type the database keeps as
   * written: PostgreSQL 63 bytes in UTF-8 (it truncates a longer name, so it would never match
   * the models again), MySQL/MariaDB 64 characters (it refuses a longer one). Autogenerate refuses
   * models with a longer name its revision would write, before anything is written. Omitted (the
   * default; SQLite): none.
   */
  readonly identifierLimit?: IdentifierLimit;
  /**
   * The longest member (label) of a named enum type ({@link namedEnums}) the database accepts:
   * PostgreSQL 63 bytes in UTF-8 (NAMEDATALEN - 1; it refuses a longer one when the upgrade runs,
   * "invalid enum label … Labels must be 63 bytes or less"). Autogenerate refuses models with a
   * longer member its revision would write, as it refuses a name over {@link identifierLimit}.
   * Omitted (the default): none checked. MySQL/MariaDB's ENUM is a column type: MariaDB documents
   * no limit on a member's length (10.11 keeps members of thousands of characters; the table's
   * definition size is the limit); MySQL 8 refuses members over 255 characters (1020 bytes), not
   * checked here.
   */
  readonly enumLabelLimit?: IdentifierLimit;
  /**
   * The database checks a column type's size: a string's length, a number's precision and scale,
   * an integer's width (`varchar(1)` refuses or cuts `'xl'`). Default true; SQLite: false, it
   * keeps every value as stored whatever the declared size, and its table rebuild copies values
   * between types of one kind (`varchar(2)` → `varchar(1)`, `bigint` → `smallint`) unchanged.
   * Autogenerate writes no `// Data loss:` comment for a change that only narrows such a size.
   */
  readonly checksTypeSizes?: boolean;
}

/** See {@link DialectCapabilities.identifierLimit}. */
export interface IdentifierLimit {
  /** The most bytes or characters a name may have. */
  readonly max: number;
  /** What {@link max} counts: UTF-8 `'bytes'` (PostgreSQL) or `'characters'` (code points; MySQL). */
  readonly unit: 'bytes' | 'characters';
  /**
   * What the database does with a longer name: `'truncated'` (PostgreSQL: cut to `max` bytes on a
   * character boundary, with a NOTICE) or `'refused'` (MySQL). It decides what core does with an
   * op's name over the limit (`checkIdentifierLimit`): where refused, the op is refused before it is
   * sent; where truncated, it runs as written with a warning (an existing history replays), unless
   * two of its names would be cut to one. Models with such a name are refused either way.
   */
  readonly longer: 'truncated' | 'refused';
}

/** Defaults of {@link DialectCapabilities}: a fully capable SQL database. */
export const DEFAULT_CAPABILITIES: DialectCapabilities = Object.freeze({
  transactionalDdl: true,
  maxParameters: 65_535,
  alterColumn: true,
  alterConstraints: true,
  namedEnums: false,
  comments: true,
  foreignKeyIndexes: false,
  renameIndex: true,
  identityGeneration: false,
  retypeForeignKeyColumns: true,
  schemas: true,
  checksTypeSizes: true,
});

/**
 * How a dialect decides that a declared column and an introspected one are the same, for
 * autogenerate (Alembic's `compare_type` / `compare_server_default` of a dialect impl). Both sides
 * are reduced to the text this database would report after creating the declared column, so
 * `int4` and `integer`, `character varying(64)` and `varchar(64)`, `'USD'::character varying` and
 * `'USD'` compare equal.
 */
export interface SchemaComparator {
  /**
   * The canonical text of a type on this dialect (e.g. PostgreSQL `int` → `integer`).
   * @param type - the declared or introspected type.
   * @param column - the column the type belongs to, when there is one: what a database keeps may
   *   depend on it (SQLite declares an `AUTOINCREMENT` key `integer`, whatever integer type the
   *   models give it). Omitted: the type alone.
   * @param table - the table the column is in, when known: SQLite's `STRICT` table declares one of
   *   its five types (`varchar(20)` becomes `TEXT`). Omitted: an ordinary table.
   */
  canonicalType(type: ColumnType, column?: ColumnSnapshot, table?: { readonly strict?: boolean }): string;
  /**
   * The canonical text of a column default on this dialect, or `undefined` for no default (a
   * `NULL` default is no default).
   * @param value - the default as declared (models) or as introspection parsed it.
   * @param column - the column it belongs to (its type decides how literals are written).
   */
  canonicalDefault(value: DefaultValue | undefined, column: ColumnSnapshot): string | undefined;
  /**
   * The canonical text of a SQL expression this database stores re-formatted: a check
   * constraint, a partial index's `WHERE`, an index expression, a generated column (PostgreSQL
   * writes `"Milliseconds" > 0` back as `("Milliseconds" > 0)`).
   * @param sql - the expression as declared or as introspection read it.
   * @param table - the table a check or a partial index's `WHERE` belongs to, when known: a
   *   dialect may drop that table's own name qualifying a column (SQLite introspection reads
   *   `"users"."ratio"` as `"ratio"`, so a model that writes it qualified compares the same).
   */
  canonicalExpression(sql: string, table?: string): string;
  /**
   * The name this database gives a primary key, unique constraint or foreign key declared without
   * one (PostgreSQL `user_email_key`, `user_pkey`, `post_user_id_fkey`), for a key a snapshot
   * reports without a name and without an entry in its `constraintNames` (which introspection
   * fills with the names the database actually has, and which win). Autogenerate drops such a
   * constraint by this name. Omitted, or `undefined`: the naming convention's name (what SQLite
   * batch mode matches an unnamed constraint by).
   * @param type - the constraint's type.
   * @param table - the table the constraint is on.
   * @param columns - its columns, in order.
   */
  unnamedConstraintName?(type: 'primary' | 'unique' | 'foreignkey', table: string, columns: readonly string[]): string | undefined;
}

/**
 * How a dialect writes an offline script (`migrate upgrade --sql`): the text an online run would
 * send on this dialect, as statements a command-line client runs (`sqlite3`, `psql`, `mariadb`).
 * Every statement of a script goes through {@link renderStatement}, including those of
 * {@link prologue}, {@link begin} and {@link commit}.
 */
export interface OfflineSql {
  /**
   * How to run a script file, for its header comment, e.g. `psql -v ON_ERROR_STOP=1 -d DATABASE -f FILE`.
   */
  readonly runWith: string;
  /**
   * What the online connection sends when it connects (client encoding, time zone, foreign keys,
   * PostgreSQL's `search_path` for a bind `schema`), run once at the top of a bind's script.
   * @param options - `schema`: the bind's default schema (PostgreSQL), if any.
   * @returns SQL statements without terminators.
   */
  prologue(options: { readonly schema?: string }): string[];
  /**
   * What the online connection's `begin()` sends (SQLite: foreign keys off, BEGIN IMMEDIATE).
   */
  begin(): string[];
  /**
   * What the online connection's `commit()` sends after its checks (SQLite: COMMIT, foreign keys
   * back on); the checks are {@link foreignKeyCheck}'s.
   */
  commit(): string[];
  /**
   * Where transactions run with foreign keys off (SQLite), the check the online commit makes first,
   * written so that a script stops where the online commit would fail. The writer writes it only
   * before the COMMIT of a transaction whose statements may break a foreign key (as
   * {@link OfflineForeignKeyCheck.effect} says), and its setup only once such a transaction comes.
   * Omitted: commits check nothing (PostgreSQL, MySQL check foreign keys as each statement runs).
   */
  readonly foreignKeyCheck?: OfflineForeignKeyCheck;
  /**
   * Writes one statement for a script: its parameters inlined as this dialect's literals (as the
   * driver would bind them), ending with `;` (MySQL: a statement with `;` inside is wrapped in
   * `DELIMITER` lines).
   * @throws {@link OperationError} when a parameter has no literal (`NaN`, a function) or the
   *   placeholders and parameters do not match.
   */
  renderStatement(statement: Statement): string;
  /** A comment line (`-- text`); line breaks in `text` become spaces. */
  comment(text: string): string;
  /**
   * Where the bind's URL cannot tell this dialect's server from another that refuses some of what
   * it writes (a `mysql://` URL gives MySQL's rules; the server may be MariaDB): what to say about
   * it. Omitted: nothing to tell apart (SQLite, PostgreSQL, `mariadb://`).
   */
  readonly otherServer?: OfflineOtherServer;
}

/**
 * What an offline script says where its SQL follows one server's rules and the URL cannot tell
 * that server from another ({@link OfflineSql.otherServer}): per op, what the other server
 * refuses in it, written as a `-- WARNING:` comment before the op's statements; per script, one
 * warning gathering them (the CLI prints it on stderr, once per bind).
 * @example
 * ```ts
 * const other: OfflineOtherServer = {
 *   caveat: (op) => (op.kind === 'DropConstraint' && op.type === 'check' ? 'MariaDB has no DROP CHECK' : undefined),
 *   warning: (caveats) => `This script follows MySQL's rules; on MariaDB: ${caveats.join('; ')}.`,
 * };
 * ```
 */
export interface OfflineOtherServer {
  /**
   * What the other server refuses in the statements of `op` as this dialect writes them, in a few
   * words (`'MariaDB has no DROP CHECK …'`), or `undefined` when it takes them.
   * @param op - an op of the script (a batch block: any of its inner ops).
   */
  caveat(op: Op): string | undefined;
  /**
   * The script's one warning, from the distinct caveats of its ops in the order they came.
   * @param caveats - at least one.
   */
  warning(caveats: readonly string[]): string;
}

/**
 * What a statement run with foreign keys off may break (see {@link OfflineForeignKeyCheck.effect}):
 * `'rows'`, rows that refer to missing parent rows; `'keys'`, no row, but a foreign key left without
 * a primary key or unique key to refer to; `'none'`, neither.
 */
export type ForeignKeyEffect = 'none' | 'keys' | 'rows';

/**
 * An offline script's foreign-key check before COMMIT, for a dialect whose transactions run with
 * foreign keys off (SQLite; see {@link OfflineSql.foreignKeyCheck}). Every method returns SQL
 * statements without terminators.
 */
export interface OfflineForeignKeyCheck {
  /**
   * What a statement of a revision may break (conservative: a statement not known to be harmless
   * is `'rows'`). The version table's own statements are not asked.
   */
  effect(statement: Statement): ForeignKeyEffect;
  /**
   * What {@link rows} needs made once, written before the first statement whose effect is
   * `'rows'` (with the baseline of the rows that broke foreign keys before it).
   */
  setup(): string[];
  /** Before the COMMIT of a transaction with a `'rows'` statement: fails the script on rows it broke. */
  rows(): string[];
  /** Before the COMMIT of a transaction whose worst statement is `'keys'`: fails the script on such a key. */
  keys(): string[];
}

/** A column type that a revision would declare, as {@link Dialect.unknownTypes} checks it. */
export interface DeclaredType {
  /** The table the column is in. */
  readonly table: string;
  /** The table's schema (PostgreSQL; a MySQL database). Omitted: the bind's default. */
  readonly schema?: string;
  /** The column. */
  readonly column: string;
  /** Its type, as the models give it for this dialect. */
  readonly type: ColumnType;
  /** SQLite: the table is `STRICT`. Omitted: not strict. */
  readonly strict?: boolean;
}

/** A {@link DeclaredType} the database does not know, with why. */
export interface UnknownType extends DeclaredType {
  /** The type as the dialect writes it in DDL (`string`, `varchar(20)`, `integer[]`). */
  readonly rendered: string;
  /**
   * Why, phrased to follow the column and its type: `'PostgreSQL has no such type'`,
   * `'a STRICT table declares it ANY (SQLite knows no such type)'`.
   */
  readonly reason: string;
}

/**
 * What a {@link TypeSubstitution} does to a column: `'note'`, the database gets another type that
 * keeps the meaning (`uuid` → `char(36)`); `'loss'`, the type it gets loses something the models'
 * type holds (a time zone, fractional seconds, exact decimals, an enum's check of its members);
 * `'fails'`, the dialect cannot write the type at all (an array on MySQL), so the upgrade fails.
 */
export type TypeSubstitutionEffect = 'note' | 'loss' | 'fails';

/** A {@link DeclaredType} the database gets as another type, or cannot get (see {@link Dialect.typeSubstitutions}). */
export interface TypeSubstitution extends DeclaredType {
  /**
   * The type as the dialect writes it in DDL (`datetime` for `timestamptz` on MySQL), or, for
   * `'fails'`, the declared type.
   */
  readonly rendered: string;
  /** Whether meaning is kept, lost, or the upgrade fails. */
  readonly effect: TypeSubstitutionEffect;
  /**
   * Why, as a clause that names the database and, where there is one, the way to keep the meaning:
   * `"MariaDB has no time zone types: values are stored without their offset"`.
   */
  readonly reason: string;
}

/** The pure part of a dialect: everything needed to turn ops into SQL, without a connection. */
export interface Dialect {
  /** `'sqlite' | 'postgres' | 'mysql'` (a flavour such as MariaDB is in {@link flavour}). */
  readonly name: string;
  /**
   * The server flavour when one dialect serves several (`'mysql'` or `'mariadb'`). Omitted: none.
   */
  readonly flavour?: string;
  /** What the database can do; code outside the dialect branches on these. */
  readonly capabilities: DialectCapabilities;
  /**
   * Compiles one op to the statements that perform it.
   * @throws {@link UnsupportedOperationError} when the dialect cannot perform the op.
   */
  compile(op: Op, ctx: CompileContext): Statement[];
  /** Tables whose current shape {@link compile} needs for this op (e.g. a SQLite rebuild). */
  requiredSnapshots(op: Op): readonly string[];
  /**
   * True when this op must run inside a transaction (e.g. a SQLite table rebuild: foreign keys
   * off, `foreign_key_check` before COMMIT, ROLLBACK leaving the table untouched). In a revision
   * that runs with `transaction = false`, the runner then wraps the op in its own begin/commit.
   * Omitted: never required.
   */
  requiresTransaction?(op: Op): boolean;
  /**
   * Why this op cannot run inside a transaction block, or `undefined` when it can (PostgreSQL:
   * `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY`, which it refuses in a transaction
   * block and in a query of several statements). The runner and offline mode refuse such an op
   * in a revision that runs in a transaction (`NonTransactionalOpError`, naming this reason)
   * before anything of it is sent; in a revision with `transaction = false` the connection sends
   * its statements outside any transaction, each in a query of its own. Omitted: every op can.
   * @param op - the op.
   * @returns a phrase such as `'PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block'`.
   * @example
   * ```ts
   * dialect.forbidsTransaction?.({ kind: 'DropIndex', table: 'Invoice', name: 'ix_a', concurrently: true }); // postgres: a reason
   * ```
   */
  forbidsTransaction?(op: Op): string | undefined;
  /**
   * For an op that compiles to several statements on a dialect whose DDL commits implicitly: the
   * op each statement performs alone, in order, one per statement of {@link compile} (a batch
   * block's inner ops; a default change and a rename of `alterColumn`). A run stopped between
   * them resumes at the next statement, and introspection judges only the statement in flight by
   * its op. Omitted, or a list of another length than the statements: the statements' effects
   * cannot be told one by one (a resume that needs it is refused).
   */
  statementEffects?(op: Op): readonly Op[];
  /**
   * Which of the column types a revision would declare this database does not know, so that
   * autogenerate can warn before the upgrade fails (or, on SQLite's STRICT tables, silently
   * declares `ANY`). A check, never a refusal: a type an extension or a raw `op.execute` creates
   * is unknown until the revision runs. The type is judged as the dialect writes it in DDL (its
   * parameters and array brackets included). PostgreSQL asks the live database (`to_regtype`:
   * an unqualified name on the search path only, as CREATE TABLE resolves it), and without one
   * (a baseline) takes the types a fresh database lacks, those not built in, as unknown;
   * MySQL/MariaDB check their closed list of type names; SQLite knows any name outside STRICT
   * tables. Omitted: every type is taken as known.
   * @param types - the declared types (enum types the models declare are left out by the caller).
   * @param execute - runs a catalog query on the bind's database; omitted (no database yet):
   *   what can be told without one.
   * @returns the unknown ones, in the order given.
   * @example
   * ```ts
   * const unknown = await dialect.unknownTypes?.([{ table: 'note', column: 'body', type: parseColumnType('string') }], (s) => conn.execute(s));
   * // PostgreSQL: [{ table: 'note', column: 'body', type: …, rendered: 'string', reason: 'PostgreSQL has no such type' }]
   * ```
   */
  unknownTypes?(types: readonly DeclaredType[], execute?: (statement: Statement) => Promise<readonly Record<string, unknown>[]>): Promise<readonly UnknownType[]>;
  /**
   * Which of the column types a revision would declare this database gets as another type (the
   * dialect's type map: `timestamptz` → `datetime` on MySQL/MariaDB, `enum('a','b')` →
   * `varchar(1)` on SQLite), or cannot get at all (an array on MySQL), so that autogenerate can say
   * so instead of losing a time zone or a precision silently. Types the dialect writes as declared
   * (or as a mere spelling of the same type: `integer` → `int`) are left out. Pure: no database is
   * asked. Omitted: every type is taken as kept.
   * @param types - the declared types, enum types included.
   * @returns one entry per type that is substituted, in the order given.
   * @example
   * ```ts
   * const [s] = dialect.typeSubstitutions?.([{ table: 'event', column: 'at', type: parseColumnType('timestamptz') }]) ?? [];
   * // MariaDB: { …, rendered: 'datetime', effect: 'loss', reason: 'MariaDB has no time zone types: …' }
   * ```
   */
  typeSubstitutions?(types: readonly DeclaredType[]): readonly TypeSubstitution[];
  /**
   * Why this database cannot have an index as given, or `undefined` when it can: MariaDB has no
   * expression (functional) index keys (MySQL 8.0.13+ has; a column prefix `` `Name`(10) `` is no
   * expression). The reason names the database and what to do instead, e.g. `'MariaDB has no
   * expression (functional) indexes (MySQL 8.0.13+ has): …'`. The runner, the SQL preview and offline mode (`--sql`) refuse an op
   * that creates such an index (`UnsupportedIndexError`) before anything of it is sent or written,
   * and autogenerate refuses models that declare one before it writes a revision. Pure. Omitted:
   * every index can be created (or the dialect's compile refuses it).
   * @param index - the index, as an op or the models give it.
   * @returns a sentence, or `undefined`.
   * @example
   * ```ts
   * dialect.unsupportedIndex?.({ name: 'uq_user_email', columns: [{ sql: '(lower(`email`))' }], unique: true });
   * // MariaDB: 'MariaDB has no expression (functional) indexes (MySQL 8.0.13+ has): it cannot index (lower(`email`)). …'
   * // MySQL, PostgreSQL, SQLite: undefined
   * ```
   */
  unsupportedIndex?(index: IndexSnapshot): string | undefined;
  /** Renders a value as a SQL literal (`op.inlineLiteral`), e.g. `'O''Reilly'`, `NULL`, `1`. */
  inlineLiteral(value: unknown): string;
  /** Quotes an identifier (`"Invoice"`, `` `Invoice` ``). */
  quoteIdentifier(name: string): string;
  /** Autogenerate's comparison rules for this dialect. */
  readonly comparator: SchemaComparator;
  /**
   * A Kysely with this dialect's query compiler and no connection: `.compile()` gives the SQL and
   * parameters a run would send (the SQL preview and offline mode compile `op.db` queries with
   * it); executing a query on it sends nothing and returns no rows.
   */
  queryBuilder(): Kysely<any>;
  /** How offline scripts (`--sql`) are written on this dialect. */
  readonly offline: OfflineSql;
  /**
   * Finishes the CREATE TABLE of a version table that multidb creates (run, or printed by offline
   * `--sql`), with this dialect's storage options: SQLite makes it `WITHOUT ROWID`, one b-tree
   * keyed by `version_num`, so the one-row write of every revision dirties one page instead of
   * two (a rowid table and its primary key's index). Its columns stay Alembic's; a version table
   * that already exists is never altered. Omitted: the table as core builds it.
   * @param table - the version table's CREATE TABLE (`if not exists`, `version_num varchar(32) not null primary key`).
   * @returns the same builder with the dialect's options (Kysely builders are immutable: a new one).
   * @example
   * ```ts
   * const create = dialect.queryBuilder().schema.createTable('multidb_version').addColumn('version_num', 'varchar(32)', (c) => c.notNull().primaryKey());
   * const sql = (dialect.finishVersionTable?.(create) ?? create).compile().sql;
   * // SQLite: 'create table "multidb_version" ("version_num" varchar(32) not null primary key) without rowid'
   * ```
   */
  finishVersionTable?(table: CreateTableBuilder<string, never>): CreateTableBuilder<string, never>;
}

/** Options for acquiring a bind's migration lock. */
export interface LockOptions {
  /** Lock name (already unique per bind and version table). */
  readonly name: string;
  /** Give up after this many milliseconds; omitted: wait without limit. */
  readonly timeoutMs?: number;
  /** Called once, when the lock is found held by someone else and polling starts. */
  readonly onWait?: () => void;
  /** Polling interval in milliseconds (default 200). */
  readonly pollMs?: number;
  /**
   * Stops the wait when aborted (a run asked to stop, see `RunOptions.signal`): the lock is not
   * taken, and `acquireLock` rejects with a plain `Error` whose `code` is `'ABORTED'`. Optional.
   */
  readonly signal?: AbortSignal;
  /**
   * Where a dialect whose lock is a row (a lease on a MariaDB Galera cluster) keeps it: the table
   * `<version table>_lock` beside the version table. Dialects with a server-side named lock ignore it.
   */
  readonly table?: { readonly name: string; readonly schema?: string };
}

/**
 * Why a database takes no writes, and what to do about it: what {@link DialectConnection.readOnly}
 * returns when the remedy is not to point the bind at a primary server.
 * @example
 * ```ts
 * const r: ReadOnlyReason = { reason: 'a database file this process cannot write (/srv/app/app.db: EACCES)', remedy: 'Give the user migrate runs as write access to it.' };
 * ```
 */
export interface ReadOnlyReason {
  /** Why, as the error's `[bind] is …` goes on (`a database file this process cannot write (…)`). */
  readonly reason: string;
  /** What to do, one or more sentences. */
  readonly remedy: string;
}

/**
 * Who holds a bind's migration lock, where the dialect can tell: a Galera cluster's lease row
 * (`holder` is the process that took it, with `acquiredAt` and `expiresAt`), or the server session
 * that holds a PostgreSQL advisory lock or a MySQL/MariaDB `GET_LOCK` (`holder` names the session,
 * `session` says what the server shows of it). Never a password, nor the session's SQL text.
 * {@link formatLockHolder} writes it as the messages do.
 * @example
 * ```ts
 * const lease: LockHolder = { holder: 'app1:4242:7f3a9c1d', acquiredAt: new Date('2026-12-07T10:00:00Z'), expiresAt: new Date('2026-12-07T10:00:30Z'), expired: false };
 * const session: LockHolder = { holder: 'pid 4242', session: { id: 4242, user: 'deploy', clientAddress: '10.0.0.7:51234', applicationName: 'multidb', state: 'idle' } };
 * ```
 */
export interface LockHolder {
  /**
   * The holder's identity: a lease's `host:pid:id` of the process that took it; a session's lock,
   * the session as its server numbers it (`pid 4242` on PostgreSQL, `connection 4242` on
   * MySQL/MariaDB: what `pg_terminate_backend` or `KILL` take).
   */
  readonly holder: string;
  /**
   * When it was taken (server time). Absent for a session's lock: neither PostgreSQL nor MySQL
   * records when an advisory or named lock was granted (see {@link LockHolderSession.connectedAt}).
   */
  readonly acquiredAt?: Date;
  /** When it expires unless renewed (server time); absent for a lock held by a session. */
  readonly expiresAt?: Date;
  /** True when the lease has expired (its holder died): the next run takes it over. */
  readonly expired?: boolean;
  /** The server session that holds it, for a session's lock (PostgreSQL, MySQL/MariaDB); absent for a lease. */
  readonly session?: LockHolderSession;
}

/**
 * The server session that holds a migration lock taken by a session (a PostgreSQL advisory lock, a
 * MySQL/MariaDB `GET_LOCK`), as the server shows it (`pg_stat_activity`,
 * `information_schema.PROCESSLIST`). Only `id` is always known: of another role's session, a
 * PostgreSQL role without `pg_read_all_stats` sees only `user` and `applicationName` (the server
 * hides its address, times and state), and a MySQL/MariaDB user without `PROCESS` nothing but `id`;
 * a PostgreSQL role that may not read `pg_stat_activity` at all (revoked from `PUBLIC`) gets
 * nothing but `id` of any session.
 * @example
 * ```ts
 * const s: LockHolderSession = { id: 4242, user: 'deploy', clientAddress: '10.0.0.7:51234', applicationName: 'multidb', connectedAt: new Date('2026-12-07T10:00:00Z'), state: 'idle', stateSince: new Date('2026-12-07T10:00:02Z') };
 * ```
 */
export interface LockHolderSession {
  /** The session's id on the server: PostgreSQL's backend pid, MySQL's connection id. */
  readonly id: number;
  /** The role (user) it logged in as. */
  readonly user?: string;
  /**
   * Where the client connects from: PostgreSQL's `client_addr:client_port` (`local socket` for a
   * Unix-domain socket), MySQL's processlist `HOST` (`10.0.0.7:51234`).
   */
  readonly clientAddress?: string;
  /** PostgreSQL's `application_name`, when set (`multidb` for a run of multidb). */
  readonly applicationName?: string;
  /** When the session connected (PostgreSQL's `backend_start`; MySQL does not show it). */
  readonly connectedAt?: Date;
  /** When its open transaction began (PostgreSQL's `xact_start`); absent when none is open. */
  readonly transactionStartedAt?: Date;
  /**
   * What it is doing, in the server's words: PostgreSQL's `state` (`'idle'`, `'active'`,
   * `'idle in transaction'`), MySQL's `COMMAND` (`'Sleep'`, `'Query'`).
   */
  readonly state?: string;
  /** Since when it is in that state (PostgreSQL's `state_change`; MySQL: now less the processlist's `TIME`, to the second). */
  readonly stateSince?: Date;
}

/** Options of {@link DialectConnection.introspect}. */
export interface IntrospectOptions {
  /**
   * PostgreSQL: the schema to read (default: the bind's schema, else the first schema of the
   * `search_path`). When given, the snapshot's tables, enums and objects carry it as `schema`.
   */
  readonly schema?: string;
  /** Table names to leave out (multidb's own tables: the version table and its bookkeeping tables). */
  readonly exclude?: readonly string[];
}

/**
 * A live connection to one bind's database: one pinned connection for the whole run (locks are
 * per connection), with the dialect's transaction rules inside begin/commit (SQLite switches
 * foreign keys off before BEGIN and runs `PRAGMA foreign_key_check` before COMMIT).
 *
 * A statement of the connection's own that fails ({@link begin}'s BEGIN, {@link commit}'s COMMIT
 * or the check before it, the version write of {@link commitVersionUpdate}) is marked with
 * `markFailedStatement(error, statement)`, so that a failed revision names it as the SQL that
 * failed (`MigrationError.statement`), as it names a statement of an op.
 */
export interface DialectConnection {
  /** The connection's pure dialect (for a MySQL connection, the flavour detected at connect). */
  readonly dialect: Dialect;
  /**
   * Where the connection points, for messages: a SQLite file's absolute path (or `':memory:'`).
   * Never a password; when absent, core names the bind's masked URL.
   */
  readonly location?: string;
  /**
   * Kysely on this pinned connection, with the plugins of a Kysely the bind was given (an
   * application's `CamelCasePlugin`): the `op.db` of revisions and the `onConnect` hook's. Made by
   * the copy of kysely user code imports where the driver can (see `ConnectOptions.moduleAlias`).
   * It may be a getter that makes it on its first read: core reads it only for user code (a
   * revision's first read of `op.db`, the `onConnect` hook), never for its own queries
   * ({@link plainDb}), so that a command whose user code does not need it loads no other copy.
   */
  readonly db: Kysely<any>;
  /**
   * {@link db} without its plugins (`db.withoutPlugins()`, made once; `db` itself when it has
   * none), on the same pinned connection: multidb's own queries (the version table, the progress
   * table, {@link execute}, introspection), whose results a plugin would rename. It may be of
   * another copy of kysely than {@link db} (the dialect's own: `@multidb/dialect`'s bundled one,
   * when `db` is the project's), on the same driver.
   */
  readonly plainDb: Kysely<any>;
  /** Runs one statement; returns its rows (empty for DDL). */
  execute(statement: Statement): Promise<readonly Record<string, unknown>[]>;
  /**
   * Runs a statement whose rows nobody reads (an op's DDL), possibly later: in a transaction, a
   * dialect may hold it back until the next statement on the connection (sent first, on its
   * own) or until the transaction ends (sent with the version write and COMMIT in one round
   * trip: PostgreSQL). A held statement that fails rejects the call that sent it (the next
   * statement's, a query's through {@link db}, {@link commit}'s or {@link commitVersionUpdate}'s)
   * with its own error, after giving that error to `onError`; {@link rollback} drops it unsent.
   * Outside a transaction it runs at once. Optional: without it, core calls {@link execute}.
   * @param statement - one statement.
   * @param onError - receives the statement's error when it fails after this call resolved.
   * @returns resolves when the statement is held back or has run.
   * @throws the statement's error when it ran at once, or that of a statement held back before it.
   */
  executeLater?(statement: Statement, onError: (error: unknown) => void): Promise<void>;
  /**
   * Whether {@link executeLater} may hold a statement back (PostgreSQL on a session multidb
   * opened). Core then records where each op was called, so that a held statement failing later
   * names its own op's line. Absent or `false`: statements run when they are given.
   */
  readonly holdsBack?: boolean;
  /**
   * Begins a transaction, with the dialect's rules (SQLite: foreign keys off, then
   * `BEGIN IMMEDIATE`).
   */
  begin(): Promise<void>;
  /**
   * @throws when a deferred check fails (e.g. SQLite foreign_key_check) or COMMIT fails (a
   *   PostgreSQL `DEFERRABLE INITIALLY DEFERRED` constraint); the transaction is then rolled back.
   *   The error is marked with the statement that failed (`markFailedStatement`).
   */
  commit(): Promise<void>;
  /**
   * Rolls back the transaction open on the session, whoever opened it: the connection's own
   * ({@link begin}), or one that statements sent through {@link db} or {@link execute} began (a
   * revision with `transaction = false` that sent BEGIN itself and failed before its COMMIT), so
   * that the session is usable again (on PostgreSQL an aborted transaction refuses every later
   * statement). Where the connection cannot tell whether one is open, it sends ROLLBACK anyway
   * when that is harmless (PostgreSQL only warns, MySQL does nothing). Never throws when there is
   * no transaction.
   */
  rollback(): Promise<void>;
  /**
   * Whether a transaction is open on the session, whoever opened it (see {@link rollback}): core
   * asks after a revision with `transaction = false` returned, which must leave none open. Resolves
   * once the statements sent before the call have settled.
   * @returns `true` or `false`; `undefined` when the connection cannot tell (a PostgreSQL
   *   connection borrowed from a Kysely pool, a SQLite bind given a Kysely instance). Optional:
   *   without it, core cannot tell either.
   */
  transactionOpen?(): Promise<boolean | undefined>;
  /**
   * Replaces the version table's row `from` by `to` (no `from`: inserts `to`; no `to`: deletes
   * `from`) and commits, in as few round trips as the dialect can (PostgreSQL: the write, guarded
   * so that it fails unless it changed exactly one row, and COMMIT in one query); commits only
   * when the write changed exactly one row. Optional: without it, core runs the write, checks its
   * row count, then calls {@link commit}.
   * @param table - the version table's name and schema (`undefined`: the connection's default).
   * @param from - the revision the row holds now; `undefined` for a step up from base.
   * @param to - the revision it must hold; `undefined` for a step down to base.
   * @param options - `pipelined`, only where {@link pipelinesCommits} is true: the transaction
   *   ends at the call, and the caller may {@link begin} the next one and send its statements
   *   before this settles (they reach the server after it, in order). When it fails (or returns
   *   `false`) the connection has rolled it back and refuses everything sent after it, unsent (a
   *   rejection), until {@link rollback}: nothing of a transaction begun behind a failed commit
   *   runs.
   * @returns `true` when it changed the row and committed; `false` when no row held `from`
   *   (another runner changed the table): then the transaction is rolled back, nothing committed.
   * @throws like {@link commit}; the transaction is rolled back.
   */
  commitVersionUpdate?(
    table: { readonly name: string; readonly schema?: string | undefined },
    from: string | undefined,
    to: string | undefined,
    options?: { readonly pipelined?: boolean },
  ): Promise<boolean>;
  /**
   * Whether {@link commitVersionUpdate} takes `{ pipelined: true }` (PostgreSQL on a session
   * multidb opened): core then runs a revision's code while the COMMIT of the one before is on the
   * server. Absent or `false`: each commit is awaited before the next revision begins.
   */
  readonly pipelinesCommits?: boolean;
  /**
   * For a dialect whose DDL commits implicitly, the end of a step (which may have recorded its
   * progress, write by write): in a transaction of its own (its BEGIN commits an open one first),
   * replaces the version table's row
   * `from` by `to` as {@link commitVersionUpdate} does, deletes every row of `clear` (the bind's
   * progress table), and commits, in as few round trips as the dialect can (MariaDB: one compound
   * statement); commits only when the write changed exactly one row. Optional: without it, core
   * runs BEGIN, the write (its row count checked), the DELETE and {@link commit}.
   * @param table - the version table's name and schema (`undefined`: the connection's default).
   * @param from - the revision the row holds now; `undefined` for a step up from base.
   * @param to - the revision it must hold; `undefined` for a step down to base.
   * @param clear - the table whose rows are all deleted in the same transaction.
   * @param next - a write run in the same transaction after the DELETE (core gives the progress
   *   header of the bind's next step, recorded ahead; only where {@link preRecordsNext} is true).
   * @returns `true` when it changed the row, cleared `clear`, ran `next` and committed; `false`
   *   when no row held `from`: then the transaction is rolled back, nothing committed.
   * @throws like {@link commit}; the transaction is rolled back.
   */
  commitVersionUpdateAndClear?(
    table: { readonly name: string; readonly schema?: string | undefined },
    from: string | undefined,
    to: string | undefined,
    clear: { readonly name: string; readonly schema?: string | undefined },
    next?: Statement,
  ): Promise<boolean>;
  /**
   * Whether {@link commitVersionUpdateAndClear} sends its `next` write in the same round trip
   * (MariaDB's compound statement, until the server refuses its syntax): core then records the
   * progress header of the bind's next step there, ahead of it (that step's first write is still
   * recorded, with its hash, before it is sent). Absent or `false`: each step records its header
   * with its first write.
   */
  readonly preRecordsNext?: boolean;
  /**
   * Reads the version table's rows in one round trip where the dialect can, without a failing
   * statement (PostgreSQL: the bind's identity query also told whether the table
   * {@link ConnectOptions.versionTable} names exists; then one SELECT where it did, one
   * `to_regclass` look-up where it did not). Optional: without it, core checks that the table
   * exists ({@link introspectTable}) and then reads it.
   * @param table - the version table's name and schema (`undefined`: the connection's default).
   * @returns its `version_num` values (unsorted), or `undefined` when the table does not exist.
   * @throws the driver's error for anything but a missing table.
   */
  readVersionTable?(table: { readonly name: string; readonly schema?: string | undefined }): Promise<readonly string[] | undefined>;
  /** Reads a table's current shape, or `undefined` when the table does not exist. */
  introspectTable(table: string, schema?: string): Promise<TableSnapshot | undefined>;
  /**
   * Reads the whole database (on PostgreSQL: the schema given, else the bind's schema, else the
   * first schema of the `search_path`) in a fixed handful of catalog queries, never one per table:
   * tables with columns, keys, indexes, checks and comments, PostgreSQL enums, and the views,
   * triggers, rules and domains autogenerate must know about.
   * @param options - `exclude`: table names left out (multidb's own tables: the version table and
   *   its bookkeeping tables).
   */
  introspect(options?: IntrospectOptions): Promise<DatabaseSnapshot>;
  /**
   * Takes the bind's migration lock, polling.
   * @throws {@link LockTimeoutError}-compatible errors are raised by core; this rejects with a
   *   plain `Error` whose `code` is `'LOCK_TIMEOUT'` after `timeoutMs`.
   */
  acquireLock(options: LockOptions): Promise<void>;
  /** Releases the migration lock taken by {@link acquireLock}; does nothing when none is held. */
  releaseLock(): Promise<void>;
  /** A string naming the physical database (SQLite: real path; servers: server id + database). */
  identity(): Promise<string>;
  /**
   * Why this database takes no writes, or `undefined` when it does (PostgreSQL: `'a read-only
   * standby (pg_is_in_recovery() is true)'`; SQLite: a file or folder this process cannot write,
   * with what to do about it, as a {@link ReadOnlyReason}). Commands that write refuse such a bind
   * up front (`ReadOnlyBindError`: a plain string gets the remedy "Point the bind's URL at
   * the primary."). Optional: a dialect without it is taken as writable.
   */
  readOnly?(): Promise<string | ReadOnlyReason | undefined>;
  /**
   * True once the server has closed this connection (the session terminated, killed, timed out
   * while idle, the server restarted): it can run nothing more. A run connects its binds first
   * and a bind may wait a long time for its turn; core then closes such a connection and opens
   * the bind again before taking its lock (nothing was held on it). Optional: a dialect without
   * it is taken as never lost (a SQLite file).
   */
  lost?(): boolean;
  /**
   * Starts watching, for a run that was asked to stop (`RunOptions.signal` aborted: the run waits
   * for the revisions in progress), whether the statement in flight on this connection can still
   * be answered: a connection whose network path died silently (a NAT or firewall dropping its
   * packets, no FIN or RST) would otherwise keep the run waiting until the OS gives up on the
   * socket (~15 min). While a statement is in flight, the dialect asks its server on a short side
   * connection whether it still runs the statement for this session; when the server cannot be
   * reached within the connect timeout, no longer has the session, or finished the statement
   * while the answer never arrived, the connection is given up (its socket destroyed; the
   * statement rejects with an error whose `code` is `'CONNECTION_LOST'`, naming the bind, and
   * {@link lost} is true). A statement the server still runs is waited for, however long. Core
   * calls it for the run's open connections when the signal is aborted and calls what it returns
   * when the run ends. Optional: a dialect without it (SQLite, a borrowed Kysely connection) is
   * waited for as before.
   * @returns a function that ends the watch.
   * @example
   * ```ts
   * const stop = connection.watchForLoss?.() ?? (() => undefined);
   * stop(); // the run has ended
   * ```
   */
  watchForLoss?(): () => void;
  /**
   * Who holds the bind's migration lock, without taking it, where the dialect can tell (a Galera
   * lease row; the server session holding a PostgreSQL advisory lock or a MySQL/MariaDB
   * `GET_LOCK`: this connection's own session when it holds it); `undefined` when nobody does or
   * the dialect cannot say. Optional.
   * @param options - the lock's name and table, as given to {@link DialectConnection.acquireLock}.
   * @throws the driver's error when the look-up fails (core then leaves the holder out).
   */
  lockHolder?(options: Pick<LockOptions, 'name' | 'table'>): Promise<LockHolder | undefined>;
  /** Releases the lock and closes the connection (a Kysely instance the bind was given stays open). */
  close(): Promise<void>;
  /**
   * Closes the connection, as {@link DialectConnection.close}, and removes what connecting
   * created while it still holds nothing: SQLite, a database file that did not exist (with its
   * journal, WAL and shared-memory files) and the folders made for it, when no other connection
   * uses the file and it holds no schema object but the bind's version table without rows;
   * PostgreSQL, the bind's `schema` when connecting created it and it holds no object but that
   * version table without rows (MySQL/MariaDB: connecting creates no database, nothing to remove).
   * Core calls it instead of `close` when a bind's `onConnect` hook throws and when it closes the
   * binds of a run that failed (after a failed group of a run, at the end of the command), so a
   * bind that could not be set up, or that a run stopped before anything was committed to it
   * (another bind failed first, its first revision failed), leaves no new empty database behind. Nothing
   * more than `close` when connecting created nothing or the database holds anything. Must never
   * remove what another connection may have written: check under a lock, with this connection,
   * before closing it. Optional (`close` is used without it).
   * @example
   * ```ts
   * await (connection.discard ? connection.discard() : connection.close());
   * ```
   */
  discard?(): Promise<void>;
  /**
   * Cancels what this connection is running on its server, for a run aborted at once (a second
   * Ctrl-C: the process is about to end and will not wait for the statement): PostgreSQL sends
   * its cancel request for the session, MySQL/MariaDB `KILL QUERY <thread id>` from a second,
   * short connection, so the statement stops on the server (and, on PostgreSQL, its transaction
   * is aborted, which closing the connection rolls back) instead of running to its end with its
   * locks held. From the call on, the connection sends nothing more: every statement after it
   * (the revision's next one, a ROLLBACK, the version write) is refused, unsent, with an error
   * whose `code` is `'CANCELLED'`; `close()` still closes it. Core calls it through
   * `MigrationEnvironment.cancelInFlight`. Optional: a connection that cannot cancel (SQLite,
   * whose statements block the thread; a borrowed Kysely connection) leaves it out.
   * @returns resolves, once the statement that was running has ended (interrupted, or finished
   *   before the request reached it), to `true`; at once to `false` when none was running (then
   *   nothing was sent to the server).
   * @throws the error of the cancel request (the server could not be reached); the refusal of
   *   further statements stands.
   * @example
   * ```ts
   * const interrupted = await connection.cancel?.(); // true: the running statement was stopped
   * ```
   */
  cancel?(): Promise<boolean>;
}

/** What a driver needs to connect one bind. */
export interface ConnectOptions {
  /** The bind's name, for messages. */
  readonly bind: string;
  /** The bind's URL (absent when `kysely` is given). */
  readonly url?: string;
  /** An existing Kysely instance supplied by custom tooling. */
  readonly kysely?: Kysely<any>;
  /** Folder of the config file: relative SQLite paths resolve against it. */
  readonly baseDir: string;
  /**
   * The dialects' module alias that configs and revisions are loaded with (what `loadEnvironment`
   * gave a loader function: each registry entry's `moduleAlias` for the project), absent for a
   * loader given as it is. A driver may make the Kysely it hands to user code
   * ({@link DialectConnection.db}: `op.db`, the `onConnect` hook's) with the kysely module that
   * `moduleAlias.kysely` names, so that it is an instance of the `Kysely` a revision imports
   * (`@multidb/dialect` does for the project's own kysely 0.28.x, loading that module only when
   * user code first reads `db`). Ignored with `kysely`.
   */
  readonly moduleAlias?: Readonly<Record<string, string>>;
  /** Connect timeout in milliseconds (default 10,000). */
  readonly connectTimeoutMs?: number;
  /**
   * PostgreSQL: the bind's schema. The connection creates it when missing and puts it first on
   * the `search_path`, so unqualified tables (and the version table) live there.
   */
  readonly schema?: string;
  /**
   * The project's naming convention (default {@link DEFAULT_NAMING_CONVENTION}). Introspection
   * uses it to tell a key declared on its column (named by the convention, see the naming rule
   * of `conventionalName`) from one declared on the table.
   */
  readonly namingConvention?: NamingConvention;
  /**
   * Whether connecting may create what the bind points at (default `true`: a SQLite file and its
   * folder, a PostgreSQL bind's `schema`). Read-only commands pass `false`: a dialect that would
   * create something then throws a `DatabaseNotFoundError` instead, and creates nothing. A server
   * database itself is never created, whatever the option.
   */
  readonly create?: boolean;
  /**
   * The bind's version table (name, and schema when it has one), so that a dialect can tell
   * whether it exists with a query it sends anyway (PostgreSQL: in the identity query, so a
   * bind never upgraded is not read with a SELECT that fails and logs an ERROR on the server).
   * A hint only: {@link DialectConnection.readVersionTable} reads the table under the migration
   * lock whatever it says.
   */
  readonly versionTable?: { readonly name: string; readonly schema?: string | undefined };
  /**
   * Ends the connect when aborted (a command asked to stop, see `RunOptions.signal`), instead of
   * leaving it to wait out `connectTimeoutMs` on a host that does not answer: what the driver
   * opened is ended (its socket destroyed, nothing left open), and `connect` rejects at once with
   * a plain `Error` whose `code` is `'ABORTED'` (core reports it as an `InterruptedError`). Once
   * `connect` has resolved, the signal no longer concerns the connection. Optional: a driver that
   * ignores it connects as without it (core then stops before the migration lock).
   */
  readonly signal?: AbortSignal;
}

/** A dialect's connectable half, loaded only when a bind uses it. */
export interface DialectDriver {
  /** The pure dialect, for compiling without a connection (offline mode, SQL preview). */
  dialect(url?: string): Dialect;
  /**
   * Whether connecting waits on a server (network, login, the server starting a session): a run
   * of independent groups (tenants) then opens and identifies the next group's connection while
   * the current group runs, so that wait overlaps the work (see `MigrationEnvironment.upgrade`).
   * Default `false` (SQLite opens a file).
   */
  readonly connectsToServer?: boolean;
  /**
   * Opens one pinned connection for a bind.
   * @param options - the bind's name, URL (or Kysely instance), config folder, timeout, schema,
   *   naming convention and abort signal.
   * @returns the open connection.
   * @throws `UrlError` for a URL the dialect cannot use; the driver's error when the database
   *   cannot be reached (core wraps it in a `BindError`); an `Error` with `code` `'ABORTED'` once
   *   `options.signal` is aborted (see {@link ConnectOptions.signal}).
   */
  connect(options: ConnectOptions): Promise<DialectConnection>;
}

/** A registry entry: URL schemes and a lazy loader, so a driver's module loads on first use. */
export interface DialectEntry {
  /**
   * The dialect's name (`'sqlite'`, `'postgres'`, `'mysql'`); a bind with a `kysely` instance names
   * it as `dialect`.
   */
  readonly name: string;
  /** URL schemes without the colon, e.g. `['postgres', 'postgresql']`. */
  readonly schemes: readonly string[];
  /** Imports the dialect's module (its database driver package loads when a bind connects). */
  load(): Promise<DialectDriver>;
  /**
   * Module specifiers configs and revisions should resolve to the dialect's own copies, as
   * `createModuleLoader`'s `alias` takes them (`@multidb/dialect`: `kysely` and `kysely/helpers/*`
   * to the kysely it bundles, the one `op.db` is made with, unless the project has another version
   * of kysely installed). `loadEnvironment` aliases them, unless given a loader object of its own.
   * Must load nothing.
   *
   * @param projectDir - the folder the project's modules resolve from (the config file's folder, a
   *   `configObject`'s `baseDir`), for an alias that depends on what the project has installed.
   */
  moduleAlias?(projectDir?: string): Readonly<Record<string, string>>;
}

/** The dialects core may use, by URL scheme. */
export type DialectRegistry = readonly DialectEntry[];
