import { InterruptedError, LockTimeoutError, MigrationError, MultidbError, RelativeTargetError, RunError, UnreachableBindsError, maskUrl, oneLine, type BindStatus, type CurrentBind, type HistoryEntry, type LockHolder, type LockHolderSession, type OfflineScript, type RevisionEntry, type RevisionResult, type ShowEntry, type RunResult, type StampResult, type StepResult } from '@multidb/core';
import type { AutogenerateBindResult, CheckBindResult, CodegenAfterRunError, CodegenBindResult } from '@multidb/autogenerate';

/**
 * A revision as `--json` prints it (`heads`, `branches`, `history`, `show`): core's
 * `RevisionEntry`, its script's header fields flattened to the top.
 */
export interface RevisionJson {
  /** The revision id. */
  readonly revision: string;
  /** Its down revisions (`[]`: a branch root; two or more: a merge). */
  readonly downRevisions: readonly string[];
  /** The branch (folder under `versions/`). */
  readonly branch: string;
  /** Its branch labels. */
  readonly branchLabels: readonly string[];
  /** Revisions it depends on (usually of other branches). */
  readonly dependsOn: readonly string[];
  /** Its message (`''` when none). */
  readonly message: string;
  /** ISO 8601 creation time, when the file has one. */
  readonly createDate?: string;
  /** Absolute path of the revision file. */
  readonly path: string;
  /** A head of its branch. */
  readonly isHead: boolean;
  /** Several down revisions (a merge). */
  readonly isMergePoint: boolean;
  /** Several children (a fork). */
  readonly isBranchPoint: boolean;
  /** Revisions whose down revisions name it. */
  readonly children: readonly string[];
}

/** `migrate history --json`: a revision, with the binds at it (with `--indicate-current`). */
export interface HistoryRevisionJson extends RevisionJson {
  /** Binds whose version table holds this revision (`[]` without `--indicate-current`). */
  readonly currentBinds: readonly string[];
  /** Several binds share the revision's branch (tenants). */
  readonly sharedBranch: boolean;
}

/**
 * The server session holding a migration lock, as `--json` prints it: core's `LockHolderSession`,
 * its times as ISO 8601 strings (UTC, milliseconds: `'2026-12-07T10:00:00.000Z'`). Only `id` is
 * always there: a role the server shows less of another session (PostgreSQL without
 * `pg_read_all_stats`, or without `pg_stat_activity` at all; MySQL/MariaDB without `PROCESS`)
 * gets fewer fields.
 * @example
 * ```ts
 * const session: LockHolderSessionJson = { id: 4242, user: 'deploy', applicationName: 'multidb', connectedAt: '2026-12-07T10:00:00.000Z', state: 'idle', stateSince: '2026-12-07T10:00:02.000Z' };
 * const connected = session.connectedAt === undefined ? undefined : new Date(session.connectedAt);
 * ```
 */
export interface LockHolderSessionJson {
  /** The session's id on the server: PostgreSQL's backend pid, MySQL's connection id. */
  readonly id: number;
  /** The role (user) it logged in as. */
  readonly user?: string;
  /** Where the client connects from (`10.0.0.7:51234`; PostgreSQL's `local socket` for a Unix-domain socket). */
  readonly clientAddress?: string;
  /** PostgreSQL's `application_name`, when set (`multidb` for a run of multidb). */
  readonly applicationName?: string;
  /** When the session connected (PostgreSQL's `backend_start`), ISO 8601. */
  readonly connectedAt?: string;
  /** When its open transaction began (PostgreSQL's `xact_start`), ISO 8601; absent when none is open. */
  readonly transactionStartedAt?: string;
  /** What it is doing, in the server's words: PostgreSQL's `state` (`'idle'`), MySQL's `COMMAND` (`'Sleep'`). */
  readonly state?: string;
  /** Since when it is in that state, ISO 8601 (MySQL: to the second). */
  readonly stateSince?: string;
}

/**
 * Who holds a bind's migration lock, as `--json` prints it (`current --json`'s `lockHolder`, a
 * `LOCK_TIMEOUT` error's `holder`): core's `LockHolder`, its times as ISO 8601 strings (UTC,
 * milliseconds: `'2026-12-07T10:00:00.000Z'`), not `Date`s: a Galera lease
 * (`{holder, acquiredAt, expiresAt, expired}`), or the server session holding a PostgreSQL or
 * MySQL/MariaDB lock (`{holder: 'pid 4242', session}`).
 * @example
 * ```ts
 * const lease: LockHolderJson = { holder: 'app1:4242:7f3a9c1d', acquiredAt: '2026-12-07T10:00:00.000Z', expiresAt: '2026-12-07T10:00:30.000Z', expired: false };
 * const expires = lease.expiresAt === undefined ? undefined : Date.parse(lease.expiresAt);
 * ```
 */
