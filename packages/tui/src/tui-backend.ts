import type { RunMessage } from './run-message.js';

/**
 * Where a bind stands, as the binds screen shows it.
 * - `loading`: its version table is being read;
 * - `up-to-date`: at the head of its branch;
 * - `pending`: revisions to run (`BindRow.pending`);
 * - `ahead`: its version table names revisions no script declares (newer scripts elsewhere);
 * - `multiple-heads`: its branch has several heads (`migrate merge` joins them);
 * - `unreachable`: cannot connect, or no dialect takes its URL (`reason` says why);
 * - `error`: connected, but its state cannot be planned (`reason` says why).
 */
export type BindStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'up-to-date' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'ahead'; readonly unknown: readonly string[] }
  | { readonly kind: 'multiple-heads'; readonly heads: readonly string[] }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

/** One row of the binds screen. */
export interface BindRow {
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
  readonly status: BindStatus;
}

/** A revision of another bind's branch that a pending revision depends on. */
export interface CrossBindDependency {
  readonly revision: string;
  readonly branch: string;
  /** Binds on that branch (where the revision runs or has run). */
  readonly binds: readonly string[];
  /** Whether the upgrade runs it too (false: already applied). */
  readonly inPlan: boolean;
}

/** One pending revision of one bind, in run order. */
export interface ReviewStep {
  readonly bind: string;
  readonly revision: string;
  readonly message: string;
  /** Absolute path of the revision file. */
  readonly file: string;
  readonly downRevisions: readonly string[];
  /** 1-based position among the bind's steps. */
  readonly index: number;
  /** Number of steps of the bind. */
  readonly total: number;
  readonly dependsOn: readonly CrossBindDependency[];
}

/** A revision of a bind's branch in its history (newest first). */
export interface HistoryEntry {
  readonly revision: string;
  readonly message: string;
  /** `current`: a version-table row; `applied`: below it; `pending`: the upgrade runs it; `other`: neither. */
  readonly state: 'current' | 'applied' | 'pending' | 'other';
  readonly isHead: boolean;
}

/** The review of one bind. */
export interface ReviewBind {
  readonly bind: string;
  /** False when the bind is in the plan only because a selected bind depends on it. */
  readonly selected: boolean;
  readonly current: readonly string[];
  readonly steps: readonly ReviewStep[];
  readonly history: readonly HistoryEntry[];
}

/** What the review screen shows: the upgrade of the selected binds, planned but not run. */
export interface ReviewModel {
  /** The targets the run will be given (`db2@head`, or `db2@heads` for a branch with several heads). */
  readonly targets: readonly string[];
  /** Selected binds first (in config order), then binds pulled in through depends-on. */
  readonly binds: readonly ReviewBind[];
  readonly totalSteps: number;
}

/** A statement of a revision's SQL preview. */
export interface PreviewStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  /** `op`: compiled from an op object; `query-builder`: an `op.db` (Kysely) query, compiled, not run. */
  readonly source: 'op' | 'query-builder';
}

/** A revision's message, file, source and the SQL it will run. */
export interface RevisionPreview {
  readonly bind: string;
  readonly revision: string;
  readonly direction: 'up' | 'down';
  readonly message: string;
  readonly file: string;
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  readonly source: string;
  readonly dialect: string;
  readonly statements: readonly PreviewStatement[];
  /** Why the preview is incomplete (an op that does not compile yet, an error thrown by the revision). */
  readonly notes: readonly string[];
}

/** A revision a bind can be downgraded to. */
export interface DowngradeChoice {
  /** What the run is given: `db2@-1`, `db2@-3`, `db2@base`. */
  readonly target: string;
  /** What the choice reads as (`one step back`, `6cd0a1d092b6 load sales data`, `base`). */
  readonly label: string;
  /** The revision the bind ends at (`undefined` for base). */
  readonly revision: string | undefined;
}

/** A step a downgrade will run. */
export interface DowngradeStep {
  readonly bind: string;
  readonly revision: string;
  readonly message: string;
}

/** A downgrade planned for confirmation. */
export interface DowngradePlan {
  readonly bind: string;
  readonly target: string;
  readonly steps: readonly DowngradeStep[];
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
  readonly direction: 'up' | 'down';
  readonly groups: readonly RunGroup[];
  /**
   * Receives every message of every group, including those sent before subscribing (replayed).
   * @returns a function that unsubscribes.
   */
  subscribe(listener: (group: number, message: RunMessage) => void): () => void;
  /** Stops the run's workers (a bind in the middle of a revision is rolled back by its database). */
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
  /** Closes connections. */
  close(): Promise<void>;
}
