import type { BindConfig, HookContext, MultidbConfig } from '../config/multidb-config.js';
import { findConfigFile, importConfig, validateConfig, type LoadedConfig } from '../config/config-loader.js';
import { checkBindOptions } from '../config/check-bind-options.js';
import type { Dialect, DialectConnection, DialectDriver, DialectEntry, DialectRegistry, LockHolder } from '../dialect/dialect.js';
import { BindError, BindRequiredError, ConfigError, DowngradeTargetError, formatRevisions, DatabaseNotFoundError, DuplicateDatabaseError, EnvironmentBusyError, InterruptedError, LockTimeoutError, MigrationError, MultidbError, MultipleHeadsError, PartlyAppliedError, ReadOnlyBindError, RelativeTargetError, ResolveConflictError, ResolveError, RevisionError, RunError, SharedBranchError, TargetUsageError, UnknownBindError, UnreachableBindsError, UrlError, VersionTableError, type BindAction, type UnknownOptionError, type SkippedStep, type StoppedGroup } from '../errors.js';
import { acquireLocks, type LockingOptions } from './bind-locks.js';
import type { RunContext } from './run-context.js';
import type { RunEvent, RunListener } from './run-event.js';
import { startUpgradeWorkers } from './run-workers.js';
import { interruptedBindEvents } from './interrupted-binds.js';
import { eventLoopTurn } from './event-loop-turn.js';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { createModuleLoader, type ImportOptions, type ModuleLoader } from '../script/module-loader.js';
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from '../schema/naming-convention.js';
import { planDowngrade, planStamp, planUpgrade, type BindState, type FanOut, type Plan, type StampChange } from '../script/planner.js';
import type { StampResult } from './stamp-result.js';
import { stepsWaitingOn } from '../script/steps-waiting-on.js';
import { guardSharedBranch, parseTarget, type RevisionTarget } from '../script/revision-target.js';
import { RevisionMap } from '../script/revision-map.js';
import { bindsOfPlan, checkConcurrency, runPlan, withRun, type RunResult, type StepResult } from './runner.js';
import { ScriptDirectory, type ScriptWarning } from '../script/script-directory.js';
import { maskDatabaseUrl, secretsMasker, urlScheme } from '../config/database-url.js';
import { VersionTable, type VersionTableState } from './version-table.js';
import { checkOptions, keysOf } from '../option-keys.js';
import { headsMap } from './heads-map.js';
import { completedOf, leftShort, planTargets, runRetry, withRetry, type PlannedRows } from './retry-targets.js';
import { describeWrites, ProgressTable, type InFlightRevision } from './progress-table.js';

/** A configured bind with its branch, dialect entry and printable (masked) URL. */
export interface ResolvedBind {
  /** The bind's name (its key in `binds`). */
  readonly name: string;
  /** Its branch (`binds.<name>.branch`, default the bind's name). */
  readonly branch: string;
  /** Its configuration, as written. */
  readonly config: BindConfig;
  /** The URL with its password masked, `'(kysely instance)'`, or `'(no url)'` (a url left unset: the bind is refused by the commands that need it). */
  readonly displayUrl: string;
  /**
   * The registry entry of its dialect, looked up on first access.
   * @throws {@link UrlError} (password masked) when the URL has no scheme or no dialect takes it.
   */
  readonly entry: DialectEntry;
}

/**
 * What a read-only command found in a bind's version table (see {@link MigrationEnvironment.readHeads}):
 * - `read`: its rows (`[]`: base), and the `dialect` the connection found (its flavour where it has
 *   one: `'mariadb'` for a MariaDB server behind a `mysql://` URL);
 * - `absent`: its database does not exist (a missing SQLite file, not created): at base; `detail`
 *   says so (`database file /srv/app/.data/default.db does not exist`);
 * - `misconfigured`: its configuration was refused before connecting: a {@link ConfigError} such
 *   as `UnsupportedBindOptionError` (`schema` on MySQL/MariaDB), or a {@link UrlError} (a URL no
 *   dialect takes, `mssql://…` or `postgress://…`, or one its dialect cannot parse); `reason` is
 *   the error's first line, masked, and says what to change. Nothing was opened;
 * - `unreachable`: it could not be opened or read (a server down, a database missing on a server,
 *   a version table that cannot be read, or another command of this environment is writing to it:
 *   see {@link EnvironmentBusyError}); `reason` is the first line of the error, with every
 *   password masked.
 */
export type BindHeads =
  | {
      readonly kind: 'read';
      readonly heads: readonly string[];
      readonly dialect: string;
      /**
       * Who holds its migration lock, read with its version table when {@link ReadHeadsOptions.lockHolder}
       * is asked (as {@link MigrationEnvironment.lockHolders} reads it); absent when nobody does,
       * the dialect cannot tell, it was not asked, or it could not be read.
       */
      readonly lockHolder?: LockHolder;
      /**
       * Its revision in flight, read with its version table when {@link ReadHeadsOptions.inFlight}
       * is asked (as {@link MigrationEnvironment.inFlight} reads it); absent when there is none, it
       * was not asked, or it could not be read.
       */
      readonly inFlight?: InFlightRevision;
    }
  | { readonly kind: 'absent'; readonly heads: readonly string[]; readonly location: string; readonly detail: string }
  | { readonly kind: 'misconfigured'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string };

/**
 * What {@link MigrationEnvironment.readHeads} reads of each bind besides its version table: on the
 * same connection, in the same visit (a read of thousands of tenants opens each once). Each is
 * read only for a bind whose version table was read (`kind: 'read'`); one that cannot be read (no
 * privilege on the lock or progress table, the connection lost since) is left out of the entry,
 * whose version table was read.
 */
export interface ReadHeadsOptions {
  /** Who holds the bind's migration lock, where its dialect can tell: `lockHolder` of the entry. Default `false`. */
  readonly lockHolder?: boolean;
  /** The bind's revision in flight (MySQL/MariaDB): `inFlight` of the entry. Default `false`. */
  readonly inFlight?: boolean;
}

/** Options of {@link loadEnvironment}. */
export interface EnvironmentOptions {
  /** The dialects available, by URL scheme (the CLI passes `@multidb/dialect`'s registry). */
  readonly dialects: DialectRegistry;
  /** Where the config search starts (default `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /**
   * How the user can name a config, ending the error when none is found (default: the options
   * of this function, `config`, `cwd`, `configObject`; the CLI passes `'pass --config PATH'`).
   */
  readonly configHint?: string;
  /**
   * An already built configuration (custom tooling), instead of a file; needs `baseDir`. It has
   * no file: the environment's `loaded.path` is undefined and messages name it as
   * `loaded.source`, `'the configObject given to loadEnvironment'`.
   */
  readonly configObject?: MultidbConfig;
  /** Folder that relative paths of `configObject` resolve against. */
  readonly baseDir?: string;
  /**
   * The module loader of the config and the revisions: a loader, used as it is, or a function that
   * makes one from the dialects' module alias for the project (each registry entry's
   * `moduleAlias(projectDir)`, `projectDir` the config file's folder or the `configObject`'s
   * `baseDir`), called once the config file is found: `@multidb/dialect`'s maps `kysely` to the
   * copy it bundles, so `op.db instanceof Kysely` holds in a revision, unless the project has
   * another version of kysely installed (then to the project's own, and the dialects make `op.db`
   * with that copy: see `ConnectOptions.moduleAlias`). The alias also maps `@multidb/core` to the
   * copy running `loadEnvironment`, as the CLI maps it to its own: a config's or revision's
   * `import … from '@multidb/core'` gets that module, from any folder. Default:
   * `(alias) => createModuleLoader({ alias })`.
   *
   * @example
   * ```ts
   * // the dialects' alias, plus a loader of your own's options (modules read afresh from disk)
   * const env = await loadEnvironment({ dialects, loader: (alias) => createModuleLoader({ alias, moduleCache: false }) });
   * ```
   */
  readonly loader?: ModuleLoader | ((alias: Readonly<Record<string, string>>) => ModuleLoader);
  /**
   * Called once per distinct warning when it is found (a helper file skipped in a versions
   * folder, a revision file named after another id). They are also kept in
   * {@link MigrationEnvironment.warnings}.
   */
  readonly onWarning?: (warning: ScriptWarning) => void;
}

/** Options of a run (upgrade, downgrade). */
export interface RunOptions {
  /** Receives progress events (DESIGN §8). An error the listener throws is ignored: it does not stop the run. */
  readonly onEvent?: RunListener;
  /** Give up waiting for a bind's migration lock after this many milliseconds (default: no limit). */
  readonly lockTimeoutMs?: number;
  /**
   * How many binds may run at the same time (default 1: one step after the other, stopping at the
   * first failure with a {@link MigrationError}). With N > 1 each bind runs its steps in order on
   * its own connection, a step of one bind waits for the steps of other binds its revision depends
   * on (depends-on, or for a downgrade its dependents), and a failure stops only its bind and what
   * waits on it; the run then throws a {@link RunError}. Locks of binds a plan orders together are
   * still all taken first, in sorted order. Must be a whole number of 1 or more.
   *
   * An upgrade of independent groups of binds (tenants sharing a branch that no depends-on links;
   * see {@link MigrationEnvironment.upgrade}) holds at most N binds open at once (a group of more
   * than N binds alone), each group connected, locked, planned, run and closed on its own, each
   * running up to N of its own binds at once; an error about one bind stops only its group.
   */
  readonly concurrency?: number;
  /**
   * In a run of independent groups of binds (tenants sharing a branch; see
   * {@link MigrationEnvironment.upgrade}), let a failing group stop only itself even with
   * `concurrency` 1, as it does with `concurrency` > 1: the other groups go on to their targets
   * (one after the other) and the run then throws one {@link RunError} listing every failure and
   * where each bind stays. Within a group, binds a depends-on orders together still stop together
   * (with `concurrency` 1, at the group's first failure). A run of one group is not changed by it.
   * Default `false` (with `concurrency` 1 the run stops at the first failing group, as Alembic does).
   * @example
   * ```ts
   * try {
   *   await env.upgrade([], { keepGoing: true });
   * } catch (e) {
   *   if (!(e instanceof RunError)) throw e;
   *   for (const f of e.failures) console.error(`${f.bind} failed at ${f.revision}`);
   * }
   * ```
   */
  readonly keepGoing?: boolean;
  /**
   * Extra arguments for the revisions (`op.xArgs`) and the config's hooks (`ctx.xArgs`), Alembic's
   * `-x` (`migrate -x tenant=acme upgrade`). Copied and frozen; default `{}`.
   */
  readonly xArgs?: Readonly<Record<string, string>>;
  /**
   * Lets an upgrade of many independent groups of SQLite binds (tenants) run on worker threads:
   * better-sqlite3 blocks the thread it runs on, so with `concurrency` > 1 on one thread the
   * groups take turns. See {@link RunWorkersOptions} for when workers are used. Default: this
   * thread only.
   */
  readonly workers?: RunWorkersOptions;
  /**
   * Asks the run to stop, as Ctrl-C does to `migrate upgrade`: once the signal is aborted, no
   * revision starts (nor a group of binds, nor the wait for a migration lock goes on, nor a
   * connect in progress: a bind whose host does not answer is not waited for until its
   * `connectTimeout`, its connect is ended at once), the
   * revisions in progress finish (or fail) as they would have, and the run then rejects with an
   * {@link InterruptedError} (`code` `'INTERRUPTED'`, its `reason` the signal's) saying what
   * completed, what was left and where each bind stands; every bind is at a revision its version
   * table records, and running the same command again goes on from there. A revision that fails
   * meanwhile is reported as without the signal (a {@link MigrationError}, a `RunError`). A per-run
   * transaction (`transactionMode: 'per-run'`) keeps the revisions it completed. A signal aborted
   * during the last revision (or after it, before the run returned) ends the run the same way:
   * that revision finishes, and the run rejects with an {@link InterruptedError} whose `pending`
   * and `notStarted` are empty, so a caller that aborted always learns the run was interrupted
   * (an interrupted run does not call the `afterRun` hook). Groups of SQLite binds
   * running on worker threads (see {@link workers}) get the signal too. A revision in progress
   * whose connection died silently (a network path that drops packets without closing it) is not
   * waited for: once the signal is aborted, its server is asked on a side connection whether it
   * still runs the statement, and when it cannot be reached or the answer was lost the
   * connection is given up and the revision fails: the run rejects with a {@link MigrationError}
   * naming the bind and the revision, whose `cause` is the dialect's error with `code`
   * `'CONNECTION_LOST'` (see `DialectConnection.watchForLoss`); nothing of it is recorded as
   * applied. A statement the server still runs is waited for, and so is one whose session the
   * side connection cannot identify (a pooler or proxy in between) or cannot ask about (a login
   * refused). What the run reads of the groups it did not start, to name only the binds that had
   * steps to run in its error (`notStarted`, `notRun`), is not waited for on a server: a server
   * bind is not read once the signal is aborted, and a read of one in progress then is given up
   * (its statement cancelled, its connection closed in the background: {@link close} waits for it),
   * so that a server that does not answer, or a version table locked elsewhere, does not hold the
   * run up; such a bind is named. Aborting the process
   * instead (a second Ctrl-C) leaves the revision in progress uncommitted; see the README's exit
   * codes for what each database does then. Default: none.
   * @example
   * ```ts
   * const controller = new AbortController();
   * process.once('SIGTERM', () => controller.abort('SIGTERM'));
   * try {
   *   await env.upgrade([], { signal: controller.signal });
   * } catch (e) {
   *   if (!(e instanceof InterruptedError)) throw e;
   *   console.error(`stopped: ${e.completed.length} revision(s) done, ${e.pending.length} left`);
   * }
   * ```
   */
  readonly signal?: AbortSignal;
}

/**
 * How an upgrade may use worker threads (see {@link RunOptions.workers}). Workers are used only
 * when they pay: the environment was loaded from a config file, the run has more than 16 binds
 * (`CONNECT_FIRST_MAX`) in more than one independent group, every bind of it is SQLite (server
 * dialects wait on the network, where one thread is enough), and `min(concurrency, max, groups)`
 * is 2 or more. Each worker loads the environment once (30–60 ms) and runs whole groups, as
 * this thread would: the same events (posted back in order per group), hooks run once on this
 * thread, errors revived as core's classes, at most `concurrency` binds open at once. What the
 * revisions print goes to the process's stdout and stderr, as on one thread.
 */
export interface RunWorkersOptions {
  /**
   * The module exporting the dialect registry as `dialects`, as a URL or absolute path each
   * worker imports, e.g. `import.meta.resolve('@multidb/dialect/registry')`.
   */
  readonly dialects: string;
  /**
   * The module alias of the workers' loaders (the CLI's: `@multidb/core` to its copy), over the
   * dialects' own for the project (see {@link EnvironmentOptions.loader}), which each worker
   * decides as `loadEnvironment` does.
   */
  readonly alias?: Readonly<Record<string, string>>;
  /** The most worker threads (default: `os.availableParallelism()`). */
  readonly max?: number;
  /**
   * Each worker thread's V8 heap limits (Node's `Worker` `resourceLimits`); default: Node's. With
   * Node's, a worker's young generation grew to 16–32 MiB (new space) in runs of 20 to 200 tenants, although the CLI
   * had set `--semi-space-growth-factor=1` for the process. The CLI passes
   * `{ maxYoungGenerationSizeMb: 3 }` (two 1 MiB semi-spaces, as on its main thread): about 10 MiB
   * less peak memory per worker (tools/bench/RESULTS.md, 2026-12-05).
   */
  readonly resourceLimits?: ResourceLimits;
}

/** Options of a downgrade: a run's, and `allBinds`. */
export interface DowngradeOptions extends RunOptions {
  /**
   * Act on every bind of a shared branch when the target names one of its revisions or labels
   * rather than a bind (`--all-binds`). Without it such a target is refused with a
   * `SharedBranchError` listing the binds, before any connection is opened. Default `false`.
   */
  readonly allBinds?: boolean;
}

/** Options of {@link MigrationEnvironment.stamp}. */
export interface StampRunOptions {
  /**
   * Delete every row of the version table first, whatever it holds; on a bind with a revision in
   * flight (MySQL/MariaDB), also forget that revision's progress, in the same transaction (see
   * {@link MigrationEnvironment.stamp}).
   */
  readonly purge?: boolean;
  /**
   * Receives lock events, and per bind changed a `stamp` event then its `bind-done` (see
   * {@link MigrationEnvironment.stamp}). An error the listener throws is ignored: it does not stop the stamp.
   */
  readonly onEvent?: RunListener;
  /** Give up waiting for a bind's migration lock after this many milliseconds. */
  readonly lockTimeoutMs?: number;
  /** As {@link DowngradeOptions.allBinds}: stamp every bind of a shared branch (default `false`). */
  readonly allBinds?: boolean;
  /**
   * Asks the stamp to stop (as {@link RunOptions.signal}): once aborted, no further bind's version
   * table is written (nor the wait for a lock goes on, nor a connect in progress: it is ended at
   * once), and the stamp rejects with an {@link InterruptedError} whose `heads` say what each
   * bind's table holds (stopped before the locks were all taken: every bind in `notStarted`,
   * nothing read or written). Each bind it stopped ends with a `bind-done` event carrying
   * `interrupted` (see {@link MigrationEnvironment.stamp}).
   */
  readonly signal?: AbortSignal;
}

/** The keys of {@link RunOptions}, {@link DowngradeOptions} and {@link StampRunOptions}: any other key is refused (see `checkOptions`). */
const RUN_OPTIONS = keysOf<RunOptions>({ onEvent: true, lockTimeoutMs: true, concurrency: true, keepGoing: true, xArgs: true, workers: true, signal: true });
const DOWNGRADE_OPTIONS = keysOf<DowngradeOptions>({ onEvent: true, lockTimeoutMs: true, concurrency: true, keepGoing: true, xArgs: true, workers: true, signal: true, allBinds: true });
const STAMP_RUN_OPTIONS = keysOf<StampRunOptions>({ purge: true, onEvent: true, lockTimeoutMs: true, allBinds: true, signal: true });
/** The keys of {@link EnvironmentOptions}. */
const ENVIRONMENT_OPTIONS = keysOf<EnvironmentOptions>({ dialects: true, cwd: true, config: true, configHint: true, configObject: true, baseDir: true, loader: true, onWarning: true });

/**
 * What {@link MigrationEnvironment.cancelInFlight} did on one bind's connection:
 * - `'cancelled'`: a statement was running on the server; it was asked to stop and has ended;
 * - `'idle'`: no statement was running (nothing was sent);
 * - `'unsupported'`: the connection cannot cancel (SQLite, whose statements block the thread
 *   they run on; a Kysely connection borrowed from custom tooling);
 * - `'unconfirmed'`: the cancel request failed (the server could not be reached), or the
 *   statement had not ended within the time allowed: it may still be running.
 */
export type CancelOutcome = 'cancelled' | 'idle' | 'unsupported' | 'unconfirmed';

/**
 * A loaded project: configuration, repository, binds and their connections. Reading commands
 * (`history`, `heads`, `show`) only read script headers: no driver loads and no module runs.
 * Connections open lazily for the binds a command touches; call {@link close} at the end. Made by
 * {@link loadEnvironment}; the `commands` take one.
 *
 * It keeps one connection per bind, which holds the bind's migration lock during a run, so two
 * commands of one environment never use a bind's connection at the same time:
 * - a command that writes (`upgrade`, `downgrade`, `stamp`, `resolve`) started while a read of the
 *   same environment is in flight on one of its binds (`status`, `current`, `currentHeads`,
 *   autogenerate's `check`: see {@link reading}) waits for that read to end before it uses the
 *   bind; the read completes as if the command had not started (it sees the bind as it was), then
 *   the command runs. Reads only wait on their own database, so the wait is bounded by them; an
 *   aborted `signal` stops it (an {@link InterruptedError}, nothing started);
 * - a read that starts while such a command holds the bind is refused with an
 *   {@link EnvironmentBusyError} (`current` and `status` report the bind as unreachable, saying
 *   so), and so is a second command that writes to it. It is not made to wait: a run can take
 *   hours, and a status refresh or a health check should answer now.
 *
 * In an environment of more than 16 binds (tenants), reads keep no connection: a read of at most
 * 16 binds ({@link MigrationEnvironment.readHeads}, `currentHeads`, `lockHolders`, `inFlight`,
 * and {@link MigrationEnvironment.reading}, which the reading commands go through) closes the
 * connections it opened once it ends, and a read of more binds connects them 16 at a time, each
 * closed once read. So `current`, `status`, `check` or `history -i` over thousands of tenants has
 * at most 16 of them open at a time, and runs out of neither the process's file descriptors
 * (`ulimit -n`) nor a server's connection slots. A connection open before the read (a run's,
 * `connectAll`'s, or one `connection` gave outside a read) stays open. With 16 binds or fewer, a
 * read's connections stay open for the commands after it (a `current` then an `upgrade` connect
 * each bind once).
 *
 * For work at the same time (a health check while the app upgrades at start-up), load a second
 * environment: its own connections, and its run waits for the migration lock. (The TUI does so:
 * its status refreshes read through one environment, and each run loads its own.)
 * @example
 * ```ts
 * import { loadEnvironment } from '@multidb/core';
 * import { dialects } from '@multidb/dialect';
 * const env = await loadEnvironment({ dialects });
 * try {
 *   const plan = await env.planUpgrade(['db2@head']);
 *   console.log(plan.steps.map((s) => `${s.bind} ${s.revision}`));
 *   await env.upgrade(['db2@head'], { onEvent: (e) => console.log(e.type) });
 * } finally {
 *   await env.close();
 * }
 * ```
 */
export class MigrationEnvironment {
  /**
   * The loaded configuration (file, folder, repository, version table name). For a
   * `configObject` there is no file: its `path` is undefined, and messages name the config by
   * its `source`, `'the configObject given to loadEnvironment'`.
   */
  readonly loaded: LoadedConfig;
  /** The configured binds, in config order. */
  readonly binds: readonly ResolvedBind[];
  /** The config's naming convention merged over {@link DEFAULT_NAMING_CONVENTION}. */
  readonly namingConvention: NamingConvention;
  /** How revision modules (and models) are imported. */
  readonly loader: ModuleLoader;
  /** {@link binds} by name (thousands of tenants are looked up by name many times a command). */
  readonly #byName: ReadonlyMap<string, ResolvedBind>;
  readonly #connections = new Map<string, Promise<DialectConnection>>();
  readonly #drivers = new Map<string, Promise<DialectDriver>>();
  readonly #identities = new Map<string, Promise<string>>();
  /** Connections opened ahead of their group's turn (see `#connectAhead`), not yet taken by {@link connection}. */
  readonly #ahead = new Map<string, Promise<DialectConnection>>();
  /** `#connectAhead` calls still choosing what to open (a driver may still be loading): `#closeAhead` waits for them. */
  readonly #aheadStarting = new Set<Promise<void>>();
  /**
   * Binds of a run that failed or stopped (their own failure, another bind's, or before their
   * turn): their connections are discarded rather than closed (`DialectConnection.discard`), so
   * a database that connecting created and the run committed nothing to is removed again.
   */
  readonly #stopped = new Set<string>();
  /**
   * Connections given up with a read still in flight on them (see `#giveUp`), closing in the
   * background: {@link close} waits for them.
   */
  readonly #givenUp = new Set<Promise<void>>();
  /** {@link mask}'s masking of the binds' URLs, made on first use. */
  #masker: ((text: string) => string) | undefined;
  /**
   * Binds a writing command (a run, a stamp, a resolve: see `#exclusive`) has claimed, until it
   * ends. Another writing command naming one of them is refused with an
   * {@link EnvironmentBusyError}: it would share the bind's one connection (and, the migration lock
   * being that connection's, run inside the first command's transaction instead of waiting). So is
   * a read that starts once the writing command holds the bind (see `#reads`).
   */
  readonly #busy = new Set<string>();
  /**
   * The reads in flight on each bind (see `#read`): a reading method or {@link reading} of this
   * environment that began and has not ended. A writing command waits until its binds have none
   * before it uses them (see `#readsEnded`): a read shares the bind's one connection, so one in
   * flight would otherwise send its queries between the run's (on PostgreSQL and MySQL, inside the
   * run's transaction; on SQLite, reading what the run has not committed). While a writing command
   * waits, a bind with reads in flight still admits reads (those of a command already reading it:
   * `status` reads the version table, then the progress table); once they have all ended, the
   * writing command holds the bind and a read that starts is refused.
   */
  readonly #reads = new Map<string, number>();
  /** Called each time a bind's reads in flight all end (the writing commands waiting: see `#readsEnded`). */
  readonly #readsGone = new Set<() => void>();
  /** How many reads (or up-front checks of many binds) hold each bind's connection now (see `#holding`). */
  readonly #holds = new Map<string, number>();
  /** Binds whose connection is closed once nothing holds it: it was not open when the first hold began (see `#holding`). */
  readonly #closeWhenReleased = new Set<string>();
  #index: { order: ReadonlyMap<string, number>; branchOf: ReadonlyMap<string, string>; byBranch: ReadonlyMap<string, readonly string[]>; bindBranches: readonly { bind: string; branch: string }[] } | undefined;
  #map: Promise<RevisionMap> | undefined;
  #scripts: Promise<ScriptDirectory> | undefined;
  readonly #warnings: ScriptWarning[] = [];
  readonly #onWarning: ((warning: ScriptWarning) => void) | undefined;

