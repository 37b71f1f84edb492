import type { CompiledQuery, Kysely } from 'kysely';
import type { DialectConnection } from '../dialect/dialect.js';

/** One completed (or started) write of the revision in flight, as {@link ProgressTable} keeps it. */
export interface ProgressWrite {
  /** 1-based position among the revision's writes (ops and `op.db` writes, in the order sent). */
  readonly step: number;
  /**
   * `'done'`: completed and recorded; `'pending'`: a DDL write sent, its completion not recorded
   * (of an op of several statements: its first {@link statementsDone} completed, the next one was
   * sent); `'partial'`: an op of several statements whose first {@link statementsDone} completed
   * and whose next one failed (so did not apply).
   */
  readonly state: 'done' | 'pending' | 'partial';
  /**
   * Of a `'pending'` or `'partial'` op of several statements: how many of its statements
   * completed, in order (`0` or absent: none recorded).
   */
  readonly statementsDone?: number;
  /**
   * Of a `'pending'` or `'partial'` op of several statements: SHA-256 (hex) of its first
   * {@link statementsDone} compiled statements as sent (a resume that compiles them differently is
   * refused rather than skipping them); absent when none completed or an older multidb recorded it.
   */
  readonly statementsHash?: string;
  /** `'op'` (an `op.*` call) or `'db'` (an `op.db` write). */
  readonly kind: 'op' | 'db';
  /** What the write was, for messages (`createTable t16`, `op.db: insert into …`). */
  readonly description: string;
  /** SHA-256 (hex) of the op object's JSON, or of an `op.db` write's compiled SQL and parameters. */
  readonly hash: string;
}

/** What {@link ProgressTable.start} records of a revision in flight (its header, row 0). */
export interface ProgressStart {
  /** The revision. */
  readonly revision: string;
  /** `'up'` or `'down'`. */
  readonly direction: 'up' | 'down';
  /** SHA-256 (hex) of the revision file's source. */
  readonly sourceHash: string;
  /** The version-table rows before the step. */
  readonly headsBefore: readonly string[];
  /** The version-table rows after the step. */
  readonly headsAfter: readonly string[];
}

/** The revision a bind has in flight: started, not recorded in the version table (its header, and its writes so far). */
export interface InFlightRevision extends ProgressStart {
  /** Its writes so far, by step. */
  readonly writes: readonly ProgressWrite[];
  /**
   * `true`: its header was recorded ahead by an earlier multidb (`state = 'ahead'`), by the
   * version-table write of the step before it, and none of its writes is recorded. Such a multidb
   * sent the revision's first write (a DDL op of one statement whose effect introspection can tell)
   * without a record of its own, so the header may stand for a revision partly applied although
   * {@link writes} is empty. Absent otherwise: a header this multidb records ahead
   * ({@link ProgressTable.aheadStatement}, `state = 'queued'`) is read as any other, since every
   * write is recorded before it is sent: with no write recorded, nothing of the revision was sent
   * (a run stopped between the two, by Ctrl-C or a kill, leaves a revision that starts afresh).
   */
  readonly preRecorded?: true;
}

/**
 * How messages name the first write of a revision whose header was recorded ahead and no write
 * is (it may have been sent: see {@link InFlightRevision.preRecorded}).
 * @internal
 */
export const PRE_RECORDED_FIRST_WRITE = 'its first write (possibly sent, completion not recorded)';

/**
 * The writes of a revision in flight as messages name them (`PartlyAppliedError.completed`): each
 * recorded write's description (`addColumn users`, `op.db update …`), the last one qualified
 * when it did not complete (`createIndex users (sent, completion not recorded)`, `batchAlterTable t
 * (1 of its statements completed, the next one failed)`); {@link PRE_RECORDED_FIRST_WRITE} alone
 * for a header recorded ahead with no write of its own.
 * @param flight - what {@link ProgressTable.read} returned.
 * @returns the descriptions, in order; `[]` when nothing was recorded.
 * @example
 * ```ts
 * const flight = (await env.inFlight(['db2'])).get('db2');
 * if (flight) throw new PartlyAppliedError({ bind: 'db2', revision: flight.revision, direction: flight.direction, completed: describeWrites(flight) });
 * ```
 */
export function describeWrites(flight: InFlightRevision): string[] {
  if (flight.preRecorded) return [PRE_RECORDED_FIRST_WRITE];
  return flight.writes.map((w) => {
    if (w.state === 'done') return w.description;
    const statements = w.statementsDone ? `${w.statementsDone} of its statements completed, ` : '';
    return `${w.description} (${statements}${w.state === 'partial' ? 'the next one failed' : `${statements ? 'the next one ' : ''}sent, completion not recorded`})`;
  });
}

