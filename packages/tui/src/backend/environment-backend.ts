import { fileURLToPath } from 'node:url';
import { commands, ConfigError, createModuleLoader, loadEnvironment, parseTarget, type DialectRegistry, type MigrationEnvironment } from '@multidb/core';
import { dialects as builtInDialects } from '@multidb/dialect/registry';
import type { RunJob } from '../run/execute-run.js';
import { defaultRunDriver, type RunDriver } from '../run/run-driver.js';
import { independentGroups, packGroups, type LinkedTarget } from '../run/run-groups.js';
import { startRunSession } from '../run/run-session.js';
import type { BindRow, Drift, DowngradeChoice, DowngradePlan, ReviewModel, RevisionPreview, RunRequest, RunSession, TuiBackend } from './tui-backend.js';

/** Parts a run is split into at most, unless {@link EnvironmentBackendOptions.maxParts} says otherwise. */
const DEFAULT_MAX_PARTS = 4;

/**
 * Binds {@link EnvironmentBackend.loadBind} reads at once; the others wait their turn, in the order
 * asked. As many as core reads at once (its `CONNECT_FIRST_MAX`): the binds screen asks for every
 * bind at once, and 2,000 tenants read together would each hold a connection (a file, a server's
 * connection slot) until read. Core closes a read's connections once it ends in an environment of
 * more binds than that, so at most this many are open.
 */
const LOADS_AT_ONCE = 16;

/** Options of {@link EnvironmentBackend.open}. */
export interface EnvironmentBackendOptions {
  /** Where the config search starts (default `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /** How the user can name a config, ending the error when none is found (core's `EnvironmentOptions.configHint`). */
  readonly configHint?: string;
  /**
   * Specifiers the config and revisions resolve to the caller's copies (DESIGN §4), as the CLI's
   * module loader does, over the dialects' alias for the project (`kysely`: the copy the dialects
   * bundle, or the project's own when it has another version installed; see core's
   * `EnvironmentOptions.loader`). Default: {@link defaultModuleAlias}.
   */
  readonly moduleAlias?: Readonly<Record<string, string>>;
  /** Where runs execute (default {@link defaultRunDriver}: worker threads). */
  readonly driver?: RunDriver;
  /** The dialect registry (default `@multidb/dialect/registry`). */
  readonly dialects?: DialectRegistry;
  /** Give up waiting for a migration lock after this many milliseconds (default: wait, showing it). */
  readonly lockTimeoutMs?: number;
  /**
   * The most parts a run is split into, each in its own worker (default 4): independent binds
   * beyond that share a part (see {@link packGroups}), so 2,000 tenants start 4 workers, not 2,000.
   */
  readonly maxParts?: number;
  /**
   * Extra arguments for the revisions, read as `op.xArgs` (and by the config's hooks as
   * `ctx.xArgs`): Alembic's `-x`, `migrate tui -x tenant=acme`. Runs and SQL previews both see them.
   * Default `{}`.
   */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/**
 * `@multidb/core` as this package resolves it, for a config or revision that imports it from a
 * folder where it is not installed; left out when it does not resolve. `kysely` (also
 * `kysely/helpers/*`) is not in it: the dialects' alias for the project gives it (see
 * {@link EnvironmentBackendOptions.moduleAlias}).
 * @example
 * ```ts
 * defaultModuleAlias(); // { '@multidb/core': '/…/packages/core/dist/bundle/index.js' }
 * ```
 */
export function defaultModuleAlias(): Record<string, string> {
  try {
    return { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) };
  } catch {
    return {}; // not resolvable from here: the project must provide it
  }
}

/**
 * Loads the project's environment as the TUI reads it: modules not cached, so a revision (or, on
 * a reload, the config) edited while the TUI is open is read as edited.
 */
function loadProject(options: EnvironmentBackendOptions, alias: Readonly<Record<string, string>>, config: string | undefined): Promise<MigrationEnvironment> {
  return loadEnvironment({
    dialects: options.dialects ?? builtInDialects,
    cwd: options.cwd ?? process.cwd(),
    loader: (dialectAlias) => createModuleLoader({ alias: { ...dialectAlias, ...alias }, moduleCache: false }),
    ...(config !== undefined ? { config } : {}),
    ...(options.configHint !== undefined ? { configHint: options.configHint } : {}),
  });
}

/** A bind's row with what is known without reading it (branch, dialect, masked URL) and `status`. @throws `UnknownBindError` */
function unreadRow(env: MigrationEnvironment, bind: string, status: BindRow['status']): BindRow {
  const b = env.bind(bind);
  return { name: b.name, branch: b.branch, dialect: env.dialectName(b.name), displayUrl: b.displayUrl, current: [], heads: [], pending: 0, status };
}

