import { createHash } from 'node:crypto';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { DialectConnection } from '../dialect/dialect.js';
import { ResumeRefusedError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import { effectCanBeTold, opEffect } from './op-effect.js';
import type { SnapshotSource } from './op-compiler.js';
import type { InFlightRevision, ProgressStart, ProgressTable, ProgressWrite } from './progress-table.js';
import type { QueryTracker } from './tracking-kysely.js';

/** How a write is run: `'read'` is sent on every run (reads, session settings), never counted. */
export type WriteCategory = 'read' | 'dml' | 'ddl';

/**
 * The category of one SQL text by its first keyword: reads and session settings (`SELECT`, `SHOW`,
 * `SET`…) are `'read'`, data changes (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`, `WITH`…) `'dml'`,
 * anything else (DDL) `'ddl'`.
 * @internal
 */
export function sqlCategory(sql: string): WriteCategory {
  const text = sql.replace(/^(\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  const word = /^[A-Za-z]+/.exec(text)?.[0]?.toLowerCase() ?? '';
  if (['select', 'show', 'explain', 'describe', 'desc', 'set', 'use', 'values', 'table', 'help'].includes(word)) return 'read';
  if (['insert', 'update', 'delete', 'replace', 'merge', 'with', 'call', 'load', 'do', 'upsert'].includes(word)) return 'dml';
  return 'ddl';
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
  if (op.kind === 'Execute') return sqlCategory(op.sql) === 'read' ? 'read' : sqlCategory(op.sql);
  return 'ddl';
}

/** JSON for hashing: bigints, dates and byte arrays written out, keys in the order given. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    return v;
  });
}

/** SHA-256 in hex. @internal */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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

/**
 * The progress of one step of a revision on a bind whose DDL commits implicitly (DESIGN §10): each
 * write the revision sends (an op, or an `op.db` write) is counted and recorded in the bind's
 * {@link ProgressTable}. The revision's header (`start`) goes out with its first write, in the same
 * INSERT: a revision that writes nothing records nothing. A data write runs in its own transaction
 * together with its record, so a kill never records an uncommitted write; a DDL write is recorded
 * as pending before it is sent and as done right after, except when introspection can tell its
 * effect: then the next write's record (a write is sent only after the one before it completed),
 * the step's version-table update (which clears the table) or {@link RevisionProgress.settle} on
 * failure stands for that mark, and a kill in between leaves it pending. When the step resumes a
 * partly applied run, each write recorded as done is compared (by hash) and skipped; reads run
 * again. A pending DDL op counts as done when introspection finds its effect; raw SQL left pending
 * is refused.
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
  #last: string | undefined;
  /**
   * The last DDL write that completed with its done mark left out (a later write's record may stand
   * for it already: marking it again on failure is harmless).
   */
  #unmarked: number | undefined;

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
  }) {
    this.#conn = options.conn;
    this.#table = options.table;
    this.#bind = options.bind;
    this.#revision = options.revision;
    this.#direction = options.direction;
    this.#resume = options.resume;
    this.#snapshots = options.snapshots;
    this.#start = options.resume ? undefined : options.start;
    this.#startGiven = this.#start !== undefined;
    this.#last = options.resume?.writes.filter((w) => w.state === 'done').at(-1)?.description;
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
    if (this.#resume !== undefined) return true;
    return this.#startGiven ? this.#start === undefined : this.#count > 0;
  }

  /**
   * Marks the DDL write whose done mark was left to what comes next (see the class): a step that
   * stops before its version-table update leaves its progress exact. Call it once the step failed.
   */
  async settle(): Promise<void> {
    const step = this.#unmarked;
    if (step === undefined) return;
    this.#unmarked = undefined;
    await this.#table.markDone(this.#conn.db, this.#revision, step);
  }

  /**
   * Runs an op's statements through `send` (or skips them when the op is already applied).
   * @param statementsSent - how many of its statements `send` got to send before failing.
   */
  async op(op: Op, send: () => Promise<void>, statementsSent: () => number): Promise<void> {
    const category = opCategory(op);
    if (category === 'read') return send();
    await this.#write({ kind: 'op', description: describeOp(op), hash: sha256(stableJson(op)) }, category, op, send, statementsSent);
  }

  /** The tracker of the step's `op.db` (see `trackingKysely`). */
  get queries(): QueryTracker {
    return {
      query: async (query, send) => {
        const category = queryCategory(query);
        if (category === 'read') return send();
        let result: QueryResult<unknown> = SKIPPED;
        let sent = 0;
        await this.#write(
          { kind: 'db', description: `op.db ${short(query.sql)}`, hash: sha256(stableJson({ sql: query.sql, parameters: query.parameters })) },
          category,
          undefined,
          async () => {
            sent++;
            result = await send();
          },
          () => sent,
        );
        return result;
      },
      begin: async () => {
        // The header must outlive a rollback of the revision's own transaction: it goes out first.
        if (this.#start) {
          await this.#table.start(this.#conn.db, this.#start);
          this.#start = undefined;
        }
        await this.#conn.begin();
        this.#userTransaction = true;
      },
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
   * Checks, at the end of the step, that the revision sent at least the writes recorded as applied.
   * @throws {@link ResumeRefusedError} when it sent fewer.
   */
  finish(): void {
    const recorded = this.#resume?.writes.at(-1)?.step ?? 0;
    if (this.#count < recorded) {
      throw this.#refuse(`it now sends ${this.#count} write(s), but ${recorded} were applied (the revision changed).`);
    }
  }

  #refuse(reason: string): ResumeRefusedError {
    return new ResumeRefusedError({ bind: this.#bind, revision: this.#revision, ...(this.#last !== undefined ? { lastApplied: this.#last } : {}), reason });
  }

  async #write(
    write: Omit<ProgressWrite, 'step' | 'state'>,
    category: 'dml' | 'ddl',
    op: Op | undefined,
    send: () => Promise<void>,
    statementsSent: () => number,
  ): Promise<void> {
    const step = ++this.#count;
    const db = this.#conn.db;
    const record = async (state: 'done' | 'pending') => {
      await this.#table.record(db, this.#revision, this.#direction, { ...write, step, state }, this.#start);
      this.#start = undefined;
    };
    const previous = this.#resume?.writes.find((w) => w.step === step);
    if (previous) {
      if (previous.hash !== write.hash) {
        throw this.#refuse(`write ${step} (${write.description}) is not the one applied (${previous.description}): the revision changed before its last applied write.`);
      }
      if (previous.state === 'done') {
        this.#last = previous.description;
        return;
      }
      // Sent, its completion not recorded: a kill between the DDL and its record.
      const effect = op && op.kind !== 'Execute' ? await opEffect(op, this.#snapshots) : 'unknown';
      if (effect === 'unknown') {
        throw this.#refuse(`the last run stopped while sending write ${step} (${write.description}), and whether it took effect cannot be told from the database.`);
      }
      if (effect === 'done') {
        await this.#table.markDone(db, this.#revision, step);
        this.#last = write.description;
        return;
      }
      await this.#table.forget(db, this.#revision, step);
    }
    if (category === 'dml') {
      if (this.#userTransaction) {
        // Its record commits with the revision's own transaction, or not at all: no stand-in yet.
        await send();
        await record('done');
      } else {
        const start = this.#start;
        await this.#conn.begin();
        try {
          await send();
          await record('done');
          await this.#conn.commit();
        } catch (error) {
          this.#start = start; // rolled back with the write
          await this.#conn.rollback();
          throw error;
        }
      }
    } else {
      await record('pending');
      try {
        await send();
      } catch (error) {
        // A statement that failed did not apply; an op that failed on its first statement left nothing.
        if (statementsSent() <= 1) await this.#table.forget(db, this.#revision, step).catch(() => undefined);
        throw error;
      }
      if (op && effectCanBeTold(op)) this.#unmarked = step;
      else await this.#table.markDone(db, this.#revision, step);
    }
    this.#last = write.description;
  }
}