export interface LockHolderJson {
  /** The holder's identity: a lease's `host:pid:id`; a session's lock, `pid 4242` (PostgreSQL) or `connection 4242` (MySQL/MariaDB). */
  readonly holder: string;
  /** When the lease was taken (server time), ISO 8601; absent for a session's lock. */
  readonly acquiredAt?: string;
  /** When the lease expires unless renewed (server time), ISO 8601; absent for a session's lock. */
  readonly expiresAt?: string;
  /** True when the lease has expired (its holder died): the next run takes it over. */
  readonly expired?: boolean;
  /** The server session that holds it, for a session's lock; absent for a lease. */
  readonly session?: LockHolderSessionJson;
}

/** A bind of `migrate current --json`: core's `CurrentBind`, its `lockHolder` as {@link LockHolderJson} (times as ISO 8601 strings). */
export interface CurrentBindJson extends Omit<CurrentBind, 'lockHolder'> {
  /** Who holds its migration lock, where the dialect can tell; absent when nobody does. */
  readonly lockHolder?: LockHolderJson;
}

/** `migrate current --json`: each bind's version-table rows (core's `CurrentBind`, see {@link CurrentBindJson}). */
export interface CurrentJson {
  /** One entry per bind, in config order (or the one asked for). */
  readonly binds: readonly CurrentBindJson[];
}

/** `migrate status --json`: each bind's status (core's `BindStatus`). */
export interface StatusJson {
  /** One entry per bind, in config order (or the ones asked for). */
  readonly binds: readonly BindStatus[];
}

/** `migrate heads --json`: the head revisions of every branch. */
export interface HeadsJson {
  /** One entry per head, branches in config order (as `migrate heads` lists them). */
  readonly heads: readonly RevisionJson[];
}

/** `migrate branches --json`: the branch points, each with its `children`. */
export interface BranchesJson {
  /** Revisions with several children, in revision order. */
  readonly branchPoints: readonly RevisionJson[];
}

/** `migrate history --json`: revisions newest first. */
export interface HistoryJson {
  /** Newest first. */
  readonly revisions: readonly HistoryRevisionJson[];
  /**
   * With `--indicate-current` only: the binds whose version table could not be read, with the
   * masked reason (core's `HistoryResult.unreachable`; `misconfigured: true` when its configuration
   * was refused before connecting); the command then exits 1.
   */
  readonly unreachable?: readonly { readonly bind: string; readonly reason: string; readonly misconfigured?: boolean }[];
  /**
   * With `--indicate-current` only: the binds at revisions no script declares, with those
   * revisions (core's `HistoryResult.unknownCurrent`); the exit code stays 0, as for `current`.
   */
  readonly unknownCurrent?: readonly { readonly bind: string; readonly revisions: readonly string[] }[];
}

/** A revision of `migrate show TARGET --json`: for `current`, with the bind at it. */
export interface ShowRevisionJson extends RevisionJson {
  /** For `current` and `<bind>@current`: the bind whose version table holds it (core's `ShowEntry.bind`); absent otherwise. */
  readonly bind?: string;
}

/**
 * `migrate show TARGET --json`: the revisions the target names, an object as every command's
 * `--json` (as `history --json`'s): one for a revision; for a target naming a set of revisions
 * (`heads`, `base`, `Q@heads`, `Q@base`, `current`), each of them (`base`: none; `current`: one
 * per bind and revision, each with its `bind`).
 */
export interface ShowJson {
  /** In the order `migrate show` prints them. */
  readonly revisions: readonly ShowRevisionJson[];
}

/** A step of `upgrade --json` / `downgrade --json` (core's `StepResult`). */
export interface StepJson {
  /** The bind the step ran on. */
  readonly bind: string;
  /** The revision it ran. */
  readonly revision: string;
  /** `'up'` or `'down'`. */
  readonly direction: 'up' | 'down';
  /** Wall time of the step in milliseconds. */
  readonly elapsedMs: number;
}

