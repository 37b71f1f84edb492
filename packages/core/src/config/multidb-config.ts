import type { Kysely } from 'kysely';
import type { Models } from '../schema/models.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { AutogenerateOptions } from './autogenerate-options.js';

/** One named database. Give `url`, or `kysely` (an existing instance, for custom tooling). */
export interface BindConfig {
  /**
   * Database URL: `sqlite:relative/path.db` (relative to the config file's folder),
   * `sqlite:~/path.db` (in the home folder, `$HOME`, as a shell expands a leading `~/`; `~name/`
   * is refused), `sqlite:///absolute/path.db`, `sqlite::memory:`, `postgres://…`, `mysql://…`, `mariadb://…`.
   * `undefined` (`url: process.env.DB2_URL`, unset) is a bind without a URL: the commands that need
   * the bind refuse it (`Bind 'db2' has no url`), the others work.
   */
  readonly url?: string | undefined;
  /**
   * An existing Kysely instance; `dialect` must then name its dialect. Its plugins (an
   * application's `CamelCasePlugin`) apply to revisions' `op.db` and to `onConnect`; multidb's
   * own queries (the version table, introspection) run without them, on the same connection.
   * The environment borrows one connection of its pool while a command needs it and hands it back
   * at `env.close()`; it never destroys the instance, which the application goes on using (and
   * destroys itself, after `env.close()`).
   */
  readonly kysely?: Kysely<any>;
  /** Dialect name when `kysely` is given (`'sqlite' | 'postgres' | 'mysql'`). */
  readonly dialect?: string;
  /** Version branch of this bind (default: the bind's name). Several binds may share one. */
  readonly branch?: string;
  /**
   * Called once after connecting, before the lock is taken. An error it throws becomes a
   * `BindError` naming the bind and where it points (its message masked); the connection is closed.
   */
  readonly onConnect?: (db: Kysely<any>) => Promise<void> | void;
  /**
   * PostgreSQL schema for tables and the version table (created when missing). Refused with an
   * `UnsupportedBindOptionError` before connecting on a dialect without schemas inside a database
   * (MySQL/MariaDB, where a schema is a database: name it in the URL; SQLite). `undefined` is the
   * same as leaving it out.
   */
  readonly schema?: string | undefined;
  /** PostgreSQL schema for the version table only; refused where {@link schema} is. `undefined`: left out. */
  readonly versionTableSchema?: string | undefined;
  /** Seconds to wait for a connection before failing (default 10). */
  readonly connectTimeout?: number;
  /**
   * The bind's models for autogenerate and `check`: a module, relative to the config file, whose
   * default export is `defineModels(…)` (`'./src/models/db2.ts'`); `{ drizzle: './src/db/schema.ts' }`
   * for Drizzle ORM table definitions; or the models themselves, `defineModels({ tables: […] })`
   * (from your own code, a `configObject` built with models you hold in memory: used as they are,
   * as a module's default export would be). Binds without models are skipped by autogenerate.
   * `migrate models` writes its module to a path only (with models given as an object, pass it
   * `--output FILE`).
   */
  readonly models?: string | { readonly drizzle: string } | Models;
  /** Autogenerate settings of this bind (default: the config's top-level `autogenerate`). */
  readonly autogenerate?: AutogenerateOptions;
  /**
   * Where `migrate codegen` writes this bind's Kysely `DB` interface (kysely-codegen), relative to
   * the config file: `'./src/db/db2-types.ts'`. When set, a new revision of the bind's branch
   * imports it and takes `op: Operations<Db2>`, so its `op.db` queries are type-checked. Binds
   * without it are skipped by `codegen`.
   */
  readonly types?: string;
  /** When to regenerate {@link types} (default: the config's top-level `codegen`, else `'manual'`). */
  readonly codegen?: CodegenMode;
}

/**
 * When a bind's `types` file is regenerated (kysely-codegen):
 * - `'manual'` (default): only when asked (`migrate codegen`, autogenerate's `codegen`).
 * - `'after-run'`: also after every upgrade or downgrade that changed the bind (`migrate upgrade`,
 *   `migrate downgrade`, the TUI's runs; custom tooling calls autogenerate's `codegenAfterRun`),
 *   so the file describes the schema the bind is at. Offline (`--sql`) runs and `stamp` change no
 *   schema and regenerate nothing.
 * - `'after-upgrade'`: the earlier name of `'after-run'`, still accepted and the same in every
 *   respect (it too regenerates after a downgrade: types describing dropped tables are wrong).
 * @example
 * ```ts
 * const mode: CodegenMode = 'after-run';
 * ```
 */
export type CodegenMode = 'manual' | 'after-run' | 'after-upgrade';

/** What hooks receive. */
export interface HookContext {
  /** The binds the run touches. */
  readonly binds: readonly string[];
  /** `'upgrade' | 'downgrade'`. */
  readonly command: string;
  /** The run's extra arguments (`migrate -x key=value`, the `xArgs` run option); frozen, `{}` when none. */
  readonly xArgs: Readonly<Record<string, string>>;
}

/** The project's configuration (`migrate.config.ts`), the equivalent of Alembic's env.py. */
export interface MultidbConfig {
  /** Migration repository folder, relative to the config file (default `'migrations'`). */
  readonly directory?: string;
  /** Version table name (default `'multidb_version'`). */
  readonly versionTable?: string;
  /**
   * Templates that name constraints and indexes (merged over {@link DEFAULT_NAMING_CONVENTION});
   * `op.createTable`, batch mode and autogenerate all use them.
   */
  readonly namingConvention?: NamingConvention;
  /** The binds, by name (`[A-Za-z_][A-Za-z0-9_-]*`, at most 63 characters); at least one. */
  readonly binds: Readonly<Record<string, BindConfig>>;
  /**
   * `'per-revision'` (default): each revision and its version-table update in one transaction.
   * `'per-run'`: one transaction per bind for the whole run.
   */
  readonly transactionMode?: 'per-revision' | 'per-run';
  /** Autogenerate settings of every bind that sets none itself. */
  readonly autogenerate?: AutogenerateOptions;
  /**
   * When the `types` file of every bind that sets no `codegen` itself is regenerated (default
   * `'manual'`: only by `migrate codegen`; `'after-run'`, or its earlier name `'after-upgrade'`:
   * also after every upgrade or downgrade that changed the bind). See {@link CodegenMode}.
   */
  readonly codegen?: CodegenMode;
  /**
   * Functions run around an upgrade or downgrade that has steps to run: `beforeRun` after every
   * revision module is imported and before the first BEGIN, `afterRun` after the last step
   * committed. What they throw fails the run. `stamp` runs no hooks.
   */
  readonly hooks?: {
    readonly beforeRun?: (ctx: HookContext) => Promise<void> | void;
    readonly afterRun?: (ctx: HookContext) => Promise<void> | void;
  };
}

/**
 * Declares a configuration with type checking; returns it unchanged.
 *
 * @example
 * ```ts
 * import { defineConfig } from '@multidb/core';
 * export default defineConfig({
 *   binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db' } },
 * });
 * ```
 */
export function defineConfig(config: MultidbConfig): MultidbConfig {
  return config;
}
