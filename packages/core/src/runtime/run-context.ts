import type { DialectConnection } from '../dialect/dialect.js';
import type { MultidbConfig } from '../config/multidb-config.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { ModuleLoader } from '../script/module-loader.js';
import type { RevisionMap } from '../script/revision-map.js';
import type { ProgressTable } from './progress-table.js';
import type { VersionTable } from './version-table.js';

/** A bind as a run sees it: its open, locked connection and its version table. */
export interface RunBind {
  /** The bind's pinned connection, its migration lock held. */
  readonly connection: DialectConnection;
  /** The bind's version table. */
  readonly versionTable: VersionTable;
  /** Whether the version table existed when it was read under the lock (so `ensure` need not look again). */
  readonly versionTableExists: boolean;
  /**
   * The bookkeeping table beside the version table where a bind whose DDL is not transactional
   * (MySQL, MariaDB) records the progress of the revision in flight. Omitted: progress is not
   * recorded (a failed revision there stays as it stopped, as before).
   */
  readonly progressTable?: ProgressTable;
  /** The bind's default schema (PostgreSQL `binds.<name>.schema`), if any. */
  readonly schema?: string;
  /** Where the bind points, for messages: a SQLite file's path, a server's masked URL. */
  readonly location?: string;
}

/**
 * What the runner needs, and no more (DESIGN §3): the binds of the plan with their locked
 * connections, how to import revision modules, the naming convention, the transaction mode and the
 * config's hooks. `MigrationEnvironment` builds one per run after taking the locks, so the runner
 * never sees the environment.
 */
export interface RunContext {
  /** The project's naming convention, handed to each revision's `op`. */
  readonly namingConvention: NamingConvention;
  /** Imports the plan's revision modules. */
  readonly loader: ModuleLoader;
  /**
   * `'per-revision'`: each revision with its version-table update in one transaction; `'per-run'`:
   * one transaction per bind.
   */
  readonly transactionMode: 'per-revision' | 'per-run';
  /** The config's `beforeRun` and `afterRun`, if any. */
  readonly hooks: MultidbConfig['hooks'];
  /** The revision map the plan was made from (cross-bind waits for concurrent runs). */
  readonly map: RevisionMap;
  /**
   * A bind of the plan.
   * @throws when the bind is not part of the run (a bug: plans only name locked binds).
   */
  bind(name: string): RunBind;
}