/** `migrate upgrade --json` / `downgrade --json` (core's `RunResult`). */
export interface RunJson {
  /** The steps run, in plan order (`[]`: nothing to do). */
  readonly steps: readonly StepJson[];
  /** Version-table rows of every bind the run touched, after it (`[]`: base). */
  readonly heads: Readonly<Record<string, readonly string[]>>;
  /** Wall time of the run in milliseconds. */
  readonly elapsedMs: number;
}

/** `migrate stamp --json`: one entry per selected bind (`from` equals `to` when unchanged). */
export interface StampJson {
  /**
   * Core's `StampResult`: `bind`, `from` (rows before), `to` (rows after; `[]`: base) and
   * `outcome`: `stamped` (its version table written), `unchanged` (already at the target, nothing
   * written) or `no-revisions` (its branch has no revision yet: nothing written, it stays at base).
   */
  readonly changes: readonly StampResult[];
}

/** `upgrade|downgrade|stamp --sql --json`: the offline scripts, one per bind (core's `OfflineScript`). */
export interface OfflineJson {
  /** With `--output DIR`, each script also names the `file` it was written to. */
  readonly scripts: readonly (OfflineScript & { readonly file?: string })[];
}

/** `migrate revision --json` and `merge --json`: the revision written (core's `RevisionResult`: `path`, `revision`, `branch`, `downRevisions`, `branchLabels`, `dependsOn`, `message`). */
export interface RevisionWrittenJson {
  /** The one revision written. */
  readonly revisions: readonly RevisionResult[];
}

/** `migrate migrate --json` (and `revision --autogenerate --json`): per bind compared, what it found and wrote. */
export interface AutogenerateJson {
  /**
   * One entry per branch compared (autogenerate's `AutogenerateBindResult`: `bind`, `branch`,
   * `outcome` `written` | `no-changes` | `skipped`, `changes` `[{kind, line, table?, column?, name?, from?, to?…}]`,
   * `warnings`, and the `revision` written).
   */
  readonly binds: readonly AutogenerateBindResult[];
  /** Warnings for `--rename`/`--no-rename` decisions that matched no candidate in any bind. */
  readonly unmatchedRenames: readonly string[];
}

/**
 * `migrate check --json`: every bind's result (autogenerate's `CheckBindResult`), also when the
 * command exits 1 because a bind could not be compared (an `ErrorJson` only for what stops the
 * whole command first: no bind with models, an unknown bind, the config). `outcome` is `match`,
 * `differs` (exit 4 when no bind failed), `skipped`, or a failure (exit 1): `not-up-to-date`
 * (with `current`, `heads`, `pending`, `unknown`), `in-flight`, `unreachable`, `misconfigured`
 * or `error`, each with its masked `reason` and its `code` when it has one.
 */
export interface CheckJson {
  /**
   * One entry per bind checked, in config order: `bind`, `branch`, `outcome`, `changes`,
   * `warnings`, and for a failure `reason`, `code?`, and (`not-up-to-date`, `in-flight`)
   * `current`, `heads`, `pending`, `unknown?`; for `differs`, `renameCandidates?` (possible
   * renames, counted as not renames: what `migrate migrate --no-rename` writes).
   */
  readonly binds: readonly CheckBindResult[];
}

/**
 * `migrate codegen --json`: per bind, autogenerate's `CodegenBindResult` (`bind`, `file`, `outcome`,
 * `reason?`, `code?`); exit 1 when a bind's types could not be generated (`misconfigured`,
 * `unreachable`, `error`, with the masked `reason`), else 4 when one is `stale` or `missing` (`--verify`).
 */
export interface CodegenJson {
  /** One entry per bind, in config order. */
  readonly binds: readonly CodegenBindResult[];
}

/**
 * One failure in {@link ErrorJson}. A revision that failed (`code` `'MIGRATION'`, core's
 * `MigrationError`) also says which one, which way, where its bind stayed, where in its file and
 * which SQL, and what the run completed before it: enough for a deploy script to report it
 * without reading `message`.
 * @example
 * ```ts
 * import { spawnSync } from 'node:child_process';
 * const { stdout, status } = spawnSync('migrate', ['upgrade', '--json'], { encoding: 'utf8' });
 * if (status === 0) return;
 * const doc = JSON.parse(stdout) as ErrorJson;
 * if (doc.error.code === 'MIGRATION') console.log(`${doc.error.bind} stays at ${doc.error.at?.join(', ') || '<base>'}: ${doc.error.revision} failed`);
 * ```
 */
