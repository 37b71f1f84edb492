import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { DialectConnection, Statement } from '../dialect/dialect.js';
import { ResumeRefusedError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import { effectCanBeTold, opEffect, type OpEffect } from './op-effect.js';
import type { SnapshotSource } from './op-compiler.js';
import type { InFlightRevision, ProgressStart, ProgressTable, ProgressWrite } from './progress-table.js';
import { fromFirstKeyword, statementKind } from './statement-kind.js';
import type { QueryTracker } from './tracking-kysely.js';

/** How a write is run: `'read'` is sent on every run (reads, session settings), never counted. */
export type WriteCategory = 'read' | 'dml' | 'ddl';

/**
 * The category of one raw SQL text ({@link statementKind}): a procedural statement (`CALL`, `DO`)
 * is run as a data change, in a transaction with its record.
 */
function sqlCategory(sql: string): WriteCategory {
  const kind = statementKind(sql);
  return kind === 'procedural' ? 'dml' : kind;
}

/**
 * What a raw SQL text does to the session's transaction, by its first keywords: `'begin'` for
 * `BEGIN` (not MariaDB's compound `BEGIN NOT ATOMIC`) and `START TRANSACTION`, `'end'` for `COMMIT`
 * and `ROLLBACK` (not `ROLLBACK TO` a savepoint); `undefined` for anything else.
 * @internal
 */
export function transactionControl(sql: string): 'begin' | 'end' | undefined {
  const text = fromFirstKeyword(sql)
    .replace(/[\s;]+$/, '')
    .toLowerCase();
  if (/^(begin(\s+work)?|start\s+transaction\b.*)$/s.test(text)) return 'begin';
  if (/^(commit|rollback)(\s+work)?(\s+and\s+(no\s+)?chain|\s+(no\s+)?release)*$/.test(text)) return 'end';
  return undefined;
}

/** The category of an `op.db` query, by its Kysely node (raw SQL by its text). */
function queryCategory(query: CompiledQuery): WriteCategory {
  switch (query.query.kind) {
    case 'SelectQueryNode':
      return 'read';
    case 'InsertQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
    case 'MergeQueryNode':
      return 'dml';
    case 'RawNode':
      return sqlCategory(query.sql);
    default:
      return 'ddl';
  }
}

/** The category of an op: data ops are `'dml'`, raw SQL by its text, every other op is DDL. */
function opCategory(op: Op): WriteCategory {
  if (op.kind === 'BulkInsert') return 'dml';
  if (op.kind === 'Execute') return sqlCategory(op.sql);
  return 'ddl';
}

/**
 * Whether a resume judges an op by introspection when it is the first write under a header recorded
 * ahead with no write recorded (see `InFlightRevision.preRecorded`): a DDL op of at least one
 * statement whose whole effect can be told (an earlier multidb sent such a first write with no
 * record of its own only when it was a DDL op). Any other first write (an `op.db` write, a
 * `BulkInsert`, raw SQL) is sent again, not judged.
 * @param statements - how many statements the op compiles to.
 * @internal
 */
export function judgedWhenUnrecorded(op: Op, statements: number): boolean {
  return opCategory(op) === 'ddl' && statements > 0 && effectCanBeTold(op);
}

/**
 * Whether a run counts an op as one write of its progress ({@link RevisionProgress}), whatever
 * number of statements it compiles to (none, for an enum op on MySQL): every op but raw SQL that
 * reads or sets the session, or begins or ends a transaction (sent again on every run, never counted).
 * @internal
 */
export function opIsWrite(op: Op): boolean {
  if (op.kind === 'Execute' && transactionControl(op.sql)) return false;
  return opCategory(op) !== 'read';
}

/**
 * Whether a run counts an `op.db` query as one write of its progress: a data change, or raw SQL
 * that is not a read nor a transaction's BEGIN or COMMIT.
 * @internal
 */
export function queryIsWrite(query: CompiledQuery): boolean {
  if (query.query.kind === 'RawNode' && transactionControl(query.sql)) return false;
  return queryCategory(query) !== 'read';
}

/** JSON for hashing: bigints, dates and byte arrays written out, keys in the order given. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    return v;
  });
}

let crypto: typeof Crypto | undefined;

/** SHA-256 in hex (node:crypto is loaded on the first call: most commands never hash). @internal */
export function sha256(text: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** How messages name an op: `createTable t16`, `execute INSERT INTO …`. @internal */
export function describeOp(op: Op): string {
  const verb = op.kind[0]!.toLowerCase() + op.kind.slice(1);
  if (op.kind === 'Execute') return `execute ${short(op.sql)}`;
  if (op.kind === 'CreateTable') return `${verb} ${op.table.name}`;
  if ('table' in op && typeof op.table === 'string') {
    const name = 'name' in op && typeof op.name === 'string' ? ` ${op.name}` : 'column' in op && typeof op.column === 'string' ? `.${op.column}` : '';
    return `${verb} ${op.table}${name}`;
  }
  return 'name' in op ? `${verb} ${op.name}` : verb;
}

function short(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 160 ? `${one.slice(0, 157)}...` : one;
}

const SKIPPED: QueryResult<unknown> = Object.freeze({ rows: [], numAffectedRows: 0n });

/** What a write sends: its statements (one for an `op.db` write), each judged on its own on resume. */
interface WriteBody {
  /** How many statements it has. */
  readonly statements: number;
  /** Sends statement `i` (0-based). */
  send(i: number): Promise<void>;
  /** Whether statement `i` took effect, by introspection. */
  effect(i: number): Promise<OpEffect>;
  /** Statement `i` for messages (`statement 2 of 3 (ALTER TABLE …)`; `''` for a write of one). */
  describe(i: number): string;
  /** Whether introspection can tell the effect of its last statement (its done mark may be left out). */
  readonly tellable: boolean;
  /** Whether a resume judges it as a whole (`effect(-1)`) when it may have been sent with no record ({@link judgedWhenUnrecorded}). */
  readonly judgedWhenUnrecorded: boolean;
  /** SHA-256 of its first `n` statements (SQL and parameters), as recorded with a statement count. */
  prefixHash(n: number): string;
}

/**
 * The version-table write of the step before, held back by the runner until this step sends
 * something (see {@link RevisionProgress}), or until a second went by without a send (then the
 * runner sends it alone): Alembic's order on MySQL, where a revision's version UPDATE is committed
 * only by the next revision's first DDL, with one commit fewer per revision.
 * @internal
 */
export interface DeferredVersionWrite {
  /**
   * Sends the deferred write, with `record` (this step's first progress record) in the same
   * transaction where it can. Once sent, resolves to `false` at once; once failed, throws that
   * failure again (a revision that catches it cannot go on writing).
   * @returns whether `record` was sent (and committed) with it.
   */
  send(record?: CompiledQuery): Promise<boolean>;
}

/**
 * The progress of one step of a revision on a bind whose DDL commits implicitly (DESIGN §10): each
 * write the revision sends (an op, or an `op.db` write) is counted and recorded in the bind's
 * {@link ProgressTable}. The revision's header (`start`) goes out with its first write, in the same
 * INSERT: a revision that writes nothing records nothing. A data write runs in its own transaction
 * together with its record, so a kill never records an uncommitted write; a DDL write is recorded
 * as pending before it is sent and as done right after, except when introspection can tell its
 * effect: then the next write's record (a write is sent only after the one before it completed),
 * the step's version-table update (which clears the table) or {@link RevisionProgress.settle} on
 * failure stands for that mark, and a kill in between leaves it pending. An op that compiles to
 * several statements records, before sending each statement after its first, how many completed
 * and a hash of them as sent (and, when one fails, that the ones before it completed), so a resume
 * sends only the statements that did not complete, and is refused when those it would skip now
 * compile differently. An op that compiles to no statement (an enum op on MySQL) is recorded only in
 * the INSERT of the next write's record. When the step resumes a partly applied run, each write recorded as done
 * is compared (by hash) and skipped; reads run again. Of a pending op, only the statement whose
 * completion was not recorded is judged by introspection (by the op it performs alone, see
 * `Dialect.statementEffects`); one whose effect cannot be told, as raw SQL, is refused.
 *
 * A step whose header the step before it recorded ahead (`preRecorded`, see
 * `ProgressTable.aheadStatement`) records its first write like any other, before sending it: the
 * header cannot stand for its pending mark, since it does not say which op that write was, and a
 * re-run whose first op differs (a table named from an environment variable, a value read with
 * `op.db`) must be compared with it, not judged by introspection of its own op (which would find
 * nothing and leave both runs' objects). A resume of such a header with no write recorded (one an
 * earlier multidb recorded, which sent a first write unrecorded) judges the first write by
 * introspection when it is a DDL op whose effect can be told (done: recorded as done and
 * skipped); otherwise it runs.
 *
 * A step given the previous step's version-table write deferred (`deferred`) sends it before anything
 * of its own (a read, a data write, a transaction of `op.db`, or the step's end), except that when
 * its first write is a DDL op, the record of that write (with the step's header) goes in the same
 * transaction as the deferred write: the previous step is recorded as applied and this one's first
 * write as pending in one commit. What a kill leaves is what it left before (the previous step
 * in flight with its writes, or this one with its first write pending); only a commit is saved.
 * @internal
 */
export class RevisionProgress {
  readonly #conn: DialectConnection;
  readonly #table: ProgressTable;
  readonly #bind: string;
  readonly #revision: string;
  readonly #direction: 'up' | 'down';
  readonly #resume: InFlightRevision | undefined;
  readonly #snapshots: SnapshotSource;
  #start: ProgressStart | undefined;
  readonly #startGiven: boolean;
  #count = 0;
  #userTransaction = false;
  /**
   * The last write known to have completed, described, and its step: the last one recorded as
   * done when resuming, until this run completes one after it (a write the resume re-checks does
   * not move it back).
   */
  #last: string | undefined;
  #lastStep = 0;
  /**
   * Ops that compiled to no statement since the last record: recorded (as done, with their hash,
   * so an edit of them is noticed on resume) in the INSERT of the next write, never on their own.
   */
  #silent: ProgressWrite[] = [];
  /**
   * The last DDL write that completed with its done mark left out (a later write's record may stand
   * for it already: marking it again on failure is harmless).
   */
  #unmarked: number | undefined;
  /** Whether the header was recorded ahead (and this step does not resume). */
  readonly #preRecorded: boolean;
  /**
   * Settles when the last write that reached {@link #write} has: the next one waits for it. A
   * revision may start a write before the one before it completed (an `op.db` query not awaited,
   * `Promise.all` of ops): on the bind's one session, their BEGIN, statements, records and COMMIT
   * would interleave (one's ROLLBACK undoing another's statement recorded as done, steps recorded
   * out of order), so they run one at a time, in the order they reach the progress.
   */
  #turn: Promise<unknown> = Promise.resolve();
  /** The previous step's version-table write, held back until this step sends something (or the runner's wait ran out). */
  readonly #deferred: DeferredVersionWrite | undefined;

  constructor(options: {
    conn: DialectConnection;
    table: ProgressTable;
    bind: string;
    revision: string;
    direction: 'up' | 'down';
    resume: InFlightRevision | undefined;
    snapshots: SnapshotSource;
    /** Without `resume`: the header recorded with the first write. */
    start?: ProgressStart;
    /**
     * Without `resume`: the header is in the table already, recorded ahead by the previous step's
     * version-table write (`start` is then left out).
     */
    preRecorded?: boolean;
    /** The previous step's version-table write, held back (see the class). */
    deferred?: DeferredVersionWrite;
  }) {
    this.#conn = options.conn;
    this.#table = options.table;
    this.#bind = options.bind;
    this.#revision = options.revision;
    this.#direction = options.direction;
    this.#resume = options.resume;
    this.#snapshots = options.snapshots;
    this.#preRecorded = !options.resume && options.preRecorded === true;
    this.#start = options.resume || this.#preRecorded ? undefined : options.start;
    this.#startGiven = this.#start !== undefined;
    const recordedDone = options.resume?.writes.filter((w) => w.state === 'done').at(-1);
    this.#last = recordedDone?.description;
    this.#lastStep = recordedDone?.step ?? 0;
    this.#deferred = options.deferred;
  }

  /**
   * Sends the previous step's deferred version-table write, if there is one and it was not sent yet
   * (the runner calls it when the step ends, whatever it sent).
   * @throws the deferred write's failure.
   */
  async sendDeferred(): Promise<void> {
    await this.#deferred?.send();
  }

  /** Whether this step resumes a partly applied run. */
  get resuming(): boolean {
    return this.#resume !== undefined;
  }

  /**
   * Whether the progress table may hold rows of this step (it resumes, or a write was recorded):
   * the version-table update must then clear it.
   */
  get recorded(): boolean {
    if (this.#resume !== undefined || this.#preRecorded) return true;
    return this.#startGiven ? this.#start === undefined : this.#count > 0;
  }

  /**
   * Marks the DDL write whose done mark was left to what comes next (see the class): a step that
   * stops before its version-table update leaves its progress exact. Call it once the step failed.
   */
  async settle(): Promise<void> {
    const step = this.#unmarked;
    this.#unmarked = undefined;
    if (step === undefined) return;
    await this.#table.markDone(this.#conn.plainDb, this.#revision, step);
  }

  /**
   * Runs an op: compiles it (only when some of it is still to send) and sends its statements
   * through `execute`, skipping those a resumed run completed.
   * @param compile - the op's statements, in order.
   * @param execute - sends one statement.
   * @param compileAlone - the op's statements compiled without the live schema (from the op and
   *   the config alone): what the hash of its completed statements covers, so statements whose text
   *   follows the schema they changed (a dropped foreign key's implicit index) still match on resume.
   */
  async op(op: Op, compile: () => Promise<Statement[]>, execute: (statement: Statement) => Promise<void>, compileAlone?: () => Promise<Statement[]>): Promise<void> {
    const control = op.kind === 'Execute' ? transactionControl(op.sql) : undefined;
    if (control) {
      return this.#control(control, async () => {
        for (const statement of await compile()) await execute(statement);
      });
    }
    const category = opCategory(op);
    if (category === 'read') {
      await this.sendDeferred();
      for (const statement of await compile()) await execute(statement);
      return;
    }
    await this.#inTurn(() => this.#write({ kind: 'op', description: describeOp(op), hash: sha256(stableJson(op)) }, category, async () => {
      const statements = await compile();
      const effects = statements.length > 1 ? this.#conn.dialect.statementEffects?.(op) : undefined;
      const alone = effects?.length === statements.length ? effects : undefined;
      const judged = (i: number): Op | undefined => (statements.length === 1 ? op : alone?.[i]);
      // The live schema changes as the statements complete: it is left out of their hash when it can be.
      const offline = statements.length > 1 ? await compileAlone?.().catch(() => undefined) : undefined;
      const hashed = offline?.length === statements.length ? offline : statements;
      return {
        statements: statements.length,
        send: (i) => execute(statements[i]!),
        effect: async (i) => {
          const by = i < 0 ? op : judged(i); // -1: the whole op (a row recorded without statement counts)
          return by && by.kind !== 'Execute' ? opEffect(by, this.#snapshots) : 'unknown';
        },
        describe: (i) => (statements.length > 1 ? `statement ${i + 1} of ${statements.length} (${short(statements[i]!.sql)}) of ` : ''),
        tellable: effectCanBeTold(op) && (statements.length <= 1 || (alone !== undefined && effectCanBeTold(alone.at(-1)!))),
        judgedWhenUnrecorded: judgedWhenUnrecorded(op, statements.length),
        prefixHash: (n) => sha256(stableJson(hashed.slice(0, n).map((s) => [s.sql, s.parameters]))),
      };
    }));
  }

  /** The tracker of the step's `op.db` (see `trackingKysely`). */
  get queries(): QueryTracker {
    return {
      query: async (query, send) => {
        const control = query.query.kind === 'RawNode' ? transactionControl(query.sql) : undefined;
        if (control) {
          let result: QueryResult<unknown> = SKIPPED;
          await this.#control(control, async () => {
            result = await send();
          });
          return result;
        }
        const category = queryCategory(query);
        if (category === 'read') {
          await this.sendDeferred();
          return send();
        }
        let result: QueryResult<unknown> = SKIPPED;
        await this.#inTurn(() =>
          this.#write(
            { kind: 'db', description: `op.db ${short(query.sql)}`, hash: sha256(stableJson({ sql: query.sql, parameters: query.parameters })) },
            category,
            async () => ({
              statements: 1,
              send: async () => {
                result = await send();
              },
              effect: async () => 'unknown',
              describe: () => '',
              tellable: false,
              judgedWhenUnrecorded: false,
              prefixHash: () => '',
            }),
          ),
        );
        return result;
      },
      begin: () => this.#control('begin', () => this.#conn.begin()),
      commit: async () => {
        this.#userTransaction = false;
        await this.#conn.commit();
      },
      rollback: async () => {
        this.#userTransaction = false;
        await this.#conn.rollback();
      },
    };
  }

  /**
   * A statement that begins or ends the revision's own transaction (`op.db.transaction()`, or a
   * BEGIN, START TRANSACTION, COMMIT or ROLLBACK it sends itself): sent on every run, never counted
   * nor recorded; while that transaction is open, a data write and its record commit with it (or
   * not at all), and a DDL write ends it (MySQL commits implicitly).
   * @param send - sends the statement (its error, marked with it, rejects this call).
   */
  async #control(kind: 'begin' | 'end', send: () => Promise<void>): Promise<void> {
    await this.sendDeferred();
    // The header must outlive a rollback of the revision's own transaction: it goes out first.
    if (kind === 'begin' && this.#start) {
      await this.#table.start(this.#conn.plainDb, this.#start);
      this.#start = undefined;
    }
    await send();
    this.#userTransaction = kind === 'begin';
  }

  /**
   * Whether a transaction that the revision began itself is still open (it sent BEGIN, or
   * `op.db.transaction()` / `startTransaction()` began one, and no COMMIT, ROLLBACK or DDL statement
   * ended it since): at the end of the step, a transaction the revision left open.
   */
  get transactionOpen(): boolean {
    return this.#userTransaction;
  }

  /**
   * Checks, at the end of the step, that the revision sent at least the writes recorded as applied.
   * @throws {@link ResumeRefusedError} when it sent fewer.
   */
  finish(): void {
    const recorded = this.#resume?.writes.at(-1)?.step ?? 0;
    if (this.#count < recorded) {
      throw this.#refuse(`it now sends ${this.#count} write(s), but ${recorded} were applied (the revision changed).`);
    }
  }

  /** Notes that write `step` completed (or was found completed): the last applied write, unless a later one is. */
  #completed(step: number, description: string): void {
    if (step < this.#lastStep) return;
    this.#lastStep = step;
    this.#last = description;
  }

  #refuse(reason: string, effectUnknown = false): ResumeRefusedError {
    return new ResumeRefusedError({ bind: this.#bind, revision: this.#revision, ...(this.#last !== undefined ? { lastApplied: this.#last } : {}), reason, ...(effectUnknown ? { effectUnknown } : {}) });
  }

  /** Runs `write` once the writes that reached the progress before it have settled (see {@link #turn}). */
  #inTurn(write: () => Promise<void>): Promise<void> {
    const run = this.#turn.then(write);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #write(write: Omit<ProgressWrite, 'step' | 'state'>, category: 'dml' | 'ddl', prepare: () => Promise<WriteBody>): Promise<void> {
    const step = ++this.#count;
    const db = this.#conn.plainDb;
    const record = async (state: 'done' | 'pending', statementsDone?: number) => {
      await this.#table.record(db, this.#revision, this.#direction, { ...write, step, state, ...(statementsDone !== undefined ? { statementsDone } : {}) }, this.#start, this.#silent);
      this.#start = undefined;
      this.#silent = [];
    };
    const previous = this.#resume?.writes.find((w) => w.step === step);
    // The deferred write goes first, alone, unless this write's pending record can go with it (below).
    const foldable = this.#deferred !== undefined && category === 'ddl' && !previous && this.#resume === undefined;
    if (!foldable) await this.sendDeferred();
    let body: WriteBody | undefined;
    let from = 0; // the first statement to send
    if (!previous && step === 1 && this.#resume?.preRecorded) {
      // The header was recorded ahead and no write is: an earlier multidb sent this first write with
      // no record when it was a DDL op of one statement whose effect can be told (judged here as a
      // whole: its statements may compile otherwise once it took effect). Any other was not sent.
      body = await prepare();
      if (body.judgedWhenUnrecorded) {
        const effect = await body.effect(-1);
        if (effect === 'unknown') {
          throw this.#refuse(
            `the last run stopped before recording its first write (${write.description}), which may have been sent, and whether it took effect cannot be told from the database.`,
            true,
          );
        }
        if (effect === 'done') {
          await record('done');
          this.#completed(step, write.description);
          return;
        }
      }
    }
    if (previous) {
      if (previous.hash !== write.hash) {
        throw this.#refuse(`write ${step} (${write.description}) is not the one applied (${previous.description}): the revision, or an input it reads (an environment variable, the -x arguments, a value read with op.db), changed before its last applied write.`);
      }
      if (previous.state === 'done') {
        this.#completed(step, previous.description);
        return;
      }
      // Sent, its completion not recorded (a kill between the DDL and its record), or an op of
      // several statements stopped after some of them.
      body = await prepare();
      const done = previous.statementsDone ?? 0;
      if (body.statements > 0 && done >= body.statements) {
        throw this.#refuse(`the last run completed ${done} statement(s) of write ${step} (${write.description}), which now compiles to ${body.statements}.`);
      }
      // The statements recorded as completed are skipped: they must be the ones that were sent (the
      // op compiles from the live schema and the config's naming convention, which may have changed).
      if (done > 0 && previous.statementsHash !== undefined && previous.statementsHash !== body.prefixHash(done)) {
        throw this.#refuse(
          `the last run completed ${done} statement(s) of write ${step} (${write.description}), which now compile differently ` +
            `(the config's naming convention, the schema or multidb changed), so they cannot be skipped.`,
        );
      }
      // A row without statement counts (an older multidb's) of an op of several: the whole op is judged.
      const legacy = previous.statementsDone === undefined && body.statements > 1;
      // 'partial': the statement after the completed ones failed, so it did not apply.
      const effect: OpEffect = body.statements === 0 ? 'done' : previous.state === 'partial' ? 'not-done' : await body.effect(legacy ? -1 : done);
      if (effect === 'unknown') {
        throw this.#refuse(
          `the last run stopped while sending ${legacy ? '' : body.describe(done)}write ${step} (${write.description}), and whether it took effect cannot be told from the database.`,
          true,
        );
      }
      from = effect === 'done' ? (legacy ? body.statements : done + 1) : done;
      if (from >= body.statements) {
        await this.#table.markDone(db, this.#revision, step);
        this.#completed(step, write.description);
        return;
      }
      if (from === 0) await this.#table.forget(db, this.#revision, step);
    }
    body ??= await prepare();
    const statements = body.statements;
    // An op that compiles to nothing here (an enum op on MySQL) sends nothing: it is recorded with
    // the next write's record (no round trip of its own), or not at all when none follows.
    if (statements === 0 && !previous) {
      this.#silent.push({ ...write, step, state: 'done' });
      return;
    }
    if (category === 'dml') {
      const sendAll = async () => {
        for (let i = 0; i < statements; i++) await body.send(i);
      };
      if (this.#userTransaction) {
        // Its record commits with the revision's own transaction, or not at all: no stand-in yet.
        await sendAll();
        await record('done');
      } else {
        const [start, silent] = [this.#start, this.#silent];
        await this.#conn.begin();
        try {
          await sendAll();
          await record('done');
          await this.#conn.commit();
        } catch (error) {
          [this.#start, this.#silent] = [start, silent]; // rolled back with the write
          await this.#conn.rollback();
          throw error;
        }
      }
    } else {
      // An op of several statements counts them from 0 (no count: a write of one).
      // Folded: the pending record went in the transaction of the deferred write (when it could).
      const folded =
        from === 0 &&
        foldable &&
        (await this.#deferred!.send(
          this.#table.recordStatement(db, this.#revision, this.#direction, { ...write, step, state: 'pending', ...(statements > 1 ? { statementsDone: 0 } : {}) }, this.#start, this.#silent),
        ));
      if (folded) {
        this.#start = undefined;
        this.#silent = [];
      } else if (from === 0) await record('pending', statements > 1 ? 0 : undefined);
      else await this.#table.markStatements(db, this.#revision, step, from, 'pending', body.prefixHash(from));
      // A DDL statement commits the revision's own transaction implicitly, if one is open.
      this.#userTransaction = false;
      for (let i = from; i < statements; i++) {
        // Each statement is sent only once the one before it completed and was recorded.
        if (i > from) await this.#table.markStatements(db, this.#revision, step, i, 'pending', body.prefixHash(i));
        try {
          await body.send(i);
        } catch (error) {
          // A statement that failed did not apply: an op that failed on its first left nothing,
          // one that failed later resumes at the statement that failed.
          if (i === 0) await this.#table.forget(db, this.#revision, step).catch(() => undefined);
          else await this.#table.markStatements(db, this.#revision, step, i, 'partial', body.prefixHash(i)).catch(() => undefined);
          throw error;
        }
      }
      if (body.tellable && statements > 0) this.#unmarked = step;
      else await this.#table.markDone(db, this.#revision, step);
    }
    this.#completed(step, write.description);
  }
}