const HEADER = 0;
/** The header's state: the revision started. */
const RUN = 'run';
/**
 * The header's state when an earlier multidb recorded it ahead of the revision, whose first write
 * it then sent with no record of its own (read as {@link InFlightRevision.preRecorded}).
 */
const AHEAD = 'ahead';
/**
 * The header's state when recorded ahead of the revision (see {@link ProgressTable.aheadStatement}):
 * no write of the revision is sent before its own record, so with none recorded, none was sent.
 */
const QUEUED = 'queued';

/**
 * The header {@link ProgressTable.aheadStatement} compiles its INSERT with, once per Kysely: each
 * value a step changes is a placeholder, replaced among the compiled parameters (the description
 * repeats the revision: one placeholder stands for both).
 */
const AHEAD_PLACEHOLDERS = {
  revision: '\u0000multidb:revision',
  // A placeholder, not a direction: replaced before the statement leaves aheadStatement.
  direction: '\u0000multidb:direction' as ProgressStart['direction'],
  sourceHash: '\u0000multidb:hash',
  headsBefore: ['\u0000multidb:heads_before'],
  headsAfter: ['\u0000multidb:heads_after'],
} as const satisfies ProgressStart;

/** The compiled INSERT of {@link ProgressTable.aheadStatement}, per Kysely and table. */
const aheadTemplates = new WeakMap<Kysely<any>, Map<string, CompiledQuery>>();

/** The column that counts the completed statements of an op of several (added in place to older tables). */
const STATEMENTS_DONE = 'statements_done';
/** SHA-256 of the statements counted in `statements_done`, as sent (added in place to older tables). */
const STATEMENTS_HASH = 'statements_hash';

function headerRow(step: ProgressStart, state: typeof RUN | typeof QUEUED = RUN) {
  return {
    revision: step.revision,
    step: HEADER,
    direction: step.direction,
    state,
    kind: 'revision',
    description: step.revision,
    hash: step.sourceHash,
    heads_before: step.headsBefore.join(','),
    heads_after: step.headsAfter.join(','),
    [STATEMENTS_DONE]: null,
    [STATEMENTS_HASH]: null,
  };
}

/**
 * The bookkeeping table beside a bind's version table (`<version_table>_progress`, DESIGN §10) that
 * records the progress of the revision in flight on a database whose DDL commits implicitly
 * (MySQL, MariaDB), so a killed or failed revision resumes after its last completed write. Row 0
 * (`state = 'run'`, or `'queued'` when the step before it recorded it, see {@link aheadStatement};
 * `'ahead'` when an earlier multidb did)
 * names the revision, its direction, its source hash and the version-table rows
 * before and after; rows 1… are its writes with a hash each, and, for an op of several statements
 * in flight, how many of its statements completed (`statements_done`: the op resumes at the next
 * one). The rows are deleted in the
 * transaction that updates the version table. (The audit table of DESIGN §10 can take the
 * header's source hash as the applied revision's checksum.) Queries go through Kysely: core writes
 * no dialect SQL.
 *
 * @example
 * ```ts
 * const progress = new ProgressTable('multidb_version');
 * const inFlight = await progress.read(connection); // undefined: nothing in flight
 * ```
 */
export class ProgressTable {
  /** `<version table>_progress`. */
  readonly name: string;
  /** Its schema (the version table's); `undefined`: the connection's default. */
  readonly schema: string | undefined;

  /**
   * @param versionTable - the version table's name; the table is named after it.
   * @param schema - the version table's schema, if any.
   */
  constructor(versionTable: string, schema?: string) {
    this.name = `${versionTable}_progress`;
    this.schema = schema;
  }

  /** The table as the dialect's `commitVersionUpdateAndClear` takes it. */
  get ref(): { readonly name: string; readonly schema?: string } {
    return this.schema === undefined ? { name: this.name } : { name: this.name, schema: this.schema };
  }