export interface ErrorDetailJson {
  /** The error's message on one line (its lines joined as on stderr's `ERROR:` line), URLs and passwords masked. */
  readonly message: string;
  /** The bind it is about, when it names one. */
  readonly bind?: string;
  /** Core's stable code (`'UNKNOWN_BIND'`, `'MIGRATION'`, `'LOCK_TIMEOUT'`, `'USAGE'`, `'RUN'`, …), when it has one. */
  readonly code?: string;
  /** `MIGRATION`: the revision that failed. */
  readonly revision?: string;
  /** `MIGRATION`: which way it ran, `'up'` (upgrade) or `'down'` (downgrade). */
  readonly direction?: 'up' | 'down';
  /**
   * `MIGRATION`: the bind's version-table rows after the failure, where it stays (`[]`: base),
   * when known. On MySQL/MariaDB the failed revision may be partly applied beyond them (its
   * message says so, and whether running the command again resumes it).
   */
  readonly at?: readonly string[];
  /** `MIGRATION`: the revision's file (absolute path). */
  readonly file?: string;
  /** `MIGRATION`: the line of {@link file} the failure was thrown from or awaited at, when its stack names it. */
  readonly line?: number;
  /**
   * `MIGRATION`: the SQL that failed, when the failure was a statement's (an op's, a query of
   * `op.db` as Kysely compiled it, with its placeholders, or the run's own: `COMMIT` refused by a
   * deferred constraint, SQLite's `PRAGMA foreign_key_check`), URLs and passwords masked.
   */
  readonly sql?: string;
  /**
   * `MIGRATION`: the database server's DETAIL of the failure, when it sent one (PostgreSQL:
   * `Key (email)=(ann@example.org) is duplicated.`), URLs and passwords masked.
   */
  readonly detail?: string;
  /** `MIGRATION`: the database server's HINT of the failure, when it sent one, masked as {@link detail}. */
  readonly hint?: string;
  /**
   * `MIGRATION`, `RUN`, `INTERRUPTED` and `ABORTED`: the steps the run completed (committed) before
   * it stopped, in the shape of {@link RunJson}'s `steps`, in plan order. On the top-level error:
   * every bind's; in an entry of {@link failures}, that bind's own. `[]` when none completed.
   * `CODEGEN_AFTER_RUN` (the run completed, the codegen after it failed): every step of the run.
   * A run without `--concurrency` stopped at a bind it could not connect (core's
   * `UnreachableBindsError`, code `CONNECT`, `IDENTIFY`, …, with {@link notRun}): the steps of the
   * groups that ran before it (a run of more than 16 binds), `[]` when none did (absent for a
   * stamp's, which stamps nothing). A run of independent groups without `--concurrency` stopped
   * at a migration lock not acquired in time (`LOCK_TIMEOUT`, with {@link notRun} when it had
   * binds left): the steps of the groups that ran before it, `[]` when none did (absent for a
   * lock timeout outside such a run).
   */
  readonly steps?: readonly StepJson[];
  /**
   * The binds a run without `--concurrency` did not run because it stopped at this error's bind,
   * in the run's order: a bind it could not connect (`UnreachableBindsError`; a stamp's: the binds
   * not stamped); a revision that failed (`MIGRATION`) or a migration lock not acquired
   * in time (`LOCK_TIMEOUT`), when the run had binds left (absent when it had none). A
   * `LOCK_TIMEOUT` names first the binds linked to its bind by depends-on (run with it, with or
   * without `--concurrency`) that had steps to run.
   */
  readonly notRun?: readonly string[];
  /**
   * `LOCK_TIMEOUT`: who holds the migration lock, where the bind's dialect can tell (core's
   * `LockTimeoutError.holder`, times as ISO 8601 strings: {@link LockHolderJson}): a Galera lease
   * (`{holder, acquiredAt, expiresAt, expired}`), or the server session holding a PostgreSQL or
   * MySQL/MariaDB lock (`{holder: 'pid 4242', session: {id, user?, clientAddress?,
   * applicationName?, connectedAt?, transactionStartedAt?, state?, stateSince?}}`). Absent when
   * not known (SQLite, a look-up that failed).
   */
  readonly holder?: LockHolderJson;
  /**
   * A run of targets that count revisions from where each bind stands (`+2`, `tenant@-1`) that
   * stopped after some steps completed (`RUN`, `MIGRATION`, `LOCK_TIMEOUT`, a bind it could not
   * connect, `INTERRUPTED`, as for {@link retry}): those targets, as written (`["+2"]`; core's
   * `relative`, e.g. `RunError.relative`). Running them again would step again the binds that
   * ran; {@link retry} and {@link retryByHand} say what to run instead. Present without either: no
   * command finishes the run (a downgrade of one line of a branch with several heads, which no
   * `<bind>@<revision>` says; the message says so, and that `migrate current` shows where each
   * bind stands). Absent otherwise: running the same command again finishes it.
   */
  readonly relative?: readonly string[];
  /**
   * A run of targets that count revisions from where each bind stands (`+2`, `tenant@-1`) that
   * stopped after some steps completed: running them again would step again the binds that ran,
   * so these are the targets to give the same command instead (a downgrade: one command per
   * target), one per bind left short of its target and row its plan led to: `'<bind>@<revision>'`
   * (`'<bind>@base'`), in run order (the message names the first 20). For a concurrent run that
   * failed (`RUN`: core's `RunError.retry`), a run without `--concurrency` stopped at a failed
   * revision (`MIGRATION`), a migration lock not acquired in time (`LOCK_TIMEOUT`) or a bind it
   * could not connect (`UnreachableBindsError`: `CONNECT`, …) after the groups before it ran,
   * and a run a signal stopped with steps left (`INTERRUPTED`). Absent otherwise: running the
   * same command again finishes it.
   */
  readonly retry?: readonly string[];
  /**
   * Such a run (see {@link retry}): the binds it never reached (nothing was read there) whose
   * targets follow one line of a forked branch (`fa@+1`), which no target for one bind says
   * (`t3@+1` walks the whole branch from t3's revisions), so none of {@link retry} is theirs:
   * once one can be reached, give it by hand the revision its `targets` lead it to from where it
   * stands (`migrate current t3`; then `migrate upgrade t3@<revision>`), as the message's last
   * line says (core's `retryByHand`, e.g. `RunError.retryByHand`), in run order:
   * `[{ "bind": "t3", "targets": ["fa@+1"] }]`. Running {@link retry} alone leaves them short.
   * Absent when none.
   */
  readonly retryByHand?: readonly { readonly bind: string; readonly targets: readonly string[] }[];
  /**
   * A stamp of more than 16 binds that met a bind it could not connect at its write, after it
   * checked them all (`UnreachableBindsError`): the binds it stamped before, in its order ({@link notRun}:
   * those it did not stamp). Absent when it stamped none.
   */
  readonly stamped?: readonly string[];
  /**
   * `migrate migrate` that could not read a bind and so wrote nothing (autogenerate's
   * `NothingWrittenError`): the binds whose revision was ready to write (`--bind` each to write
   * them), `[]` when no other bind differed from its models.
   */
  readonly ready?: readonly string[];
  /**
   * `INTERRUPTED` (the run stopped after the revisions in progress, on Ctrl-C or SIGTERM) and
   * `CODEGEN_AFTER_RUN`: where each bind the run read stands, its version-table rows (`[]`: base),
   * as {@link RunJson}'s `heads`.
   */
  readonly heads?: Readonly<Record<string, readonly string[]>>;
  /**
   * `INTERRUPTED`: the steps planned and not started, in plan order. `RUN` of a run the signal
   * stopped too: the steps it left (those waiting on a failed bind are in the message only).
   */
  readonly pending?: readonly { readonly bind: string; readonly revision: string }[];
  /** `INTERRUPTED` (and `RUN` of a run the signal stopped too): the binds the run did not get to (nothing read or changed there). */
  readonly notStarted?: readonly string[];
  /**
   * `ABORTED` (a second signal ended the process at once): the revisions that were in progress,
   * not recorded as applied (see the README's exit codes for what each database does with them).
   */
  readonly inProgress?: readonly { readonly bind: string; readonly revision: string; readonly direction: 'up' | 'down' }[];
  /**
   * A concurrent run (`RunError`): one entry per failed bind; a run without `--concurrency` that
   * could not connect several binds (`UnreachableBindsError`): one entry per such bind; a target
   * that counts revisions some binds cannot take (`RelativeTargetError`): one entry per such bind.
   */
  readonly failures?: readonly ErrorDetailJson[];
  /**
   * In a `failures` entry of a `RelativeTargetError` (code `RELATIVE_TARGET`): the target, as
   * written, that this entry's bind cannot take (`'+1'`), when known.
   */
  readonly target?: string;
}