  /** Where the config file was found from (undefined: a `configObject`), for worker threads. */
  readonly #source: { readonly cwd: string; readonly config: string } | undefined;
  /** The dialects' module alias the loader was made with (undefined: a loader given as it is). */
  readonly #moduleAlias: Readonly<Record<string, string>> | undefined;

  /**
   * @param onWarning - see {@link EnvironmentOptions.onWarning}.
   * @param source - the folder and config file it was loaded from, so a worker thread can load it
   *   again (see {@link RunOptions.workers}); none for a `configObject`.
   * @param moduleAlias - the dialects' module alias `loader` was made with (see
   *   {@link EnvironmentOptions.loader}), given to each connect (`ConnectOptions.moduleAlias`); none
   *   for a loader given as it is.
   */
  constructor(
    loaded: LoadedConfig,
    dialects: DialectRegistry,
    loader: ModuleLoader,
    onWarning?: (warning: ScriptWarning) => void,
    source?: { readonly cwd: string; readonly config: string },
    moduleAlias?: Readonly<Record<string, string>>,
  ) {
    this.#source = source;
    this.#moduleAlias = moduleAlias;
    this.loaded = loaded;
    this.loader = loader;
    this.#onWarning = onWarning;
    this.namingConvention = { ...DEFAULT_NAMING_CONVENTION, ...(loaded.config.namingConvention ?? {}) };
    // A bind's dialect is looked up when first needed (a driver or a connection), so commands that
    // only read scripts (history, heads, show) work whatever the URLs are.
    this.binds = Object.entries(loaded.config.binds).map(([name, config]) => {
      let entry: DialectEntry | undefined;
      const lookup = (): DialectEntry => {
        if (entry) return entry;
        if (config.url === undefined && config.kysely === undefined) {
          throw new UrlError(
            `Bind '${name}' has no url: binds.${name}.url is undefined (is the environment variable the config reads it from set? ` +
              `'migrate' reads .env from the config's folder; loadEnvironment does not: call process.loadEnvFile() before it). ` +
              `Set it, or give a kysely instance and its dialect.`,
            { bind: name },
          );
        }
        let scheme: string;
        try {
          scheme = config.url !== undefined ? urlScheme(config.url) : (config.dialect ?? '');
        } catch (error) {
          if (error instanceof UrlError) throw new UrlError(`Bind '${name}': ${error.message}`, { bind: name, cause: error });
          throw error;
        }
        entry = dialects.find((d) => d.schemes.includes(scheme) || d.name === scheme);
        if (!entry) {
          const known = dialects.flatMap((d) => d.schemes.map((s) => `${s}:`));
          throw new UrlError(
            `Bind '${name}': no dialect for ${config.url ? `URL '${maskDatabaseUrl(config.url)}'` : `dialect '${scheme}'`}. Supported: ${known.join(', ') || '(none)'}.`,
            { bind: name },
          );
        }
        return entry;
      };
      return Object.freeze({
        name,
        branch: config.branch ?? name,
        config,
        displayUrl: config.url ? maskDatabaseUrl(config.url) : config.kysely !== undefined ? '(kysely instance)' : '(no url)',
        get entry(): DialectEntry {
          return lookup();
        },
      });
    });
    this.#byName = new Map(this.binds.map((b) => [b.name, b]));
  }

  /**
   * Masks, in any text, the secrets of every bind's URL (passwords, secret query parameters, a URL
   * that does not parse) and of every other URL in it: what to print a message through.
   * @example
   * ```ts
   * console.error(env.mask(String(error)));
   * ```
   */
  mask(text: string): string {
    // The binds never change: their URLs are parsed once (thousands of tenants' too).
    this.#masker ??= secretsMasker(this.binds.map((b) => b.config.url));
    return this.#masker(text);
  }

  /** Names of all binds, in config order. */
  get bindNames(): string[] {
    return this.binds.map((b) => b.name);
  }

  /** The bind of that name. @throws {@link UnknownBindError} */
  bind(name: string): ResolvedBind {
    const bind = this.#byName.get(name);
    if (!bind) throw new UnknownBindError(name, this.bindNames);
    return bind;
  }

