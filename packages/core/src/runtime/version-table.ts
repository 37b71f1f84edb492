import type { CompiledQuery, Kysely } from 'kysely';
import type { Dialect, DialectConnection } from '../dialect/dialect.js';
import { VersionTableConflictError } from '../errors.js';
import type { ProgressStart, ProgressTable } from './progress-table.js';

/** What {@link VersionTable.read} found. */
export interface VersionTableState {
  /** Whether the table exists (a bind that was never upgraded has none). */
  readonly exists: boolean;
  /** The rows: one per current head, sorted; `[]` at base. */
  readonly heads: readonly string[];
}

/**
 * A bind's version table (DESIGN §1): `version_num varchar(32) primary key`, one row per current
 * head (Alembic's shape), in the bind's own database. Queries go through Kysely, so core writes
 * no dialect SQL.
 *
 * @example
 * ```ts
 * const table = new VersionTable('multidb_version');
 * const heads = await table.read(connection); // ['3f2a9c1d7b40']
 * ```
 */
export class VersionTable {
  /** The table's name (`multidb_version` unless the config says otherwise). */
  readonly name: string;
  /**
   * Its schema (PostgreSQL `versionTableSchema`, else the bind's `schema`); `undefined`: the
   * connection's default.
   */
  readonly schema: string | undefined;

  constructor(name: string, schema?: string) {
    this.name = name;
    this.schema = schema;
  }

  /**
   * Where a dialect whose migration lock is a row (a lease on a MariaDB Galera cluster) keeps it:
   * `<name>_lock`, in the version table's schema.
   * @example
   * ```ts
   * new VersionTable('multidb_version').lockTable; // { name: 'multidb_version_lock', schema: undefined }
   * ```
   */
  get lockTable(): { readonly name: string; readonly schema?: string } {
    return this.schema === undefined ? { name: `${this.name}_lock` } : { name: `${this.name}_lock`, schema: this.schema };
  }

  /**
   * Every table multidb itself may keep in a bind's database for this version table (the version
   * table, the progress table of a revision in flight, the lock table of a Galera lease): left out of
   * autogenerate, `check`, codegen and models from a database.
   * @example
   * ```ts
   * new VersionTable('multidb_version').ownTables; // ['multidb_version', 'multidb_version_progress', 'multidb_version_lock']
   * ```
   */
  get ownTables(): readonly string[] {
    return [this.name, `${this.name}_progress`, this.lockTable.name];
  }

  /** `schema.name`, or the name alone: how messages name the table. */
  get qualifiedName(): string {
    return this.schema ? `${this.schema}.${this.name}` : this.name;
  }

  /**
   * The table as the dialect's `readVersionTable` and `commitVersionUpdate` (and `connect`'s
   * `versionTable`) take it: its name, and its schema when it has one.
   * @example
   * ```ts
   * new VersionTable('multidb_version', 'billing').reference; // { name: 'multidb_version', schema: 'billing' }
   * ```
   */
  get reference(): { readonly name: string; readonly schema?: string } {
    return this.schema === undefined ? { name: this.name } : { name: this.name, schema: this.schema };
  }