/** What any `--json` command prints on stdout when it fails (the exit code is still non-zero). */
export interface ErrorJson {
  /** What went wrong. */
  readonly error: ErrorDetailJson;
}

/**
 * Flattens core's `RevisionEntry` into {@link RevisionJson}.
 * @example
 * ```ts
 * const json = (await commands.heads(env)).map(revisionJson);
 * ```
 */
export function revisionJson(entry: RevisionEntry): RevisionJson {
  const { script } = entry;
  return {
    revision: script.revision,
    downRevisions: script.downRevisions,
    branch: script.branch,
    branchLabels: script.branchLabels,
    dependsOn: script.dependsOn,
    message: script.message,
    ...(script.createDate !== undefined ? { createDate: script.createDate } : {}),
    path: script.path,
    isHead: entry.isHead,
    isMergePoint: entry.isMergePoint,
    isBranchPoint: entry.isBranchPoint,
    children: entry.children,
  };
}

/**
 * {@link ShowRevisionJson} of core's `ShowEntry`: {@link revisionJson}, with `bind` first when it has one.
 * @example
 * ```ts
 * const json: ShowJson = { revisions: (await commands.show(env, 'current')).revisions.map(showRevisionJson) }; // { revisions: [{ bind: 'db2', revision: '3f2a9c1d7b40', … }] }
 * ```
 */
