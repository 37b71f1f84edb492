import { BindError, commands, describeWrites, EnvironmentBusyError, listArgument, MultidbError, oneLine, PartlyAppliedError, type MigrationEnvironment, type PendingRevision, type RevisionMap } from '@multidb/core';
import type { DetectedChange } from '../compare/detected-change.js';
import { describeRenameCandidate, type RenameCandidate } from '../compare/rename-candidate.js';
import { NoModelsError } from './autogenerate-errors.js';
import { compareBind, notUpToDate } from './compare-bind.js';
import { loadModels } from './load-models.js';

/**
 * What `check` found for one bind:
 * - `match`: its database matches its models;
 * - `differs`: it does not (see {@link CheckBindResult.changes}): a revision is missing;
 * - `skipped`: the bind has no models (nothing was opened);
 * - `not-up-to-date`: its version table is not at its branch's heads (behind them: see
 *   {@link CheckBindResult.pending}; its branch has several heads; or it names a revision no
 *   script declares, {@link CheckBindResult.unknown}): Alembic's "Target database is not up to
 *   date", not compared;
 * - `in-flight`: a revision stopped part way (MySQL/MariaDB), not compared;
 * - `unreachable`: its database could not be opened or read (a server down, a database missing on
 *   a server, another command of the environment writing to it);
 * - `misconfigured`: its configuration was refused before connecting (a URL no dialect takes,
 *   `schema` on MySQL/MariaDB);
 * - `error`: anything else that stopped its comparison: its models (a `ModelsError`, a foreign key
 *   to a table that does not exist), a failed introspection.
 *
 * The last five are failures (see {@link isCheckFailure}): the bind could not be compared.
 */
export type CheckOutcome = 'match' | 'differs' | 'skipped' | 'not-up-to-date' | 'in-flight' | 'unreachable' | 'misconfigured' | 'error';

/** What `check` found for one bind. */
export interface CheckBindResult {
  /** The bind checked. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /** What it found (see {@link CheckOutcome}). */
  readonly outcome: CheckOutcome;
  /** What differs, one entry per change (`[]` unless `differs`). */
  readonly changes: readonly DetectedChange[];
  /** Notes: why a bind was skipped, objects a change touches, tables left alone. */
  readonly warnings: readonly string[];
  /**
   * A failure (see {@link isCheckFailure}): why the bind could not be compared, on one line, every
   * password masked, usually starting with `[<bind>] ` (`[db2] Target database is not up to date:
   * …`, `[db2] cannot connect to postgres://app:***@db/sales: …`). Absent otherwise.
   */
  readonly reason?: string;
  /**
   * A failure's stable error code, when it has one: `'NOT_UP_TO_DATE'`, `'PARTLY_APPLIED'`,
   * `'CONNECT'`, `'BIND_DATABASE'`, `'ENVIRONMENT_BUSY'`, `'CONFIG'` (models), ….
   */
  readonly code?: string;
  /** `not-up-to-date` and `in-flight`: the bind's version-table rows (`[]`: base). */
  readonly current?: readonly string[];
  /** `not-up-to-date` and `in-flight`: the heads of its branch. */
  readonly heads?: readonly string[];
  /**
   * `not-up-to-date` and `in-flight`: the revisions an upgrade of the bind to its head would run,
   * in run order (core's `PendingRevision`: `revision`, `message`, `file`, `downRevisions`); `[]`
   * when its version table names revisions of no script (then see {@link unknown}).
   */
  readonly pending?: readonly PendingRevision[];
  /** `not-up-to-date`: its version-table rows that no revision script declares (`[]`: none). */
  readonly unknown?: readonly string[];
  /**
   * `differs`: the tables and columns that may have been renamed (`findRenameCandidates`), each
   * counted in `changes` as not a rename (what `--no-rename` writes: an add, and a drop, of a
   * column, or of a table when `dropUnmodeledTables` is on; otherwise the table is left alone,
   * with a warning), and each named in `warnings` with the decisions `migrate migrate` needs.
   * Absent when there is none.
   */
  readonly renameCandidates?: readonly RenameCandidate[];
}

/** The outcomes of a bind that could not be compared. */
const FAILURES: ReadonlySet<CheckOutcome> = new Set<CheckOutcome>(['not-up-to-date', 'in-flight', 'unreachable', 'misconfigured', 'error']);

/**
 * Whether `check` could not compare a bind: `not-up-to-date`, `in-flight`, `unreachable`,
 * `misconfigured` or `error` (not `match`, `differs` or `skipped`).
 * @param result - one bind's result (or its outcome).
 * @returns true for a failure.
 * @example
 * ```ts
 * const failed = (await check(env)).filter(isCheckFailure);
 * for (const r of failed) console.error(r.reason);
 * ```
 */
export function isCheckFailure(result: Pick<CheckBindResult, 'outcome'> | CheckOutcome): boolean {
  return FAILURES.has(typeof result === 'string' ? result : result.outcome);
}

/**
 * The verdict of a whole `check`, the most severe of its binds' outcomes: `'failed'` when any bind
 * could not be compared ({@link isCheckFailure}; whatever the others found, since a bind not
 * compared may differ too), else `'differs'` when any bind's database differs from its models,
 * else `'ok'` (every bind matches or is skipped). The CLI exits 1, 4 and 0.
 * @param results - what {@link check} returned.
 * @returns `'failed'`, `'differs'` or `'ok'`.
 * @example
 * ```ts
 * const verdict = checkVerdict(await check(env));
 * process.exitCode = verdict === 'failed' ? 1 : verdict === 'differs' ? 4 : 0;
 * ```
 */