  #db(db: Kysely<any>): Kysely<any> {
    return this.schema ? db.withSchema(this.schema) : db;
  }

  /** Whether the table exists. */
  async exists(conn: DialectConnection): Promise<boolean> {
    return (await conn.introspectTable(this.name, this.schema)) !== undefined;
  }

  /**
   * Creates the table when missing, and adds `statements_done` and `statements_hash` to a table
   * made before they existed (DDL: on MySQL it commits whatever transaction is open).
   */
  async ensure(conn: DialectConnection): Promise<void> {
    const existing = await conn.introspectTable(this.name, this.schema);
    if (existing) {
      const has = (name: string) => existing.columns.some((c) => c.name.toLowerCase() === name);
      if (!has(STATEMENTS_DONE)) await this.#db(conn.plainDb).schema.alterTable(this.name).addColumn(STATEMENTS_DONE, 'integer').execute();
      if (!has(STATEMENTS_HASH)) await this.#db(conn.plainDb).schema.alterTable(this.name).addColumn(STATEMENTS_HASH, 'varchar(64)').execute();
      return;
    }
    await this.#db(conn.plainDb)
      .schema.createTable(this.name)
      .ifNotExists()
      .addColumn('revision', 'varchar(32)', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('direction', 'varchar(4)', (c) => c.notNull())
      .addColumn('state', 'varchar(8)', (c) => c.notNull())
      .addColumn('kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('description', 'varchar(512)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('heads_before', 'varchar(1024)')
      .addColumn('heads_after', 'varchar(1024)')
      .addColumn(STATEMENTS_DONE, 'integer')
      .addColumn(STATEMENTS_HASH, 'varchar(64)')
      .addPrimaryKeyConstraint(`pk_${this.name}`, ['revision', 'step'])
      .execute();
  }

  /**
   * The revision in flight, or `undefined` when none is (or the table does not exist).
   */
  async read(conn: DialectConnection): Promise<InFlightRevision | undefined> {
    if (!(await this.exists(conn))) return undefined;
    const rows = await this.#db(conn.plainDb).selectFrom(this.name).selectAll().orderBy('step').execute();
    const header = rows.find((r) => Number(r.step) === HEADER);
    if (!header) return undefined;
    const list = (text: unknown) => (typeof text === 'string' && text !== '' ? text.split(',') : []);
    const mine = rows.filter((r) => Number(r.step) !== HEADER && r.revision === header.revision);
    return {
      revision: String(header.revision),
      direction: header.direction === 'down' ? 'down' : 'up',
      sourceHash: String(header.hash),
      headsBefore: list(header.heads_before),
      headsAfter: list(header.heads_after),
      // Once a write is recorded, the rows say what was sent (the first write's record included).
      // Without one, only a header an earlier multidb recorded ahead may stand for a write sent.
      ...(header.state === AHEAD && mine.length === 0 ? { preRecorded: true as const } : {}),
      // A write is sent only once the one before it completed: a pending write followed by another
      // is done (its mark may be left out, see `record`).
      writes: mine.map((r, i, all): ProgressWrite => {
        const last = i === all.length - 1;
        const state = last && (r.state === 'pending' || r.state === 'partial') ? r.state : 'done';
        const counted = r[STATEMENTS_DONE] !== null && r[STATEMENTS_DONE] !== undefined;
        const hashed = typeof r[STATEMENTS_HASH] === 'string' && r[STATEMENTS_HASH] !== '';
        return {
          step: Number(r.step),
          state,
          ...(state !== 'done' && counted ? { statementsDone: Number(r[STATEMENTS_DONE]) } : {}),
          ...(state !== 'done' && counted && hashed ? { statementsHash: String(r[STATEMENTS_HASH]) } : {}),
          kind: r.kind === 'db' ? 'db' : 'op',
          description: String(r.description),
          hash: String(r.hash),
        };
      }),
    };
  }

  /** Records that a revision is in flight (row 0), replacing whatever was there. */
  async start(db: Kysely<any>, step: ProgressStart): Promise<void> {
    await this.clear(db);
    await this.#db(db).insertInto(this.name).values(headerRow(step)).execute();
  }

  /**
   * The INSERT of a revision's header recorded ahead (`state = 'queued'`), compiled and not run: the
   * version-table write of the step before it runs it in the same transaction (after clearing the
   * table); the revision's first write is recorded (by its own INSERT) before it is sent, as any
   * other: the header does not say which op it is. Until a write of the revision is recorded, such
   * a header says that nothing of it was sent: a run stopped before that write (Ctrl-C, a kill)
   * leaves a revision that the next run starts afresh, whatever its -x arguments, or that another
   * plan clears (unlike a header an earlier multidb recorded ahead, `'ahead'`:
   * {@link InFlightRevision.preRecorded}).
   * @param db - a Kysely of the bind's dialect.
   * @param step - the revision's header.
   * @example
   * ```ts
   * const insert = new ProgressTable('multidb_version').aheadStatement(connection.plainDb, {
   *   revision: 'a2', direction: 'up', sourceHash: '0'.repeat(64), headsBefore: ['a1'], headsAfter: ['a2'],
   * });
   * insert.sql; // 'insert into `multidb_version_progress` (`revision`, `step`, …) values (?, ?, …)' on MySQL
   * ```
   */
  aheadStatement(db: Kysely<any>, step: ProgressStart): CompiledQuery {
    // Compiled once per Kysely and table (a MariaDB run records one ahead per revision), with
    // placeholders that the step's values then replace among the parameters.
    let byTable = aheadTemplates.get(db);
    if (!byTable) aheadTemplates.set(db, (byTable = new Map()));
    const key = `${this.schema ?? ''}\u0000${this.name}`;
    let template = byTable.get(key);
    if (!template) byTable.set(key, (template = this.#db(db).insertInto(this.name).values(headerRow(AHEAD_PLACEHOLDERS, QUEUED)).compile()));
    const values: Record<string, unknown> = {
      [AHEAD_PLACEHOLDERS.revision]: step.revision,
      [AHEAD_PLACEHOLDERS.direction]: step.direction,
      [AHEAD_PLACEHOLDERS.sourceHash]: step.sourceHash,
      [AHEAD_PLACEHOLDERS.headsBefore[0]!]: step.headsBefore.join(','),
      [AHEAD_PLACEHOLDERS.headsAfter[0]!]: step.headsAfter.join(','),
    };
    return { ...template, parameters: template.parameters.map((p) => (typeof p === 'string' && Object.hasOwn(values, p) ? values[p] : p)) };
  }

  /** Updates the source hash of the revision in flight (a resume of an edited file that matched). */
  async updateSource(db: Kysely<any>, revision: string, sourceHash: string): Promise<void> {
    await this.#db(db).updateTable(this.name).set({ hash: sourceHash }).where('revision', '=', revision).where('step', '=', HEADER).execute();
  }

  /**
   * Records a write of the revision in flight, as `state`; with `start`, records the revision's
   * header (see {@link ProgressTable.start}) in the same INSERT, so a revision's first write costs
   * one statement (the table must then hold no rows); `earlier`: writes recorded in the same INSERT
   * before it (ops that sent no statement, recorded only once a later write is).
   */
  async record(db: Kysely<any>, revision: string, direction: 'up' | 'down', write: ProgressWrite, start?: ProgressStart, earlier: readonly ProgressWrite[] = []): Promise<void> {
    await db.executeQuery(this.recordStatement(db, revision, direction, write, start, earlier));
  }

  /**
   * The INSERT {@link record} runs, compiled and not run: the runner sends a step's first record in
   * the transaction of the previous step's version-table write (see `VersionTable.commitUpdateAndClear`).
   * @example
   * ```ts
   * const insert = new ProgressTable('multidb_version').recordStatement(connection.plainDb, 'a2', 'up', {
   *   step: 1, state: 'pending', kind: 'op', description: 'createTable t2', hash: '0'.repeat(64),
   * });
   * ```
   */
  recordStatement(db: Kysely<any>, revision: string, direction: 'up' | 'down', write: ProgressWrite, start?: ProgressStart, earlier: readonly ProgressWrite[] = []): CompiledQuery {
    const row = (write: ProgressWrite) => ({
      revision,
      step: write.step,
      direction,
      state: write.state,
      kind: write.kind,
      description: write.description.slice(0, 512),
      hash: write.hash,
      heads_before: null,
      heads_after: null,
      [STATEMENTS_DONE]: write.statementsDone ?? null,
      [STATEMENTS_HASH]: write.statementsHash ?? null,
    });
    return this.#db(db)
      .insertInto(this.name)
      .values([...(start ? [headerRow(start)] : []), ...earlier.map(row), row(write)])
      .compile();
  }

  /** Marks a pending write as done. */
  async markDone(db: Kysely<any>, revision: string, step: number): Promise<void> {
    await this.#db(db).updateTable(this.name).set({ state: 'done' }).where('revision', '=', revision).where('step', '=', step).execute();
  }

  /**
   * Records how many statements of a pending op of several completed: `'pending'` before the next
   * one is sent, `'partial'` once the next one failed (it did not apply); `statementsHash`: the
   * hash of those statements as sent (see {@link ProgressWrite.statementsHash}).
   */
  async markStatements(db: Kysely<any>, revision: string, step: number, statementsDone: number, state: 'pending' | 'partial', statementsHash?: string): Promise<void> {
    await this.#db(db)
      .updateTable(this.name)
      .set({ state, [STATEMENTS_DONE]: statementsDone, [STATEMENTS_HASH]: statementsHash ?? null }).where('revision', '=', revision).where('step', '=', step).execute();
  }

  /** Forgets a write (a pending DDL write whose statement failed, so nothing of it ran). */
  async forget(db: Kysely<any>, revision: string, step: number): Promise<void> {
    await this.#db(db).deleteFrom(this.name).where('revision', '=', revision).where('step', '=', step).execute();
  }

  /** Deletes every row: nothing in flight. Run it in the transaction that updates the version table. */
  async clear(db: Kysely<any>): Promise<void> {
    await this.#db(db).deleteFrom(this.name).execute();
  }
}