export function showRevisionJson(entry: ShowEntry): ShowRevisionJson {
  return entry.bind === undefined ? revisionJson(entry) : { bind: entry.bind, ...revisionJson(entry) };
}

/**
 * {@link HistoryRevisionJson} of core's `HistoryEntry`.
 * @example
 * ```ts
 * const json: HistoryJson = { revisions: (await commands.history(env)).revisions.map(historyRevisionJson) };
 * ```
 */
export function historyRevisionJson(entry: HistoryEntry): HistoryRevisionJson {
  return { ...revisionJson(entry), currentBinds: entry.currentBinds, sharedBranch: entry.sharedBranch };
}

/**
 * {@link LockHolderJson} of core's `LockHolder`: its times (and its session's) as ISO 8601
 * strings; a time that is not one (an invalid `Date`) is left out.
 * @example
 * ```ts
 * lockHolderJson({ holder: 'pid 4242', session: { id: 4242, connectedAt: new Date('2026-12-07T10:00:00Z') } });
 * // { holder: 'pid 4242', session: { id: 4242, connectedAt: '2026-12-07T10:00:00.000Z' } }
 * ```
 */
export function lockHolderJson(holder: LockHolder): LockHolderJson {
  const { acquiredAt, expiresAt, session, ...rest } = holder;
  return {
    ...rest,
    ...isoField('acquiredAt', acquiredAt),
    ...isoField('expiresAt', expiresAt),
    ...(session !== undefined ? { session: lockHolderSessionJson(session) } : {}),
  };
}

function lockHolderSessionJson(session: LockHolderSession): LockHolderSessionJson {
  const { connectedAt, transactionStartedAt, stateSince, ...rest } = session;
  return { ...rest, ...isoField('connectedAt', connectedAt), ...isoField('transactionStartedAt', transactionStartedAt), ...isoField('stateSince', stateSince) };
}

/** `{ [key]: date as ISO 8601 }`, or nothing for a date absent or invalid. */
function isoField<K extends string>(key: K, date: Date | undefined): { [P in K]?: string } {
  return date !== undefined && !Number.isNaN(date.getTime()) ? ({ [key]: date.toISOString() } as { [P in K]?: string }) : {};
}

/**
 * {@link CurrentBindJson} of core's `CurrentBind` (its `lockHolder` as {@link lockHolderJson}).
 * @example
 * ```ts
 * const json: CurrentJson = { binds: (await commands.current(env)).map(currentBindJson) };
 * ```
 */
export function currentBindJson(bind: CurrentBind): CurrentBindJson {
  const { lockHolder, ...rest } = bind;
  return lockHolder === undefined ? rest : { ...rest, lockHolder: lockHolderJson(lockHolder) };
}

/**
 * {@link RunJson} of core's `RunResult` (its `heads` map as an object).
 * @example
 * ```ts
 * console.log(JSON.stringify(runJson(await commands.upgrade(env))));
 * ```
 */
export function runJson(result: RunResult): RunJson {
  return {
    steps: result.steps.map(stepJson),
    heads: Object.fromEntries(result.heads),
    elapsedMs: result.elapsedMs,
  };
}

function stepJson(s: StepResult): StepJson {
  return { bind: s.bind, revision: s.revision, direction: s.direction, elapsedMs: s.elapsedMs };
}