  #db(db: Kysely<any>): Kysely<any> {
    return this.schema ? db.withSchema(this.schema) : db;
  }

  /**
   * Reads the current heads, sorted.
   * @returns `[]` when the table does not exist yet (a bind with no upgrade is at base).
   */
  async read(conn: DialectConnection): Promise<string[]> {
    return [...(await this.state(conn)).heads];
  }

  /**
   * Reads the current heads, sorted, and whether the table exists (the dialect's
   * `readVersionTable` where it has one, else one existence check and one SELECT), so a run needs
   * no second look before creating the table.
   * @returns `{ exists: false, heads: [] }` when the table does not exist yet.
   */
  async state(conn: DialectConnection): Promise<VersionTableState> {
    if (conn.readVersionTable) {
      const rows = await conn.readVersionTable(this.reference);
      return rows === undefined ? { exists: false, heads: [] } : { exists: true, heads: rows.map(String).sort() };
    }
    if (!(await this.exists(conn))) return { exists: false, heads: [] };
    const rows = await this.#db(conn.plainDb).selectFrom(this.name).select('version_num').execute();
    return { exists: true, heads: rows.map((r) => String(r.version_num)).sort() };
  }

  /**
   * Whether the table exists where the bind's queries find it (the dialect's introspection follows
   * PostgreSQL's `search_path` when no schema is given).
   */
  async exists(conn: DialectConnection): Promise<boolean> {
    return (await conn.introspectTable(this.name, this.schema)) !== undefined;
  }

  /**
   * Creates the table when missing, with the storage options of the connection's dialect
   * ({@link Dialect.finishVersionTable}: SQLite's is `WITHOUT ROWID`). A table that exists is left as it is.
   * @param known - whether the table is already known to exist (skips the check).
   */
  async ensure(conn: DialectConnection, known?: boolean): Promise<void> {
    if (known ?? (await this.exists(conn))) return;
    for (const builder of this.#createBuilders(conn.plainDb, conn.dialect)) await builder.execute();
  }

  #createBuilders(db: Kysely<any>, dialect: Dialect | undefined) {
    const create = this.#db(db)
      .schema.createTable(this.name)
      .ifNotExists()
      .addColumn('version_num', 'varchar(32)', (c) => c.notNull().primaryKey());
    const table = dialect?.finishVersionTable?.(create) ?? create;
    return this.schema ? [db.schema.createSchema(this.schema).ifNotExists(), table] : [table];
  }

  /**
   * The statements {@link ensure} runs to create the table (and its schema), compiled with `db`'s
   * dialect and not run: offline mode (`--sql`) prints them.
   * @param db - a Kysely of the bind's dialect (e.g. `dialect.queryBuilder()`).
   * @param dialect - the bind's dialect, for its storage options ({@link Dialect.finishVersionTable});
   *   omitted: the table as core builds it.
   * @example
   * ```ts
   * new VersionTable('multidb_version').createStatements(dialect.queryBuilder(), dialect)[0]!.sql;
   * // SQLite: 'create table if not exists "multidb_version" ("version_num" varchar(32) not null primary key) without rowid'
   * ```
   */
  createStatements(db: Kysely<any>, dialect?: Dialect): CompiledQuery[] {
    return this.#createBuilders(db, dialect).map((b) => b.compile());
  }

  /**
   * The DROP TABLE of the table (not of its schema), compiled with `db`'s dialect and not run: an
   * offline script (`--sql`) that leaves the bind at base ends with it, as Alembic's does, so a
   * script from base and one back to base leave no table of multidb's (a schema the create made,
   * `CREATE SCHEMA IF NOT EXISTS`, stays: it may hold the application's tables).
   * @param db - a Kysely of the bind's dialect (e.g. `dialect.queryBuilder()`).
   * @returns one statement.
   * @example
   * ```ts
   * new VersionTable('multidb_version', 'billing').dropStatements(dialect.queryBuilder())[0]!.sql;
   * // PostgreSQL: 'drop table "billing"."multidb_version"'
   * ```
   */
  dropStatements(db: Kysely<any>): CompiledQuery[] {
    return [this.#db(db).schema.dropTable(this.name).compile()];
  }

  /**
   * The statements {@link update} runs to replace `before` by `after`, compiled and not run, and
   * without its checks (offline mode prints them: there is no table to check against).
   * @example
   * ```ts
   * new VersionTable('multidb_version').updateStatements(dialect.queryBuilder(), ['a1'], ['a2'])[0]!.sql; // 'update "multidb_version" set "version_num" = ? where "version_num" = ?'
   * ```
   */
  updateStatements(db: Kysely<any>, before: readonly string[], after: readonly string[]): CompiledQuery[] {
    const { removed, added } = difference(before, after);
    if (removed.length === 1 && added.length === 1) return [this.#compiledReplace(db, removed[0]!, added[0]!)];
    return [...(removed.length ? [this.#delete(db, removed).compile()] : []), ...(added.length ? [this.#insert(db, added).compile()] : [])];
  }

  #replace(db: Kysely<any>, from: string, to: string) {
    return this.#db(db).updateTable(this.name).set({ version_num: to }).where('version_num', '=', from);
  }

  /**
   * The UPDATE of {@link update}'s (and {@link updateStatements}') one-row step, compiled once per
   * Kysely (a run, or an offline script, updates the table once per revision) and given the
   * revisions as its parameters.
   */
  #compiledReplace(db: Kysely<any>, from: string, to: string): CompiledQuery {
    let byTable = replaceTemplates.get(db);
    if (!byTable) replaceTemplates.set(db, (byTable = new Map()));
    const key = `${this.schema ?? ''}\u0000${this.name}`;
    let template = byTable.get(key);
    if (!template) byTable.set(key, (template = this.#replace(db, FROM, TO).compile()));
    return { ...template, parameters: template.parameters.map((p) => (p === FROM ? from : p === TO ? to : p)) };
  }

  #delete(db: Kysely<any>, revisions: readonly string[]) {
    return this.#db(db).deleteFrom(this.name).where('version_num', 'in', revisions);
  }

  #insert(db: Kysely<any>, revisions: readonly string[]) {
    return this.#db(db).insertInto(this.name).values(revisions.map((v) => ({ version_num: v })));
  }

  /**
   * Replaces the rows `before` by `after`, touching only the difference, and checks that it
   * replaced exactly the rows it expected: a step from one revision to the next is one UPDATE that
   * must change one row; otherwise a DELETE that must remove every row it names, then INSERTs. Run
   * it inside the step's transaction, so a mismatch rolls the step back.
   *
   * @param bind - the bind, for the error message.
   * @throws {@link VersionTableConflictError} when the table did not hold the rows expected
   *   (another runner changed it): never a second line of history.
   */
  async update(db: Kysely<any>, before: readonly string[], after: readonly string[], bind = ''): Promise<void> {
    const { removed, added } = difference(before, after);
    const conflict = () => new VersionTableConflictError(bind, removed, added);
    if (removed.length === 1 && added.length === 1) {
      const result = await db.executeQuery(this.#compiledReplace(db, removed[0]!, added[0]!));
      if (Number(result.numAffectedRows) !== 1) throw conflict();
      return;
    }
    if (removed.length) {
      const result = await this.#delete(db, removed).executeTakeFirst();
      if (Number(result.numDeletedRows) !== removed.length) throw conflict();
    }
    if (added.length) await this.#insert(db, added).execute();
  }

  /**
   * {@link update}, then commits the connection's transaction: a step that changes one row
   * (from one revision to the next, up from base or down to it) goes through the dialect's
   * `commitVersionUpdate` where it has one (PostgreSQL sends the write and COMMIT in one round
   * trip), any other step through {@link update} and `commit()`.
   *
   * @param conn - the bind's connection, in the step's transaction.
   * @param bind - the bind, for the error message.
   * @throws {@link VersionTableConflictError} when the table did not hold the rows expected; the
   *   transaction is then rolled back (by the dialect, or by the caller on the fallback path, as
   *   with {@link update}). The error `commit()` throws.
   * @example
   * ```ts
   * await connection.begin();
   * // … the revision's statements …
   * await new VersionTable('multidb_version').commitUpdate(connection, ['a1'], ['a2'], 'db2');
   * ```
   */
  async commitUpdate(conn: DialectConnection, before: readonly string[], after: readonly string[], bind = ''): Promise<void> {
    const { removed, added } = difference(before, after);
    if (isOneRowChange(removed, added) && conn.commitVersionUpdate) {
      if (!(await conn.commitVersionUpdate(this.reference, removed[0], added[0]))) throw new VersionTableConflictError(bind, removed, added);
      return;
    }
    await this.update(conn.plainDb, before, after, bind);
    await conn.commit();
  }

  /**
   * {@link commitUpdate}, pipelined where the connection can ({@link DialectConnection.pipelinesCommits}
   * and a one-row change): the transaction ends at the call and the caller may begin the next one
   * before the returned promise settles; when it fails, the connection refuses what was sent after
   * it until `rollback()`.
   * @returns the commit's promise (rejects with {@link VersionTableConflictError} when no row held
   *   the revision `before` names, or with the driver's error), or `undefined` where it cannot be
   *   pipelined (the caller then awaits {@link commitUpdate}).
   * @example
   * ```ts
   * const committing = new VersionTable('multidb_version').commitUpdatePipelined(connection, ['a1'], ['a2'], 'db2');
   * if (committing) {
   *   await connection.begin(); // the next revision's transaction, while a2's COMMIT is on the server
   *   await committing;
   * }
   * ```
   */
  commitUpdatePipelined(conn: DialectConnection, before: readonly string[], after: readonly string[], bind = ''): Promise<void> | undefined {
    const { removed, added } = difference(before, after);
    if (!conn.pipelinesCommits || !conn.commitVersionUpdate || !isOneRowChange(removed, added)) return undefined;
    return conn.commitVersionUpdate(this.reference, removed[0], added[0], { pipelined: true }).then((changed) => {
      if (!changed) throw new VersionTableConflictError(bind, removed, added);
    });
  }

  /**
   * The end of a step on a dialect whose DDL commits implicitly, where the step's progress may have
   * been recorded write by write in `progress`: in a transaction of its own, {@link update} and
   * the deletion of every row of `progress`, then COMMIT, so the step is recorded as applied
   * exactly when its progress rows are gone. A step that changes one row goes through the
   * dialect's `commitVersionUpdateAndClear` where it has one (MariaDB: one round trip), any other
   * through BEGIN, {@link update}, `progress.clear` and `commit()`.
   *
   * With `next` (the header of the bind's next step, which the run starts right after this one),
   * where the dialect runs such a write in the same round trip (`preRecordsNext`, MariaDB's
   * compound statement) and the step changes one row, the same transaction also records `next`
   * ahead ({@link ProgressTable.aheadStatement}); the next step's first write is still recorded
   * before it is sent. Otherwise `next` is left out.
   *
   * With `record` instead (the next step's first progress record, see
   * {@link ProgressTable.recordStatement}), where the dialect has `commitVersionUpdateAndClear` and
   * the step changes one row, `record` runs after the DELETE in the same transaction: the step is
   * recorded as applied and the next one's first write as pending in one commit. Otherwise it is
   * left out (the caller records it).
   *
   * @param conn - the bind's connection, outside a transaction (a BEGIN commits an open one).
   * @param progress - the bind's progress table.
   * @param bind - the bind, for the error message.
   * @param next - the header of the bind's next step, to record ahead where the dialect can.
   * @param record - the next step's first progress record, run in the same transaction where it can.
   * @returns whether `next` or `record` was run (`false` without them).
   * @throws {@link VersionTableConflictError} when the table did not hold the rows expected;
   *   nothing is then committed (rolled back by the dialect, or by the caller on the fallback
   *   path). The error `commit()` throws.
   * @example
   * ```ts
   * await new VersionTable('multidb_version').commitUpdateAndClear(connection, ['a1'], ['a2'], new ProgressTable('multidb_version'), 'db3');
   * ```
   */
  async commitUpdateAndClear(conn: DialectConnection, before: readonly string[], after: readonly string[], progress: ProgressTable, bind = '', next?: ProgressStart, record?: CompiledQuery): Promise<boolean> {
    const { removed, added } = difference(before, after);
    if (isOneRowChange(removed, added) && conn.commitVersionUpdateAndClear) {
      const also = record ?? (next && conn.preRecordsNext ? progress.aheadStatement(conn.plainDb, next) : undefined);
      if (!(await conn.commitVersionUpdateAndClear(this.reference, removed[0], added[0], progress.ref, also))) throw new VersionTableConflictError(bind, removed, added);
      return also !== undefined;
    }
    await conn.begin();
    await this.update(conn.plainDb, before, after, bind);
    await progress.clear(conn.plainDb);
    await conn.commit();
    return false;
  }

  /** Deletes every row (stamp --purge). */
  async purge(conn: DialectConnection): Promise<void> {
    if (await this.exists(conn)) await this.#db(conn.plainDb).deleteFrom(this.name).execute();
  }
}

/** Placeholders the compiled UPDATE of a one-row step is made with, replaced by the revisions. */
const FROM = '\u0000multidb:from';
const TO = '\u0000multidb:to';
const replaceTemplates = new WeakMap<Kysely<any>, Map<string, CompiledQuery>>();

/** The rows `update` removes and adds. */
function difference(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[] } {
  return { removed: before.filter((r) => !after.includes(r)), added: after.filter((r) => !before.includes(r)) };
}

/** Whether a step replaces one row by another, inserts one or deletes one: what a dialect's one-row version write can do. */
function isOneRowChange(removed: readonly string[], added: readonly string[]): boolean {
  return removed.length <= 1 && added.length <= 1 && removed.length + added.length > 0;
}