  /**
   * The repository's script directory. Opening it checks the config against it: a `branch:`
   * written for a bind must name a folder of `versions/` (a bind on its default branch, its own
   * name, may have no folder yet: it is at base).
   * @throws {@link ConfigError} when the repository does not exist, or a bind's `branch:` names no
   *   folder of it (naming the bind and the folders that exist).
   */
  scriptDirectory(): Promise<ScriptDirectory> {
    this.#scripts ??= ScriptDirectory.open(this.loaded.directory).then((dir) => {
      this.#checkBranches(dir);
      return dir;
    });
    return this.#scripts;
  }

  #checkBranches(dir: ScriptDirectory): void {
    const folders = dir.branches();
    for (const bind of this.binds) {
      const written = bind.config.branch;
      if (written === undefined || written === bind.name || folders.includes(written)) continue;
      const where = dir.versionsDirectory;
      throw new ConfigError(
        `Bind '${bind.name}' has branch: '${written}', which names no folder of ${where} (folders: ${folders.join(', ') || 'none'}). ` +
          `Correct binds.${bind.name}.branch, or create the folder ${where}/${written}/ for a new branch.`,
        this.loaded.path,
      );
    }
  }

  /**
   * The revision map of every branch (headers read statically, modules not run). Reading the
   * scripts may add {@link warnings}.
   */
  revisionMap(): Promise<RevisionMap> {
    this.#map ??= this.scriptDirectory().then(async (dir) => {
      const scripts = await dir.scripts();
      this.#warn(dir.warnings);
      return new RevisionMap(scripts);
    });
    return this.#map;
  }

  /**
   * What reading the repository found worth a warning, each once however often the scripts were
   * read (see `ScriptWarning`): a helper file skipped in a versions folder, a revision file named
   * after another id. Callers print them (the CLI: `WARNING: …` lines on stderr).
   * @example
   * ```ts
   * await env.revisionMap();
   * for (const w of env.warnings) console.error(`WARNING: ${w.message}`);
   * ```
   */
  get warnings(): readonly ScriptWarning[] {
    return [...this.#warnings];
  }

  #warn(found: readonly ScriptWarning[]): void {
    for (const warning of found) {
      if (this.#warnings.some((w) => w.code === warning.code && w.file === warning.file && w.message === warning.message)) continue;
      this.#warnings.push(warning);
      try {
        this.#onWarning?.(warning);
      } catch {
        /* a listener must not break a command */
      }
    }
  }

  /** Forgets the cached revision map (after writing a revision). */
  invalidate(): void {
    this.#map = undefined;
  }

  /** The version table of a bind. */
  versionTable(bind: string): VersionTable {
    const cfg = this.bind(bind).config;
    return new VersionTable(this.loaded.versionTable, cfg.versionTableSchema ?? cfg.schema);
  }

  /**
   * The bookkeeping table beside a bind's version table where the progress of a revision in flight
   * is recorded on a database whose DDL is not transactional (see {@link ProgressTable}).
   * @throws {@link UnknownBindError}
   * @example
   * ```ts
   * env.progressTable('db2').name; // 'multidb_version_progress'
   * ```
   */
  progressTable(bind: string): ProgressTable {
    const table = this.versionTable(bind);
    return new ProgressTable(table.name, table.schema);
  }

  /**
   * The revision each bind has in flight: started on a database without transactional DDL (MySQL,
   * MariaDB), stopped part way (killed or failed), not recorded in the version table. Connects
   * the binds, creating nothing: a bind whose database does not exist (a SQLite file, a
   * PostgreSQL schema) has nothing in flight; binds of other dialects never have one. More than
   * 16 binds are read 16 at a time, each closed once read (unless it was open before).
   * @param binds - bind names (default: every bind).
   * @returns the binds with a revision in flight, by name.
   * @throws connection errors, as {@link MigrationEnvironment.connectAll}.
   * @example
   * ```ts
   * for (const [bind, r] of await env.inFlight()) console.log(bind, r.revision, r.writes.length);
   * ```
   */
  async inFlight(binds: readonly string[] = this.bindNames): Promise<Map<string, InFlightRevision>> {
    return this.#read(
      binds,
      () =>
        this.#readEach(binds, (name, conn) => this.#flightOn(name, conn)),
      { hold: true },
    );
  }

  /**
   * Records a bind's partly applied revision (see {@link inFlight}) as applied or as not applied,
   * after the database was repaired by hand (`migrate resolve`; Atlas's `migrate set`, Prisma's
   * `migrate resolve`): `applied: true` puts the revision in the version table (an upgrade in
   * flight is recorded as completed, a downgrade in flight as undone), `applied: false` leaves it
   * out (an upgrade as undone, a downgrade as completed). Clears the progress in the same
   * transaction, under the bind's migration lock. Runs no revision code and no DDL.
   * @param bind - the bind.
   * @param options - `applied`: what to record; `lockTimeoutMs`, `onEvent`: as for a run.
   * The version table is read under the lock: when it already holds the rows to record (set by
   * hand), only the progress is cleared; when it holds neither those nor the rows the step started
   * from (changed since the revision stopped), nothing is written.
   * @returns the revision, the direction that was in flight, and the version-table rows before (as
   *   read) and after.
   * @throws {@link ResolveError} when the bind has no revision in flight;
   *   {@link ResolveConflictError} when the version table holds neither the rows the step started
   *   from nor the rows to record; {@link VersionTableConflictError} when it changed under the
   *   update; {@link LockTimeoutError}; {@link UnknownBindError}; {@link UnknownOptionError} when
   *   `options` holds another key than `applied`, `lockTimeoutMs` and `onEvent` (before anything is opened).
   * @example
   * ```ts
   * const r = await env.resolve('db2', { applied: false }); // after dropping the half-made tables by hand
   * console.log(r.revision, r.to);
   * ```
   */
  async resolve(
    bind: string,
    options: { readonly applied: boolean; readonly lockTimeoutMs?: number; readonly onEvent?: RunListener },
  ): Promise<{ bind: string; revision: string; direction: 'up' | 'down'; applied: boolean; from: readonly string[]; to: readonly string[] }> {
    checkOptions('resolve()', options, RESOLVE_OPTIONS);
    const name = this.bind(bind).name;
    // A database that does not exist has no revision in flight: it is not created to say so.
    return this.#exclusive([name], async (readsEnded) => {
      await readsEnded();
      return this.#resolveLocked(name, options);
    });
  }

  /** {@link resolve} of a bind this environment holds for it (see `#exclusive`). */
  #resolveLocked(
    name: string,
    options: { readonly applied: boolean; readonly lockTimeoutMs?: number; readonly onEvent?: RunListener },
  ): Promise<{ bind: string; revision: string; direction: 'up' | 'down'; applied: boolean; from: readonly string[]; to: readonly string[] }> {
    return this.#locked([name], { ...options, create: false }, async (conns, states) => {
      const conn = conns.get(name);
      const progress = this.progressTable(name);
      const inFlight = !conn || conn.dialect.capabilities.transactionalDdl ? undefined : await progress.read(conn);
      if (!conn || !inFlight) {
        throw new ResolveError(name, `[${name}] has no revision in flight: nothing to resolve (see 'migrate current ${name}'). To set the version table to a revision, use 'migrate stamp'.`);
      }
      // The revision is applied: after an upgrade step, before a downgrade step.
      const completed = options.applied === (inFlight.direction === 'up');
      const to = completed ? inFlight.headsAfter : inFlight.headsBefore;
      // The rows the table holds now, read under the lock: the step's header says what they were
      // when it started, and the table may have been changed since (by hand, or by a stamp of an
      // earlier multidb, which did not refuse one).
      const from = states.get(name)?.heads ?? [];
      const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));
      if (!same(from, inFlight.headsBefore) && !same(from, to)) {
        throw new ResolveConflictError({ bind: name, revision: inFlight.revision, direction: inFlight.direction, applied: options.applied, found: from, started: inFlight.headsBefore, wanted: to });
      }
      const table = this.versionTable(name);
      await this.#onBind(name, conn, 'write-version-table', `update the version table ${table.qualifiedName} of`, async () => {
        await conn.begin();
        try {
          await table.update(conn.plainDb, from, to, name);
          await progress.clear(conn.plainDb);
          await conn.commit();
        } catch (error) {
          await conn.rollback().catch(() => undefined);
          throw error;
        }
      });
      notify(options.onEvent, { type: 'stamp', bind: name, from, to });
      return { bind: name, revision: inFlight.revision, direction: inFlight.direction, applied: options.applied, from, to };
    });
  }

  /**
   * The dialect name of a bind (`'sqlite'`, `'postgres'`, `'mysql'`) from its URL scheme, or `'?'`
   * when no dialect takes its URL. Loads nothing, and a bad URL does not throw (for listings).
   * @throws {@link UnknownBindError} for a bind the config does not name.
   */
  dialectName(bind: string): string {
    const b = this.bind(bind);
    try {
      return b.entry.name;
    } catch {
      return '?';
    }
  }

  /**
   * The pure dialect of a bind (loads its driver module, opens no connection).
   * @throws `UnsupportedBindOptionError` when the bind sets an option the dialect has no use
   *   for (`schema` on MySQL/MariaDB or SQLite).
   */
  async dialect(bind: string): Promise<Dialect> {
    const b = this.bind(bind);
    const dialect = (await this.#driver(b)).dialect(b.config.url);
    checkBindOptions(b.name, b.config, dialect, this.loaded.path);
    return dialect;
  }

  #driver(bind: ResolvedBind): Promise<DialectDriver> {
    let driver = this.#drivers.get(bind.entry.name);
    if (!driver) {
      driver = bind.entry.load();
      this.#drivers.set(bind.entry.name, driver);
    }
    return driver;
  }

  /**
   * Opens (once) the pinned connection of a bind and runs its `onConnect`.
   * @param options - `create: false`: do not create a database that does not exist (a SQLite
   *   file); read-only commands ask for this. An open connection is reused whatever the option.
   * @throws {@link MultidbError} with the URL's password masked when the connection fails;
   *   {@link BindError} naming the bind when its `onConnect` hook throws (the connection is closed,
   *   and a database connecting created is removed: see `DialectConnection.discard`);
   *   {@link DatabaseNotFoundError} with `create: false` when the database does not exist;
   *   {@link EnvironmentBusyError} when an `upgrade`, `downgrade`, `stamp` or `resolve` of this
   *   environment holds the bind (see {@link MigrationEnvironment}).
   *
   * The connection is the one the environment's writing commands use: what you send on it once
   * this resolves is not counted as a read unless it is inside {@link reading}, and a writing
   * command started meanwhile does not wait for it. In an environment of more than 16 binds, a
   * connection asked for inside {@link reading} of its bind (or while another read of the bind is
   * in flight) is that read's: it is closed once the read ends (see {@link MigrationEnvironment});
   * ask for it again afterwards.
   */
  connection(bind: string, options: { readonly create?: boolean } = {}): Promise<DialectConnection> {
    return this.#read([bind], () => this.#connection(bind, options));
  }

  /**
   * Runs `fn` as one read of `binds`: the reads inside it (this environment's reading methods, and
   * what `fn` sends on {@link connection}s) are one read in flight on each of them until `fn`
   * settles. An `upgrade`, `downgrade`, `stamp` or `resolve` of this environment started meanwhile
   * on one of those binds waits for `fn` to end before it uses the bind (see
   * {@link MigrationEnvironment}), so `fn` reads no state a run has not committed and sends no
   * query into a run's transaction; reads inside `fn` are admitted while such a command waits.
   * A bind that such a command already holds is left out of the read: `fn`'s reads of it are
   * refused with an {@link EnvironmentBusyError}, as they are outside (`status` then reports the
   * bind unreachable, saying so, and reads the others). Core's commands that read binds several
   * times (`status`, `current`, `history` with current revisions, `previewRevision`) and
   * autogenerate's (`check`, `codegen`, `models --from-database`) read through it. Do not await a
   * writing command on one of `binds` inside `fn`: it would wait for `fn`, and `fn` for it.
   * In an environment of more than 16 binds, the reads inside `fn` of at most 16 `binds` share
   * one connection to each, opened once and closed when `fn` settles (see {@link MigrationEnvironment});
   * with more `binds`, each read inside `fn` opens and closes its own.
   * @param binds - bind names (or one bind's name) `fn` reads.
   * @param fn - the read; its result is returned.
   * @returns what `fn` returns.
   * @throws {@link UnknownBindError} (`fn` not called); what `fn` throws.
   * @example
   * ```ts
   * // The version table and a table of the bind, read together: no upgrade of this environment comes between.
   * const [heads, rows] = await env.reading('db2', async () => {
   *   const heads = (await env.currentHeads(['db2'])).get('db2');
   *   const conn = await env.connection('db2', { create: false });
   *   return [heads, await conn.plainDb.selectFrom('Invoice').selectAll().execute()] as const;
   * });
   * ```
   */
  reading<T>(binds: string | readonly string[], fn: () => Promise<T>): Promise<T> {
    return this.#read(typeof binds === 'string' ? [binds] : binds, fn, { skipHeld: true, hold: true });
  }

  /**
   * {@link connection} for this environment's own commands (a bind they hold is theirs to use).
   * With `signal` (the command's, see {@link RunOptions.signal}), a connect in progress when it is
   * aborted ends at once (see `#connectDriver`); a connection already open is returned as it is.
   */
  #connection(bind: string, options: { readonly create?: boolean; readonly signal?: AbortSignal | undefined } = {}): Promise<DialectConnection> {
    let conn = this.#connections.get(bind);
    if (!conn) {
      const b = this.bind(bind);
      const ahead = this.#ahead.get(bind);
      this.#ahead.delete(bind);
      conn = (async () => {
        // A connection opened ahead fails as this one would have; one that found nothing to
        // connect to because it may not create it (a schema) is opened again, allowed to.
        const c = ahead
          ? await ahead.catch((error: unknown) => {
              if (error instanceof DatabaseNotFoundError && options.create !== false) return this.#connectDriver(b, true, options.signal);
              throw error;
            })
          : await this.#connectDriver(b, options.create !== false, options.signal);
        if (b.config.onConnect) {
          try {
            await b.config.onConnect(c.db);
          } catch (error) {
            // The hook's error names the bind it came from; the connection it was given is closed,
            // and a database that connecting created (a new SQLite file) removed.
            await endConnection(c).catch(() => undefined);
            if (error instanceof BindError && error.bind === b.name) throw error;
            const reason = this.mask(error instanceof Error ? error.message : String(error));
            throw new BindError({ bind: b.name, action: 'connect', doing: 'run the onConnect hook on', location: c.location ?? b.displayUrl, reason }, { cause: error });
          }
        }
        return c;
      })();
      this.#connections.set(bind, conn);
      conn.catch(() => this.#connections.delete(bind));
    }
    return conn;
  }

  /**
   * Opens a bind's connection through its driver (no `onConnect` hook), its errors named after
   * the bind and masked.
   * @param create - whether connecting may create what the bind points at (see `ConnectOptions.create`).
   * @param signal - the command's (see {@link RunOptions.signal}): aborted before the connect, nothing
   *   is opened; aborted during it, the driver ends it at once (`ConnectOptions.signal`). Either way
   *   this throws an {@link InterruptedError} naming the bind in `notStarted`.
   */
  async #connectDriver(b: ResolvedBind, create: boolean, signal?: AbortSignal): Promise<DialectConnection> {
    const driver = await this.#driver(b);
    // Before anything reaches the server: `schema` on MySQL would create a database.
    checkBindOptions(b.name, b.config, driver.dialect(b.config.url), this.loaded.path);
    const interrupted = () => new InterruptedError({ reason: signal?.reason, notStarted: [b.name] });
    if (signal?.aborted) throw interrupted();
    try {
      return await driver.connect({
        bind: b.name,
        baseDir: this.loaded.baseDir,
        ...(b.config.url !== undefined ? { url: b.config.url } : {}),
        ...(b.config.kysely !== undefined ? { kysely: b.config.kysely } : {}),
        ...(b.config.schema !== undefined ? { schema: b.config.schema } : {}),
        ...(b.config.connectTimeout !== undefined ? { connectTimeoutMs: b.config.connectTimeout * 1000 } : {}),
        namingConvention: this.namingConvention,
        versionTable: this.versionTable(b.name).reference,
        ...(this.#moduleAlias !== undefined ? { moduleAlias: this.#moduleAlias } : {}),
        ...(create ? {} : { create: false }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // Asked to stop while connecting: the driver ended the connect (a host that does not answer is not waited for).
      if ((error as { code?: unknown }).code === 'ABORTED' && signal?.aborted) throw interrupted();
      // A driver's URL error (e.g. a SQLite URL with a host) names the bind it came from, in its message and its `bind`.
      if (error instanceof UrlError && error.bind !== b.name) {
        throw new UrlError(error.message.includes(`'${b.name}'`) ? error.message : `Bind '${b.name}': ${error.message}`, { bind: b.name, cause: error });
      }
      if (error instanceof MultidbError) throw error;
      const reason = this.mask(error instanceof Error ? error.message : String(error));
      throw new BindError({ bind: b.name, action: 'connect', doing: 'connect to', location: b.displayUrl, reason }, { cause: error });
    }
  }

  /**
   * Opens the connections of a group of binds before its turn in a run of independent groups, while
   * the groups before it run: only binds with a URL whose driver connects to a server
   * (`DialectDriver.connectsToServer`), not open or opening already. Opening ahead creates
   * nothing (`create: false`: a PostgreSQL schema that is missing is created when the group's
   * turn comes) and runs no `onConnect` hook (it runs at the group's turn, as before); the
   * database is identified ahead too (one query) unless the bind has an `onConnect` hook, which
   * may change what that query sees. A connection that fails ahead fails the same way, with the
   * same error, when its group's turn comes ({@link connection} takes the failed attempt). The
   * run's `signal` ends a connect ahead in progress (no group starts after it anyway).
   */
  async #connectAhead(group: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    for (const name of group) {
      if (this.#connections.has(name) || this.#ahead.has(name)) continue;
      let b: ResolvedBind;
      try {
        b = this.bind(name);
        if (b.config.url === undefined || !(await this.#driver(b)).connectsToServer) continue;
      } catch {
        continue; // a URL no dialect takes: the group's turn says so
      }
      if (this.#connections.has(name) || this.#ahead.has(name)) continue;
      const conn = this.#connectDriver(b, false, signal);
      conn.then((c) => (b.config.onConnect ? undefined : c.identity()), () => undefined).catch(() => undefined);
      this.#ahead.set(name, conn);
    }
  }

  /** Closes the connections opened ahead that no group took (the run stopped before their turn). */
  async #closeAhead(): Promise<void> {
    // A call still loading a driver would otherwise open a connection after this ran, and nobody would close it.
    await Promise.allSettled([...this.#aheadStarting]);
    const left = [...this.#ahead.values()];
    this.#ahead.clear();
    await Promise.allSettled(left.map(async (c) => (await c).close()));
  }

  /**
   * Where a bind points, for messages: its connection's location (a SQLite file's path), else
   * its masked URL.
   * @throws {@link UnknownBindError} for a bind the config does not name.
   * @example
   * ```ts
   * env.location('db2'); // 'postgres://app:***@db.internal/sales'
   * env.location('default', await env.connection('default')); // '/srv/app/.data/default.db'
   * ```
   */
  location(bind: string, conn?: DialectConnection): string {
    return conn?.location ?? this.bind(bind).displayUrl;
  }

  /**
   * Runs `fn` on a bind's database; an error that is not already one of ours becomes a
   * {@link BindError} naming the bind and where it points, its message masked.
   */
  async #onBind<T>(bind: string, conn: DialectConnection, action: BindAction, doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof MultidbError) throw error;
      const reason = this.mask(error instanceof Error ? error.message : String(error));
      throw new BindError({ bind, action, doing, location: this.location(bind, conn), reason }, { cause: error });
    }
  }

  /** A physical database with the bind's version table: what two binds may not share. */
  #qualifiedIdentity(name: string, physical: string): string {
    return `${physical}|${this.versionTable(name).schema ?? ''}.${this.loaded.versionTable}`;
  }

  /**
   * The physical database of a bind with its version table, read once per environment: what
   * {@link connectAll} compares to refuse two binds on one database (DESIGN §7).
   */
  #identity(name: string, conn: DialectConnection): Promise<string> {
    let id = this.#identities.get(name);
    if (!id) {
      id = this.#onBind(name, conn, 'identify', 'identify the database of', () => conn.identity()).then((physical) => this.#qualifiedIdentity(name, physical));
      this.#identities.set(name, id);
      id.catch(() => this.#identities.delete(name));
    }
    return id;
  }

  /**
   * Connects the given binds (each once per environment) and refuses two of them on the same
   * physical database (DESIGN §7). Each bind is identified once, however many commands use it.
   * @param binds - bind names.
   * @param options - `create` (default `true`: the connections are for writing): whether a database
   *   that does not exist (a SQLite file, a PostgreSQL schema) is created. With `create: false`
   *   (to read), such a bind is left out of the map: it is at base; nothing is created.
   * The connections stay open until {@link close}; in an environment of more than 16 binds, those
   * it opens inside {@link reading} of their binds (or while another read of the bind is in
   * flight, such as a `current` of the same environment) are that read's, closed once it ends:
   * connect outside reads, or within `reading` of those binds, to keep them.
   * @returns the connections, by bind name.
   * @throws {@link DuplicateDatabaseError}; the first bind's connection error (with `create: false`,
   *   not {@link DatabaseNotFoundError}).
   * @example
   * ```ts
   * const conns = await env.connectAll(env.bindNames, { create: false });
   * for (const bind of env.bindNames) if (!conns.has(bind)) console.log(`${bind}: no database yet (at base)`);
   * ```
   */
  async connectAll(binds: readonly string[], options: { readonly create?: boolean } = {}): Promise<Map<string, DialectConnection>> {
    for (const name of binds) void this.bind(name).entry; // every URL is usable before any connects
    const create = options.create !== false;
    return this.#read(binds, () =>
      this.#connectEach(binds, {
        create,
        onError: (_, error) => {
          if (create || !(error instanceof DatabaseNotFoundError)) throw error; // (create: false) a missing database is at base
        },
      }),
    );
  }

  /**
   * Connects `bind` alone (its database not created), runs `body` on the connection, and closes it
   * again unless it was open before (see `#holding`): how a read of many binds and the up-front
   * checks of many binds (a counting target's version tables, a stamp of many binds) hold one bind
   * at a time. A failure to connect goes to `onError` (as {@link #connectEach}'s), and `body` is
   * then not run.
   */
  async #withBindOnce(bind: string, signal: AbortSignal | undefined, onError: (error: unknown) => void, body: (conn: DialectConnection) => Promise<void>): Promise<void> {
    await this.#holding([bind], async () => {
      const conn = (await this.#connectEach([bind], { create: false, signal, onError: (_, error) => onError(error) })).get(bind);
      if (conn) await body(conn);
    });
  }

  /**
   * Runs `body` on each of `binds` through `#withBindOnce`, `concurrent` binds at a time, each
   * closed (unless it was open before) before its worker takes the next: at most `concurrent` of
   * them open at once (see `eachBounded`: the first error thrown stops it, and so does an abort of
   * `signal`, said through `interrupted`). `onError` gets each bind that cannot be connected.
   * @returns the identities of the binds connected, and of those whose database does not exist
   *   where it is known (as `#connectEach` gathers them), in the order of `binds`: what
   *   `#refuseDuplicates` checks.
   */
  async #eachBindOnce(
    binds: readonly string[],
    options: { readonly concurrent: number; readonly signal?: AbortSignal | undefined; readonly interrupted: (reason: unknown) => Error },
    onError: (bind: string, error: unknown) => void,
    body: (bind: string, conn: DialectConnection) => Promise<void>,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const each = (bind: string): Promise<void> =>
      this.#withBindOnce(
        bind,
        options.signal,
        (error) => {
          if (error instanceof DatabaseNotFoundError && error.identity !== undefined) ids.set(bind, this.#qualifiedIdentity(bind, error.identity));
          onError(bind, error);
        },
        async (conn) => {
          ids.set(bind, await this.#identity(bind, conn));
          await body(bind, conn);
        },
      );
    await eachBounded(binds, Math.max(1, options.concurrent), each, options.signal, options.interrupted);
    return new Map(binds.filter((b) => ids.has(b)).map((b) => [b, ids.get(b)!]));
  }

  /**
   * Runs `fn` holding the connections of `binds`: a bind's connection that is not open when it is
   * first held is closed once nothing holds it any more (the last of the reads that hold it at the
   * same time closes it, none closes it under another), whoever opened it meanwhile; one that was
   * open already (connected by a run, {@link connectAll} or a bare {@link connection}) stays open.
   */
  async #holding<T>(binds: readonly string[], fn: () => Promise<T>): Promise<T> {
    for (const bind of binds) {
      if (!this.#connections.has(bind)) this.#closeWhenReleased.add(bind);
      this.#holds.set(bind, (this.#holds.get(bind) ?? 0) + 1);
    }
    try {
      return await fn();
    } finally {
      const released: string[] = [];
      for (const bind of binds) {
        const left = this.#holds.get(bind)! - 1;
        if (left > 0) this.#holds.set(bind, left);
        else {
          this.#holds.delete(bind);
          if (this.#closeWhenReleased.delete(bind)) released.push(bind);
        }
      }
      await this.#closeBinds(released);
    }
  }

  /**
   * Connects and identifies the binds one after the other, then refuses two on one database.
   * When connecting or identifying a bind throws, `onError` decides: it rethrows to stop, or
   * returns to set the bind aside. A database that does not exist (`create: false`) whose
   * identity is known still takes part in the duplicate check.
   *
   * With `create: true`, no database file is created until every bind has been tried: the binds
   * whose driver opens a file (not `connectsToServer`: SQLite) are first connected without
   * creating (`create: false`), and only then are the files that do not exist yet created: those
   * `createMissing` (called with the binds that need it) returns, every one without it. So a start
   * that stops at an unreachable bind leaves no new empty SQLite file behind, whichever side of it
   * the SQLite binds sort. (A server bind is connected as asked: a missing PostgreSQL schema is
   * created as it is connected, without a second connection.) A missing file left uncreated is in
   * no returned connection; its identity still takes part in the duplicate check.
   * With `signal` (a command's), a bind's connect in progress ends when it is aborted (see
   * `#connectDriver`), no further bind is connected nor database created, and this throws an
   * {@link InterruptedError} naming every bind given in `notStarted` (none is locked yet: nothing
   * was read or changed there), without calling `onError`.
   * @throws {@link DuplicateDatabaseError}; {@link InterruptedError}; whatever `onError` or `createMissing` throws.
   */
  async #connectEach(
    binds: readonly string[],
    options: {
      readonly create: boolean;
      readonly onError: (bind: string, error: unknown) => void;
      readonly createMissing?: (missing: readonly string[]) => readonly string[];
      readonly signal?: AbortSignal | undefined;
    },
  ): Promise<Map<string, DialectConnection>> {
    const conns = new Map<string, DialectConnection>();
    const ids = new Map<string, string>();
    const missing: string[] = [];
    const connect = async (name: string, create: boolean): Promise<void> => {
      try {
        let conn = await this.#connection(name, { create, signal: options.signal });
        // Opened earlier (a run connects its binds first), its session ended on the server while
        // it waited (terminated, an idle timeout, a restart): nothing is held on it yet, so it is
        // opened again rather than failing at the lock.
        if (conn.lost?.()) {
          this.#connections.delete(name);
          await conn.close().catch(() => undefined);
          conn = await this.#connection(name, { create, signal: options.signal });
        }
        ids.set(name, await this.#identity(name, conn));
        conns.set(name, conn);
      } catch (error) {
        if (error instanceof InterruptedError) throw new InterruptedError({ reason: error.reason, notStarted: [...binds] });
        if (error instanceof DatabaseNotFoundError && error.identity !== undefined) ids.set(name, this.#qualifiedIdentity(name, error.identity));
        if (options.create && !create && error instanceof DatabaseNotFoundError) missing.push(name);
        else options.onError(name, error);
      }
    };
    for (const name of binds) await connect(name, options.create && !(await this.#opensFile(name)));
    if (missing.length) {
      for (const name of options.createMissing ? options.createMissing([...missing]) : missing) await connect(name, true);
    }
    this.#refuseDuplicates(new Map(binds.filter((b) => ids.has(b)).map((b) => [b, ids.get(b)!])));
    return conns;
  }

  /**
   * Whether a bind is a URL whose driver opens a file rather than connecting to a server (not
   * `DialectDriver.connectsToServer`: SQLite). A bind given a Kysely instance is not; nor is one
   * whose URL no dialect takes (its connection fails as it would have).
   */
  async #opensFile(bind: string): Promise<boolean> {
    try {
      const b = this.bind(bind);
      return b.config.url !== undefined && (await this.#driver(b)).connectsToServer !== true;
    } catch {
      return false;
    }
  }

  /** Throws a {@link DuplicateDatabaseError} when two binds have the same identity. */
  #refuseDuplicates(ids: ReadonlyMap<string, string>): void {
    const seen = new Map<string, string>();
    for (const [name, id] of ids) {
      const other = seen.get(id);
      if (other) throw new DuplicateDatabaseError([other, name], this.mask(id.split('|')[0] ?? id));
      seen.set(id, name);
    }
  }

  /**
   * Reads the version tables of the given binds (default: all) for a read-only command, bind by
   * bind, creating nothing: a bind whose database does not exist (a missing SQLite file) is at
   * base (`absent`), and a bind that cannot be reached (a server down, a database that does not
   * exist on a server, a version table that cannot be read) is `unreachable` with the first line
   * of the error, masked; a bind whose configuration is refused before connecting (a
   * {@link ConfigError}: `schema` on MySQL/MariaDB; a {@link UrlError}: a URL no dialect takes or
   * its dialect cannot parse) is `misconfigured`, with the error's first line, masked. The other
   * binds are still read. More than 16 binds are read 16 at a time, each closed once read
   * (unless it was open before), so that thousands of tenants are never open at once.
   * @param binds - bind names (default: every bind).
   * @param options - what else to read of each bind on the same visit ({@link ReadHeadsOptions}:
   *   its lock holder, its revision in flight); default: the version table alone.
   * @returns one entry per bind, in the order given.
   * @throws {@link UnknownBindError}; {@link DuplicateDatabaseError} when two reachable binds share a database.
   * @example
   * ```ts
   * for (const [bind, read] of await env.readHeads()) {
   *   console.log(bind, read.kind === 'unreachable' || read.kind === 'misconfigured' ? `${read.kind}: ${read.reason}` : read.heads.join(', ') || '<base>');
   * }
   * // Each bind opened once for its version table and its revision in flight (MySQL/MariaDB).
   * for (const [bind, read] of await env.readHeads(env.bindNames, { inFlight: true })) {
   *   if (read.kind === 'read' && read.inFlight) console.log(bind, `${read.inFlight.revision} in flight`);
   * }
   * ```
   */
  async readHeads(binds: readonly string[] = this.bindNames, options: ReadHeadsOptions = {}): Promise<Map<string, BindHeads>> {
    const reasonOf = (error: unknown) => this.mask((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '');
    const out = new Map<string, BindHeads>();
    for (const name of binds) {
      this.bind(name); // an unknown bind is refused up front
      out.set(name, { kind: 'unreachable', reason: '' }); // keeps the order given
    }
    const busy = binds.filter((name) => this.#writing(this.bind(name).name));
    for (const name of busy) out.set(name, { kind: 'unreachable', reason: new EnvironmentBusyError(this.bind(name).name).message });
    const free = binds.filter((name) => !busy.includes(name));
    return this.#read(
      free,
      async () => {
        await this.#readHeadsOf(free, out, reasonOf, options);
        return out;
      },
      { hold: true },
    );
  }

  /**
   * {@link readHeads} of binds no writing command holds: what each is, into `out`, with what
   * `options` asks besides, read on the same connection right after its version table. More than
   * `CONNECT_FIRST_MAX` binds are read `READ_AT_ONCE` at a time, each closed once read (unless it
   * was open before: see `#eachBindOnce`); fewer are connected together and stay open for the
   * commands after (in an environment of more binds than that, until the read ends: see `#read`).
   */
  async #readHeadsOf(binds: readonly string[], out: Map<string, BindHeads>, reasonOf: (error: unknown) => string, options: ReadHeadsOptions): Promise<void> {
    const failed = (name: string, error: unknown): void => {
      out.set(
        name,
        error instanceof DatabaseNotFoundError
          ? { kind: 'absent', heads: [], location: error.location, detail: error.detail }
          : // Nothing was tried on the network: the config names no dialect, or a URL its dialect cannot use.
            { kind: error instanceof ConfigError || error instanceof UrlError ? 'misconfigured' : 'unreachable', reason: reasonOf(error) },
      );
    };
    // What cannot be read of these is left out: the version table was read.
    const extra = async <T>(asked: boolean | undefined, read: () => Promise<T | undefined>): Promise<T | undefined> => (asked ? read().catch(() => undefined) : undefined);
    const read = async (name: string, conn: DialectConnection): Promise<void> => {
      let state: VersionTableState;
      try {
        state = (await this.#readStates(new Map([[name, conn]]))).get(name)!;
      } catch (error) {
        out.set(name, { kind: 'unreachable', reason: reasonOf(error) });
        return;
      }
      const lockHolder = await extra(options.lockHolder, () => this.#lockHolderOn(name, conn));
      const inFlight = await extra(options.inFlight, () => this.#flightOn(name, conn));
      out.set(name, { kind: 'read', heads: [...state.heads], dialect: conn.dialect.flavour ?? conn.dialect.name, ...(lockHolder ? { lockHolder } : {}), ...(inFlight ? { inFlight } : {}) });
    };
    if (binds.length > CONNECT_FIRST_MAX) {
      this.#refuseDuplicates(await this.#eachBindOnce(binds, this.#readingAtOnce(binds), failed, read));
      return;
    }
    for (const [name, conn] of await this.#connectEach(binds, { create: false, onError: failed })) await read(name, conn);
  }

  /** How a read of many binds goes through them (see `#eachBindOnce`): `READ_AT_ONCE` at a time; it has no signal. */
  #readingAtOnce(binds: readonly string[]): { readonly concurrent: number; readonly interrupted: (reason: unknown) => Error } {
    return { concurrent: READ_AT_ONCE, interrupted: (reason) => new InterruptedError({ reason, notStarted: [...binds] }) };
  }

  /**
   * Reads each of `binds` whose database exists, creating nothing, as {@link connectAll} with
   * `create: false` connects them (and throws as it does): `read` on each bind's connection. More
   * than `CONNECT_FIRST_MAX` binds are read `READ_AT_ONCE` at a time, each closed once read unless
   * it was open before (see `#eachBindOnce`); the first error met is thrown.
   * @returns what `read` returned for each bind (`undefined` left out), in the order of `binds`.
   */
  async #readEach<T>(binds: readonly string[], read: (bind: string, conn: DialectConnection) => Promise<T | undefined>): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    const each = async (bind: string, conn: DialectConnection): Promise<void> => {
      const value = await read(bind, conn);
      if (value !== undefined) found.set(bind, value);
    };
    if (binds.length <= CONNECT_FIRST_MAX) {
      for (const [bind, conn] of await this.connectAll(binds, { create: false })) await each(bind, conn);
      return found;
    }
    for (const name of binds) void this.bind(name).entry; // every URL is usable before any connects
    const missing = (_: string, error: unknown): void => {
      if (!(error instanceof DatabaseNotFoundError)) throw error; // a missing database is at base
    };
    this.#refuseDuplicates(await this.#eachBindOnce(binds, this.#readingAtOnce(binds), missing, each));
    return new Map(binds.filter((b) => found.has(b)).map((b) => [b, found.get(b)!]));
  }

  /** Reads the version tables of connected binds: one read each. */
  async #readStates(conns: ReadonlyMap<string, DialectConnection>): Promise<Map<string, VersionTableState>> {
    const out = new Map<string, VersionTableState>();
    for (const [name, conn] of conns) {
      const table = this.versionTable(name);
      out.set(name, await this.#onBind(name, conn, 'read-version-table', `read the version table ${table.qualifiedName} of`, () => table.state(conn)));
    }
    return out;
  }

  #bindStates(binds: readonly string[], states: ReadonlyMap<string, VersionTableState>): BindState[] {
    return binds.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: states.get(bind)?.heads ?? [] }));
  }

  /** The name and table of a bind's migration lock. */
  #lockOptions(bind: string): { readonly name: string; readonly table: { readonly name: string; readonly schema?: string } } {
    return { name: `multidb:${this.versionTable(bind).schema ?? ''}:${this.loaded.versionTable}`, table: this.versionTable(bind).lockTable };
  }

  /**
   * Who holds the migration lock of each bind whose dialect can tell (a Galera cluster's lease;
   * the server session holding a PostgreSQL or MySQL/MariaDB lock), without taking it. Creates nothing: a bind whose database does not exist has no lock holder.
   * More than 16 binds are read 16 at a time, each closed once read (unless it was open before).
   * @param binds - bind names (default: every bind).
   * @returns the binds whose lock is held, with the holder; binds that are free, or whose dialect
   *   cannot tell (SQLite), are absent.
   * @throws connection errors, as {@link MigrationEnvironment.connectAll}; a {@link BindError}
   *   (`action: 'lock'`) when a bind's look-up fails, for one the role may not make too (a
   *   PostgreSQL role that may not read `pg_locks`): ask bind by bind to leave such a bind out, as
   *   `commands.current` does.
   * @example
   * ```ts
   * for (const [bind, h] of await env.lockHolders()) console.log(`${bind}: locked by ${h.holder}`);
   * ```
   */
  async lockHolders(binds: readonly string[] = this.bindNames): Promise<Map<string, LockHolder>> {
    return this.#read(
      binds,
      () =>
        this.#readEach(binds, (bind, conn) => this.#lockHolderOn(bind, conn)),
      { hold: true },
    );
  }

  /** Who holds a bind's migration lock, where its dialect can tell (see {@link lockHolders}); `undefined`: nobody, or it cannot tell. */
  async #lockHolderOn(bind: string, conn: DialectConnection): Promise<LockHolder | undefined> {
    if (!conn.lockHolder) return undefined;
    return (await this.#onBind(bind, conn, 'lock', 'read the migration lock of', () => conn.lockHolder!(this.#lockOptions(bind)))) ?? undefined;
  }

  /**
   * Current heads (version-table rows) of the given binds (default: all). Connects them, creating
   * nothing: a bind whose database does not exist (a missing SQLite file) is at base (`[]`). More
   * than 16 binds are read 16 at a time, each closed once read (unless it was open before).
   * @throws the first bind's connection or read error (see {@link readHeads} to go on past it; of
   *   more than 16 binds, the first met of the 16 read at once); {@link DuplicateDatabaseError}.
   */
  async currentHeads(binds: readonly string[] = this.bindNames): Promise<Map<string, string[]>> {
    return this.#read(
      binds,
      async () => {
        const heads = await this.#readEach(binds, async (bind, conn) => (await this.#readStates(new Map([[bind, conn]]))).get(bind)!.heads);
        return new Map(binds.map((bind) => [bind, [...(heads.get(bind) ?? [])]]));
      },
      { hold: true },
    );
  }

  /**
   * The binds a command on these targets may touch, from the revision graph and the config alone
   * (no database is read): the binds each target selects (a bind name, a branch label, a
   * revision's branch, or every bind for `head` and other global targets; for targets that only
   * count revisions, `+1`, `head-1`, `base+2`, every bind whose branch has revisions), plus the binds of
   * the branches those are linked to through depends-on — what their revisions depend on for an
   * upgrade, what depends on them for a downgrade (so the planner can refuse), nothing for a stamp.
   * Other binds sharing a selected bind's branch (tenants) are not touched.
   *
   * For `'down'` and `'stamp'`, a target naming a revision or label of a branch several binds share
   * is refused here, before any bind is opened, unless `options.allBinds`.
   *
   * @param direction - `'up'` (default), `'down'` or `'stamp'`.
   * @param options - `allBinds`: let a downgrade or stamp act on every bind of a shared branch.
   * @returns bind names in config order.
   * @throws the target errors of {@link parseTarget} (unknown bind, ambiguous revision…);
   *   `SharedBranchError` (see `guardSharedBranch`).
   */
  async bindsForTargets(targets: readonly string[], direction: 'up' | 'down' | 'stamp' = 'up', options: { readonly allBinds?: boolean } = {}): Promise<string[]> {
    return (await this.#bindsResolver(direction, options))(targets);
  }

  /**
   * {@link bindsForTargets} of each target on its own, in one pass over the binds and the revision
   * graph for all of them: what a caller with thousands of targets (a TUI run of every tenant) asks
   * instead of calling `bindsForTargets([target])` per target.
   * @param targets - the targets, each taken alone (a target given twice has one entry).
   * @param direction - `'up'` (default), `'down'` or `'stamp'`.
   * @param options - `allBinds`: as for {@link bindsForTargets}.
   * @returns per target, the binds `bindsForTargets([target], direction, options)` returns, in
   *   config order; the map's keys in the order given.
   * @throws the first target error, as {@link bindsForTargets}.
   * @example
   * ```ts
   * const each = await env.bindsForTargetsEach(['t001@head', 't002@head']);
   * for (const [target, binds] of each) console.log(target, binds.join(', '));
   * ```
   */
  async bindsForTargetsEach(
    targets: readonly string[],
    direction: 'up' | 'down' | 'stamp' = 'up',
    options: { readonly allBinds?: boolean } = {},
  ): Promise<Map<string, string[]>> {
    const resolve = await this.#bindsResolver(direction, options);
    return new Map(targets.map((target) => [target, resolve([target])]));
  }

  /** Each bind's config position and branch, each branch's binds, the binds with their branches: built once (the binds never change). */
  #bindIndex(): { order: ReadonlyMap<string, number>; branchOf: ReadonlyMap<string, string>; byBranch: ReadonlyMap<string, readonly string[]>; bindBranches: readonly { bind: string; branch: string }[] } {
    if (!this.#index) {
      const byBranch = new Map<string, string[]>();
      for (const b of this.binds) {
        let list = byBranch.get(b.branch);
        if (!list) byBranch.set(b.branch, (list = []));
        list.push(b.name);
      }
      this.#index = {
        order: new Map(this.binds.map((b, i) => [b.name, i])),
        branchOf: new Map(this.binds.map((b) => [b.name, b.branch])),
        byBranch,
        bindBranches: this.binds.map((b) => ({ bind: b.name, branch: b.branch })),
      };
    }
    return this.#index;
  }

  /**
   * What {@link bindsForTargets} needs, computed once (the binds' branches and their config order,
   * the branches linked through depends-on), and the function that picks the binds of targets.
   */
  async #bindsResolver(direction: 'up' | 'down' | 'stamp', options: { readonly allBinds?: boolean }): Promise<(targets: readonly string[]) => string[]> {
    const map = await this.revisionMap();
    const { order, branchOf, byBranch, bindBranches } = this.#bindIndex();
    // Branches reached through depends-on (upgrade: what they depend on; downgrade: their dependents).
    const links = new Map<string, Set<string>>();
    for (const script of map.revisions) {
      for (const dep of map.dependencies(script.revision)) {
        const depBranch = map.get(dep).branch;
        if (depBranch === script.branch) continue;
        const [from, to] = direction === 'up' ? [script.branch, depBranch] : [depBranch, script.branch];
        let set = links.get(from);
        if (!set) links.set(from, (set = new Set()));
        set.add(to);
      }
    }
    const inConfigOrder = (names: Iterable<string>) => [...names].sort((a, b) => order.get(a)! - order.get(b)!);
    // A target that counts revisions on every bind (`+N`, `head-N`, `base+N`) passes over the binds
    // whose branch has none, as the planner does (PlanContext.counting); a bare `downgrade -N`
    // still needs every bind, to refuse when there are several.
    const counts = (target: RevisionTarget) => target.kind === 'offset' || (target.kind === 'relative' && direction !== 'down');
    return (targets) => {
      const selected = new Set<string>();
      let global = false;
      let countingOnly = true;
      for (const text of targets.length ? targets : ['head']) {
        const target = parseTarget(text, map, bindBranches);
        if (direction !== 'up') guardSharedBranch(target, map, direction === 'down' ? 'downgrade' : 'stamp', options.allBinds ?? false);
        if (target.scope === undefined) global = true;
        else for (const bind of target.scope.binds) selected.add(bind);
        if (target.scope !== undefined || !counts(target)) countingOnly = false;
      }
      if (global && countingOnly) {
        const walkable = this.bindNames.filter((b) => map.heads(branchOf.get(b)!).length > 0);
        return walkable.length ? walkable : this.bindNames;
      }
      if (global) return this.bindNames; // a global target: every bind
      if (direction === 'stamp') return inConfigOrder(selected);
      const reached = new Set<string>();
      const stack = [...new Set([...selected].map((b) => branchOf.get(b)!))];
      while (stack.length) {
        for (const next of links.get(stack.pop()!) ?? []) {
          if (!reached.has(next)) {
            reached.add(next);
            stack.push(next);
          }
        }
      }
      const out = new Set(selected);
      for (const branch of reached) for (const bind of byBranch.get(branch) ?? []) out.add(bind);
      return inConfigOrder(out);
    };
  }

  /**
   * The binds a {@link downgrade} to this target may touch (see {@link bindsForTargets} with
   * `'down'`): every bind for a bare `downgrade` or `-N`, else the target's binds and their dependents.
   * @param target - as for {@link downgrade}.
   * @param options - `allBinds`: as {@link DowngradeOptions.allBinds}.
   * @returns bind names in config order.
   * @throws as {@link bindsForTargets} (`SharedBranchError` for a shared branch's revision without `allBinds`).
   * @example
   * ```ts
   * const binds = await env.bindsForDowngrade('tenant@-1', { allBinds: true }); // every tenant
   * ```
   */
  bindsForDowngrade(target: string | undefined, options: { readonly allBinds?: boolean } = {}): Promise<string[]> {
    return this.bindsForTargets(downgradeTargets(target), 'down', options);
  }

  /**
   * Plans an upgrade without running it (reads version tables, takes no lock, creates nothing: a
   * bind whose database does not exist is at base, as for {@link currentHeads}; the upgrade creates it).
   * @param targets - One target as a string (`'db2@head'`) or several in an array (`[]`: every bind to its head).
   * @throws {@link MultidbError} `INVALID_OPTION` when a target is not a string.
   */
  async planUpgrade(targets: string | readonly string[]): Promise<Plan> {
    targets = targetList(targets, 'planUpgrade');
    const binds = await this.bindsForTargets(targets, 'up');
    const current = await this.currentHeads(binds);
    return planUpgrade(await this.revisionMap(), binds.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: current.get(bind) ?? [] })), targets);
  }

  /**
   * Plans a downgrade without running it (reads version tables, takes no lock, creates nothing: a
   * bind whose database does not exist is at base, as for {@link currentHeads}).
   * @param target - One target, as a string or an array of one (`undefined`: one revision back on the only bind).
   * @throws {@link MultidbError} `INVALID_OPTION` for several targets or one that is not a string.
   */
  async planDowngrade(target: string | readonly [string] | undefined, options: { readonly allBinds?: boolean } = {}): Promise<Plan> {
    target = oneTarget(target, 'planDowngrade');
    const binds = await this.bindsForDowngrade(target, options);
    const current = await this.currentHeads(binds);
    return planDowngrade(await this.revisionMap(), binds.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: current.get(bind) ?? [] })), target, options);
  }

  /**
   * Upgrades to the targets (default: every bind to its head): picks the binds the targets may
   * touch, connects and identifies them once, takes their locks (sorted order), reads each version
   * table once under the locks, plans, validates every module, then runs.
   * With `concurrency` > 1 a bind that cannot be connected does not stop the others: nothing runs
   * on it nor on what waits on its revisions, and the {@link RunError} lists it in `unreachable`.
   *
   * Independent groups (tenants): binds that no depends-on orders together are not held open
   * together. Binds whose branches a cross-branch depends-on links (transitively, with every bind
   * of those branches) form one group; every other bind is a group of its own, even when it shares
   * its branch with others (tenants generated from a list). When the run has several groups, each
   * is connected, locked (sorted, within the group), read, planned, validated, run and closed
   * (lock released, connection closed, unless it was open before the call) on its own, with at
   * most `concurrency` binds open at once (default 1: one group after the other): a group starts
   * when its binds fit beside those of the groups in flight, and a group of more binds than
   * `concurrency` runs alone. So a run of 2,000 tenants holds at most `concurrency` of them open,
   * and groups of several binds never hold `concurrency` × their size.
   * A run of at most 16 binds (`CONNECT_FIRST_MAX`) still connects them all first, so with
   * `concurrency` 1 a bind that cannot be connected, or two binds on one database, stop it before
   * anything runs, as with a single group; a larger run meets such a bind when its group comes
   * (with `concurrency` 1 the run stops there; the groups before it have run).
   * In such a larger run, binds on a server (PostgreSQL, MySQL, MariaDB: a driver whose
   * `connectsToServer` is true) are connected ahead: when a group starts, the next group's
   * connections are opened and identified while it runs (creating nothing: a missing schema is
   * created at the group's turn; the `onConnect` hook runs at the group's turn), and a group's
   * connections close after its locks are released without the next group waiting for them (the
   * run waits for them before it ends). `concurrency` still bounds the binds that migrate (locked,
   * read, run) at once; up to one group more is being connected. A bind that cannot be connected
   * fails when its group's turn comes, with the same error as without connecting ahead.
   * Events: one `plan` per group (naming its binds, the run's fan-out on the first), the group's
   * `step-*` and `bind-done`, and one `run-done` for the whole run; the config's `beforeRun` runs
   * once, before the first step of the first group with steps, and `afterRun` once at the end
   * when every group succeeded, both with every bind of the run. A failing group: with
   * `concurrency` 1 the run stops there (as Alembic does) with its error; a
   * {@link MigrationError} then names in `notRun` its group's binds not run and every bind of the
   * groups not started, and in `completed` the steps completed before it (so does a
   * {@link LockTimeoutError}). With `concurrency` > 1 it stops only itself: a failed revision, a bind
   * that cannot be connected or read (e.g. a file that is not a database), and, before any step of
   * the group ran, a lock timeout ({@link LockTimeoutError}), a database that takes no writes
   * ({@link ReadOnlyBindError}), a revision partly applied ({@link PartlyAppliedError}) or a plan
   * that cannot be made from where the bind stands (a {@link RevisionError}, e.g. a version table
   * naming a revision the scripts lack; `RunError.stopped`). The other groups go on to their
   * targets and the run then throws one {@link RunError} listing every failure and where each
   * bind stays; running the same command again upgrades only what is left. For targets that count
   * revisions from where each bind stands (`+2`), which run again would step again the binds that
   * ran, the error that stops a run after steps completed (that RunError, a {@link MigrationError},
   * {@link LockTimeoutError} or {@link UnreachableBindsError} with `concurrency` 1, an
   * {@link InterruptedError}) gives in its `retry` the targets that finish what they meant instead
   * (`['t2@7a7a7a7a7a03']`), its message's last line the command. Other errors (a broken
   * revision module, two binds on one database, a config error) stop the run once the groups in
   * flight are done. A target that
   * needs the one head of a branch that has several ({@link MultipleHeadsError}) is refused
   * before any group runs (each kind of group is planned at base first), as is a target used the
   * wrong way (`-1`: a {@link TargetUsageError}, before any bind is opened) and one counted from a
   * branch's head or base that the branch cannot reach (`head-5` below base). So is a target that
   * counts revisions from where each bind stands (`+1`, `-1`, `tenant@-1`) that some bind cannot
   * take (`+1` at its head): every group it concerns is read and planned before any runs,
   * whatever `concurrency`, and the run refuses it with nothing run ({@link RelativeTargetError},
   * naming those binds), as Alembic does. That opens each of those binds up front, at most
   * `min(16, max(concurrency, 4))` at a time, each closed once read; a run to absolute targets
   * (`head`, `heads`, a revision, `head-1`, `base+1`) does not: its groups are planned at their turn.
   * @param targets - One target as a string (`'db2@head'`) or several in an array (`[]`, the default:
   *   every bind to its head), written as on the command line.
   * @param options - Run options (`concurrency`, `onEvent`, `lockTimeoutMs`, …).
   * @throws {@link MultidbError} `INVALID_OPTION` when a target is not a string, before anything is opened.
   * @throws {@link UnknownOptionError} when `options` holds a key {@link RunOptions} does not have
   *   (`lockTimeout`, `bind`), before anything is opened.
   * @throws {@link MigrationError} when a revision fails (the bind stays at its last good revision;
   *   `notRun` names the binds the run did not reach); `BindError` when a bind cannot be connected
   *   (concurrency 1: before anything of its group runs, every bind of it tried; an
   *   {@link UnreachableBindsError} naming each when several cannot); with `concurrency` > 1, a {@link RunError}
   *   once every bind not stopped has finished; {@link LockTimeoutError}; {@link InterruptedError}
   *   when `options.signal` was aborted during the run (with revisions left or not) (see {@link RunOptions.signal}).
   * @throws {@link RelativeTargetError} when the binds form several groups and some cannot take
   *   a target that counts revisions from where they stand (`+1` on a bind at its head), before
   *   anything runs; with one group, the planner's error for the first such bind, also before
   *   anything runs. {@link TargetUsageError} for a target that steps the wrong way (`-1`), before
   *   any bind is opened.
   */
  async upgrade(targets: string | readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    checkOptions('upgrade()', options, RUN_OPTIONS);
    targets = targetList(targets, 'upgrade');
    const binds = await this.bindsForTargets(targets, 'up');
    const groups = independentGroups(await this.revisionMap(), this.binds, binds);
    if (groups.length > 1) {
      return this.#runGroups(groups, options, {
        command: 'upgrade',
        targets,
        plan: (map, states, wanted) => planUpgrade(map, states, wanted),
        preplan: (map, states, wanted) => planUpgrade(map, states, wanted),
        // Each kind of group (its branches and targets) planned once at base: a target that needs
        // one head of a branch that has several stops the run before anything runs, as for one group.
        check: (map, groupsOf, wantedBy) => {
          const dry = new Set<string>();
          for (const group of groupsOf) {
            const states = group.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: [] }));
            const wanted = wantedBy(group);
            const key = `${states.map((b) => b.branch).join(',')}|${wanted.join(' ')}`;
            if (dry.has(key)) continue;
            dry.add(key);
            try {
              planUpgrade(map, states, wanted);
            } catch (error) {
              // A target used the wrong way (`upgrade -1`) is refused whatever the binds stand at.
              if (error instanceof MultipleHeadsError || error instanceof TargetUsageError) throw error;
            }
          }
        },
      });
    }
    return this.#finishing('upgrade', targets, (kept) => this.#run('upgrade', binds, (map, states) => kept(planUpgrade(map, states, targets)), options));
  }

  /**
   * A run of independent groups of binds (see {@link upgrade}), upgrade or downgrade as `how`
   * says: at most `concurrency` binds in flight, each group connected, locked (sorted), read,
   * planned, run and closed on its own.
   */
  #runGroups(groups: readonly (readonly string[])[], options: RunOptions, how: GroupedRun): Promise<RunResult> {
    return this.#exclusive(groups.flat(), (readsEnded) => this.#watchingForLoss(options.signal, () => this.#runGroupsOnce(groups, options, how, readsEnded)));
  }

  /**
   * Runs `work` (a run); once `signal` is aborted, until `work` has settled, the statements in
   * flight on the binds' open connections are watched (`DialectConnection.watchForLoss`): one
   * whose network path died silently is given up instead of keeping the run, which waits for the
   * revisions in progress, waiting for an answer that never comes.
   */
  async #watchingForLoss<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (!signal) return work();
    const stops: (() => void)[] = [];
    let watching = true; // until the run has settled
    const watch = (): void => {
      for (const pending of this.#connections.values()) {
        void pending.then(
          (c) => {
            const stop = c.watchForLoss?.();
            if (stop && watching) stops.push(stop);
            else stop?.();
          },
          () => undefined,
        );
      }
    };
    signal.addEventListener('abort', watch, { once: true });
    try {
      return await work();
    } finally {
      signal.removeEventListener('abort', watch);
      watching = false;
      for (const stop of stops.splice(0)) stop();
    }
  }

  /** @param readsEnded - see `#exclusive`. */
  async #runGroupsOnce(groups: readonly (readonly string[])[], options: RunOptions, how: GroupedRun, readsEnded: (signal?: AbortSignal) => Promise<void>): Promise<RunResult> {
    const targets = how.targets;
    const startedAt = performance.now();
    const emit = (event: Parameters<NonNullable<RunOptions['onEvent']>>[0]) => {
      try {
        options.onEvent?.(event);
      } catch {
        /* listeners must not break a run */
      }
    };
    try {
      const concurrency = checkConcurrency(options.concurrency);
      // A failing group stops only itself (concurrency > 1, or asked to keep going).
      const goesOn = concurrency > 1 || options.keepGoing === true;
      await readsEnded(options.signal);
      const map = await this.revisionMap();
      const all = groups.flat();
      const inRun = new Set(all);
      // Connections opened before the run (by the caller) stay open; the run closes its own.
      const opened = new Set(all.filter((b) => this.#connections.has(b)));
      const bindBranches = this.binds.map((b) => ({ bind: b.name, branch: b.branch }));
      // Each target, with the binds it selects (undefined: every bind), to hand each group its own.
      const parsed = (targets.length ? targets : ['head']).map((text) => ({ text, target: parseTarget(text, map, bindBranches) }));
      const fanOut: FanOut[] = [];
      for (const { target } of parsed) {
        const scope = target.scope;
        if (scope === undefined || scope.via === 'bind') continue;
        const selected = scope.binds.filter((b) => inRun.has(b));
        if (selected.length > 1) fanOut.push(Object.freeze({ target: target.text.trim(), branch: scope.branch, binds: Object.freeze(selected) }));
      }
      let fanOutSent = false;
      const nextFanOut = (): readonly FanOut[] => {
        if (fanOutSent) return [];
        fanOutSent = true;
        return fanOut;
      };
      // The hooks run once for the whole run: beforeRun before the first step of the first group
      // that has steps, afterRun after the last group when every group succeeded.
      const hooks = this.loaded.config.hooks;
      const hookCtx: HookContext = { binds: all, command: how.command, xArgs: Object.freeze({ ...options.xArgs }) };
      let before: Promise<void> | undefined;
      const partHooks: MultidbConfig['hooks'] = hooks?.beforeRun ? { beforeRun: () => (before ??= Promise.resolve().then(() => hooks.beforeRun!(hookCtx))) } : {};

      // Each revision module is imported once per run, as in a run of one group, however many
      // groups run it (a loader without a module cache, as the TUI's, would import it per group).
      const loader = importingOnce(this.loader, new Map());
      const steps: (readonly StepResult[])[] = groups.map(() => []);
      const heads = headsMap();
      const pending: SkippedStep[] = []; // steps the signal left (groups it stopped)
      const notStarted: string[] = []; // binds of groups stopped before their lock
      const failures: MigrationError[] = [];
      const skipped: SkippedStep[] = [];
      const unreachable: BindError[] = [];
      const stopped: StoppedGroup[] = [];
      const seen = new Map<string, string>(); // identity -> bind, across the groups of the run
      let fatal: { error: unknown; group: number } | undefined;
      let next = 0;
      const wantedBy = (group: readonly string[]) =>
        parsed.filter(({ target }) => target.scope === undefined || target.scope.binds.some((b) => group.includes(b))).map((t) => t.text);
      // Where each bind's plan leads it, planned ahead (relative targets) or at its group's turn
      // (null: no step), for the targets that finish what the run meant (RunError.retry).
      const targetOf = new Map<string, PlannedRows>();
      /**
       * Of groups the run did not start, the binds it would have run steps on, for an error that
       * names them as not run (not started). A group planned ahead (relative targets: see
       * `#refuseUntakenSteps`) is not read again: its binds with a step are named. A group whose
       * binds are all connected (a run of 16 binds or fewer connects every bind first; a caller
       * may have connected them) is read (see `#headsForMessage`: `READ_AT_ONCE` binds at a time,
       * a server bind not once the run's signal is aborted) and planned, without its locks (for
       * the message only), and its binds already at their targets are left out. A group not
       * connected, or that cannot be read or planned, counts whole.
       */
      const leftToRun = async (stopped: readonly (readonly string[])[]): Promise<string[]> => {
        const plannedAhead = (group: readonly string[]) => group.every((b) => targetOf.has(b));
        const toRead = stopped.filter((group) => !plannedAhead(group) && group.every((b) => this.#connections.has(b)));
        const read = await this.#headsForMessage(toRead.flat(), options.signal);
        const out: string[] = [];
        for (const group of stopped) {
          if (plannedAhead(group)) {
            out.push(...group.filter((b) => targetOf.get(b) !== null));
            continue;
          }
          let planned: Plan | undefined;
          try {
            if (group.every((b) => read.has(b))) planned = how.plan(map, group.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: read.get(bind)! })), wantedBy(group));
          } catch {
            /* counted whole */
          }
          out.push(...(planned ? group.filter((b) => planned.steps.some((s) => s.bind === b)) : group));
        }
        return out;
      };
      // Before any group runs: what the planner would refuse for the whole run whatever the binds
      // have applied (other planning errors depend on where a bind stands, read under its lock, so
      // each group meets them when its turn comes).
      how.check(map, groups, wantedBy);
      // `head-1`, `base+1`: counted from the branch's head or base, not from where a bind stands,
      // so planned at base now (once per kind of group), without connecting: what it cannot reach
      // (below base, a merge on the way) is refused before anything runs, for every bind alike.
      const offsets = parsed.filter(({ target }) => target.kind === 'offset').map((t) => t.text);
      if (offsets.length) {
        const dry = new Set<string>();
        for (const group of groups) {
          for (const text of wantedBy(group).filter((t) => offsets.includes(t))) {
            const states = group.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: [] }));
            const key = `${states.map((b) => b.branch).join(',')}|${text}`;
            if (dry.has(key)) continue;
            dry.add(key);
            try {
              how.preplan(map, states, [text]);
            } catch (error) {
              throw branchWide(error, states);
            }
          }
        }
      }

      // A small run connects every bind first, as a run of one group does (and keeps them open
      // until their group ran): with concurrency 1 a bind that cannot be connected, or two binds
      // on one database, stop it before anything runs, and each bind is still connected once.
      const down = new Map<string, BindError>(); // binds found unreachable there, or by the check of relative targets (when a failing group stops only itself)
      if (all.length <= CONNECT_FIRST_MAX) {
        // (A missing SQLite file is then created at its group's turn, if that group runs steps on it.)
        // A downgrade creates no database that does not exist (see `createsMissing`).
        const create = createsMissing(how.command);
        // Asked to stop meanwhile: a connect in progress ends at once, and no group starts.
        const { signal } = options;
        const run = how.command === 'upgrade' ? 'up' : 'down';
        const reached = goesOn
          ? await this.#connectReachable(all, { deferFiles: true, create, signal })
          : {
              ...(await this.#connectEveryOrFail(all, { create, signal, run }).catch(async (error: unknown) => {
                if (!(error instanceof UnreachableBindsError) || !error.notRun.length) throw error;
                // The binds it names as not run (connected): not those of a group with no
                // unreachable bind that is at its targets already.
                const named = new Set(error.notRun);
                const whole = groups.filter((g) => g.every((b) => named.has(b)));
                const left = new Set(await leftToRun(whole));
                const done = new Set(whole.flat().filter((b) => !left.has(b)));
                if (!done.size) throw error;
                const notRun = error.notRun.filter((b) => !done.has(b));
                throw notRun.length || error.unreachable.length > 1 ? new UnreachableBindsError(error.unreachable, { notRun, direction: run }) : error.unreachable[0]!;
              })),
              unreachable: [],
            };
        for (const [name, conn] of reached.conns) seen.set(await this.#identity(name, conn), name);
        for (const e of reached.unreachable) down.set(e.bind, e);
      }
      // A target that counts revisions from where each bind stands (`+1`, `tenant@-1`): every group
      // it concerns is planned from its version tables now, so a bind that cannot take it stops the
      // run before anything runs. Absolute targets (`head`, a revision, and `head-1`, `base+1`,
      // counted from the branch) keep planning at each turn.
      const counting = parsed.filter(({ target }) => target.kind === 'relative');
      // How to finish the run when it stops part way (relative targets): the targets each bind it
      // left short of them still needs, in run order (see runRetry).
      const order = new Map(all.map((b, i) => [b, i] as const));
      const retryOf = (completed: number, short: readonly string[]) =>
        runRetry(how.command, parsed, completed, [...new Set(short)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)), (b) => targetOf.get(b), map);
      if (counting.length) {
        const concurrent = Math.min(CONNECT_FIRST_MAX, Math.max(concurrency, READ_FIRST_MIN));
        const ahead = await this.#refuseUntakenSteps(map, groups, how, wantedBy, counting, { down, signal: options.signal, concurrent, goesOn, run: how.command === 'upgrade' ? 'up' : 'down' });
        for (const [bind, target] of ahead) targetOf.set(bind, target);
      }

      const claim = (identity: string, bind: string): void => {
        const other = seen.get(identity);
        if (other !== undefined && other !== bind) throw new DuplicateDatabaseError([other, bind], this.mask(identity.split('|')[0] ?? identity));
        seen.set(identity, bind);
      };
      // Server binds of a large run: a group's connections close in the background (their locks
      // released first), awaited before the run ends; the next group's open ahead (see
      // `#connectAhead`), so connecting overlaps the group that runs.
      const closing: Promise<void>[] = [];
      const part: GroupPart = { fanOut: nextFanOut, hooks: partHooks, claim, loader, closing };
      // Many SQLite tenants: whole groups run on worker threads (see RunWorkersOptions).
      const pool = how.command === 'upgrade' ? this.#workerCount(all, groups.length, concurrency, options.workers) : 0;
      const workers =
        pool > 1 && options.workers && this.#source
          ? startUpgradeWorkers(
              pool,
              { cwd: this.#source.cwd, config: this.#source.config, dialects: options.workers.dialects, ...(options.workers.alias ? { alias: options.workers.alias } : {}) },
              { emit, fanOut: nextFanOut, beforeRun: () => partHooks.beforeRun?.(hookCtx), claim },
              options.workers.resourceLimits,
            )
          : undefined;
      const runOptions: GroupRunOptions = {
        ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
        concurrency,
        ...(options.keepGoing === true ? { keepGoing: true } : {}),
        ...(options.xArgs ? { xArgs: options.xArgs } : {}),
        startedAt: performance.timeOrigin + startedAt,
      };
      // Groups on worker threads are asked to stop too.
      const stopWorkers = (): void => workers?.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', stopWorkers, { once: true });
      const runGroup = async (g: number): Promise<void> => {
        const group = groups[g]!;
        const wanted = wantedBy(group);
        if (group.every((b) => down.has(b))) {
          // Not connected again (a server that times out would be waited for twice).
          for (const b of group) {
            unreachable.push(down.get(b)!);
            emit({ type: 'bind-done', bind: b, ok: false, heads: [] });
          }
          return;
        }
        const outcome = workers
          ? await workers.run(group, wanted, runOptions)
          : await this.#runGroup(how.command, map, group, (m, states) => how.plan(m, states, wanted), { ...options, concurrency }, startedAt, part, opened);
        steps[g] = outcome.steps;
        for (const [bind, h] of outcome.heads) heads.set(bind, h);
        pending.push(...(outcome.pending ?? []));
        notStarted.push(...(outcome.notStarted ?? []));
        failures.push(...outcome.failures);
        skipped.push(...outcome.skipped);
        unreachable.push(...outcome.unreachable);
        stopped.push(...outcome.stopped);
        for (const [bind, target] of outcome.targets ?? []) targetOf.set(bind, target);
      };
      // At most `concurrency` binds open at once: a group starts when its binds fit beside those of
      // the groups in flight, or alone when nothing is in flight (a group larger than
      // `concurrency` runs by itself). Groups start in order.
      await new Promise<void>((resolve) => {
        let open = 0;
        let inFlight = 0;
        const pump = (): void => {
          // Asked to stop: no group starts after the signal.
          while (fatal === undefined && !options.signal?.aborted && next < groups.length) {
            const size = groups[next]!.length;
            if (inFlight > 0 && open + size > concurrency) break;
            const g = next++;
            open += size;
            inFlight++;
            if (!workers && all.length > CONNECT_FIRST_MAX && next < groups.length) {
              const starting = this.#connectAhead(groups[next]!, options.signal)
                .catch(() => undefined) // what fails ahead fails again, with its error, at the group's turn
                .finally(() => this.#aheadStarting.delete(starting));
              this.#aheadStarting.add(starting);
            }
            runGroup(g)
              .catch((error: unknown) => {
                fatal ??= { error, group: g };
              })
              .finally(() => {
                open -= size;
                inFlight--;
                // A signal that came during a group's synchronous work (SQLite's) is delivered by
                // the event loop's turn before the next group may start.
                if (options.signal) void eventLoopTurn().then(pump);
                else pump();
              });
          }
          if (inFlight === 0) resolve();
        };
        pump();
      }).finally(async () => {
        options.signal?.removeEventListener('abort', stopWorkers);
        await workers?.close();
        await this.#closeAhead();
        await Promise.allSettled(closing);
      });
      if (fatal !== undefined) {
        const { error, group } = fatal;
        // One group after the other: the groups not started are not run either (but for their
        // binds already at their targets: nothing was left to run there).
        const later = goesOn ? [] : await leftToRun(groups.slice(group + 1));
        // The steps of the groups that ran before it (one after the other) completed too.
        const before = steps.flat();
        // Relative targets (`+2`) that completed steps: the targets that finish what they meant
        // for the binds left (the failed bind and those it did not run; a group stopped before
        // its first step: every bind of it), as a RunError gives them.
        if (error instanceof MigrationError) {
          const completed = [...before, ...error.completed];
          const retry = retryOf(completed.length, [error.bind, ...error.notRun, ...later]);
          if (later.length || before.length || retry) throw withRun(error, { notRun: [...error.notRun, ...later], completed, ...(retry ? { retry } : {}) });
        }
        // Its message names the binds that the run, stopped here, did not reach, and what the
        // groups before it completed.
        if (error instanceof LockTimeoutError && (later.length || before.length)) {
          const completed = [...before, ...error.completed];
          const retry = retryOf(completed.length, [...groups[group]!, ...later]);
          throw new LockTimeoutError(error.bind, error.waitedMs, { notRun: [...error.notRun, ...later], completed, cause: error, ...(retry ? { retry } : {}) });
        }
        // A group (of a run of more than 16 binds) that met a bind it could not connect: its
        // other binds and the groups not started are not run; the groups before it ran.
        const unreached = error instanceof UnreachableBindsError ? error.unreachable : error instanceof BindError && (error.action === 'connect' || error.action === 'identify') ? [error] : undefined;
        if (unreached && (later.length || before.length)) {
          const notRun = [...(error instanceof UnreachableBindsError ? error.notRun : []), ...later];
          const retry = retryOf(before.length, [...groups[group]!, ...later]);
          throw new UnreachableBindsError(unreached, { notRun, completed: before, direction: how.command === 'upgrade' ? 'up' : 'down', atGroup: true, ...(retry ? { retry } : {}) });
        }
        throw error;
      }
      // Asked to stop with groups not started, steps left in the groups it stopped, or during the
      // last revisions (nothing left: the run was interrupted all the same, as its caller asked;
      // a signal that came during synchronous work, SQLite's, is delivered by the event loop's turn).
      notStarted.push(...(await leftToRun(groups.slice(next))));
      if (options.signal) await eventLoopTurn();
      let interrupted: InterruptedError | undefined;
      if (options.signal?.aborted) {
        // In the order of the groups (they may have ended in another).
        const order = new Map(all.map((b, i) => [b, i] as const));
        const byGroup = (a: string, b: string) => order.get(a)! - order.get(b)!;
        interrupted = new InterruptedError({
          reason: options.signal.reason,
          completed: steps.flat(),
          pending: [...pending].sort((a, b) => byGroup(a.bind, b.bind)),
          heads: new Map([...heads].sort(([a], [b]) => byGroup(a, b))),
          notStarted: [...notStarted].sort(byGroup),
        });
      }
      if (failures.length || unreachable.length || stopped.length) {
        unreachable.sort((a, b) => (a.bind < b.bind ? -1 : a.bind > b.bind ? 1 : 0));
        stopped.sort((a, b) => (a.bind < b.bind ? -1 : a.bind > b.bind ? 1 : 0));
        // What the signal left is apart from what failed (RunError.interrupted).
        const error = new RunError(failures, skipped, unreachable, stopped, steps.flat(), interrupted);
        // How to finish it: the same command again; but relative targets run again would step
        // again the binds that ran, so each bind left short of its target gets the revision its
        // plan led to instead.
        throw withRetry(error, how.command, retryOf(error.completed.length, leftShort(error)));
      }
      // The same for a run the signal stopped (without failures).
      if (interrupted) throw withRetry(interrupted, how.command, retryOf(interrupted.completed.length, leftShort(interrupted)));
      how.done?.();
      const ran = steps.flat();
      if (ran.length) await hooks?.afterRun?.(hookCtx);
      const elapsedMs = performance.now() - startedAt;
      emit({ type: 'run-done', ok: true, elapsedMs });
      return { steps: ran, heads, elapsedMs };
    } catch (error) {
      // The binds still open (connected first, their group not run) are discarded at close.
      for (const b of groups.flat()) this.#stopped.add(b);
      // The binds the signal stopped, or kept from starting, end with the run.
      for (const event of interruptedBindEvents(error)) emit(event);
      emit({ type: 'run-done', ok: false, elapsedMs: performance.now() - startedAt });
      throw error;
    }
  }

  /**
   * Before any group of a run of independent groups runs, for targets that count revisions from
   * where each bind stands (`counting`: `+1`, `-1`, `tenant@-1`, `label@+1`): reads the version
   * table of every bind of the groups they concern and plans each such group from there
   * (`how.preplan`), so that a bind that cannot take them (`+1` at its head, `-1` at base, `+1`
   * from two rows) stops the run with nothing run, as Alembic refuses a relative target before
   * running anything, rather than when its group's turn comes, after the groups before it ran.
   * (`head-1` and `base+1` count from the branch, not from where a bind stands: they are planned
   * at base without reading anything, see `#runGroupsOnce`.)
   *
   * This opens every one of those binds up front, which a run to absolute targets (`head`,
   * `heads`, a revision) never does (those groups are planned at their turn, so a run over
   * thousands of tenants holds only `concurrency` of them open): relative targets are rare in
   * tenant fleets, and checking them needs where each bind stands. The binds are read by
   * `concurrent` readers at once (the caller gives `min(16, max(concurrency, 4))`), each bind
   * connected, read and closed (unless it was open already: connected first, or by the caller)
   * before its reader takes the next, so at most `concurrent` of them are open at a time; nothing
   * is created: a database that does not exist is at base (its identity, when known, still takes
   * part in the duplicate check, as in `#connectEach`). A bind that cannot be connected or
   * identified stops the run before anything runs when a failure stops the run (not `goesOn`:
   * otherwise the binds of the groups before it would take the step and a retry of the same
   * relative target would step them again); when the run goes on past failures (`goesOn`), it is
   * added to `down` (its group fails at its turn without being connected again) and the binds
   * that ran take the step: retrying a relative target steps those again (the {@link RunError}
   * says so). A bind that cannot be read here (not a database) or whose version table the scripts
   * cannot use ({@link VersionTableError}) is left to its group's turn, where it fails as without
   * this check.
   * @param counting - the targets that count from where each bind stands, as parsed.
   * @param options - `down`: binds already found unreachable (not tried again; those found here
   *   are added when `goesOn`); `signal`: the run's; `concurrent`: how many binds are read at once
   *   (at least 1); `goesOn`: a failing group stops only itself; `run`: the run's direction.
   * @throws {@link UnreachableBindsError} (not `goesOn`) naming each bind that cannot be connected
   *   or identified and every other bind of the run as not run (nothing ran);
   *   {@link RelativeTargetError} naming each bind that cannot take them from where it
   *   stands (a step beyond its head or below base, or from several rows) and those that can; the
   *   planner's error at once for any other refusal (a {@link TargetUsageError} such as
   *   `upgrade -1` is refused by `how.check` already, before any bind is opened); {@link InterruptedError}
   *   when `signal` is aborted meanwhile (nothing run: every bind of the run in `notStarted`);
   *   {@link DuplicateDatabaseError} for two binds on one database.
   */
  async #refuseUntakenSteps(
    map: RevisionMap,
    groups: readonly (readonly string[])[],
    how: GroupedRun,
    wantedBy: (group: readonly string[]) => string[],
    counting: readonly { readonly text: string; readonly target: RevisionTarget }[],
    options: {
      readonly down: Map<string, BindError>;
      readonly signal: AbortSignal | undefined;
      readonly concurrent: number;
      readonly goesOn: boolean;
      readonly run: 'up' | 'down';
    },
  ): Promise<Map<string, PlannedRows>> {
    const { down, signal } = options;
    const planned = new Map<string, PlannedRows>(); // where each group's plan leads its binds
    const texts = counting.map((c) => c.text);
    const concerned = groups.filter((group) => wantedBy(group).some((t) => texts.includes(t)));
    const binds = concerned.flat().filter((b) => !down.has(b));
    const heads = new Map<string, readonly string[]>();
    const unreachable: BindError[] = [];
    const stopped = (reason: unknown) => new InterruptedError({ reason, notStarted: groups.flat() });
    // `concurrent` readers, each taking the next bind once it closed the one before.
    const ids = await this.#eachBindOnce(
      binds,
      { concurrent: options.concurrent, signal, interrupted: stopped },
      // A database that does not exist is at base (its identity, when known, is checked for
      // duplicates: two binds on one file not created yet); a bind that cannot be connected or
      // identified is gathered; any other failure is met at the group's turn.
      (bind, error) => {
        if (error instanceof DatabaseNotFoundError) heads.set(bind, []);
        else if (error instanceof BindError && (error.action === 'connect' || error.action === 'identify')) unreachable.push(error);
      },
      async (bind, conn) => {
        try {
          heads.set(bind, (await this.#readStates(new Map([[bind, conn]]))).get(bind)!.heads);
        } catch {
          /* not a database, a table that cannot be read: met at the group's turn */
        }
      },
    );
    this.#refuseDuplicates(ids);
    if (options.goesOn) for (const e of unreachable) down.set(e.bind, e);
    else throwUnreachable(unreachable, { binds: groups.flat(), run: options.run });

    const failures: { bind: string; error: RevisionError; target?: string }[] = [];
    const able: string[] = [];
    for (const group of concerned) {
      if (!group.every((b) => heads.has(b))) continue;
      try {
        const plan = how.preplan(map, group.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: heads.get(bind)! })), wantedBy(group));
        for (const [bind, target] of plan ? planTargets(plan, map) : group.map((b) => [b, null] as const)) planned.set(bind, target);
        able.push(...group);
      } catch (error) {
        // A version table the scripts cannot use is about the bind, not the target: met at its turn.
        if (!(error instanceof RevisionError) || error instanceof VersionTableError) continue;
        const bind = group.find((b) => error.message.startsWith(`Bind '${b}'`));
        // Only what depends on where the bind stands is gathered (every such bind is named): a step
        // beyond its head or below base, or up from several rows. Anything else the planner
        // refuses (a usage error first of all) is refused at once, as for a run of one group.
        if (bind === undefined || !(error.code === 'RELATIVE_STEP' || error.message.includes('starts from several current revisions'))) throw error;
        const target = counting.find((c) => error.message.includes(`'${c.text.trim()}'`) && concerns(c.target, bind))?.text;
        failures.push({ bind, error, ...(target !== undefined ? { target } : {}) });
      }
    }
    if (failures.length) {
      const takes = new Map(able.map((b) => [b, texts.filter((_, i) => concerns(counting[i]!.target, b))] as const));
      throw new RelativeTargetError(texts, failures, able, takes);
    }
    return planned;
  }

  /**
   * Runs one group of a run of independent groups (see {@link upgrade}): connected, locked, read,
   * planned with `plan`, run and closed (but the binds in `keepOpen`). An error that stops only
   * its group (with `concurrency` > 1 or `keepGoing`) comes back in the outcome, after the group's `bind-done`
   * events; any other error is thrown.
   */
  async #runGroup(
    command: 'upgrade' | 'downgrade',
    map: RevisionMap,
    group: readonly string[],
    plan: (map: RevisionMap, states: BindState[]) => Plan,
    options: Omit<RunOptions, 'keepGoing'> & { readonly concurrency: number; readonly keepGoing?: boolean | undefined },
    startedAt: number,
    part: GroupPart,
    keepOpen: ReadonlySet<string>,
  ): Promise<GroupOutcome> {
    const emit = (event: RunEvent) => {
      try {
        options.onEvent?.(event);
      } catch {
        /* listeners must not break a run */
      }
    };
    const outcome = {
      steps: [] as readonly StepResult[],
      heads: [] as [string, readonly string[]][],
      failures: [] as MigrationError[],
      skipped: [] as SkippedStep[],
      unreachable: [] as BindError[],
      stopped: [] as StoppedGroup[],
      pending: [] as readonly SkippedStep[],
      notStarted: [] as readonly string[],
      targets: undefined as GroupOutcome['targets'],
    };
    const read = new Map<string, readonly string[]>(); // where each bind of the group stands, once read
    const closed = group.filter((b) => !keepOpen.has(b));
    // A failing group stops only itself (concurrency > 1, or asked to keep going).
    const goesOn = options.concurrency > 1 || options.keepGoing === true;
    let planned: Plan | undefined; // the group's plan, once made
    const planning = (m: RevisionMap, states: BindState[]): Plan => (planned = plan(m, states));
    try {
      const result = await this.#settle(closed, () => this.#runLocked(command, map, group, planning, options, { startedAt, part: { ...part, read }, stopsOnlyItself: goesOn }));
      outcome.steps = result.steps;
      outcome.heads.push(...result.heads);
    } catch (error) {
      if (error instanceof InterruptedError) {
        // Asked to stop: what it completed and where its binds stand go to the run's InterruptedError.
        outcome.steps = error.completed;
        outcome.heads.push(...error.heads);
        outcome.pending = error.pending;
        outcome.notStarted = error.notStarted;
      } else if (goesOn && error instanceof RunError) {
        // With concurrency > 1 (or keepGoing) a failing group stops only itself.
        // A bind that could not be connected ran no step: say it ended, as the others do.
        for (const e of error.unreachable) emit({ type: 'bind-done', bind: e.bind, ok: false, heads: [] });
        outcome.steps = error.completed; // what the group's other binds (and the failed ones before) completed
        outcome.failures.push(...error.failures);
        outcome.skipped.push(...error.skipped);
        outcome.unreachable.push(...error.unreachable);
        if (error.interrupted) {
          // The signal stopped the group's other binds: where they stand, and what they left.
          outcome.heads.push(...error.interrupted.heads);
          outcome.pending = error.interrupted.pending;
          outcome.notStarted = error.interrupted.notStarted;
        }
      } else if (goesOn && error instanceof MigrationError) {
        // keepGoing with concurrency 1: the group stopped at its first failure (its bind-done
        // sent); its steps after it did not run, the other groups go on.
        outcome.steps = error.completed;
        outcome.failures.push(error);
        const ran = new Set(error.completed.map((s) => `${s.bind}\0${s.revision}`));
        ran.add(`${error.bind}\0${error.revision}`);
        outcome.skipped.push(...(planned?.steps ?? []).filter((s) => !ran.has(`${s.bind}\0${s.revision}`)).map((s) => ({ bind: s.bind, revision: s.revision })));
      } else if (goesOn && error instanceof UnreachableBindsError) {
        for (const e of error.unreachable) {
          outcome.unreachable.push(e);
          emit({ type: 'bind-done', bind: e.bind, ok: false, heads: [] });
        }
      } else if (goesOn && error instanceof BindError) {
        outcome.unreachable.push(error);
        emit({ type: 'bind-done', bind: error.bind, ok: false, heads: [] });
      } else if (goesOn && stopsOnlyItsGroup(error)) {
        const bind = 'bind' in error && typeof error.bind === 'string' && group.includes(error.bind) ? error.bind : group[0]!;
        const at = read.get(bind) ?? (await this.#headsIfReadable(bind));
        outcome.stopped.push({ bind, binds: group, at, error });
        for (const b of group) emit({ type: 'bind-done', bind: b, ok: false, heads: read.get(b) ?? (b === bind ? (at ?? []) : []) });
      } else throw error;
    } finally {
      await this.#closeBinds(closed, part.closing);
    }
    // A bind left short of its target: where the plan led it, for the run's retry targets.
    const short = outcome.failures.length + outcome.skipped.length + outcome.unreachable.length + outcome.stopped.length + outcome.pending.length + outcome.notStarted.length > 0;
    if (short && planned) outcome.targets = planTargets(planned, map);
    return outcome;
  }

  /**
   * Runs one group of an upgrade of independent groups on this environment, for a worker thread
   * of another thread's run (see {@link RunOptions.workers}); `part` reaches back to that run
   * (its fan-out, its `beforeRun` hook, the databases its other groups claimed).
   * @internal
   */
  async upgradeGroupForWorker(
    group: readonly string[],
    wanted: readonly string[],
    options: GroupRunOptions & { readonly onEvent: RunListener; readonly signal?: AbortSignal },
    part: Omit<GroupPart, 'loader'>,
  ): Promise<GroupOutcome> {
    const loader = importingOnce(this.loader, (this.#workerImports ??= new Map()));
    const startedAt = options.startedAt - performance.timeOrigin;
    return this.#runGroup('upgrade', await this.revisionMap(), group, (m, states) => planUpgrade(m, states, wanted), options, startedAt, { ...part, loader }, new Set());
  }

  #workerImports: Map<string, Promise<unknown>> | undefined;

  /**
   * How many worker threads an upgrade of these groups uses: 0 unless they pay (see
   * {@link RunWorkersOptions}).
   */
  #workerCount(binds: readonly string[], groups: number, concurrency: number, workers: RunWorkersOptions | undefined): number {
    if (!workers || !this.#source || groups < 2 || binds.length <= CONNECT_FIRST_MAX) return 0;
    const count = Math.min(Math.floor(workers.max ?? availableParallelism()), concurrency, groups);
    if (count < 2) return 0;
    try {
      return binds.every((b) => this.bind(b).config.url !== undefined && this.bind(b).entry.name === 'sqlite') ? count : 0;
    } catch {
      return 0; // a URL no dialect takes: the run on this thread says so
    }
  }

  /**
   * The version-table rows of `binds` whose connections are open, for an error's message (which
   * binds a run that stopped did not run), without their locks: `READ_AT_ONCE` read at a time; a
   * bind not open or that cannot be read is left out. With the run's `signal`: once it is aborted,
   * a server bind (whose driver does not open a file: not SQLite) is not read any more, and a read
   * of one in flight is given up (left out; its connection is given up too: see `#giveUp`), so
   * that a server that does not answer, or a read that waits on a lock held elsewhere, does not
   * hold up a run asked to stop; a SQLite file is still read (a local read).
   * @returns the rows of each bind read, by bind.
   */
  async #headsForMessage(binds: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    if (!binds.length) return out;
    let stop = (): void => undefined;
    const aborted = signal ? new Promise<undefined>((resolve) => (stop = () => resolve(undefined))) : undefined;
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const each = async (bind: string): Promise<void> => {
        const file = await this.#opensFile(bind);
        if (!file && signal?.aborted) return;
        const read = this.#headsIfReadable(bind);
        if (file || !aborted) {
          const heads = await read;
          if (heads !== undefined) out.set(bind, heads);
          return;
        }
        let given = false;
        const heads = await Promise.race([read, aborted.then(() => ((given = true), undefined))]);
        if (given) this.#giveUp(bind);
        else if (heads !== undefined) out.set(bind, heads);
      };
      // (Not stopped by the signal: the SQLite files are still read.)
      await eachBounded(binds, READ_AT_ONCE, each, undefined, (reason) => new InterruptedError({ reason }));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    return out;
  }

  /**
   * Gives up a bind's connection with a read of `#headsForMessage` still in flight (a run asked to
   * stop): it leaves the environment's connections at once (the bind is opened again when next
   * used), and in the background its statement is cancelled on the server
   * (`DialectConnection.cancel`: a read waiting on a lock ends), it is watched for a dead network
   * path (`watchForLoss`: a server that cannot be reached gets its socket destroyed once the
   * connect timeout has passed) and it is ended as a stopped run's connection is
   * (`endConnection`). {@link close} waits for that.
   */
  #giveUp(bind: string): void {
    const pending = this.#connections.get(bind);
    if (!pending) return;
    this.#connections.delete(bind);
    const ending: Promise<void> = pending
      .then(async (conn) => {
        const unwatch = conn.watchForLoss?.();
        try {
          await conn.cancel?.().catch(() => false);
          await endConnection(conn);
        } finally {
          unwatch?.();
        }
      })
      .catch(() => undefined)
      .finally(() => this.#givenUp.delete(ending));
    this.#givenUp.add(ending);
  }

  /**
   * The version-table rows of a bind whose connection is open, for a message; `undefined` when it
   * is not open or cannot be read.
   */
  async #headsIfReadable(bind: string): Promise<readonly string[] | undefined> {
    const conn = this.#connections.get(bind);
    if (!conn) return undefined;
    try {
      return (await this.#readStates(new Map([[bind, await conn]]))).get(bind)?.heads;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs `work` (a run or a stamp on `binds`) and records how it ended, for {@link close} and
   * `#closeBinds`: when it throws, the binds are marked stopped, so their connections are
   * discarded rather than closed (see `#stopped`); when it succeeds, they are unmarked (stopped by
   * an earlier run of this environment). Returns what `work` returns; rethrows its error.
   */
  async #settle<T>(binds: readonly string[], work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      for (const b of binds) this.#stopped.add(b);
      throw error;
    }
    for (const b of binds) this.#stopped.delete(b);
    return result;
  }

  /**
   * Runs `work`, a command that writes to `binds` (a run, a stamp, a resolve), with the binds
   * claimed until it ends (see `#busy`): another writing command naming one of them meanwhile is
   * refused, and so is a read once `work` holds them. Refuses at once, before anything is done,
   * when another writing command has claimed one of them. `work` first awaits `readsEnded` (given
   * its signal, if any), before it uses a bind's connection: the reads of this environment in
   * flight on the binds end first (see `#readsEnded`).
   * @throws {@link EnvironmentBusyError}
   */
  async #exclusive<T>(binds: readonly string[], work: (readsEnded: (signal?: AbortSignal) => Promise<void>) => Promise<T>): Promise<T> {
    const names = [...new Set(binds.map((b) => this.bind(b).name))];
    for (const name of names) if (this.#busy.has(name)) throw new EnvironmentBusyError(name);
    for (const name of names) this.#busy.add(name);
    try {
      return await work((signal) => this.#readsEnded(names, signal));
    } finally {
      for (const name of names) this.#busy.delete(name);
    }
  }

  /** Whether a writing command holds the bind: it has claimed it and no read is in flight there (see `#reads`). */
  #writing(name: string): boolean {
    return this.#busy.has(name) && !this.#reads.has(name);
  }

  /**
   * Runs `fn`, a read of `binds`, counted as in flight on each of them until it settles (see
   * `#reads`): a writing command of this environment that claims one of them meanwhile waits for
   * it before using the bind.
   * @param options - `skipHeld`: a bind a writing command holds is left out of the read (the reads
   *   `fn` makes there are refused on their own) instead of refusing the whole read. `hold`: in an
   *   environment of more than `CONNECT_FIRST_MAX` binds, a read of at most that many holds their
   *   connections (see `#holding`): the connections it opens are shared by the reads inside it and
   *   closed once it ends (a read of more binds holds each only while it reads it: `#eachBindOnce`).
   * @throws {@link EnvironmentBusyError} (as a rejection, nothing done) when a writing command
   *   holds one of the binds, unless `skipHeld`; {@link UnknownBindError}.
   */
  async #read<T>(binds: readonly string[], fn: () => Promise<T>, options: { readonly skipHeld?: boolean; readonly hold?: boolean } = {}): Promise<T> {
    let names = [...new Set(binds.map((b) => this.bind(b).name))];
    if (options.skipHeld) names = names.filter((name) => !this.#writing(name));
    for (const name of names) if (this.#writing(name)) throw new EnvironmentBusyError(name);
    for (const name of names) this.#reads.set(name, (this.#reads.get(name) ?? 0) + 1);
    try {
      // (Released before the read ends: a writing command waiting for it opens its own connection.)
      return await (options.hold && this.binds.length > CONNECT_FIRST_MAX && names.length <= CONNECT_FIRST_MAX ? this.#holding(names, fn) : fn());
    } finally {
      let ended = false;
      for (const name of names) {
        const left = this.#reads.get(name)! - 1;
        if (left > 0) this.#reads.set(name, left);
        else {
          this.#reads.delete(name);
          ended = true;
        }
      }
      if (ended) for (const wake of [...this.#readsGone]) wake();
    }
  }

  /**
   * Resolves once no read of this environment is in flight on any of `names` (at once when none
   * is), for a writing command that has claimed them (see `#exclusive`).
   * @throws {@link InterruptedError} (nothing started: `notStarted` names the binds) when `signal`
   *   is aborted while it waits.
   */
  #readsEnded(names: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    const reading = () => names.some((name) => this.#reads.has(name));
    if (!reading()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.#readsGone.delete(wake);
        signal?.removeEventListener('abort', abort);
      };
      const wake = () => {
        if (reading()) return;
        done();
        resolve();
      };
      const abort = () => {
        done();
        reject(new InterruptedError({ reason: signal!.reason, notStarted: names }));
      };
      this.#readsGone.add(wake);
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  }

  /**
   * Closes the connections of these binds (after their group ran); they reopen when next used.
   * A bind of a group that failed is discarded instead: a database that connecting created and
   * that holds nothing is removed (see `DialectConnection.discard`).
   * With `background`, a server bind's connection (see `DialectDriver.connectsToServer`) releases
   * its lock now and closes without being waited for: the promise goes to `background` (a failed
   * group's is discarded there, holding its lock until then: discard checks under it).
   */
  async #closeBinds(binds: readonly string[], background?: Promise<void>[]): Promise<void> {
    const open = binds.flatMap((b) => {
      const conn = this.#connections.get(b);
      this.#connections.delete(b);
      return conn ? [{ bind: b, conn }] : [];
    });
    await Promise.allSettled(
      open.map(async ({ bind, conn }) => {
        const c = await conn;
        const discard = this.#stopped.delete(bind);
        if (background && this.#drivers.has(this.bind(bind).entry.name) && (await this.#driver(this.bind(bind))).connectsToServer) {
          if (discard) {
            background.push(endConnection(c).catch(() => undefined));
            return;
          }
          await c.releaseLock();
          background.push(c.close().catch(() => undefined));
          return;
        }
        await (discard ? endConnection(c) : c.close());
      }),
    );
  }

  /**
   * Downgrades to the target (`db2` steps db2 back one revision). Same sequence as {@link upgrade}:
   * when the binds the target touches form one group, they are connected and locked together,
   * planned and run. When they form several independent groups (tenants: `tenant@-1` or a
   * revision of their branch with `allBinds`), each group is connected, locked, read, planned
   * (`planDowngrade` from where its binds stand), run and closed on its own, with at most
   * `concurrency` binds open at once, the same events (one `plan` per group, `bind-done`, one
   * `run-done`), the hooks once (`command: 'downgrade'`) and the same failure semantics as a
   * grouped upgrade: with `concurrency` 1 the run stops at the first failing group
   * ({@link MigrationError} naming in `notRun` the binds not reached); with `concurrency` > 1 a
   * failing group stops only itself and the run ends with a {@link RunError} (`failures`,
   * `stopped`); running the command again downgrades what is left (for a target that counts
   * revisions from where each bind stands, `tenant@-2`, the error's `retry` instead, as for
   * {@link upgrade}: one downgrade per target). Unlike an upgrade, a bind that
   * cannot be connected stops its whole group (a downgrade must see what every bind of the group
   * has applied that depends on what it removes), and groups always run on this thread.
   * A bind whose database does not exist (a SQLite file not created yet, a PostgreSQL schema) is at
   * base: it is not created, locked nor read, so a downgrade leaves nothing behind there.
   * A group whose binds have not applied the target is left alone; a target no bind has applied
   * is refused ({@link DowngradeTargetError}), as for one group (for several groups, once every
   * group was read: nothing ran). A target that counts revisions from where each bind stands
   * (`tenant@-1`) that some bind cannot take (a tenant at base) is refused before any group runs,
   * each of its binds read up front ({@link RelativeTargetError}; see {@link upgrade}); one that
   * steps the wrong way (`tenant@+1`, a {@link TargetUsageError}) before any bind is opened.
   * A revision or label of a branch several binds share is refused (`SharedBranchError`) before
   * any bind is opened, unless `options.allBinds`; a bare `downgrade` or `-N` of several binds
   * (`BindRequiredError`) before any bind is opened when they form several groups.
   * @param target - The target as written, a string or an array of one (`undefined`: one revision
   *   back on the only bind). A downgrade has one target; several are refused with
   *   {@link MultidbError} `INVALID_OPTION`, as is a target that is not a string.
   * @param options - Run options; `allBinds` to act on every bind of a shared branch.
   * @returns The steps run, where each bind stands after the run and the elapsed time.
   * @throws {@link MigrationError} when a revision fails; {@link RunError} with `concurrency` > 1
   *   and several groups; {@link LockTimeoutError}; `BindError` (an {@link UnreachableBindsError}
   *   naming each when several binds connected first cannot be); `SharedBranchError`;
   *   `BindRequiredError`; {@link DowngradeTargetError}; {@link RelativeTargetError}; {@link InterruptedError} when
   *   `options.signal` was aborted during the run (with revisions left or not) (see {@link RunOptions.signal});
   *   {@link UnknownOptionError} when `options` holds a key {@link DowngradeOptions} does not have,
   *   before anything is opened.
   * @example
   * ```ts
   * import { loadEnvironment } from '@multidb/core';
   * import { dialects } from '@multidb/dialect';
   * const env = await loadEnvironment({ dialects });
   * // Every tenant one revision back, at most four tenants open at once.
   * try { await env.downgrade('tenant@-1', { allBinds: true, concurrency: 4 }); } finally { await env.close(); }
   * ```
   */
  async downgrade(target: string | readonly [string] | undefined, options: DowngradeOptions = {}): Promise<RunResult> {
    checkOptions('downgrade()', options, DOWNGRADE_OPTIONS);
    target = oneTarget(target, 'downgrade');
    const binds = await this.bindsForDowngrade(target, options);
    const groups = independentGroups(await this.revisionMap(), this.binds, binds);
    if (groups.length > 1) {
      // A target some group has not applied leaves that group alone, as the planner leaves a bind
      // below it when others have it; only a target no group has applied is refused (at the end:
      // where each bind stands is read under its group's lock).
      const above: { bind: string; heads: readonly string[] }[] = [];
      let applied = false;
      return this.#runGroups(groups, options, {
        command: 'downgrade',
        targets: downgradeTargets(target),
        plan: (map, states) => {
          try {
            const made = planDowngrade(map, states, target, options);
            applied = true;
            return made;
          } catch (error) {
            if (!(error instanceof DowngradeTargetError)) throw error;
            above.push(...error.binds);
            return Object.freeze({ direction: 'down' as const, steps: Object.freeze([]), binds: Object.freeze(states.map((b) => b.bind)), fanOut: Object.freeze([]) });
          }
        },
        // A group that has not applied the target is left alone, as in `plan`.
        preplan: (map, states) => {
          try {
            return planDowngrade(map, states, target, options);
          } catch (error) {
            if (!(error instanceof DowngradeTargetError)) throw error;
            return undefined;
          }
        },
        // The whole run planned once at base: a bare 'downgrade' or '-N' of several binds, a
        // shared branch's revision without allBinds, one head of a branch that has several.
        check: (map, groupsOf) => {
          const states = groupsOf.flat().map((bind) => ({ bind, branch: this.bind(bind).branch, heads: [] }));
          try {
            planDowngrade(map, states, target, options);
          } catch (error) {
            if (error instanceof BindRequiredError || error instanceof SharedBranchError || error instanceof MultipleHeadsError || error instanceof TargetUsageError) throw error;
          }
        },
        done: () => {
          if (!applied && above.length) throw new DowngradeTargetError((target ?? '').trim(), above);
        },
      });
    }
    return this.#finishing('downgrade', target === undefined ? ['-1'] : [target], (kept) => this.#run('downgrade', binds, (map, states) => kept(planDowngrade(map, states, target, options)), options));
  }

  /**
   * Runs a run of one group (`run`, which hands its plan to `kept`): what stops it is thrown again
   * saying how to finish it, as a run of several groups says: a {@link RunError} (`concurrency` > 1)
   * that the same command again runs only what is left; and for targets that count revisions from
   * where each bind stands (`+2`), when steps completed, a RunError, a {@link MigrationError} or an
   * {@link InterruptedError} the targets each bind left short needs (their `retry`, from the plan).
   */
  async #finishing(command: 'upgrade' | 'downgrade', targets: readonly string[], run: (kept: (plan: Plan) => Plan) => Promise<RunResult>): Promise<RunResult> {
    let planned: Plan | undefined;
    try {
      return await run((plan) => (planned = plan));
    } catch (error) {
      // Only a run that started (its targets parsed and planned) says how to finish it.
      if (!(error instanceof RunError) && !((error instanceof MigrationError || error instanceof InterruptedError) && completedOf(error) > 0)) throw error;
      const map = await this.revisionMap();
      const bindBranches = this.#bindIndex().bindBranches;
      const parsed = (targets.length ? targets : ['head']).map((text) => ({ text, target: parseTarget(text, map, bindBranches) }));
      const targetOf = new Map(planned ? planTargets(planned, map) : []);
      throw withRetry(error, command, runRetry(command, parsed, completedOf(error), leftShort(error), (b) => targetOf.get(b), map));
    }
  }

  /**
   * Connects `binds`, takes their locks, reads their version tables once under the locks and runs
   * `fn` with them; always releases the locks.
   * With `create: false` (default `true`), a bind whose database does not exist (a SQLite file, a
   * PostgreSQL schema) is not created, locked nor read: it is at base, in `late.deferred`, and
   * `late.open` creates and locks it when the command has something to write there (keeping every
   * lock in sorted order, see {@link LateBinds}).
   * Once `options.signal` is aborted, the connects in progress end and the lock waits stop: an
   * {@link InterruptedError} naming every bind in `notStarted` (none was read or changed).
   * (`late.open` connects without it: it opens databases that did not exist, a file, a schema on
   * a server that has just answered; the run stops before its first step anyway.)
   */
  async #locked<T>(
    binds: readonly string[],
    options: LockingOptions & { readonly goOnPastUnreachable?: boolean; readonly create?: boolean; readonly run?: 'up' | 'down' | 'stamp' },
    fn: (conns: ReadonlyMap<string, DialectConnection>, states: ReadonlyMap<string, VersionTableState>, unreachable: readonly BindError[], late: LateBinds) => Promise<T>,
  ): Promise<T> {
    const sorted = [...binds].sort();
    const create = options.create !== false;
    const { conns, unreachable, deferred } = options.goOnPastUnreachable
      ? await this.#connectReachable(sorted, { deferFiles: true, create, signal: options.signal })
      : { ...(await this.#connectEveryOrFail(sorted, { create, signal: options.signal, run: options.run })), unreachable: [] };
    const releases: (() => Promise<void>)[] = [];
    /** The binds whose locks are held, with their connections. */
    const held = new Map<string, DialectConnection>();
    /**
     * Checks that the binds allow writes, takes their locks and reads their version tables. Every
     * lock is taken in sorted order (DESIGN §2: two runs cannot deadlock): when a bind opened late
     * sorts before one whose lock is held, the held locks are released and taken again with the
     * new ones, in order, and their version tables read again (returned with the new ones').
     */
    const lockAndRead = async (opened: ReadonlyMap<string, DialectConnection>): Promise<Map<string, VersionTableState>> => {
      for (const [bind, conn] of opened) await this.#refuseReadOnly(bind, conn);
      const first = [...opened.keys()].sort()[0];
      const relock = first !== undefined && [...held.keys()].some((bind) => bind > first);
      if (relock) for (const release of releases.splice(0).reverse()) await release();
      const locking = new Map([...(relock ? held : []), ...opened]);
      releases.push(
        await acquireLocks(
          [...locking.keys()].sort().map((bind) => ({ bind, connection: locking.get(bind)!, ...this.#lockOptions(bind), location: this.location(bind, locking.get(bind)) })),
          options,
        ),
      );
      for (const [bind, conn] of opened) held.set(bind, conn);
      return this.#readStates(locking);
    };
    const late: LateBinds = {
      deferred,
      open: async (names) => {
        // Created now: the run has steps for them. One that cannot be opened is unreachable.
        const failed: BindError[] = [];
        const opened = await this.#connectEach(names, {
          create: true,
          onError: (_, error) => {
            if (!(error instanceof BindError)) throw error;
            failed.push(error);
          },
        });
        this.#refuseDuplicates(new Map(await Promise.all([...conns, ...opened].map(async ([b, c]) => [b, await this.#identity(b, c)] as const))));
        return { conns: opened, states: await lockAndRead(opened), unreachable: failed };
      },
    };
    try {
      const states = await lockAndRead(conns);
      return await fn(conns, states, unreachable, late);
    } finally {
      for (const release of releases.reverse()) await release();
    }
  }

  /** Throws a {@link ReadOnlyBindError} when the bind's database takes no writes (a replica, a read-only file). */
  async #refuseReadOnly(bind: string, conn: DialectConnection): Promise<void> {
    const reason = await this.#onBind(bind, conn, 'identify', 'check whether writes are allowed on', async () => conn.readOnly?.());
    if (typeof reason === 'string') throw new ReadOnlyBindError(bind, reason);
    if (reason !== undefined) throw new ReadOnlyBindError(bind, reason.reason, reason.remedy);
  }

  /**
   * As {@link connectAll}, but a bind that cannot be connected or identified (a {@link BindError})
   * is set aside instead of failing the whole call; two reachable binds on one database are still
   * refused. With `allOrNothing`, no database is created when a bind is unreachable (the caller
   * stops); with `deferFiles`, a SQLite file that does not exist is then not created either, and
   * its bind is returned in `deferred` (opened later only if the run has a step for it to run).
   * With `create: false` (default `true`), no database that does not exist is created at all (a
   * SQLite file, a PostgreSQL schema: `ConnectOptions.create`): every such bind is in `deferred`.
   * With `signal` (the command's), a connect in progress when it is aborted ends at once, and this
   * throws an {@link InterruptedError} naming every bind given in `notStarted` (see `#connectEach`).
   */
  async #connectReachable(
    binds: readonly string[],
    options: { readonly allOrNothing?: boolean; readonly deferFiles?: boolean; readonly create?: boolean; readonly signal?: AbortSignal | undefined; readonly run?: 'up' | 'down' | 'stamp' | undefined } = {},
  ): Promise<{ conns: Map<string, DialectConnection>; unreachable: BindError[]; deferred: string[] }> {
    for (const name of binds) void this.bind(name).entry; // a URL no dialect takes is a config error: refused up front
    const unreachable: BindError[] = [];
    let deferred: string[] = [];
    const conns = await this.#connectEach(binds, {
      create: options.create !== false,
      signal: options.signal,
      onError: (name, error) => {
        if (error instanceof DatabaseNotFoundError && options.create === false) {
          deferred.push(name);
          return;
        }
        if (!(error instanceof BindError)) throw error;
        unreachable.push(error);
      },
      createMissing: (missing) => {
        // A run that will not start creates nothing (no new empty SQLite file).
        if (options.allOrNothing) throwUnreachable(unreachable, options.run && { binds, run: options.run });
        // A run that goes on past an unreachable bind creates a file only for a bind it runs steps on.
        if (options.deferFiles && unreachable.length) {
          deferred = [...missing];
          return [];
        }
        return missing;
      },
    });
    // In the order given (a database created after the others were tried fails after them).
    unreachable.sort((a, b) => binds.indexOf(a.bind) - binds.indexOf(b.bind));
    return { conns, unreachable, deferred };
  }

  /**
   * As {@link connectAll}, for a run that changes nothing unless every bind is reachable: every
   * bind is tried even after one failed, so the error names each that cannot be connected or
   * identified (its {@link BindError} for one, an {@link UnreachableBindsError} for several). Two
   * reachable binds on one database are refused as by connectAll. When a bind is unreachable,
   * no database is created for the others (a SQLite file that does not exist stays absent).
   * With `create: false`, none is created at all; such binds are in `deferred` (see
   * `#connectReachable`, also for `signal`). With `run` (an upgrade's `'up'`, a downgrade's
   * `'down'`, a stamp's `'stamp'`: the binds are those of a run that stops here), the error is an
   * {@link UnreachableBindsError} naming the other binds as not run (not stamped), for one unreachable bind too.
   */
  async #connectEveryOrFail(
    binds: readonly string[],
    options: { readonly create?: boolean; readonly signal?: AbortSignal | undefined; readonly run?: 'up' | 'down' | 'stamp' | undefined } = {},
  ): Promise<{ conns: Map<string, DialectConnection>; deferred: string[] }> {
    const { conns, unreachable, deferred } = await this.#connectReachable(binds, { allOrNothing: true, ...options });
    throwUnreachable(unreachable, options.run && { binds, run: options.run });
    return { conns, deferred };
  }

  #run(command: string, binds: readonly string[], plan: (map: RevisionMap, states: BindState[]) => Plan, options: RunOptions): Promise<RunResult> {
    return this.#exclusive(binds, (readsEnded) => this.#watchingForLoss(options.signal, () => this.#runOnce(command, binds, plan, options, readsEnded)));
  }

  /** @param readsEnded - see `#exclusive`. */
  async #runOnce(
    command: string,
    binds: readonly string[],
    plan: (map: RevisionMap, states: BindState[]) => Plan,
    options: RunOptions,
    readsEnded: (signal?: AbortSignal) => Promise<void>,
  ): Promise<RunResult> {
    const startedAt = performance.now();
    let running = false;
    try {
      await readsEnded(options.signal);
      return await this.#settle(binds, async () => {
        const map = await this.revisionMap();
        return this.#runLocked(command, map, binds, plan, options, { startedAt, onRunning: () => (running = true) });
      });
    } catch (error) {
      // The runner reports its own end; a failure before it (connect, lock, plan) ends the run here.
      if (!running) {
        // The binds a signal kept from their lock end with the run.
        for (const event of [...interruptedBindEvents(error), { type: 'run-done', ok: false, elapsedMs: performance.now() - startedAt } satisfies RunEvent]) {
          try {
            options.onEvent?.(event);
          } catch {
            /* listeners must not break a run */
          }
        }
      }
      throw error;
    }
  }

  /**
   * Connects and locks `binds`, reads their version tables, plans and runs the plan. With `part`,
   * the binds are one group of a larger run: no `run-done`, the run's hooks and fan-out, and
   * two binds on one database refused across the groups (`claim`).
   */
  async #runLocked(
    command: string,
    map: RevisionMap,
    binds: readonly string[],
    plan: (map: RevisionMap, states: BindState[]) => Plan,
    options: RunOptions,
    how: {
      readonly startedAt: number;
      readonly onRunning?: () => void;
      readonly part?: GroupPart & {
        /** Receives each bind's version-table rows once read (for a message about a group that stopped). */
        readonly read?: Map<string, readonly string[]>;
      };
      /**
       * A group of a run that goes on past it (`concurrency` > 1, `keepGoing`): what stops it is
       * reported with the group's binds (`StoppedGroup`), not as the run's error.
       */
      readonly stopsOnlyItself?: boolean;
    },
  ): Promise<RunResult> {
    // An upgrade with concurrency > 1 goes on past a bind it cannot connect (as past a failing
    // one). A downgrade does not: it must see what every bind has applied that depends on what it
    // removes.
    const goOnPastUnreachable = command === 'upgrade' && (options.concurrency ?? 1) > 1;
    const part = how.part;
    const run = command === 'upgrade' ? 'up' : 'down';
    // A lock held on one of binds linked by depends-on (locked together, up front) stops them all:
    // the run's error names the others it had steps for as not run, as a failed revision's does.
    const namingLinked = async (error: unknown): Promise<never> => {
      if (how.stopsOnlyItself || !(error instanceof LockTimeoutError) || binds.length < 2) throw error;
      const linked = (await this.#bindsWithSteps(map, binds, plan)).filter((b) => b !== error.bind && !error.notRun.includes(b));
      if (!linked.length) throw error;
      throw new LockTimeoutError(error.bind, error.waitedMs, { notRun: [...error.notRun, ...linked], linked, completed: error.completed, cause: error });
    };
    return this.#locked(binds, { ...options, goOnPastUnreachable, create: createsMissing(command), run }, async (lockedConns, lockedStates, lockedUnreachable, late) => {
      const conns = new Map(lockedConns);
      const states = new Map(lockedStates);
      const unreachable = [...lockedUnreachable];
      // An unreachable bind is planned as if at base, so whatever waits on its revisions waits on
      // steps that never run, and is skipped. So is a bind whose database does not exist yet
      // (deferred: not created while a bind is unreachable, nor by a downgrade): its database is
      // created now if one of its steps can run, else it is left unopened, and no empty file is
      // made for it (a downgrade has no step for a bind at base).
      let made = plan(map, this.#bindStates(binds, states));
      let unopened: string[] = [];
      if (late.deferred.length) {
        const blocked = new Set(stepsWaitingOn(map, made, unreachable.map((e) => e.bind)));
        // A bind whose first step can run (its later ones may wait on the unreachable bind).
        const runs = late.deferred.filter((b) => {
          const first = made.steps.findIndex((s) => s.bind === b);
          return first >= 0 && !blocked.has(first);
        });
        unopened = late.deferred.filter((b) => !runs.includes(b));
        if (runs.length) {
          const opened = await late.open(runs);
          for (const [b, c] of opened.conns) conns.set(b, c);
          for (const [b, s] of opened.states) states.set(b, s);
          unreachable.push(...opened.unreachable);
          unreachable.sort((a, b) => binds.indexOf(a.bind) - binds.indexOf(b.bind));
          made = plan(map, this.#bindStates(binds, states));
        }
      }
      for (const [bind, state] of states) part?.read?.set(bind, state.heads);
      if (part) {
        for (const [name, conn] of conns) {
          await part.claim(await this.#identity(name, conn), name);
        }
      }
      if (part) made = Object.freeze({ ...made, fanOut: await part.fanOut() });
      const down = new Set(unreachable.map((e) => e.bind));
      const outside = bindsOfPlan(made).filter((b) => !conns.has(b) && !down.has(b) && !unopened.includes(b));
      if (outside.length) throw new MultidbError(`Internal error: the plan touches binds that were not locked (${outside.join(', ')}).`, 'PLAN_BINDS');
      const ctx: RunContext = {
        namingConvention: this.namingConvention,
        loader: part ? part.loader : this.loader,
        transactionMode: this.loaded.config.transactionMode ?? 'per-revision',
        hooks: part ? part.hooks : this.loaded.config.hooks,
        map,
        bind: (name) => {
          const connection = conns.get(name);
          if (!connection) throw new MultidbError(`Internal error: bind '${name}' is not part of this run.`, 'PLAN_BINDS');
          const schema = this.bind(name).config.schema;
          return {
            connection,
            versionTable: this.versionTable(name),
            versionTableExists: states.get(name)?.exists ?? false,
            progressTable: this.progressTable(name),
            location: this.location(name, connection),
            ...(schema !== undefined ? { schema } : {}),
          };
        },
      };
      how.onRunning?.();
      return runPlan(ctx, made, {
        command,
        startedAt: how.startedAt,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.xArgs ? { xArgs: options.xArgs } : {}),
        ...(unreachable.length ? { unreachable } : {}),
        ...(unopened.length ? { unopened } : {}),
        ...(part ? { part: true } : {}),
      });
    }).catch(namingLinked);
  }

  /**
   * The binds of `group` that `plan` has steps for, read without their locks, for an error that
   * names them as not run: each bind's version-table rows (its connection must be open), then the
   * group planned from them. Every bind of the group when one cannot be read, or the plan fails.
   */
  async #bindsWithSteps(map: RevisionMap, group: readonly string[], plan: (map: RevisionMap, states: BindState[]) => Plan): Promise<string[]> {
    const states: BindState[] = [];
    for (const bind of group) {
      const heads = await this.#headsIfReadable(bind);
      if (heads === undefined) return [...group];
      states.push({ bind, branch: this.bind(bind).branch, heads });
    }
    try {
      const planned = plan(map, states);
      return group.filter((b) => planned.steps.some((s) => s.bind === b));
    } catch {
      return [...group];
    }
  }

  /**
   * Sets version tables to the targets without running revisions (`stamp`). Takes the binds'
   * migration locks like a run, reads the tables under them, and writes each change in a
   * transaction that checks it replaced exactly the rows it read. With `purge`, the table's rows are
   * deleted first, whatever they were.
   * A revision or label of a branch several binds share is refused unless `options.allBinds`.
   *
   * A bind with a revision in flight (stopped part way on MySQL/MariaDB, see {@link inFlight}) is
   * refused, as by a run, before anything is written on any bind: a stamp would leave the version
   * table at rows other than the ones the revision started from, and the database part way through
   * it; `migrate resolve` or a re-run settles it. With `purge`, the stamp goes ahead there and also
   * deletes the revision's progress in the same transaction (as `purge` overrides what the version
   * table holds, it overrides what is in flight): the version table then says what the targets say,
   * and the writes the revision completed stay in the database, unrecorded.
   *
   * A stamp of more than 16 binds (tenants) holds at most 4 connected at once, so that it takes
   * neither a server's connection slots (`max_connections`) nor the process's file descriptors
   * (`ulimit -n`): it first checks every bind, 4 at a time, each connected, checked for writes, its
   * version table (and revision in flight) read, then closed; a bind that cannot be connected (every
   * bind is tried: an {@link UnreachableBindsError} names them and the binds not stamped) or any
   * other failure there stops it with nothing written, as for a few binds. It then writes 4 binds
   * at a time in config order (connected, locked, their tables read again and written, closed),
   * not under one set of locks: a bind that cannot be reached (or locked, or written) between
   * the check and its write stops the stamp there with the binds before it stamped. That is never
   * silent: the bind gets its `bind-done` event with `ok: false`, and an unreachable one's
   * {@link UnreachableBindsError} names the binds stamped (`stamped`) and those not stamped (`notRun`).
   *
   * A bind whose database does not exist (a SQLite file not created yet) is at base: a stamp to
   * base leaves it absent, and a stamp of a revision creates it. When a stamp fails, the binds it
   * opened are discarded at {@link close}, as after a failed run: a database it created and wrote
   * nothing to is removed.
   *
   * Events (`options.onEvent`), as a run's for its binds: `lock-wait` / `lock-acquired`; for each
   * bind whose version table is written, `stamp` then `bind-done` (`ok: true`, `heads` its new
   * rows); a bind whose write fails, `bind-done` with `ok: false` and the rows read under its lock
   * (its write rolled back). Stopped by `options.signal`: each bind left to write ends with
   * `bind-done` `ok: false`, `interrupted: 'stopped'` and its rows as they are; stopped before the
   * locks were all taken (a connect, a lock wait), each bind with `interrupted: 'not-started'`,
   * `heads: []` (see `BindInterrupted`). A bind with nothing to change gets no event. No `plan`
   * nor `run-done`.
   * @throws {@link PartlyAppliedError} for a bind with a revision in flight (without `purge`);
   *   {@link VersionTableConflictError} when a table changed under the update;
   *   {@link UnreachableBindsError} when binds cannot be connected, before anything is written
   *   (naming them and the binds not stamped; a stamp of that one bind throws its {@link BindError}),
   *   or, in a stamp of more than 16 binds, a bind checked but unreachable at its write (naming the binds stamped before it);
   *   {@link LockTimeoutError}; `SharedBranchError`; the target errors of `planStamp`;
   *   {@link MultidbError} `INVALID_OPTION` when a target is not a string; {@link UnknownOptionError}
   *   when `options` holds a key {@link StampRunOptions} does not have (both before anything is
   *   opened); {@link InterruptedError} when `options.signal` was aborted during the stamp (with binds left to write or not).
   * @param targets - One target as a string (`'db2@head'`) or several in an array.
   * @param options - `purge`, `allBinds`, `lockTimeoutMs`, `onEvent`, `signal`.
   * @returns one {@link StampResult} per selected bind, in config order: `from`, `to` and its
   *   `outcome` (`stamped`; `unchanged`, already at the target; `no-revisions`, its branch has none).
   * @example
   * ```ts
   * await env.stamp(['db2@head'], { onEvent: (e) => e.type === 'bind-done' && console.log(e.bind, e.ok, e.heads) });
   * await env.stamp(['db3@a1b2c3d4e5f6'], { purge: true }); // whatever db3's version table holds, or has in flight
   * ```
   */
  async stamp(targets: string | readonly string[], options: StampRunOptions = {}): Promise<StampResult[]> {
    checkOptions('stamp()', options, STAMP_RUN_OPTIONS);
    targets = targetList(targets, 'stamp');
    const map = await this.revisionMap();
    const binds = await this.bindsForTargets(targets, 'stamp', options);
    const planning = { purge: options.purge ?? false, allBinds: options.allBinds ?? false };
    // As after a failed run: a database a failed stamp created and committed nothing to is removed at close.
    return this.#exclusive(binds, async (readsEnded) => {
      await readsEnded(options.signal);
      return this.#stampLocked(map, binds, targets, planning, options);
    });
  }

  /** {@link stamp} of binds this environment holds for it (see `#exclusive`). */
  #stampLocked(map: RevisionMap, binds: readonly string[], targets: readonly string[], planning: { readonly purge: boolean; readonly allBinds: boolean }, options: StampRunOptions): Promise<StampResult[]> {
    if (binds.length > CONNECT_FIRST_MAX) {
      return this.#settle(binds, () =>
        this.#stampBounded(map, binds, targets, planning, options).catch((error: unknown) => {
          for (const event of interruptedBindEvents(error)) notify(options.onEvent, event);
          throw error;
        }),
      );
    }
    return this.#settle(binds, () =>
      // A bind that cannot be connected stops the stamp before it writes anything: its error names the binds not stamped.
      this.#locked(binds, { ...options, create: false, run: 'stamp' }, async (lockedConns, lockedStates, _, late) => {
        const conns = new Map(lockedConns);
        const states = new Map(lockedStates);
        let made = planStamp(map, this.#bindStates(binds, states), targets, planning);
        // A bind whose database does not exist is at base: it is created (locked, read) only when
        // a revision is stamped on it; a stamp to base leaves it absent.
        const writesTo = late.deferred.filter((b) => made.some((c) => c.bind === b && c.to.length > 0));
        if (writesTo.length) {
          const opened = await late.open(writesTo);
          throwUnreachable(opened.unreachable, { binds, run: 'stamp' });
          for (const [b, c] of opened.conns) conns.set(b, c);
          for (const [b, state] of opened.states) states.set(b, state);
          made = planStamp(map, this.#bindStates(binds, states), targets, planning);
        }
        const written = await this.#writeStamp(made.filter((c) => conns.has(c.bind)), conns, states, options);
        // Not written: at the target already, or (no revision in its branch) at base whatever the target.
        const outcome = (bind: string): StampResult['outcome'] => (written.has(bind) ? 'stamped' : map.heads(this.bind(bind).branch).length === 0 ? 'no-revisions' : 'unchanged');
        return made.map((c) => ({ ...c, outcome: outcome(c.bind) }));
      }).catch((error: unknown) => {
        // Stopped before the locks were all taken (a connect, a lock wait): each bind not started ends so.
        for (const event of interruptedBindEvents(error)) notify(options.onEvent, event);
        throw error;
      }),
    );
  }

  /**
   * {@link stamp} of more than `CONNECT_FIRST_MAX` binds (tenants), with at most `STAMP_AT_ONCE`
   * of them connected at a time, so that a stamp of thousands of binds neither takes every
   * connection slot of a server nor every file descriptor of the process.
   *
   * First the check, which writes nothing: each bind is connected (creating nothing), checked for
   * writes, its version table and progress table read, and closed, by `STAMP_AT_ONCE` readers at
   * once. A bind that cannot be connected or identified is gathered (every bind is tried), and
   * then the stamp stops with nothing written: an {@link UnreachableBindsError} naming them and
   * the binds not stamped. Any other failure there (a database that takes no writes, a version
   * table that cannot be read, two binds on one database, a target the planner refuses, a
   * revision in flight without `purge`) stops it too, before anything is written.
   *
   * Then the writes, `STAMP_AT_ONCE` binds at a time, in config order: those binds connected,
   * locked (in sorted order), their version tables read again under the locks, planned again from
   * what was read (a table changed since the check is stamped from what it holds now), written
   * (see `#writeStamp`) and closed before the next ones are connected. Binds with nothing to write
   * are not opened again. What is promised there is less than for a few binds, whose locks are all
   * held at once: a bind that cannot be reached (or locked, or written) between the check and its
   * write stops the stamp with the binds before it stamped. That is never silent: the bind gets a
   * `bind-done` event with `ok: false`, and an unreachable bind's {@link UnreachableBindsError}
   * names the binds already stamped ({@link UnreachableBindsError.stamped}) and those not stamped
   * ({@link UnreachableBindsError.notRun}); any other error is the bind's own, after the
   * `bind-done` events of the binds written.
   */
  async #stampBounded(
    map: RevisionMap,
    binds: readonly string[],
    targets: readonly string[],
    planning: { readonly purge: boolean; readonly allBinds: boolean },
    options: StampRunOptions,
  ): Promise<StampResult[]> {
    const { signal } = options;
    const states = new Map<string, VersionTableState>();
    const absent = new Set<string>();
    const flights = new Map<string, InFlightRevision>();
    const unreachable: BindError[] = [];
    const notStarted = (reason: unknown) => new InterruptedError({ reason, notStarted: [...binds] });
    // `STAMP_AT_ONCE` checkers, each taking the next bind once it closed the one before.
    const ids = await this.#eachBindOnce(
      binds,
      { concurrent: STAMP_AT_ONCE, signal, interrupted: notStarted },
      (bind, error) => {
        if (error instanceof DatabaseNotFoundError) absent.add(bind); // at base: created only if a revision is stamped on it
        else if (error instanceof BindError) unreachable.push(error);
        else throw error;
      },
      async (bind, conn) => {
        await this.#refuseReadOnly(bind, conn);
        states.set(bind, (await this.#readStates(new Map([[bind, conn]]))).get(bind)!);
        const flight = await this.#flightOn(bind, conn);
        if (flight) flights.set(bind, flight);
      },
    );
    unreachable.sort((a, b) => binds.indexOf(a.bind) - binds.indexOf(b.bind));
    throwUnreachable(unreachable, { binds, run: 'stamp' });
    this.#refuseDuplicates(ids);
    const checked = planStamp(map, this.#bindStates(binds, states), targets, planning);
    if (!planning.purge) {
      for (const change of checked) {
        const flight = flights.get(change.bind);
        if (flight) throw stampInFlightError(change, flight);
      }
    }

    // The writes, `STAMP_AT_ONCE` binds at a time.
    const unchanged = (change: StampChange) => !planning.purge && change.from.length === change.to.length && change.from.every((r) => change.to.includes(r));
    const toWrite = checked.filter((c) => !unchanged(c) && !(absent.has(c.bind) && c.to.length === 0)).map((c) => c.bind);
    const final = new Map(checked.map((c) => [c.bind, c] as const));
    const written = new Set<string>();
    const headsNow = () => new Map(binds.map((b) => [b, written.has(b) ? final.get(b)!.to : (states.get(b)?.heads ?? [])] as const));
    /** Asked to stop: the binds left to write end so, and the stamp with every bind's rows as they are. */
    const stop = (reason: unknown, from: number): never => {
      for (const bind of toWrite.slice(from).filter((b) => !written.has(b))) {
        notify(options.onEvent, { type: 'bind-done', bind, ok: false, heads: states.get(bind)?.heads ?? [], interrupted: 'stopped' });
      }
      throw new InterruptedError({ reason, heads: headsNow() });
    };
    for (let at = 0; at < toWrite.length; at += STAMP_AT_ONCE) {
      if (signal?.aborted) stop(signal.reason, at);
      const chunk = toWrite.slice(at, at + STAMP_AT_ONCE);
      let reported = false;
      try {
        await this.#locked(chunk, { ...options, create: false, run: 'stamp' }, async (lockedConns, lockedStates, _, late) => {
          const conns = new Map(lockedConns);
          // Planned again only when a version table changed since the check (a bind's change
          // depends on its own rows): planning thousands of binds for each chunk would cost more
          // than the writes.
          let changed = false;
          const read = (b: string, state: VersionTableState | undefined): void => {
            if (!sameRows(states.get(b)?.heads ?? [], state?.heads ?? [])) changed = true;
            if (state) states.set(b, state);
            else states.delete(b);
          };
          for (const [b, state] of lockedStates) read(b, state);
          for (const b of late.deferred) read(b, undefined);
          const replan = (): void => {
            if (!changed) return;
            for (const c of planStamp(map, this.#bindStates(binds, states), targets, planning)) if (chunk.includes(c.bind)) final.set(c.bind, c);
            changed = false;
          };
          replan();
          const writesTo = late.deferred.filter((b) => final.get(b)!.to.length > 0);
          if (writesTo.length) {
            const opened = await late.open(writesTo);
            throwUnreachable(opened.unreachable, { binds: chunk, run: 'stamp' });
            for (const [b, c] of opened.conns) conns.set(b, c);
            for (const [b, state] of opened.states) read(b, state);
            replan();
          }
          const mine = chunk.map((b) => final.get(b)!);
          // A bind's `bind-done` says it was written (or that its write failed); the binds a signal
          // stops are told so by `stop`, with those of the chunks after.
          const onEvent = (event: RunEvent): void => {
            if (event.type === 'bind-done' && event.interrupted !== undefined) return;
            if (event.type === 'bind-done') reported = true;
            if (event.type === 'bind-done' && event.ok) written.add(event.bind);
            notify(options.onEvent, event);
          };
          await this.#writeStamp(
            mine.filter((c) => conns.has(c.bind)),
            conns,
            states,
            { ...options, onEvent },
          );
        });
      } catch (error) {
        // Stopped during the chunk (a connect, a lock wait, between two writes): as between two chunks.
        if (error instanceof InterruptedError) stop(error.reason, at);
        if (!reported) {
          // Met before anything of this chunk was written: said as a failed write is (`bind-done`,
          // `ok: false`, its rows as read), after the binds written before.
          const down = error instanceof UnreachableBindsError ? error.unreachable : error instanceof BindError ? [error] : [];
          const named = down.length ? down.map((e) => e.bind) : [error instanceof MultidbError && 'bind' in error && typeof error.bind === 'string' ? error.bind : chunk[0]!];
          for (const bind of named) notify(options.onEvent, { type: 'bind-done', bind, ok: false, heads: states.get(bind)?.heads ?? [] });
          if (down.length && error instanceof BindError && (error.action === 'connect' || error.action === 'identify')) {
            const gone = new Set(down.map((e) => e.bind));
            throw new UnreachableBindsError(down, { stamp: true, stamped: toWrite.filter((b) => written.has(b)), notRun: toWrite.filter((b) => !written.has(b) && !gone.has(b)) });
          }
        }
        throw error;
      }
      // (A chunk that failed stays open: its binds are discarded at close, a new empty file removed.)
      await this.#closeBinds(chunk);
    }
    // Not written: at the target already, or (no revision in its branch) at base whatever the target.
    const outcome = (bind: string): StampResult['outcome'] => (written.has(bind) ? 'stamped' : map.heads(this.bind(bind).branch).length === 0 ? 'no-revisions' : 'unchanged');
    return binds.map((b) => final.get(b)!).map((c) => ({ ...c, outcome: outcome(c.bind) }));
  }

  /**
   * The revision in flight on a bind, read from its progress table (a dialect whose DDL is not
   * transactional: MySQL/MariaDB); `undefined` when there is none, or nothing of it was done.
   */
  async #flightOn(bind: string, conn: DialectConnection): Promise<InFlightRevision | undefined> {
    if (conn.dialect.capabilities.transactionalDdl) return undefined;
    const progress = this.progressTable(bind);
    const flight = await this.#onBind(bind, conn, 'read-version-table', `read the progress table ${progress.name} of`, () => progress.read(conn));
    return !flight || (flight.writes.length === 0 && !flight.preRecorded) ? undefined : flight;
  }

  /**
   * Writes a stamp's changes under the binds' locks, each on its bind's connection (`conns` holds
   * every bind of `changes`); `states` are the version tables as read under the locks. Every bind
   * is checked for a revision in flight before the first write on any of them.
   * @returns the binds whose version table was written.
   */
  async #writeStamp(
    changes: readonly StampChange[],
    conns: ReadonlyMap<string, DialectConnection>,
    states: ReadonlyMap<string, VersionTableState>,
    options: StampRunOptions,
  ): Promise<ReadonlySet<string>> {
    const inFlight = new Set<string>();
    for (const change of changes) {
      const flight = await this.#flightOn(change.bind, conns.get(change.bind)!);
      if (!flight) continue;
      if (!options.purge) throw stampInFlightError(change, flight);
      inFlight.add(change.bind);
    }
    const written = new Set<string>();
    /** A change with nothing to write (and no purge): its bind is left alone, without events. */
    const unchanged = (change: StampChange) => !options.purge && change.from.length === change.to.length && change.from.every((r) => change.to.includes(r));
    for (const change of changes) {
      if (unchanged(change)) continue;
      if (options.signal?.aborted) {
        // Asked to stop: no further table is written; each bind's rows as they are now. The binds
        // left to write end with a bind-done saying so (as a run's binds the signal stopped).
        const heads = new Map(changes.map((c) => [c.bind, written.has(c.bind) ? c.to : (states.get(c.bind)?.heads ?? c.from)] as const));
        for (const c of changes.filter((c) => !written.has(c.bind) && !unchanged(c))) {
          notify(options.onEvent, { type: 'bind-done', bind: c.bind, ok: false, heads: heads.get(c.bind)!, interrupted: 'stopped' });
        }
        throw new InterruptedError({ reason: options.signal.reason, heads });
      }
      const conn = conns.get(change.bind)!;
      const table = this.versionTable(change.bind);
      const exists = states.get(change.bind)?.exists;
      try {
        await this.#onBind(change.bind, conn, 'create-version-table', `create the version table ${table.qualifiedName} in`, () => table.ensure(conn, exists));
        await this.#onBind(change.bind, conn, 'write-version-table', `update the version table ${table.qualifiedName} of`, async () => {
          await conn.begin();
          try {
            if (options.purge) await table.purge(conn);
            await table.update(conn.plainDb, options.purge ? [] : change.from, change.to, change.bind);
            if (inFlight.has(change.bind)) await this.progressTable(change.bind).clear(conn.plainDb);
            await conn.commit();
          } catch (error) {
            await conn.rollback().catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        // Its write rolled back: the bind ends at the rows read under its lock, as a run's failed bind.
        notify(options.onEvent, { type: 'bind-done', bind: change.bind, ok: false, heads: states.get(change.bind)?.heads ?? change.from });
        throw error;
      }
      written.add(change.bind);
      notify(options.onEvent, { type: 'stamp', bind: change.bind, from: change.from, to: change.to });
      notify(options.onEvent, { type: 'bind-done', bind: change.bind, ok: true, heads: change.to });
    }
    // Asked to stop while the last table was written: nothing was left, yet the stamp was interrupted.
    if (options.signal) await eventLoopTurn();
    if (options.signal?.aborted) {
      throw new InterruptedError({ reason: options.signal.reason, heads: new Map(changes.map((c) => [c.bind, written.has(c.bind) ? c.to : (states.get(c.bind)?.heads ?? c.from)] as const)) });
    }
    return written;
  }

  /**
   * Cancels what the binds' open connections are running on their servers, for a run being
   * aborted at once (the CLI's second Ctrl-C, which then ends the process without waiting for the
   * revisions in progress): each connection that can (`DialectConnection.cancel`: PostgreSQL's
   * cancel request, MySQL/MariaDB's `KILL QUERY`) stops the statement it is running on the server,
   * instead of leaving it to run to its end with its locks held, and from then on sends nothing
   * more (every further statement of the run is refused, unsent, so the run in progress, if
   * awaited, rejects with that refusal or the interrupted statement's error). What a revision in
   * progress leaves is then what its database does with an uncommitted transaction (PostgreSQL
   * rolls it back when the connection closes; MySQL/MariaDB keep the DDL it completed,
   * recorded). Connections on worker threads (SQLite tenants) are not reached. Call
   * {@link close} (or end the process) afterwards. Waits at most `timeoutMs`.
   * @param options - `timeoutMs`: how long to wait for the statements to end (default 2000).
   * @returns each open connection's bind with what was done there ({@link CancelOutcome}), in the
   *   order the connections were opened.
   * @example
   * ```ts
   * const controller = new AbortController();
   * const run = env.upgrade([], { signal: controller.signal });
   * // … a second Ctrl-C:
   * const outcomes = await env.cancelInFlight({ timeoutMs: 2000 });
   * for (const [bind, outcome] of outcomes) console.error(`[${bind}] ${outcome}`); // [db2] cancelled
   * process.exit(130);
   * ```
   */
  async cancelInFlight(options: { readonly timeoutMs?: number } = {}): Promise<ReadonlyMap<string, CancelOutcome>> {
    const conns = [...this.#connections];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<CancelOutcome>((resolve) => (timer = setTimeout(() => resolve('unconfirmed'), options.timeoutMs ?? 2000)));
    try {
      const outcomes = await Promise.all(
        conns.map(async ([, pending]): Promise<CancelOutcome> => {
          const cancelled = pending.then(async (c): Promise<CancelOutcome> => {
            if (!c.cancel) return 'unsupported';
            return (await c.cancel()) ? 'cancelled' : 'idle';
          });
          return Promise.race([cancelled.catch((): CancelOutcome => 'unconfirmed'), late]);
        }),
      );
      return new Map(conns.map(([bind], i) => [bind, outcomes[i]!] as const));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closes every open connection, and waits for those a stopped run gave up with a read in
   * flight (see {@link RunOptions.signal}) to end. Safe to call twice. The binds of the last run, when it failed
   * (upgrade, downgrade: a revision failed, a bind could not be reached, the run stopped before a
   * bind's turn; a stamp that failed), are discarded instead: a database that connecting created
   * and that still holds nothing (a new SQLite file no revision was committed to) is removed
   * again, see `DialectConnection.discard`. After a run that succeeded, such a file stays (an upgrade with
   * nothing to run creates the database).
   *
   * Call it once the commands have settled: called while a run is in progress, it ends the
   * run's connections under it, and the revision in progress fails (a {@link MigrationError}:
   * rolled back where the dialect's DDL is transactional; on MySQL/MariaDB possibly partly
   * applied, resumed by the next run). To stop a run (a shutdown, a deploy cancelled), abort its
   * `signal` (see {@link RunOptions.signal}) and close after it rejects.
   */
  async close(): Promise<void> {
    const conns = [...this.#connections];
    const ahead = [...this.#ahead.values()];
    const stopped = new Set(this.#stopped);
    this.#connections.clear();
    this.#ahead.clear();
    this.#identities.clear();
    this.#stopped.clear();
    await Promise.allSettled([
      ...conns.map(async ([bind, c]) => (stopped.has(bind) ? endConnection(await c) : (await c).close())),
      ...ahead.map(async (c) => (await c).close()),
      ...this.#givenUp,
    ]);
  }
}

/** Whether two lists of version-table rows hold the same revisions. */
function sameRows(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

/** The error of a stamp (without `purge`) of a bind with a revision in flight: a stamp does not settle it. */
function stampInFlightError(change: StampChange, flight: InFlightRevision): PartlyAppliedError {
  return new PartlyAppliedError({
    bind: change.bind,
    revision: flight.revision,
    direction: flight.direction,
    completed: describeWrites(flight),
    asked: `stamp its version table (${formatRevisions(change.from)} -> ${formatRevisions(change.to)}): a stamp does not settle a revision in flight`,
  });
}

/**
 * Gives an event to a listener. An error the listener throws is ignored, as during a run: a
 * progress printer's bug must not stop a stamp half way (a bind's table written, the next not).
 */
function notify(listener: RunListener | undefined, event: RunEvent): void {
  try {
    listener?.(event);
  } catch {
    /* listeners must not break a command */
  }
}

/** The keys of {@link MigrationEnvironment.resolve}'s options. */
const RESOLVE_OPTIONS = keysOf<Parameters<MigrationEnvironment['resolve']>[1]>({ applied: true, lockTimeoutMs: true, onEvent: true });

/** How messages name a `configObject` (its {@link LoadedConfig.source}): it has no file. */
const CONFIG_OBJECT_SOURCE = 'the configObject given to loadEnvironment';

/**
 * Loads a project: finds and loads the config (or takes `configObject`). Opens no connection and
 * loads no driver; each bind's dialect is picked by URL scheme when the bind is first used, so a
 * URL no dialect takes fails the commands that touch that bind (with a {@link UrlError}), not the
 * ones that only read scripts.
 *
 * @throws {@link ConfigError} (missing or broken config; for a `configObject`, naming it);
 *   {@link MultidbError} `INVALID_OPTION` when `options` is not an object or `dialects` is not a
 *   registry (an array of dialect entries), e.g. the module `@multidb/dialect` itself given for its
 *   `dialects` export; {@link UnknownOptionError} when `options` holds a key
 *   {@link EnvironmentOptions} does not have (`configFile`, `dialect`).
 * @example
 * ```ts
 * import { loadEnvironment } from '@multidb/core';
 * import { dialects } from '@multidb/dialect';
 * const env = await loadEnvironment({ dialects });
 * try { await env.upgrade(); } finally { await env.close(); }
 * ```
 */
export async function loadEnvironment(options: EnvironmentOptions): Promise<MigrationEnvironment> {
  // A misspelled key first: `dialect: dialects` is then named as such, not as a missing registry.
  if (typeof options === 'object' && options !== null) checkOptions('loadEnvironment()', options, ENVIRONMENT_OPTIONS);
  checkRegistry(options);
  const cwd = options.cwd ?? process.cwd();
  // The config file is found before the loader is made: the dialects' module alias depends on the
  // project's folder (which kysely it has installed).
  const path = options.configObject
    ? undefined
    : findConfigFile(cwd, options.config, {
        hint: options.configHint ?? "give loadEnvironment a `config` (the config file's path), a `cwd` inside the project, or a `configObject`",
      });
  const baseDir = path === undefined ? resolve(options.baseDir ?? cwd) : dirname(path);
  const makeLoader = options.loader ?? ((alias: Readonly<Record<string, string>>) => createModuleLoader({ alias }));
  const moduleAlias = typeof makeLoader === 'function' ? dialectModuleAlias(options.dialects, baseDir) : undefined;
  const loader = typeof makeLoader === 'function' ? makeLoader({ ...moduleAlias, ...ownModuleAlias() }) : makeLoader;
  // No such file for a configObject: errors and loaded.source name the config object,
  // loaded.path is undefined, relative paths resolve against baseDir.
  const loaded: LoadedConfig =
    path === undefined ? validateConfig(options.configObject, `${options.baseDir ?? cwd}/migrate.config.ts`, { source: CONFIG_OBJECT_SOURCE }) : await importConfig(path, loader);
  return new MigrationEnvironment(loaded, options.dialects, loader, options.onWarning, loaded.path === undefined ? undefined : { cwd, config: loaded.path }, moduleAlias);
}

/** What one group of a run of independent groups shares with the run (see `MigrationEnvironment.upgrade`). */
export interface GroupPart {
  /** The run's fan-out, for the first group that plans (then `[]`). */
  readonly fanOut: () => readonly FanOut[] | Promise<readonly FanOut[]>;
  /** The run's hooks as the group sees them: `beforeRun` once for the whole run. */
  readonly hooks: MultidbConfig['hooks'];
  /** Claims a database (its identity) for a bind; throws `DuplicateDatabaseError` when another bind of the run has it. */
  readonly claim: (identity: string, bind: string) => void | Promise<void>;
  /** Imports each revision module once per run. */
  readonly loader: ModuleLoader;
  /**
   * Receives the closing of a group's server connections (locks released), which the run awaits
   * before it ends instead of each group (absent: each group awaits its own).
   */
  readonly closing?: Promise<void>[];
}

/** The run options a group gets on a worker thread (plain data). */
export interface GroupRunOptions {
  /** As {@link RunOptions.lockTimeoutMs}. */
  readonly lockTimeoutMs?: number;
  /** The run's concurrency (checked). */
  readonly concurrency: number;
  /** As {@link RunOptions.keepGoing}. */
  readonly keepGoing?: boolean;
  /** As {@link RunOptions.xArgs}. */
  readonly xArgs?: Readonly<Record<string, string>>;
  /** When the run started, as `performance.timeOrigin + performance.now()` of its thread. */
  readonly startedAt: number;
}

/** What a group of a run of independent groups ended with, unless it threw (see `MigrationEnvironment.upgrade`). */
export interface GroupOutcome {
  /** The steps the group ran. */
  readonly steps: readonly StepResult[];
  /** Each bind's heads after the group, as `[bind, heads]`. */
  readonly heads: readonly (readonly [string, readonly string[]])[];
  /** As the run's `RunError`: the group's failed revisions, */
  readonly failures: readonly MigrationError[];
  /** the steps not run because they waited on one, */
  readonly skipped: readonly SkippedStep[];
  /** the binds it could not connect, */
  readonly unreachable: readonly BindError[];
  /** and the group stopped before a step (at most one). */
  readonly stopped: readonly StoppedGroup[];
  /** Asked to stop (`RunOptions.signal`): the group's steps not started, */
  readonly pending?: readonly SkippedStep[];
  /** and its binds not locked yet (nothing read there). */
  readonly notStarted?: readonly string[];
  /**
   * When it left a bind short of its target (a failure, a step not run, stopped before a step, a
   * signal) and its plan was made: where the plan led each of its binds (see `planTargets`), for
   * the run's `RunError.retry`.
   */
  readonly targets?: readonly (readonly [string, PlannedRows])[];
}

/**
 * Refuses what only JavaScript without types can pass `loadEnvironment`: no options, or a
 * `dialects` that is not a registry (the module `@multidb/dialect` itself, `require('@multidb/dialect')`,
 * instead of its `dialects` export), which failed later with "dialects is not iterable".
 */
function checkRegistry(options: EnvironmentOptions | undefined): void {
  const hint = "give it { dialects } from '@multidb/dialect' (import { dialects } from '@multidb/dialect', or require('@multidb/dialect').dialects)";
  if (typeof options !== 'object' || options === null) throw new MultidbError(`loadEnvironment() takes an options object: ${hint}; got ${shape(options)}.`, 'INVALID_OPTION');
  const registry: unknown = options.dialects;
  const isEntry = (e: unknown) => typeof e === 'object' && e !== null && typeof (e as DialectEntry).name === 'string' && Array.isArray((e as DialectEntry).schemes) && typeof (e as DialectEntry).load === 'function';
  if (!Array.isArray(registry) || !registry.every(isEntry)) {
    throw new MultidbError(`loadEnvironment() options.dialects must be a registry of dialects (an array of entries): ${hint}; got ${shape(registry)}.`, 'INVALID_OPTION');
  }
}

/** A value as a message describes it: its type, an object's first keys. */
function shape(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const keys = Object.keys(value);
  return `an object with ${keys.length ? `keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'no keys'}`;
}

/**
 * The module aliases of the registry's dialects for the project in `projectDir`, merged (a later
 * entry's win). A function several entries share (`@multidb/dialect`'s three give
 * `kyselyModuleAlias`, which reads the project's `kysely/package.json`) is called once.
 */
function dialectModuleAlias(dialects: DialectRegistry, projectDir: string): Record<string, string> {
  const alias: Record<string, string> = {};
  const called = new Map<NonNullable<DialectEntry['moduleAlias']>, Readonly<Record<string, string>>>();
  for (const entry of dialects) {
    if (entry.moduleAlias === undefined) continue;
    let entryAlias = called.get(entry.moduleAlias);
    if (entryAlias === undefined) called.set(entry.moduleAlias, (entryAlias = entry.moduleAlias(projectDir)));
    Object.assign(alias, entryAlias);
  }
  return alias;
}

/**
 * `@multidb/core` to this very copy, the one running `loadEnvironment` (as the CLI maps it to its
 * own: DESIGN §4): a config's or revision's `import { defineConfig } from '@multidb/core'` is then
 * that module, imported natively, wherever the project is and whatever it has installed. Without
 * it such an import went to jiti, which loaded Babel and transformed the file (~260 ms of CPU per
 * `loadEnvironment` of a two-line config, against ~8 ms), and failed in a folder with no
 * `node_modules/@multidb/core`. Each subpath the package exports ({@link CORE_SUBPATHS}) is mapped
 * to its file too: an alias of the package to its entry file alone would take
 * `@multidb/core/module-format` for `<entry>/module-format` (ENOTDIR). `{}` where this module
 * cannot resolve its own package (it then goes to jiti as before).
 */
function ownModuleAlias(): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const specifier of ['@multidb/core', ...CORE_SUBPATHS.map((sub) => `@multidb/core/${sub}`)]) {
    try {
      alias[specifier] = fileURLToPath(import.meta.resolve(specifier));
    } catch {
      if (specifier === '@multidb/core') return {};
    }
  }
  return alias;
}

/**
 * The subpaths `@multidb/core`'s package.json exports besides its entry, which a module alias of
 * the package must map one by one (see `ownModuleAlias`; the CLI's `cliModuleAlias` does the same).
 */
const CORE_SUBPATHS: readonly string[] = Object.freeze(['cache-folder', 'module-format']);

/**
 * A run of independent groups with at most this many binds connects them all before the first
 * group runs (see `MigrationEnvironment.upgrade`).
 */
const CONNECT_FIRST_MAX = 16;

/**
 * The fewest binds read at once to check a target that counts revisions from where each bind
 * stands, whatever `concurrency` (see `#refuseUntakenSteps`: `min(CONNECT_FIRST_MAX,
 * max(concurrency, READ_FIRST_MIN))`).
 */
const READ_FIRST_MIN = 4;

/**
 * How many binds a read of more than `CONNECT_FIRST_MAX` binds (`readHeads`, `currentHeads`,
 * `lockHolders`, `inFlight`: `migrate current`, `history -i`) has connected at once, each closed
 * once read: as many as it would connect in all were they fewer.
 */
const READ_AT_ONCE = CONNECT_FIRST_MAX;

/**
 * How many binds a stamp of more than `CONNECT_FIRST_MAX` binds has connected at once, to check
 * them and then to write them (see `#stampBounded`): as many as a run without `concurrency` reads
 * at once to check a relative target, `min(CONNECT_FIRST_MAX, max(concurrency, READ_FIRST_MIN))`
 * for a stamp, which runs one bind after the other (concurrency 1).
 */
const STAMP_AT_ONCE = Math.min(CONNECT_FIRST_MAX, Math.max(1, READ_FIRST_MIN));

/** Whether a target concerns a bind: every bind without a scope, else the binds its scope selects. */
function concerns(target: RevisionTarget, bind: string): boolean {
  return target.scope === undefined || target.scope.binds.includes(bind);
}

/**
 * A loader that imports each file once through `loader`, keeping the promises in `imported`
 * (shared by every group of a run, or of a worker thread's runs).
 */
function importingOnce(loader: ModuleLoader, imported: Map<string, Promise<unknown>>): ModuleLoader {
  return {
    import: <T>(file: string, options?: ImportOptions) => {
      let mod = imported.get(file);
      if (!mod) imported.set(file, (mod = loader.import<T>(file, options)));
      return mod as Promise<T>;
    },
  };
}

/**
 * Binds of a locked command whose database did not exist and was not created (a SQLite file while
 * a bind was unreachable, see `#connectReachable`; any, for a command that creates none up front:
 * a downgrade, a stamp, a resolve), and how to open some of them once the command knows it writes
 * there (a step to run, a revision to stamp): created, checked for writes, locked and read; one
 * that cannot be opened is unreachable. The locks stay in sorted order: when an opened bind sorts
 * before a bind already locked, the locks held are released and taken again with the new ones, so
 * `states` then also holds the version tables of the binds locked before, read again (plan again
 * from them).
 */
interface LateBinds {
  readonly deferred: readonly string[];
  readonly open: (binds: readonly string[]) => Promise<{
    readonly conns: ReadonlyMap<string, DialectConnection>;
    readonly states: ReadonlyMap<string, VersionTableState>;
    readonly unreachable: readonly BindError[];
  }>;
}

/** What a run of independent groups does (see `#runGroups`): an upgrade or a downgrade. */
interface GroupedRun {
  /** The command, for the runner's messages and the hooks' context. */
  readonly command: 'upgrade' | 'downgrade';
  /** The targets as written that pick binds (for the fan-out and each group's own targets; `[]`: every bind). */
  readonly targets: readonly string[];
  /** Plans one group from where its binds stand (`wanted`: the targets that concern the group). */
  readonly plan: (map: RevisionMap, states: BindState[], wanted: readonly string[]) => Plan;
  /** Throws, before any group runs, what the planner refuses whatever the binds have applied. */
  readonly check: (map: RevisionMap, groups: readonly (readonly string[])[], wantedBy: (group: readonly string[]) => string[]) => void;
  /**
   * Plans one group from where its binds stand, without running it nor recording anything: for a
   * target that counts revisions, checked on every group before any runs (see `#refuseUntakenSteps`).
   * Throws what the planner refuses. Returns the plan, `undefined` when the group is left alone
   * (a downgrade target it has not applied).
   */
  readonly preplan: (map: RevisionMap, states: BindState[], wanted: readonly string[]) => Plan | undefined;
  /** Called when every group succeeded; may still refuse the run. */
  readonly done?: () => void;
}

/**
 * The independent groups of the binds of a run, in config order: binds whose branches are linked
 * through a cross-branch depends-on (in either direction, transitively) form one group, with every
 * other bind of those branches; a bind whose branch no depends-on links is a group of its own, even
 * when other binds share its branch (tenants).
 */
function independentGroups(map: RevisionMap, configured: readonly ResolvedBind[], binds: readonly string[]): string[][] {
  const parent = new Map<string, string>();
  const find = (branch: string): string => {
    let root = branch;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  for (const script of map.revisions) {
    for (const dep of map.dependencies(script.revision)) {
      const other = map.get(dep).branch;
      if (other === script.branch) continue;
      const [a, b] = [find(script.branch), find(other)];
      parent.set(a, a);
      parent.set(b, a);
    }
  }
  const groups = new Map<string, string[]>();
  const inRun = new Set(binds);
  for (const bind of configured) {
    if (!inRun.has(bind.name)) continue;
    const key = parent.has(bind.branch) ? `branch:${find(bind.branch)}` : `bind:${bind.name}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(bind.name);
  }
  return [...groups.values()];
}

/**
 * Whether a run connects a bind whose database does not exist by creating it (a SQLite file, a
 * PostgreSQL schema). An upgrade does, even when it has nothing to run there (the database then
 * exists, as after Alembic's `upgrade` on a new SQLite URL). A downgrade does not: such a bind is
 * at base, with nothing to undo, so it is left absent (opened only for a step, which it never has).
 */
function createsMissing(command: string): boolean {
  return command === 'upgrade';
}

/**
 * A planning error about a target counted from the branch (`head-5`, `base+9`), planned once at
 * base for every bind of the branch: the same error, naming the branch rather than the first
 * bind it was planned for (`'head-5' goes below the base of branch 'tenant' (every bind of it;
 * only 2 revision(s) to step back).`). Any other error is returned as it is.
 */
function branchWide(error: unknown, states: readonly { readonly bind: string; readonly branch: string }[]): unknown {
  if (!(error instanceof RevisionError) || error.constructor !== RevisionError) return error;
  const state = states.find((s) => error.message.startsWith(`Bind '${s.bind}': `));
  if (state === undefined) return error;
  const rest = error.message.slice(`Bind '${state.bind}': `.length);
  const below = /^('.*') goes below base \((.*)\)\.$/.exec(rest);
  const message = below ? `${below[1]} goes below the base of branch '${state.branch}' (every bind of it; ${below[2]}).` : `Branch '${state.branch}' (every bind of it): ${rest}`;
  return new RevisionError(message, error.code, { cause: error });
}

/**
 * Runs `each` on every bind, at most `limit` at once, each worker taking the next bind once its
 * last one settled; the first error stops the workers from taking more and is thrown once they
 * settle (an `InterruptedError`, or an abort seen before the next bind, through `interrupted`).
 */
async function eachBounded(binds: readonly string[], limit: number, each: (bind: string) => Promise<void>, signal: AbortSignal | undefined, interrupted: (reason: unknown) => Error): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < binds.length) {
      if (signal?.aborted) {
        failed ??= { error: interrupted(signal.reason) };
        return;
      }
      try {
        await each(binds[next++]!);
      } catch (error) {
        failed ??= { error: error instanceof InterruptedError ? interrupted(error.reason) : error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, binds.length) }, worker));
  if (failed !== undefined) throw failed.error;
}

/**
 * Throws the {@link BindError} of the one bind that cannot be reached, an {@link UnreachableBindsError}
 * for several; nothing for none. With `run` (the binds of a run that stops here, and what it is:
 * an upgrade's `'up'`, a downgrade's `'down'`, a stamp's `'stamp'`), an {@link UnreachableBindsError}
 * also for one, naming the run's other binds as not run (not stamped).
 */
function throwUnreachable(unreachable: readonly BindError[], run?: { readonly binds: readonly string[]; readonly run: 'up' | 'down' | 'stamp' }): void {
  if (!unreachable.length) return;
  const down = new Set(unreachable.map((e) => e.bind));
  const notRun = run?.binds.filter((b) => !down.has(b)) ?? [];
  if (notRun.length) throw new UnreachableBindsError([...unreachable], run!.run === 'stamp' ? { notRun, stamp: true } : { notRun, direction: run!.run });
  if (unreachable.length === 1) throw unreachable[0];
  throw new UnreachableBindsError([...unreachable]);
}

/**
 * The errors about one bind, met before any step of its group ran, that stop only that group of a
 * run of independent groups with `concurrency` > 1: a lock timeout, a database that takes no
 * writes, a revision partly applied, a plan that cannot be made from where the bind stands. A
 * broken revision module, two binds on one database or a config error still stop the run.
 */
function stopsOnlyItsGroup(error: unknown): error is LockTimeoutError | ReadOnlyBindError | PartlyAppliedError | RevisionError {
  return error instanceof LockTimeoutError || error instanceof ReadOnlyBindError || error instanceof PartlyAppliedError || error instanceof RevisionError;
}

/**
 * The targets a method of {@link MigrationEnvironment} was given, as a list: one target as a
 * string (`'db2@head'`), or several as an array.
 * @throws {@link MultidbError} `INVALID_OPTION` for anything else (a target that is not a string).
 */
function targetList(targets: string | readonly string[], method: string): readonly string[] {
  const list = typeof targets === 'string' ? [targets] : targets;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) {
    throw new MultidbError(`${method}() takes its targets as a string ('db2@head') or an array of strings (['db2@head', 'analytics@+1']); got ${describeValue(targets)}.${optionsInPlaceOfTargets(targets, method)}`, 'INVALID_OPTION');
  }
  return list;
}

/**
 * What to say when an options object was given where the targets go (`upgrade(env, { bind:
 * 'db2' })` from JavaScript): that the options come after the targets, and how to name one bind.
 * `''` for any other value.
 */
function optionsInPlaceOfTargets(targets: unknown, method: string): string {
  if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) return '';
  const oneBind = method === 'upgrade' ? "'db2' (its head)" : method === 'downgrade' ? "'db2' (one revision back)" : "'db2@head'";
  return ` The options object goes after the targets: commands.${method}(env, targets, options), env.${method}(targets, options); to ${method} one bind, give a target naming it, e.g. ${oneBind}. Nothing was done.`;
}

/**
 * A downgrade's one target: a string, or an array holding one string.
 * @throws {@link MultidbError} `INVALID_OPTION` for several targets or a target that is not a string.
 */
function oneTarget(target: string | readonly [string] | undefined, method: string): string | undefined {
  if (target === undefined || typeof target === 'string') return target;
  if (Array.isArray(target) && target.length === 1 && typeof target[0] === 'string') return target[0];
  if (!Array.isArray(target)) {
    throw new MultidbError(`${method}() takes one target, as a string ('db2@-1', 'base'; undefined: one revision back on the only bind); got ${describeValue(target)}.${optionsInPlaceOfTargets(target, method)}`, 'INVALID_OPTION');
  }
  throw new MultidbError(`${method}() takes one target, as a string ('db2@-1', 'base'; undefined: one revision back on the only bind); got ${describeValue(target)}. A downgrade moves to one target: call it once per target.`, 'INVALID_OPTION');
}

/** A value as an error message shows it: JSON when it has one, else its type. */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** The targets that pick a downgrade's binds: a bare `downgrade` or `-N` concerns every bind (the planner then asks for one). */
function downgradeTargets(target: string | undefined): string[] {
  return target === undefined || /^-\d+$/.test(target.trim()) ? [] : [target];
}

/**
 * Closes a connection the environment opened: its `discard` where the dialect has one (it
 * removes a database connecting created only while that holds nothing, else it closes), else
 * its `close`.
 */
function endConnection(conn: DialectConnection): Promise<void> {
  return conn.discard ? conn.discard() : conn.close();
}