/**
 * {@link ErrorJson} of what a command threw: the message on one line (URLs masked; `main` masks the binds'
 * secrets too), the `bind` an error names (its `bind` field, or the `[bind]` its message starts
 * with) and core's `code`; for a failed revision (`MigrationError`) its `revision`, `direction`,
 * `at`, `file`, `line`, `sql`, the server's `detail` and `hint`, the `steps` completed before it and (a run
 * without `--concurrency`) the binds `notRun` after it; for a migration lock not acquired in time
 * (`LockTimeoutError`) its `holder` where the dialect can tell, and in a run of groups one after
 * the other the `steps` completed before it and the binds `notRun` as well; for a concurrent run
 * (`RunError`) the `steps` it completed, its `failures`, each as the above (so for the binds
 * that cannot take a target that counts revisions, `RelativeTargetError`); for a run a signal
 * stopped (`InterruptedError`, code `INTERRUPTED`) the `steps` it completed, the `heads` of each
 * bind, the steps `pending` and the binds `notStarted`; for a run that completed and whose codegen
 * failed (autogenerate's `CodegenAfterRunError`, code `CODEGEN_AFTER_RUN`) its `steps` and `heads`;
 * for a run stopped at a bind it could not connect (`UnreachableBindsError`) the `steps` completed
 * before and the binds `notRun`; for any of these runs stopped part way with targets that count
 * revisions from where each bind stands (`+2`), those targets (`relative`), the `retry` targets
 * that finish what they meant (and `retryByHand`, the binds not reached that no such target says);
 * for `migrate migrate` that wrote nothing (autogenerate's `NothingWrittenError`) the binds
 * `ready` to write.
 * @example
 * ```ts
 * try { await commands.upgrade(env); } catch (e) { console.log(JSON.stringify(errorJson(e))); }
 * ```
 */
export function errorJson(error: unknown): ErrorJson {
  return { error: errorDetail(error) };
}

function errorDetail(error: unknown): ErrorDetailJson {
  // One line, as the ERROR: line on stderr (a MigrationError's statement and file are lines of its message).
  const message = oneLine(maskUrl(error instanceof Error ? error.message : String(error)));
  const field = typeof error === 'object' && error !== null && 'bind' in error && typeof error.bind === 'string' ? error.bind : undefined;
  // Core's errors carry `bind`; any other MultidbError names it in the message, as every bind
  // error does: `[db2] …`.
  const bind = field ?? (error instanceof MultidbError ? /^\[([^\]\s]+)\] /.exec(error.message)?.[1] : undefined);
  const code = error instanceof MultidbError ? error.code : typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return {
    message,
    ...(bind !== undefined ? { bind } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(error instanceof MigrationError ? migrationDetail(error) : {}),
    // A run one group after the other that stopped at this bind's lock: what ran before, and the binds it left.
    ...(error instanceof LockTimeoutError && (error.notRun.length || error.completed.length) ? { steps: error.completed.map(stepJson) } : {}),
    ...(error instanceof LockTimeoutError && error.notRun.length ? { notRun: error.notRun } : {}),
    ...(error instanceof LockTimeoutError && error.holder ? { holder: lockHolderJson(error.holder) } : {}),
    ...(error instanceof RunError ? { steps: error.completed.map(stepJson) } : {}),
    // Relative targets (`+2`) that completed steps: running them again would step again what ran…
    ...(hasRetry(error) && error.relative.length ? { relative: error.relative } : {}),
    // …so the targets that finish what they meant, per bind left short.
    ...(hasRetry(error) && error.retry.length ? { retry: error.retry } : {}),
    // …and the binds not reached whose targets follow a line of a forked branch (`fa@+1`): by hand.
    ...(hasRetry(error) && error.retryByHand.length ? { retryByHand: error.retryByHand.map((b) => ({ bind: b.bind, targets: [...b.targets] })) } : {}),
    // A run that failed and was interrupted as well: what the signal left, apart from `failures`.
    ...(error instanceof RunError && error.interrupted
      ? { pending: error.interrupted.pending.map((p) => ({ bind: p.bind, revision: p.revision })), notStarted: error.interrupted.notStarted }
      : {}),
    ...(error instanceof InterruptedError
      ? { steps: error.completed.map(stepJson), heads: Object.fromEntries(error.heads), pending: error.pending.map((p) => ({ bind: p.bind, revision: p.revision })), notStarted: error.notStarted }
      : {}),
    // The run completed; the codegen after it failed: what the run did, as its RunJson says.
    ...(isCodegenAfterRun(error) ? { steps: error.completed.map(stepJson), heads: Object.fromEntries(error.heads) } : {}),
    // With --concurrency: the binds that could not be connected, the groups stopped before a step, then those that failed.
    ...(error instanceof RunError ? { failures: [...error.unreachable, ...error.stopped.map((s) => s.error), ...error.failures].map(errorDetail) } : {}),
    // Without --concurrency: every bind that could not be connected, when several could not.
    ...(error instanceof UnreachableBindsError ? { failures: error.unreachable.map(errorDetail) } : {}),
    // A run it stopped: what ran before (groups of a run of more than 16 binds) and what it did not run.
    // (A stamp's: no steps; `notRun` absent when the run had none left; `stamped`: what a stamp of
    // many binds wrote before it met these.)
    ...(error instanceof UnreachableBindsError && !error.stamp && (error.notRun.length || error.completed.length) ? { steps: error.completed.map(stepJson) } : {}),
    ...(error instanceof UnreachableBindsError && error.notRun.length ? { notRun: error.notRun } : {}),
    ...(error instanceof UnreachableBindsError && error.stamped.length ? { stamped: error.stamped } : {}),
    // migrate migrate that wrote nothing: the binds whose revision was ready to write.
    ...(isNothingWritten(error) ? { ready: error.ready } : {}),
    // A target that counts revisions: each bind that cannot take it, and why.
    ...(error instanceof RelativeTargetError ? { failures: error.failures.map((f) => ({ ...errorDetail(f.error), bind: f.bind, ...(f.target !== undefined ? { target: f.target } : {}) })) } : {}),
  };
}