/**
 * The {@link TuiBackend} of a real project: core's command layer (`commands.bindStatus`,
 * `reviewUpgrade`, `previewRevision`, `downgradeChoices`, `reviewDowngrade`) on this thread for
 * reading, and a {@link RunDriver} (worker threads by default) for runs, each run part loading its
 * own environment and calling core's `upgrade`/`downgrade`. {@link reload} reads the config file
 * again (the binds screen's `r`).
 *
 * @example
 * ```ts
 * const backend = await EnvironmentBackend.open({ cwd: process.cwd() });
 * const rows = await Promise.all(backend.listBinds().map((b) => backend.loadBind(b.name)));
 * await backend.close();
 * ```
 */
export class EnvironmentBackend implements TuiBackend {
  #env: MigrationEnvironment;
  /** What the screens are reading from `#env` now: a reload closes the environment it replaces once they have settled. */
  #reads = new Set<Promise<unknown>>();
  /** Environments replaced by a reload, closing once their reads have settled. */
  readonly #retiring = new Set<Promise<void>>();
  /** The last reload (settled; never rejects): reloads run one after the other. */
  #reloading: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #options: EnvironmentBackendOptions;
  readonly #alias: Readonly<Record<string, string>>;
  readonly #driver: RunDriver;
  readonly #configPath: string;
  /** Calls of {@link loadBind} reading now (at most {@link LOADS_AT_ONCE}). */
  #loading = 0;
  /** Calls of {@link loadBind} waiting for their turn, first asked first. */
  readonly #waiting: (() => void)[] = [];

  /**
   * @param env - a project loaded from a config file: each run loads it again from that file.
   * @param options - see {@link EnvironmentBackendOptions}.
   * @throws `ConfigError` for an environment loaded from a `configObject` (no file for runs to load).
   */
  constructor(env: MigrationEnvironment, options: EnvironmentBackendOptions = {}) {
    if (env.loaded.path === undefined) {
      throw new ConfigError(
        `The TUI needs a config file: each run loads the project again from it, and ${env.loaded.source} has none. Load the environment with loadEnvironment's \`config\` or \`cwd\`, or use EnvironmentBackend.open.`,
      );
    }
    this.#configPath = env.loaded.path;
    this.#env = env;
    this.#options = options;
    this.#alias = options.moduleAlias ?? defaultModuleAlias();
    this.#driver = options.driver ?? defaultRunDriver();
  }

  /**
   * Loads the project's config (no connection is opened yet).
   * @throws `ConfigError` when the config is missing or does not load.
   */
  static async open(options: EnvironmentBackendOptions = {}): Promise<EnvironmentBackend> {
    const alias = options.moduleAlias ?? defaultModuleAlias();
    const env = await loadProject(options, alias, options.config);
    return new EnvironmentBackend(env, { ...options, moduleAlias: alias });
  }

  /**
   * The loaded project the backend reads (runs load their own, in their worker). A
   * {@link reload} that succeeds replaces it.
   */
  get env(): MigrationEnvironment {
    return this.#env;
  }

  /** Runs a read on the current environment, which a reload then closes only once the read has settled. */
  #read<T>(read: (env: MigrationEnvironment) => Promise<T>): Promise<T> {
    const reads = this.#reads;
    const promise = read(this.#env);
    reads.add(promise);
    const settled = () => void reads.delete(promise);
    promise.then(settled, settled);
    return promise;
  }

  /** The absolute path of the config file, for the title. */
  get configPath(): string {
    return this.#configPath;
  }

  /** The kind of driver runs use (`'worker'` or `'in-process'`). */
  get driverKind(): RunDriver['kind'] {
    return this.#driver.kind;
  }

  /**
   * The binds in config order, with what is known without connecting: branch, dialect, masked URL,
   * status `loading`.
   * @returns one row per bind.
   */
  listBinds(): BindRow[] {
    const env = this.#env;
    return env.binds.map((b) => unreadRow(env, b.name, { kind: 'loading' }));
  }

  /**
   * Reads a bind's version table and plans its upgrade to head (core's `commands.bindStatus`).
   * Never rejects: an unreachable bind or a plan that fails is its `status`. At most 16 binds are
   * read at once; the calls beyond wait their turn, in the order they were made. A call still
   * waiting when a {@link reload} replaces the environment, or when the backend closes, reads
   * nothing (the binds screen asks again after a reload; 2,000 tenants are not read for a screen
   * gone): its row has status `error`, saying so.
   * @param bind - the bind's name.
   * @returns the bind's row, with current revisions, heads, pending count and status.
   */
  loadBind(bind: string): Promise<BindRow> {
    // Its status and its drift are one read of the bind: a run of this environment (custom
    // tooling's; the TUI's runs load their own) started meanwhile waits for both (core's `reading`).
    return this.#read((env) =>
      this.#inTurn(async () => {
        if (this.#closed) return unreadRow(env, bind, { kind: 'error', reason: 'not read: the TUI closed before its turn' });
        if (env !== this.#env) return unreadRow(env, bind, { kind: 'error', reason: 'not read: the config was reloaded before its turn (load it again)' });
        return env.reading(bind, () => this.#loadBind(env, bind));
      }),
    );
  }

