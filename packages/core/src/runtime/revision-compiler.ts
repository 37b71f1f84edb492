import type { CompiledQuery } from 'kysely';
import type { Dialect, Statement } from '../dialect/dialect.js';
import type { Op } from '../operations/op-objects.js';
import { Operations } from '../operations/operations.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { RevisionModule } from '../script/module-loader.js';
import { capturingKysely } from './capturing-kysely.js';
import { compileOp, type SnapshotSource } from './op-compiler.js';
import { IdentifierTooLongError, NonTransactionalOpError, UnsupportedIndexError } from '../errors.js';
import { checkOutsideTransaction } from './non-transactional-op.js';
import { checkIdentifierLimit, type TruncatedIdentifiers } from './identifier-limit.js';
import { checkIndexes } from './unsupported-index.js';
import { judgedWhenUnrecorded, opIsWrite, queryIsWrite } from './revision-progress.js';

/** A statement of a compiled revision. */
export interface CompiledStatement extends Statement {
  /** `op`: compiled from an op object; `query-builder`: an `op.db` (Kysely) query, compiled, not run. */
  readonly source: 'op' | 'query-builder';
  /**
   * The write it is part of, 1-based, as a run on a database whose DDL commits implicitly (MySQL,
   * MariaDB) counts the steps of its progress: one per op, whatever number of statements it
   * compiles to (the statements of an op share it; an op that compiles to none, an enum op on
   * MySQL, takes a number too), one per `op.db` write. Omitted for a statement a run sends again
   * on resume: a read, a session setting, a transaction's BEGIN or COMMIT.
   */
  readonly write?: number;
}

/** What a revision would run, compiled without running it. */
export interface CompiledRevision {
  /** The statements, in the order a run would send them. */
  readonly statements: readonly CompiledStatement[];
  /**
   * Why the result may be incomplete: an op that did not compile (with `onError: 'note'`), an error
   * thrown by the revision, `op.db` queries that returned no rows.
   */
  readonly notes: readonly string[];
  /**
   * Whether a resume on MySQL/MariaDB judges write 1 by introspection when the run that stopped
   * may have sent it with no record (its header recorded ahead, no write recorded): write 1 is a
   * DDL op whose effect can be told, of at least one statement. Otherwise it is sent again.
   */
  readonly firstWriteJudged: boolean;
}