/** A run's error that may say how to finish it for relative targets (its `retry`). */
function hasRetry(error: unknown): error is RunError | MigrationError | LockTimeoutError | UnreachableBindsError | InterruptedError {
  return error instanceof RunError || error instanceof MigrationError || error instanceof LockTimeoutError || error instanceof UnreachableBindsError || error instanceof InterruptedError;
}

/**
 * Autogenerate's `CodegenAfterRunError`, known by its code (not `instanceof`): autogenerate is
 * loaded only by the commands that use it, never to print an error.
 */
function isCodegenAfterRun(error: unknown): error is CodegenAfterRunError {
  return error instanceof Error && (error as { readonly code?: unknown }).code === 'CODEGEN_AFTER_RUN';
}

/**
 * Autogenerate's `NothingWrittenError` (an `UnreachableBindsError` with `ready`), known by its
 * shape, not `instanceof`: autogenerate is loaded only by the commands that use it.
 */
function isNothingWritten(error: unknown): error is UnreachableBindsError & { readonly ready: readonly string[] } {
  return error instanceof UnreachableBindsError && Array.isArray((error as { readonly ready?: unknown }).ready);
}

/** What a failed revision adds to its {@link ErrorDetailJson} (the file and SQL masked as the message is). */
function migrationDetail(error: MigrationError): Pick<ErrorDetailJson, 'revision' | 'direction' | 'at' | 'file' | 'line' | 'sql' | 'detail' | 'hint' | 'steps' | 'notRun'> {
  return {
    revision: error.revision,
    ...(error.direction !== undefined ? { direction: error.direction } : {}),
    ...(error.at !== undefined ? { at: error.at } : {}),
    ...(error.file !== undefined ? { file: maskUrl(error.file) } : {}),
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.statement !== undefined ? { sql: maskUrl(error.statement) } : {}),
    ...(error.detail !== undefined ? { detail: maskUrl(error.detail) } : {}),
    ...(error.hint !== undefined ? { hint: maskUrl(error.hint) } : {}),
    steps: error.completed.map(stepJson),
    // A run one bind after the other that stopped at this revision: the binds it left.
    ...(error.notRun.length ? { notRun: error.notRun } : {}),
  };
}

/**
 * Prints a `--json` document: one JSON text on stdout (indented, 2 spaces). Every string in it is
 * masked before it is encoded (so a password with characters JSON escapes is still found).
 * @param output - the CLI's masking output (`mask`, `out`).
 * @param document - one of the shapes of this module.
 * @example
 * ```ts
 * printJson(new MaskingOutput(processOutput), { heads: [] });
 * ```
 */
export function printJson(output: { mask(text: string): string; out(line: string): void }, document: object): void {
  output.out(JSON.stringify(document, (_key, value: unknown) => (typeof value === 'string' ? output.mask(value) : value), 2));
}
