import type { RunMessage } from '../run/run-message.js';
import type {
  BindCondition,
  CrossBindDependency as CoreCrossBindDependency,
  RevisionInFlight,
  DowngradeChoice as CoreDowngradeChoice,
  DowngradeReview,
  DowngradeStep as CoreDowngradeStep,
  ReviewBind as CoreReviewBind,
  ReviewHistoryEntry,
  PreviewStatement as CorePreviewStatement,
  ReviewStep as CoreReviewStep,
  RevisionPreview as CoreRevisionPreview,
  UpgradeReview,
} from '@multidb/core';

/**
 * Where a bind stands, as the binds screen shows it: `loading` while its version table is read,
 * then core's {@link BindCondition} (`up-to-date`, `pending`, `ahead`, `multiple-heads`,
 * `in-flight`, `misconfigured`, `unreachable`, `error`).
 */
export type BindStatus = { readonly kind: 'loading' } | BindCondition;

/**
 * Whether a bind's database matches its models (autogenerate's `check`), shown as drift on the
 * binds screen. Checked only for a bind at head: `none` (they match), `differs` (with the lines
 * `check` prints), `no-models` (the bind declares none), `unknown` (the check failed: `reason`).
 */
export type Drift =
  | { readonly kind: 'none' }
  | { readonly kind: 'differs'; readonly changes: readonly string[] }
  | { readonly kind: 'no-models' }
  | { readonly kind: 'unknown'; readonly reason: string };

/** One row of the binds screen. */
export interface BindRow {
  /** The bind's name. */
  readonly name: string;
  /** The bind's version branch (default: its name). */
  readonly branch: string;
  /** Dialect name (`'sqlite'`, `'postgres'`, `'mysql'`), or `'?'` when no dialect takes the URL. */
  readonly dialect: string;
  /** The URL with its password masked (`ResolvedBind.displayUrl`). */
  readonly displayUrl: string;
  /** Version-table rows (current revisions); `[]` at base or while loading. */
  readonly current: readonly string[];
  /** Heads of the bind's branch in the scripts. */
  readonly heads: readonly string[];
  /** Number of revisions an upgrade to head would run on this bind. */
  readonly pending: number;
  /** Where the bind stands (`loading` until {@link TuiBackend.loadBind} returns). */
  readonly status: BindStatus;
  /** Models vs database, for a bind at head; omitted otherwise (or while loading). */
  readonly drift?: Drift;
  /** The revision stopped part way on MySQL/MariaDB (core's `BindStatus.inFlight`); omitted: none. */
  readonly inFlight?: RevisionInFlight;
}

/** A revision of another bind's branch that a pending revision depends on (core's type). */
export type CrossBindDependency = CoreCrossBindDependency;
/** One pending revision of one bind, in run order (core's type). */
export type ReviewStep = CoreReviewStep;
/** A revision of a bind's branch in its history, newest first (core's `ReviewHistoryEntry`). */
export type HistoryEntry = ReviewHistoryEntry;
/** The review of one bind (core's type). */
export type ReviewBind = CoreReviewBind;
/** What the review screen shows: the upgrade of the selected binds, planned but not run (core's `UpgradeReview`). */
export type ReviewModel = UpgradeReview;
/**
 * A statement of a revision's SQL preview (core's `PreviewStatement`: compiled, and its `progress`
 * when the revision stopped part way).
 */
export type PreviewStatement = CorePreviewStatement;
/** A revision's message, file, source and the SQL it will run (core's type). */
export type RevisionPreview = CoreRevisionPreview;
/** A revision a bind can be downgraded to (core's type). */
export type DowngradeChoice = CoreDowngradeChoice;
/** A step a downgrade will run (core's type). */
export type DowngradeStep = CoreDowngradeStep;
/** A downgrade planned for confirmation: core's `DowngradeReview` and the bind it was asked for. */
export interface DowngradePlan extends DowngradeReview {
  /** The bind the downgrade was asked for (its steps may include other binds). */
  readonly bind: string;
}

/** What to run. */
export type RunRequest =
  | { readonly direction: 'up'; readonly targets: readonly string[] }
  | { readonly direction: 'down'; readonly target: string };

/** One independent part of a run: binds no dependency links to the other parts. */
export interface RunGroup {
  /** Binds the part may touch (selected ones plus those linked through depends-on). */
  readonly binds: readonly string[];
  /** Targets given to core for this part. */
  readonly targets: readonly string[];
}

/** A run in progress: messages arrive per group, in order. */
export interface RunSession {
  /** `'up'` (an upgrade) or `'down'` (a downgrade). */
  readonly direction: 'up' | 'down';
  /**
   * The independent parts of the run, each running on its own (messages name their part by index).
   */
  readonly groups: readonly RunGroup[];
  /**
   * Each bind's version branch, for a run screen that groups binds by branch (tenants sharing one
   * history). A bind not named is its own branch.
   */
  readonly branches?: Readonly<Record<string, string>>;
  /**
   * Receives every message of every group, including those sent before subscribing (replayed).
   * @returns a function that unsubscribes.
   */
  subscribe(listener: (group: number, message: RunMessage) => void): () => void;
  /**
   * Asks every part to stop after the revisions in progress (the first ctrl+c): no revision
   * starts after it, and each part ends with `failed` and core's `InterruptedError` (code
   * `INTERRUPTED`); its binds' `bind-done` events say how the stop left them (`interrupted`).
   */
  interrupt(): void;
  /**
   * Abandons the run (the second ctrl+c): what its connections run is cancelled on the servers,
   * then its workers stop (a bind in the middle of a revision is rolled back by its database;
   * MySQL/MariaDB keep the statements it completed, recorded).
   */
  cancel(): Promise<void>;
}

/**
 * Everything the screens need from a project: core's environment behind a small interface, so
 * the screens can be driven by a real project (see {@link EnvironmentBackend}) or by plain data.
 */
export interface TuiBackend {
  /** The path of the config file, for the title. */
  readonly configPath: string;
  /** The binds in config order, with what is known without connecting (status `loading`). */
  listBinds(): BindRow[];
  /** Reads a bind's version table and plans its upgrade to head. Never rejects: problems are a status. */
  loadBind(bind: string): Promise<BindRow>;
  /** Plans the upgrade of the selected binds to their heads (nothing runs). */
  review(binds: readonly string[]): Promise<ReviewModel>;
  /** Imports a revision and compiles what it will run, without changing the database. */
  preview(bind: string, revision: string, direction: 'up' | 'down'): Promise<RevisionPreview>;
  /** Where a bind can be downgraded to (one step back, each applied revision, base). */
  downgradeChoices(bind: string): Promise<DowngradeChoice[]>;
  /** Plans a downgrade for the confirmation. */
  planDowngrade(bind: string, target: string): Promise<DowngradePlan>;
  /** Starts a run: independent binds in parallel, each part off the UI thread where it can. */
  startRun(request: RunRequest): Promise<RunSession>;
  /** Forgets cached scripts, so the next reads see revisions added or edited since. */
  refresh(): void;
  /**
   * Reads the project's config again (the binds screen's `r`, and going back to it after a run),
   * so the next {@link listBinds} shows binds added, removed or changed since; forgets cached
   * scripts as {@link refresh} does.
   * Optional: a backend without it has {@link refresh} called instead (its binds as they were).
   * @throws an error naming the config file when it no longer loads; the backend then keeps the
   *   project as it was loaded before (its scripts read again), and stays usable.
   */
  reload?(): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
}