/** Options of {@link compileRevision}. */
export interface RevisionCompileOptions {
  /** The bind the revision is compiled for (`op.bind`). */
  readonly bind: string;
  /** The bind's dialect. */
  readonly dialect: Dialect;
  /** The project's naming convention. */
  readonly namingConvention: NamingConvention;
  /** The bind's default schema (PostgreSQL), if any. */
  readonly defaultSchema?: string;
  /** Where the current shape of a table comes from (the live database, or offline knowledge). */
  readonly snapshots: SnapshotSource;
  /**
   * `'note'` (default): an op that does not compile, or an error the revision throws, becomes a
   * note and the rest still compiles (the SQL preview). `'throw'`: the first error is thrown
   * (offline mode).
   */
  readonly onError?: 'note' | 'throw';
  /**
   * Called with each `op.db` query before it is recorded; what it throws stops the revision
   * (offline mode refuses reads: there is nothing to read).
   */
  readonly onQuery?: (query: CompiledQuery) => void;
  /**
   * Called after each op compiled, in order, with the statements it added to the result (offline
   * mode's knowledge of the tables follows the ops, and an op that needs a transaction gets one).
   */
  readonly onOp?: (op: Op, statements: readonly CompiledStatement[]) => void;
  /**
   * Called with an op that gives the database a name it truncates (PostgreSQL: over 63 bytes), and
   * the warning for it (see `checkIdentifierLimit`), before the op is compiled: the op still
   * compiles, as a run sends it. With `onError: 'note'` the warning is also a note.
   */
  readonly onWarning?: (op: Op, warning: TruncatedIdentifiers) => void;
  /**
   * With `onError: 'throw'`: turns the error of an op that did not compile into the error thrown
   * (offline mode names the bind, revision and op). Default: the error as it is.
   */
  readonly mapOpError?: (op: Op, error: unknown) => unknown;
  /** The revision's `op.xArgs` (Alembic's `-x`; default `{}`). */
  readonly xArgs?: Readonly<Record<string, string>>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a revision's `upgrade(op)` or `downgrade(op)` against a collecting `op`: each op object is
 * compiled through {@link compileOp} (the same path a run takes) and `op.db` queries through the
 * dialect's query compiler, and nothing is executed. The TUI's SQL preview and offline mode both
 * call this. As a run does, it refuses an op the dialect cannot run in a transaction block
 * (`Dialect.forbidsTransaction`) when the revision runs in a transaction: a
 * `NonTransactionalOpError`, and an op that gives the database a name longer than the dialect keeps
 * (`DialectCapabilities.identifierLimit`) where it refuses such a name (MySQL), or where two names
 * of the op would be cut to one (PostgreSQL): an `IdentifierTooLongError`, and an op that creates
 * an index the database cannot have (`Dialect.unsupportedIndex`): an `UnsupportedIndexError`, each
 * noted or thrown as `onError` says. A name the dialect truncates (PostgreSQL) compiles as
 * written, with a warning (`onWarning`; a note with `onError: 'note'`).
 *
 * @param module - the imported revision (`loadRevisionModule`).
 * @param direction - `'up'` (upgrade) or `'down'` (downgrade).
 * @returns the statements in order, and notes.
 * @throws with `onError: 'throw'`, the first error of an op or of the revision itself.
 * @example
 * ```ts
 * const { statements } = await compileRevision(module, 'up', { bind: 'db2', dialect, namingConvention, snapshots });
 * for (const s of statements) console.log(s.sql);
 * ```
 */
export async function compileRevision(module: RevisionModule, direction: 'up' | 'down', options: RevisionCompileOptions): Promise<CompiledRevision> {
  const statements: CompiledStatement[] = [];
  const notes: string[] = []; // the revision's own error first, then the ops', then op.db's
  const opNotes: string[] = [];
  const throwing = options.onError === 'throw';
  let queries = 0;
  let writes = 0; // as a run counts them (see CompiledStatement.write)
  let firstWriteJudged = false;
  // As a run: an op the dialect refuses in a transaction block, in a revision that runs in one.
  const transactional = module.transaction && options.dialect.capabilities.transactionalDdl;
  const site = { bind: options.bind, revision: module.script.revision, file: module.script.path };
  const runner = {
    dialect: options.dialect,
    async run(op: Op): Promise<void> {
      try {
        checkOutsideTransaction(op, options.dialect, transactional, site);
        const truncated = checkIdentifierLimit(op, options.dialect, site);
        checkIndexes(op, options.dialect, site);
        if (truncated) {
          options.onWarning?.(op, truncated);
          if (!throwing) opNotes.push(`WARNING: ${truncated.message}`);
        }
        // Counted before it compiles, as a run counts it (an op that does not compile stops the run there).
        const write = opIsWrite(op) ? ++writes : undefined;
        const compiled = await compileOp(op, {
          dialect: options.dialect,
          namingConvention: options.namingConvention,
          snapshots: options.snapshots,
          ...(options.defaultSchema !== undefined ? { defaultSchema: options.defaultSchema } : {}),
        });
        const added = compiled.map(
          (s): CompiledStatement => ({ sql: s.sql, parameters: s.parameters, ...(s.note !== undefined ? { note: s.note } : {}), source: 'op', ...(write !== undefined ? { write } : {}) }),
        );
        if (write === 1) firstWriteJudged = judgedWhenUnrecorded(op, compiled.length);
        statements.push(...added);
        options.onOp?.(op, added);
      } catch (error) {
        if (throwing) throw options.mapOpError ? options.mapOpError(op, error) : error;
        const where = 'table' in op ? ` on '${typeof op.table === 'string' ? op.table : op.table.name}'` : '';
        if (error instanceof NonTransactionalOpError || error instanceof IdentifierTooLongError || error instanceof UnsupportedIndexError) opNotes.push(`${op.kind}${where} would be refused when run: ${message(error)}`);
        else opNotes.push(`${op.kind}${where} does not compile against the current schema: ${message(error)}`);
      }
    },
  };
  // Made when the revision first reads `op.db` (most never do).
  const db = () =>
    capturingKysely(options.dialect.queryBuilder(), (q) => {
      options.onQuery?.(q);
      queries++;
      statements.push({ sql: q.sql, parameters: q.parameters, source: 'query-builder', ...(queryIsWrite(q) ? { write: ++writes } : {}) });
    });
  const op = new Operations({ db, bind: options.bind, runner, namingConvention: options.namingConvention, ...(options.xArgs ? { xArgs: options.xArgs } : {}) });
  try {
    await (direction === 'up' ? module.upgrade(op) : module.downgrade(op));
  } catch (error) {
    if (throwing) throw error;
    notes.push(`The revision stopped: ${message(error)}`);
  }
  notes.push(...opNotes);
  if (queries > 0) notes.push('op.db queries are compiled, not run: in the preview they return no rows.');
  return { statements, notes, firstWriteJudged };
}