  /** Runs `fn` once fewer than {@link LOADS_AT_ONCE} calls of it are running, in the order called. */
  async #inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#loading < LOADS_AT_ONCE) this.#loading++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over as it is
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#loading--;
    }
  }

  async #loadBind(env: MigrationEnvironment, bind: string): Promise<BindRow> {
    const s = await commands.bindStatus(env, bind);
    const row: BindRow = {
      name: s.bind,
      branch: s.branch,
      dialect: s.dialect,
      displayUrl: s.displayUrl,
      current: s.current,
      heads: s.heads,
      pending: s.pending.length,
      status: s.condition,
      ...(s.inFlight ? { inFlight: s.inFlight } : {}),
    };
    return s.condition.kind === 'up-to-date' ? { ...row, drift: await this.#drift(env, bind) } : row;
  }

  /** Autogenerate's `check` of one bind at head (its package loads on first use). Never rejects. */
  async #drift(env: MigrationEnvironment, bind: string): Promise<Drift> {
    if (env.bind(bind).config.models === undefined) return { kind: 'no-models' };
    try {
      const { check, isCheckFailure } = await import('@multidb/autogenerate');
      const [result] = await check(env, [bind]);
      if (!result || result.outcome === 'skipped') return { kind: 'no-models' };
      // Not compared (moved off its head meanwhile, unreachable, its models refused): its reason.
      if (isCheckFailure(result)) return { kind: 'unknown', reason: (result.reason ?? result.outcome).split('\n')[0] ?? '' };
      return result.outcome === 'match' ? { kind: 'none' } : { kind: 'differs', changes: result.changes.map((c) => c.line) };
    } catch (error) {
      return { kind: 'unknown', reason: env.mask((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '') };
    }
  }

  /**
   * Plans the upgrade of the selected binds to their heads without running it (core's
   * `commands.reviewUpgrade`).
   * @param binds - the selected binds.
   * @returns each bind's pending revisions and history; binds pulled in through depends-on come
   *   after.
   * @throws the planner's and connection errors.
   */
  review(binds: readonly string[]): Promise<ReviewModel> {
    return this.#read((env) => commands.reviewUpgrade(env, binds));
  }

  /**
   * Imports a revision and compiles what it will run on a bind, without changing the database
   * (core's `commands.previewRevision`).
   * @param bind - the bind.
   * @param revision - the revision id.
   * @param direction - `'up'` (its `upgrade`) or `'down'` (its `downgrade`).
   * @returns the revision's message, file, source, SQL and notes.
   * @throws `RevisionNotFoundError`; `ScriptError` when the module does not import.
   */
  preview(bind: string, revision: string, direction: 'up' | 'down'): Promise<RevisionPreview> {
    return this.#read((env) => commands.previewRevision(env, bind, revision, direction, this.#options.xArgs ? { xArgs: this.#options.xArgs } : {}));
  }

  /**
   * Where a bind can be downgraded to: one step back, each applied revision below where it stands
   * (newest first), then base (core's `commands.downgradeChoices`).
   * @param bind - the bind.
   * @returns the choices (`[]` for a bind at base).
   * @throws connection errors.
   */
  downgradeChoices(bind: string): Promise<DowngradeChoice[]> {
    return this.#read((env) => commands.downgradeChoices(env, bind));
  }

  /**
   * Plans a downgrade for the confirmation screen (core's `commands.reviewDowngrade`).
   * @param bind - the bind the downgrade is for.
   * @param target - the downgrade target (`db2@-1`, `db2@<rev>`, `db2@base`).
   * @returns the steps that will run, with the bind.
   * @throws the planner's errors (`DependencyError`, `BindRequiredError`…), connection errors.
   */
  planDowngrade(bind: string, target: string): Promise<DowngradePlan> {
    return this.#read(async (env) => ({ bind, ...(await commands.reviewDowngrade(env, target)) }));
  }

  /**
   * Starts a run on the backend's {@link RunDriver} (worker threads by default): an upgrade's
   * targets are split into independent parts that run at the same time (at most `maxParts`,
   * default 4), unless some count revisions from where each bind stands (`t1@+1 t2@+1`: one part,
   * whose stopped run says how to finish it for all their binds); a downgrade is one part. The
   * session names each bind's branch.
   * Each part loads its own environment from this backend's config.
   * @param request - `{ direction: 'up', targets }` or `{ direction: 'down', target }`.
   * @returns the running session: subscribe to its messages, or cancel it.
   * @throws the target errors of `bindsForTargets` (unknown bind, ambiguous revision…).
   */
  startRun(request: RunRequest): Promise<RunSession> {
    return this.#read((env) => this.#startRun(env, request));
  }

  async #startRun(env: MigrationEnvironment, request: RunRequest): Promise<RunSession> {
    const targets = request.direction === 'up' ? request.targets : [request.target];
    const direction = request.direction === 'up' ? 'up' : 'down';
    // Every target's binds in one pass (thousands of tenant targets).
    const each = await env.bindsForTargetsEach(targets, direction);
    const linked: LinkedTarget[] = targets.map((target) => ({ target, binds: each.get(target)! }));
    // Targets that count revisions from where each bind stands (`t1@+1 t2@+1`) run as one part:
    // core's run of them all says how to finish it (its `retry`) for every bind it left short. A
    // part of its own that stopped before any step has none, and the summary would then say that
    // running the same targets again goes on, stepping again the binds of the parts that ran.
    const map = request.direction === 'up' && targets.length > 1 ? await env.revisionMap() : undefined;
    const bindBranches = env.binds.map((b) => ({ bind: b.name, branch: b.branch }));
    const counting = map !== undefined && targets.some((t) => parseTarget(t, map, bindBranches).kind === 'relative');
    const groups =
      request.direction === 'down'
        ? [{ binds: linked[0]!.binds, targets }]
        : counting
          ? [{ binds: [...new Set(linked.flatMap((l) => l.binds))].sort(), targets }]
          : packGroups(independentGroups(linked), this.#options.maxParts ?? DEFAULT_MAX_PARTS);
    const job = (group: { targets: readonly string[] }): RunJob => ({
      cwd: this.#options.cwd ?? process.cwd(),
      config: this.#configPath, // the config this backend loaded, wherever the search found it
      moduleAlias: this.#alias,
      direction: request.direction,
      targets: group.targets,
      ...(this.#options.lockTimeoutMs !== undefined ? { lockTimeoutMs: this.#options.lockTimeoutMs } : {}),
      ...(this.#options.xArgs !== undefined ? { xArgs: { ...this.#options.xArgs } } : {}),
    });
    const branches = Object.fromEntries(env.binds.map((b) => [b.name, b.branch]));
    return startRunSession(request.direction, groups, job, this.#driver, branches);
  }

  /** Forgets the cached revision map, so scripts added or edited since are read again. */
  refresh(): void {
    this.#env.invalidate();
  }

  /**
   * Reads the config file again (the one the backend loaded, through core's `loadEnvironment`, as
   * {@link open} does), so binds added, removed or changed since (a URL, a branch) show in the next
   * {@link listBinds}; scripts are read again too. The environment it replaces is closed once the
   * reads started on it have settled. Reloads run one after the other.
   * @returns resolves once the new environment is in place (nothing is connected yet).
   * @throws `ConfigError` naming the config file when it no longer loads (a syntax error, a throw
   *   at import, an invalid value, the file gone): the backend then keeps the environment it had,
   *   its scripts read again ({@link refresh}), and stays usable.
   * @example
   * ```ts
   * try {
   *   await backend.reload?.(); // optional on a TuiBackend; an EnvironmentBackend always has it
   * } catch (error) {
   *   console.error(`Kept the binds as loaded before: ${(error as Error).message}`);
   * }
   * const rows = backend.listBinds();
   * ```
   */
  reload(): Promise<void> {
    const reload = this.#reloading.then(() => this.#reload());
    this.#reloading = reload.catch(() => undefined);
    return reload;
  }

  async #reload(): Promise<void> {
    if (this.#closed) return;
    let env: MigrationEnvironment;
    try {
      env = await loadProject(this.#options, this.#alias, this.#configPath);
    } catch (error) {
      this.refresh();
      throw error;
    }
    if (this.#closed) return env.close();
    const [previous, reads] = [this.#env, this.#reads];
    this.#env = env;
    this.#reads = new Set();
    const closing = Promise.allSettled([...reads])
      .then(() => previous.close())
      .catch(() => undefined);
    this.#retiring.add(closing);
    void closing.finally(() => this.#retiring.delete(closing));
  }

  /**
   * Closes the connections the backend opened (runs close their own), after a reload in progress,
   * and those of environments a reload replaced.
   * @returns resolves when every connection is closed.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#reloading;
    await Promise.all([...this.#retiring]);
    await this.#env.close();
  }
}