export function checkVerdict(results: readonly Pick<CheckBindResult, 'outcome'>[]): 'ok' | 'differs' | 'failed' {
  if (results.some(isCheckFailure)) return 'failed';
  return results.some((r) => r.outcome === 'differs') ? 'differs' : 'ok';
}

/**
 * `migrate check [BIND...]`: whether each bind's database matches its models, for CI. Every bind
 * asked about is checked, one after the other (tenants sharing a branch included), and each gets
 * its own result: a bind that cannot be compared (not at its head, a revision in flight,
 * unreachable, misconfigured, its models refused) is reported as such, with the masked reason,
 * and the next bind is still checked, so one run names every problem. A bind without models is
 * skipped with a note (its database is not opened), but when none of the binds asked about has
 * models nothing would be compared, and that is an error (before any database is opened). A
 * possible rename is counted as what `migrate migrate --no-rename` writes (an add and a drop; the
 * drop of a table only with `dropUnmodeledTables`, which otherwise leaves the table alone with a
 * warning), and named in `renameCandidates` and a warning saying that `migrate migrate` needs a
 * decision (`--rename` or `--no-rename`), so check and migrate agree either way. Creates no
 * database file. {@link checkVerdict} sums the results up.
 *
 * @param binds - bind names, or one bind's name (default: every bind).
 * @returns one result per bind, in the order asked (config order by default).
 * @throws {@link NoModelsError} when none of the binds has models (exit 1); `UnknownBindError`
 *   for a bind the config does not name; a revision repository that cannot be read (e.g.
 *   `DuplicateRevisionError`); all before any database is opened.
 * @example
 * ```ts
 * const results = await check(env);
 * for (const r of results) if (isCheckFailure(r)) console.error(r.reason);
 * if (checkVerdict(results) !== 'ok') process.exitCode = 1;
 * ```
 */
export async function check(env: MigrationEnvironment, binds?: string | readonly string[]): Promise<CheckBindResult[]> {
  const asked = binds === undefined ? [] : listArgument(binds, 'check() binds', "'db2'");
  const names = asked.length ? asked.map((b) => env.bind(b).name) : env.bindNames;
  if (!names.some((bind) => env.bind(bind).config.models !== undefined)) throw new NoModelsError(names, env.loaded);
  // A repository that cannot be read is every bind's problem: said once, as an error.
  const map = await env.revisionMap();
  const results: CheckBindResult[] = [];
  for (const bind of names) results.push(await checkBind(env, map, bind));
  return results;
}

/** {@link check} of one bind; never rejects (a failure is its outcome). */
async function checkBind(env: MigrationEnvironment, map: RevisionMap, bind: string): Promise<CheckBindResult> {
  const branch = env.bind(bind).branch;
  // Its fields in one order whatever the outcome (as `--json` prints them).
  const result = (outcome: CheckOutcome, fields: Partial<CheckBindResult> = {}): CheckBindResult => ({ bind, branch, outcome, changes: [], warnings: [], ...fields });
  try {
    const models = await loadModels(env, bind);
    if (!models) return result('skipped', { warnings: [`[${bind}] has no models (binds.${bind}.models): skipped.`] });
    // Where it stands, and its schema, are one read: an upgrade of this environment started
    // meanwhile waits for it (see `env.reading`).
    return await env.reading(bind, async (): Promise<CheckBindResult> => {
      const status = await commands.bindStatus(env, bind);
      const { condition } = status;
      if (condition.kind === 'unreachable' || condition.kind === 'misconfigured') return result(condition.kind, { reason: condition.reason });
      const where = { current: status.current, heads: status.heads, pending: status.pending };
      // A revision stopped part way (MySQL/MariaDB): the database is between two revisions,
      // whatever the version table says (a downgrade in flight leaves it at head).
      if (condition.kind === 'in-flight') {
        const flight = (await env.inFlight([bind])).get(bind);
        const completed = flight ? describeWrites(flight) : [];
        const error = new PartlyAppliedError({ bind, revision: condition.revision, direction: condition.direction, completed, asked: 'compare its database with its models' });
        return result('in-flight', { reason: env.mask(error.message), code: error.code, ...where });
      }
      const behind = notUpToDate(map, bind, branch, status.current);
      if (behind) return result('not-up-to-date', { reason: env.mask(behind.message), code: behind.code, ...where, unknown: behind.unknown });
      // Every rename candidate is read as not a rename (what --no-rename writes): either way the
      // database differs, and migrate needs a decision, which the warnings ask for.
      const candidates: RenameCandidate[] = [];
      const resolveRenames = async (_bind: string, open: readonly RenameCandidate[]) => {
        candidates.push(...open);
        return { reject: [...open] };
      };
      const { comparison } = await compareBind(env, bind, models, { resolveRenames });
      const undecided = candidates.map((c) => `Possible rename, counted as not one (what 'migrate migrate --no-rename' writes); 'migrate migrate' needs a decision: ${describeRenameCandidate(c)}`);
      return result(comparison.ops.length ? 'differs' : 'match', {
        changes: comparison.changes,
        warnings: [...undecided, ...comparison.warnings],
        ...(candidates.length ? { renameCandidates: candidates } : {}),
      });
    });
  } catch (error) {
    // A connection lost half way, or a bind another command of the environment is writing to, is
    // unreachable (as `status` says); the rest (its models, an introspection) is an error.
    const outcome = error instanceof BindError || error instanceof EnvironmentBusyError ? 'unreachable' : 'error';
    const code = error instanceof MultidbError ? error.code : undefined;
    return result(outcome, { reason: oneLine(env.mask(error instanceof Error ? error.message : String(error))), ...(code !== undefined ? { code } : {}) });
  }
}
