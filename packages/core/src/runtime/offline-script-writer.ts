import type { CompiledQuery, RootOperationNode } from 'kysely';
import type { Dialect, ForeignKeyEffect, Statement } from '../dialect/dialect.js';
import { formatRevisions, OfflineError, SchemaUnknownError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { RevisionModule } from '../script/module-loader.js';
import type { PlanStep, StampChange } from '../script/planner.js';
import { describeOp, OfflineSnapshots } from './offline-snapshots.js';
import { compileRevision, type CompiledStatement } from './revision-compiler.js';
import type { VersionTable } from './version-table.js';

/** One bind's offline script (`migrate upgrade --sql`): what an online run would send, as text. */
export interface OfflineScript {
  /** The bind the script is for. */
  readonly bind: string;
  /** The dialect the SQL is written for (its flavour where it has one): `sqlite`, `postgres`, `mysql`, `mariadb`. */
  readonly dialect: string;
  /** The version-table rows the script starts from (`[]`: base). */
  readonly from: readonly string[];
  /** The rows it leaves. */
  readonly to: readonly string[];
  /** The script: comments and statements each ending with `;`, ending with a newline. */
  readonly sql: string;
  /**
   * What the script does that the user should know about, one line each (the CLI prints them as
   * `[bind] WARNING: …` on stderr; each is also a `-- WARNING: …` comment before its op's
   * statements): an op that names something longer than the database keeps, which it truncates
   * (PostgreSQL: 63 bytes; see `checkIdentifierLimit`); first, once per script, where the SQL
   * follows the rules of a server the bind's URL cannot tell from another that refuses some of
   * its ops (a `mysql://` URL, MySQL's rules, on a MariaDB server: `DROP CHECK`), which ops those
   * are (`dialect.offline.otherServer`; each op's own comment names what is refused). Absent when there are none.
   */
  readonly warnings?: readonly string[];
}

/** What an {@link OfflineScriptWriter} writes for: one bind and its dialect, without a connection. */
export interface OfflineBind {
  /** The bind's name. */
  readonly bind: string;
  /** Its pure dialect (for MySQL, the flavour of the URL scheme). */
  readonly dialect: Dialect;
  /** Its version table. */
  readonly versionTable: VersionTable;
  /** The project's naming convention. */
  readonly namingConvention: NamingConvention;
  /** The bind's default schema (PostgreSQL), if any. */
  readonly schema?: string;
  /** `per-run`: one transaction for the bind's steps where the dialect's DDL is transactional. */
  readonly transactionMode: 'per-revision' | 'per-run';
  /** The revisions' `op.xArgs` (Alembic's `-x`; default `{}`). */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/** A step of the plan with its imported revision. */
export interface OfflineStep {
  /** The plan's step. */
  readonly step: PlanStep;
  /** The revision, imported. */
  readonly module: RevisionModule;
}

/** A compiled statement and the op it came from (`undefined` for an `op.db` query). */
interface OpStatement {
  readonly statement: CompiledStatement;
  readonly op: Op | undefined;
  /** The warning of its op, on the op's first statement (see {@link OfflineScript.warnings}). */
  readonly warning?: string;
  /** What another server the URL cannot tell apart refuses in its op, on the op's first statement (`dialect.offline.otherServer`). */
  readonly caveat?: string;
}

/** Where an {@link OfflineScript} made by the writer keeps its text in pieces (see {@link offlineScriptChunks}). */
const CHUNKS = Symbol('multidb.offlineScript.chunks');

/**
 * An offline script's text in pieces, in order (their concatenation is `script.sql`), for a caller
 * that writes it out. The writer keeps a script as UTF-8 bytes, a few KiB a piece, outside V8's
 * heap (a script of 5,000 SQLite revisions is 3.6 MB: kept as strings it raised the peak RSS of
 * `upgrade --sql` by ~3.5 MiB, tools/bench/RESULTS.md, 2026-12-06); each piece becomes a string
 * only when the iteration reaches it. `script.sql` decodes them all into one string (read once, it
 * is then kept). A script not made by {@link OfflineScriptWriter} is one piece, its `sql`.
 *
 * @param script - a script returned by `upgradeSql`, `downgradeSql`, `stampSql` or the writer.
 * @returns the pieces, each decoded when reached; never throws.
 * @example
 * ```ts
 * for (const script of await commands.upgradeSql(env)) {
 *   for (const piece of offlineScriptChunks(script)) process.stdout.write(piece);
 * }
 * ```
 */
export function* offlineScriptChunks(script: OfflineScript): Generator<string, void, undefined> {
  const chunks = (script as { readonly [CHUNKS]?: readonly Buffer[] })[CHUNKS];
  if (chunks === undefined) {
    yield script.sql;
    return;
  }
  for (const chunk of chunks) yield chunk.toString('utf8');
}

/**
 * Writes one bind's offline script (DESIGN §3: the one compile path, statements printed instead
 * of executed). Revisions compile through `compileRevision` with an {@link OfflineSnapshots} that
 * knows the tables the script creates; `op.db` writes become statements with their parameters
 * written as literals; the transactions are those of an online run (see the runner): per
 * revision (or per run with `transactionMode: 'per-run'`), none for a revision with
 * `transaction = false` except around ops the dialect must run in one (a SQLite rebuild), and
 * then the version-table update in a transaction of its own. Where DDL is not transactional
 * (MySQL, MariaDB: each DDL statement commits implicitly) no revision is wrapped, as Alembic
 * writes it: its statements, then the version-table update, each committing on its own (a
 * change of several version rows, at a merge, in one transaction); a revision without ops is
 * its version-table update alone.
 * BEGIN/COMMIT are the dialect's (`dialect.offline`), so SQLite's foreign-key pragmas surround a
 * revision as online. The dialect's foreign-key check before COMMIT (`dialect.offline.foreignKeyCheck`,
 * SQLite's) is written where a transaction's statements may break a foreign key, as its `effect`
 * says: the rows check (and, once per script, before the first such statement, its temporary
 * objects and baseline) for data statements, a rebuild or a DROP TABLE; the one-statement keys
 * check where a statement can only leave a foreign key without a key to refer to (CREATE TABLE);
 * none where nothing can break one (the version table's own statements: a stamp, a revision
 * without ops). Online, every commit checks; offline, a check of a transaction that can break
 * nothing would find what the one before it found, and only lengthen the script. The script
 * starts with the dialect's prologue and, from base, the creation of the version table; one that
 * leaves the bind at base ends with the version table's DROP, as Alembic's offline mode writes it
 * (so a script from base and one back to base leave no table of multidb's behind, though a schema
 * the create made for the version table stays; the progress
 * table of a revision in flight is an online run's, and offline scripts neither create nor drop it).
 *
 * @example
 * ```ts
 * const writer = new OfflineScriptWriter({ bind: 'db2', dialect, versionTable: env.versionTable('db2'), namingConvention, transactionMode: 'per-revision' });
 * const script = await writer.run('upgrade', plan.steps.map((step) => ({ step, module })));
 * process.stdout.write(script.sql);
 * ```
 */
export class OfflineScriptWriter {
  readonly #bind: OfflineBind;
  /** The script's lines not yet joined into {@link #chunks}, and their characters. */
  #lines: string[] = [];
  #lineChars = 0;
  /** The lines so far, joined a few KiB at a time (see {@link #push}), as UTF-8. */
  readonly #chunks: Buffer[] = [];
  /** {@link #rendered}'s texts, by statement. */
  readonly #renderedConstants = new Map<string, string>();
  /** The foreign-key rows check's setup is in this script (see {@link #setUpCheck}). */
  #checkSetUp = false;
  /** What the open transaction's statements may break of foreign keys: what its COMMIT checks. */
  #transactionEffect: ForeignKeyEffect = 'none';
  /** The script's warnings so far (see {@link OfflineScript.warnings}). */
  readonly #warnings: string[] = [];
  /** The distinct caveats of the script's ops so far (`dialect.offline.otherServer`), in order. */
  readonly #caveats = new Set<string>();

  constructor(bind: OfflineBind) {
    this.#bind = bind;
  }

  /**
   * Writes the script of an upgrade or downgrade: `steps` are the bind's steps of the plan, in order.
   * @param history - the upgrade steps from base to where the script starts (`[]` from base):
   *   their ops are followed, no SQL is written, so an op that needs a table's shape (a SQLite
   *   rebuild) knows the tables those revisions made. A revision of them that reads rows through
   *   `op.db`, throws, or runs DDL that cannot be followed (`op.execute`) leaves every table unknown
   *   from there on (the op then asks for `copyFrom` as before), never a guessed shape.
   * @throws {@link OfflineError} naming the bind, revision, file and op, when an op needs the live
   *   schema (its `field` says what to add), an `op.db` query reads rows, or the revision throws.
   */
  async run(command: 'upgrade' | 'downgrade', steps: readonly OfflineStep[], history: readonly OfflineStep[] = []): Promise<OfflineScript> {
    const { bind, dialect } = this.#bind;
    const from = steps[0]?.step.headsBefore ?? [];
    const to = steps.at(-1)?.step.headsAfter ?? from;
    const transactionalDdl = dialect.capabilities.transactionalDdl;
    this.#header(
      `${command} ${formatRevisions(from)} -> ${formatRevisions(to)}`,
      transactionalDdl
        ? []
        : [
            'Each DDL statement commits implicitly here: no BEGIN/COMMIT around a revision; every statement',
            "commits on its own (autocommit), the version table's after the revision's.",
          ],
    );
    if (from.length === 0) this.#createVersionTable();

    const known = await this.follow(history);
    const perRun = this.#bind.transactionMode === 'per-run' && transactionalDdl;
    let open = false;
    for (const [i, { step, module }] of steps.entries()) {
      const statements = await this.#compile(step, module, known);
      // Without transactional DDL (MySQL) a BEGIN around a revision would promise what the server
      // does not keep (its first DDL statement commits): as Alembic writes it, none, and the
      // version-table update follows the revision's statements.
      const transactional = module.transaction && transactionalDdl;
      const last = i === steps.length - 1;
      this.#blank();
      // As the online run prints it (and Alembic): the revision and its down revisions, not the
      // version table's rows before and after (which, on a branch point, list every head).
      const moved = step.direction === 'up' ? `${formatRevisions(step.script.downRevisions)} -> ${step.revision}` : `${step.revision} -> ${formatRevisions(step.script.downRevisions)}`;
      this.#comment(`Running ${command} ${moved}, ${step.script.message}`);
      if (!module.transaction && transactionalDdl) this.#comment('transaction = false: no transaction around this revision');
      if (perRun && !transactional && open) open = this.#commit();
      if (transactional) {
        const effect = this.#effect(statements);
        this.#setUpCheck(effect);
        if (!open) open = this.#begin();
        this.#raiseEffect(effect);
      }
      this.#statements(statements, transactional);
      const version = this.#versionStatements(step.headsBefore, step.headsAfter, last && to.length === 0);
      if (!transactional) {
        // As the runner: outside the revision's transaction, the version-table update has its own.
        if (open) open = this.#commit();
        this.#versionChange(version);
      } else {
        this.#queries(version);
        if (!perRun || last) open = this.#commit();
      }
    }
    if (steps.length > 0 && to.length === 0) this.#dropVersionTableAlone();
    return this.#script(from, to);
  }

  /**
   * Writes the script of a stamp: the version table set from `change.from` to `change.to` in one
   * transaction (from base, the table is created first); on MySQL one statement is written alone.
   * A stamp to base then drops the table, as Alembic's offline stamp. There is no offline purge (as
   * Alembic, which refuses `--purge` with `--sql`): a script cannot see the rows it would forget.
   */
  stamp(change: StampChange): OfflineScript {
    this.#header(`stamp ${formatRevisions(change.from)} -> ${formatRevisions(change.to)}`);
    if (change.from.length === 0) this.#createVersionTable();
    this.#blank();
    this.#versionChange(this.#versionStatements(change.from, change.to, change.to.length === 0));
    if (change.to.length === 0) this.#dropVersionTableAlone();
    return this.#script(change.from, change.to);
  }

  /**
   * The version-table update from `before` to `after`; with `leavesBase` (the script's last step,
   * to base) and transactional DDL, the table's DROP after it, in the same transaction: as Alembic's
   * offline mode, a script that leaves no heads drops the version table (one from base created it).
   * Without transactional DDL (MySQL) the DROP commits on its own ({@link #dropVersionTableAlone}).
   */
  #versionStatements(before: readonly string[], after: readonly string[], leavesBase: boolean): CompiledQuery[] {
    const { dialect, versionTable } = this.#bind;
    const db = dialect.queryBuilder();
    const update = versionTable.updateStatements(db, before, after);
    return leavesBase && dialect.capabilities.transactionalDdl ? [...update, ...versionTable.dropStatements(db)] : update;
  }

  /** Where DDL is not transactional (MySQL), the DROP of the version table at base, alone, after the update (see {@link #versionStatements}). */
  #dropVersionTableAlone(): void {
    const { dialect, versionTable } = this.#bind;
    if (dialect.capabilities.transactionalDdl) return;
    this.#queries(versionTable.dropStatements(dialect.queryBuilder()));
  }

  /**
   * Version-table statements in a transaction of their own, so the table never shows half a
   * change; where DDL is not transactional (MySQL) one statement is written alone (it commits on
   * its own), as Alembic writes it.
   */
  #versionChange(queries: readonly CompiledQuery[]): void {
    const wrap = this.#bind.dialect.capabilities.transactionalDdl || queries.length > 1;
    if (wrap) this.#begin();
    this.#queries(queries);
    if (wrap) this.#commit();
  }

  /**
   * Follows a revision before the script's start (see {@link run}'s `history`): its ops update
   * `known`, its statements are dropped. Whatever stops it (a read, a throw) forgets every table.
   */
  /**
   * What offline mode knows of the bind's tables after `history` (upgrade steps from base, as
   * {@link run} takes them): their ops are followed, no SQL is written. A revision that reads rows
   * through `op.db`, throws, or runs DDL that cannot be followed leaves every table unknown from
   * there on. Autogenerate asks this to tell which tables a new revision's batch ops must carry
   * `copyFrom` for.
   * @param history - the upgrade steps, in order (`[]`: nothing known).
   * @returns the shapes known at the end of `history` (a new {@link OfflineSnapshots}).
   */
  async follow(history: readonly OfflineStep[]): Promise<OfflineSnapshots> {
    const known = new OfflineSnapshots();
    for (const earlier of history) await this.#follow(earlier, known);
    return known;
  }

  async #follow({ step, module }: OfflineStep, known: OfflineSnapshots): Promise<void> {
    const { bind } = this.#bind;
    known.following(step.revision);
    try {
      await compileRevision(module, 'up', {
        ...this.#compileOptions(known),
        onOp: (op) => known.observe(op),
        onQuery: (query) => {
          // What the revision does with rows it read cannot be followed without them.
          if (readsRows(query)) throw new OfflineError({ bind, revision: step.revision, file: step.script.path, op: 'op.db' }, 'reads rows');
        },
      });
    } catch (error) {
      known.forgetAll(error instanceof OfflineError && error.op === 'op.db' ? 'reads rows through op.db (offline there are none)' : `failed when followed offline (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** What compiling any revision of the bind offline takes: its dialect and settings, `known` shapes, errors thrown. */
  #compileOptions(known: OfflineSnapshots) {
    return {
      bind: this.#bind.bind,
      dialect: this.#bind.dialect,
      namingConvention: this.#bind.namingConvention,
      snapshots: known,
      ...(this.#bind.schema !== undefined ? { defaultSchema: this.#bind.schema } : {}),
      ...(this.#bind.xArgs ? { xArgs: this.#bind.xArgs } : {}),
      onError: 'throw' as const,
    };
  }

  /** The revision's statements, each with the op it came from (none for `op.db` queries). */
  async #compile(step: PlanStep, module: RevisionModule, known: OfflineSnapshots): Promise<readonly OpStatement[]> {
    const { bind, dialect } = this.#bind;
    const where = { bind, revision: step.revision, file: step.script.path };
    const opOf = new Map<CompiledStatement, Op>();
    // The warning of an op whose names the database truncates, by its first statement.
    let warning: string | undefined;
    const warningOf = new Map<CompiledStatement, string>();
    // What a server the URL cannot tell apart refuses in an op, by its first statement.
    const caveatOf = new Map<CompiledStatement, string>();
    const otherServer = dialect.offline.otherServer;
    known.following(step.revision);
    try {
      const compiled = await compileRevision(module, step.direction, {
        ...this.#compileOptions(known),
        onWarning: (_op, w) => {
          warning = w.message;
        },
        onOp: (op, added) => {
          known.observe(op);
          for (const s of added) opOf.set(s, op);
          if (warning !== undefined && added[0] !== undefined) warningOf.set(added[0], warning);
          warning = undefined;
          const caveat = otherServer?.caveat(op);
          if (caveat !== undefined && added[0] !== undefined) caveatOf.set(added[0], caveat);
        },
        onQuery: (query) => {
          if (readsRows(query)) {
            throw new OfflineError(
              { ...where, op: 'op.db' },
              `the query reads rows (${abbreviate(query.sql)}), and offline there is no database to read. ` +
                'Write the change as statements that need no result (UPDATE … SET x = (SELECT …), INSERT … SELECT), or run this revision online.',
            );
          }
        },
        mapOpError: (op, error) => opError(where, op, error, known),
      });
      return compiled.statements.map((statement) => {
        const w = warningOf.get(statement);
        const caveat = caveatOf.get(statement);
        return { statement, op: opOf.get(statement), ...(w !== undefined ? { warning: w } : {}), ...(caveat !== undefined ? { caveat } : {}) };
      });
    } catch (error) {
      if (error instanceof OfflineError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new OfflineError(where, `the revision failed while it was compiled: ${reason}`, { cause: error });
    }
  }

  /** The revision's statements; in a revision without a transaction, an op that needs one gets its own. */
  #statements(statements: readonly OpStatement[], transactional: boolean): void {
    const dialect = this.#bind.dialect;
    let wrapped: Op | undefined; // the op whose own transaction is open
    for (const { statement, op, warning, caveat } of statements) {
      if (wrapped !== undefined && op !== wrapped) {
        this.#commit();
        wrapped = undefined;
      }
      if (!transactional && wrapped === undefined && op !== undefined && dialect.requiresTransaction?.(op)) {
        const effect = this.#effect(statements.filter((s) => s.op === op));
        this.#setUpCheck(effect);
        this.#begin();
        this.#raiseEffect(effect);
        wrapped = op;
      }
      if (warning !== undefined) {
        this.#warnings.push(warning);
        this.#comment(`WARNING: ${warning}`);
      }
      if (caveat !== undefined) {
        this.#caveats.add(caveat);
        this.#comment(`WARNING: ${caveat}`);
      }
      this.#statement(statement);
    }
    if (wrapped !== undefined) this.#commit();
  }

  /**
   * The script's warnings: first, where its ops have caveats (another server the URL cannot tell
   * apart refuses them), the one warning that gathers them, once for the whole script; then the
   * ops' own warnings.
   */
  #scriptWarnings(): string[] {
    const other = this.#bind.dialect.offline.otherServer;
    return [...(other && this.#caveats.size ? [other.warning([...this.#caveats])] : []), ...this.#warnings];
  }

  #header(title: string, notes: readonly string[] = []): void {
    const { bind, dialect } = this.#bind;
    this.#checkSetUp = false;
    this.#comment(`multidb offline script: bind '${bind}' (${dialect.flavour ?? dialect.name}), ${title}`);
    this.#comment(`Written without connecting; run it with: ${dialect.offline.runWith}`);
    for (const note of notes) this.#comment(note);
    for (const sql of dialect.offline.prologue(this.#bind.schema !== undefined ? { schema: this.#bind.schema } : {})) this.#push(this.#rendered(sql));
  }

  #createVersionTable(): void {
    this.#blank();
    this.#queries(this.#bind.versionTable.createStatements(this.#bind.dialect.queryBuilder(), this.#bind.dialect));
  }

  #begin(): true {
    for (const sql of this.#bind.dialect.offline.begin()) this.#push(this.#rendered(sql));
    this.#transactionEffect = 'none';
    return true;
  }

  /** The open transaction's foreign-key check (as its statements need one), then the dialect's COMMIT. */
  #commit(): false {
    const offline = this.#bind.dialect.offline;
    const check = offline.foreignKeyCheck;
    if (check !== undefined && this.#transactionEffect !== 'none') {
      for (const sql of this.#transactionEffect === 'rows' ? check.rows() : check.keys()) this.#push(this.#rendered(sql));
    }
    for (const sql of offline.commit()) this.#push(this.#rendered(sql));
    this.#transactionEffect = 'none';
    return false;
  }

  /** What statements may break of foreign keys, the worst of them (`'none'` where commits check nothing). */
  #effect(statements: readonly OpStatement[]): ForeignKeyEffect {
    const check = this.#bind.dialect.offline.foreignKeyCheck;
    if (check === undefined) return 'none';
    let worst: ForeignKeyEffect = 'none';
    for (const { statement } of statements) {
      const effect = check.effect(statement);
      if (effect === 'rows') return 'rows';
      if (effect === 'keys') worst = 'keys';
    }
    return worst;
  }

  /**
   * Before statements that may break rows: the rows check's temporary objects and baseline, once
   * per script. Every statement before them could break none, so the baseline taken here is the
   * one at the script's start.
   */
  #setUpCheck(effect: ForeignKeyEffect): void {
    const check = this.#bind.dialect.offline.foreignKeyCheck;
    if (effect !== 'rows' || this.#checkSetUp || check === undefined) return;
    for (const sql of check.setup()) this.#push(this.#rendered(sql));
    this.#checkSetUp = true;
  }

  /** The open transaction's COMMIT checks at least for `effect`. */
  #raiseEffect(effect: ForeignKeyEffect): void {
    if (effect === 'rows' || (effect === 'keys' && this.#transactionEffect === 'none')) this.#transactionEffect = effect;
  }

  /**
   * A statement of the dialect's `prologue()`/`begin()`/`commit()`/`foreignKeyCheck` (text without parameters),
   * rendered once per writer: a script writes them around every revision (SQLite's are nine statements), and
   * rendering each again made ~35 MB of garbage in `upgrade --sql` of 5,000 revisions.
   */
  #rendered(sql: string): string {
    let line = this.#renderedConstants.get(sql);
    if (line === undefined) this.#renderedConstants.set(sql, (line = this.#bind.dialect.offline.renderStatement({ sql, parameters: [] })));
    return line;
  }

  #queries(queries: readonly CompiledQuery[]): void {
    for (const q of queries) this.#statement({ sql: q.sql, parameters: q.parameters });
  }

  #statement(statement: Statement): void {
    if (statement.note !== undefined) for (const line of statement.note.split('\n')) this.#comment(line);
    this.#push(this.#bind.dialect.offline.renderStatement(statement));
  }

  #comment(text: string): void {
    this.#push(this.#bind.dialect.offline.comment(text));
  }

  #blank(): void {
    this.#push('');
  }

  /**
   * Adds a line. Every 4 KiB the lines are joined into one chunk: a script of 5,000 revisions has
   * ~35,000 lines, which, kept to the end, outlived V8's young generation and stayed in the heap
   * as 3 MB of old-generation strings beside the joined script (tools/bench/RESULTS.md, 2026-12-05).
   */
  #push(line: string): void {
    this.#lines.push(line);
    this.#lineChars += line.length + 1;
    if (this.#lineChars >= 4096) this.#joinLines();
  }

  /** Joins the pending lines into one chunk, each line ending with a newline. */
  #joinLines(): void {
    if (this.#lines.length === 0) return;
    this.#lines.push('');
    this.#chunks.push(Buffer.from(this.#lines.join('\n'), 'utf8'));
    this.#lines = [];
    this.#lineChars = 0;
  }

  /**
   * The script: its `sql` is the chunks joined when first read (then kept); a caller writing it
   * out can take the chunks instead ({@link offlineScriptChunks}) and never hold both.
   */
  #script(from: readonly string[], to: readonly string[]): OfflineScript {
    const { bind, dialect } = this.#bind;
    this.#joinLines();
    // A copy of the list (not of the text): a writer used again must not change a script it returned.
    const chunks: readonly Buffer[] = this.#chunks.length === 0 ? [Buffer.from('\n')] : [...this.#chunks];
    let sql: string | undefined;
    const script = {
      bind,
      dialect: dialect.flavour ?? dialect.name,
      from,
      to,
      ...(this.#warnings.length || this.#caveats.size ? { warnings: Object.freeze(this.#scriptWarnings()) } : {}),
      get sql(): string {
        sql ??= Buffer.concat(chunks).toString('utf8');
        return sql;
      },
    };
    Object.defineProperty(script, CHUNKS, { value: chunks });
    return Object.freeze(script);
  }
}

function opError(where: { bind: string; revision: string; file: string }, op: Op, error: unknown, known: OfflineSnapshots): OfflineError {
  const reason = error instanceof Error ? error.message : String(error);
  const table = 'table' in op && typeof op.table === 'string' ? op.table : undefined;
  if (error instanceof SchemaUnknownError) {
    const lost = known.whyUnknown(error.table);
    const unknown =
      lost === undefined
        ? 'which offline mode cannot read (no revision up to this one created it)'
        : `which offline mode stopped following at ${lost} (write the script from a later revision on, or run it online)`;
    return new OfflineError({ ...where, op: describeOp(op), table: error.table, field: error.field }, `it needs the current shape of table '${error.table}', ${unknown}: ${reason}`, { cause: error });
  }
  return new OfflineError({ ...where, op: describeOp(op), ...(table !== undefined ? { table } : {}) }, reason, { cause: error });
}

/** Whether a query returns rows the revision would read: offline there are none. */
function readsRows(query: CompiledQuery): boolean {
  const node: RootOperationNode = query.query;
  switch (node.kind) {
    case 'SelectQueryNode':
      return true;
    case 'InsertQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
      return node.returning !== undefined || node.output !== undefined;
    case 'MergeQueryNode':
      return node.returning !== undefined || node.output !== undefined;
    case 'RawNode':
      // A PRAGMA that sets (`PRAGMA foreign_keys = OFF`) reads nothing; one that asks does.
      return /^\s*(select|show|explain|describe|values|table)\b/i.test(query.sql) || /^\s*pragma\b[^=]*$/i.test(query.sql);
    default:
      return false;
  }
}

function abbreviate(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}
