import type { BindConfig, MultidbConfig } from '../config/multidb-config.js';
import { loadConfig, validateConfig, type LoadedConfig } from '../config/config-loader.js';
import type { Dialect, DialectConnection, DialectDriver, DialectEntry, DialectRegistry } from '../dialect/dialect.js';
import { DuplicateDatabaseError, MultidbError, UnknownBindError, UrlError } from '../errors.js';
import type { RunListener } from './run-event.js';
import { createModuleLoader, type ModuleLoader } from '../script/module-loader.js';
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from '../schema/naming-convention.js';
import { planDowngrade, planStamp, planUpgrade, type BindState, type Plan } from '../script/planner.js';
import { RevisionMap } from '../script/revision-map.js';
import { runPlan, type RunResult } from './runner.js';
import { ScriptDirectory } from '../script/script-directory.js';
import { maskSecrets, maskUrl, urlScheme } from '../config/database-url.js';
import { VersionTable } from './version-table.js';

/** A configured bind with its branch, dialect entry and printable (masked) URL. */
export interface ResolvedBind {
  readonly name: string;
  readonly branch: string;
  readonly config: BindConfig;
  /** The URL with its password masked, or `'(kysely instance)'`. */
  readonly displayUrl: string;
  /**
   * The registry entry of its dialect, looked up on first access.
   * @throws {@link UrlError} (password masked) when the URL has no scheme or no dialect takes it.
   */
  readonly entry: DialectEntry;
}

/** Options of {@link loadEnvironment}. */
export interface EnvironmentOptions {
  /** The dialects available, by URL scheme (the CLI passes `@multidb/dialect`'s registry). */
  readonly dialects: DialectRegistry;
  /** Where the config search starts (default `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /** An already built configuration (custom tooling), instead of a file; needs `baseDir`. */
  readonly configObject?: MultidbConfig;
  /** Folder that relative paths of `configObject` resolve against. */
  readonly baseDir?: string;
  /** Module loader (default: jiti with no alias). */
  readonly loader?: ModuleLoader;
}

/** Options of a run (upgrade, downgrade). */
export interface RunOptions {
  /** Receives progress events (DESIGN §8). */
  readonly onEvent?: RunListener;
  /** Give up waiting for a bind's migration lock after this many milliseconds (default: no limit). */
  readonly lockTimeoutMs?: number;
  /**
   * How many binds may run at the same time (default 1: one step after the other, stopping at the
   * first failure with a {@link MigrationError}). With N > 1 each bind runs its steps in order on
   * its own connection, a step of one bind waits for the steps of other binds its revision depends
   * on (depends-on, or for a downgrade its dependents), and a failure stops only its bind and what
   * waits on it; the run then throws a {@link RunError}. Locks are still all taken first, in
   * sorted order. Must be a whole number of 1 or more.
   */
  readonly concurrency?: number;
}

/**
 * A loaded project: configuration, repository, binds and their connections. Reading commands
 * (`history`, `heads`, `show`) only read script headers: no driver loads and no module runs.
 * Connections open lazily for the binds a command touches; call {@link close} at the end.
 */
export class MigrationEnvironment {
  readonly loaded: LoadedConfig;
  readonly binds: readonly ResolvedBind[];
  readonly namingConvention: NamingConvention;
  readonly loader: ModuleLoader;
  readonly #connections = new Map<string, Promise<DialectConnection>>();
  readonly #drivers = new Map<string, Promise<DialectDriver>>();
  #map: Promise<RevisionMap> | undefined;
  #scripts: Promise<ScriptDirectory> | undefined;

  constructor(loaded: LoadedConfig, dialects: DialectRegistry, loader: ModuleLoader) {
    this.loaded = loaded;
    this.loader = loader;
    this.namingConvention = { ...DEFAULT_NAMING_CONVENTION, ...(loaded.config.namingConvention ?? {}) };
    // A bind's dialect is looked up when first needed (a driver or a connection), so commands that
    // only read scripts (history, heads, show) work whatever the URLs are.
    this.binds = Object.entries(loaded.config.binds).map(([name, config]) => {
      let entry: DialectEntry | undefined;
      const lookup = (): DialectEntry => {
        if (entry) return entry;
        let scheme: string;
        if (config.url !== undefined) scheme = urlScheme(config.url);
        else scheme = config.dialect ?? '';
        entry = dialects.find((d) => d.schemes.includes(scheme) || d.name === scheme);
        if (!entry) {
          const known = dialects.flatMap((d) => d.schemes.map((s) => `${s}:`));
          throw new UrlError(
            `Bind '${name}': no dialect for ${config.url ? `URL '${maskUrl(config.url)}'` : `dialect '${scheme}'`}. Supported: ${known.join(', ') || '(none)'}.`,
          );
        }
        return entry;
      };
      return Object.freeze({
        name,
        branch: config.branch ?? name,
        config,
        displayUrl: config.url ? maskUrl(config.url) : '(kysely instance)',
        get entry(): DialectEntry {
          return lookup();
        },
      });
    });
  }

  /** Names of all binds, in config order. */
  get bindNames(): string[] {
    return this.binds.map((b) => b.name);
  }

  /** The bind of that name. @throws {@link UnknownBindError} */
  bind(name: string): ResolvedBind {
    const bind = this.binds.find((b) => b.name === name);
    if (!bind) throw new UnknownBindError(name, this.bindNames);
    return bind;
  }

  /** The repository's script directory. @throws ConfigError when it does not exist. */
  scriptDirectory(): Promise<ScriptDirectory> {
    this.#scripts ??= ScriptDirectory.open(this.loaded.directory);
    return this.#scripts;
  }

  /** The revision map of every branch (headers read statically, modules not run). */
  revisionMap(): Promise<RevisionMap> {
    this.#map ??= this.scriptDirectory().then(async (dir) => new RevisionMap(await dir.scripts()));
    return this.#map;
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

  /** The pure dialect of a bind (loads its driver module, opens no connection). */
  async dialect(bind: string): Promise<Dialect> {
    const b = this.bind(bind);
    return (await this.#driver(b)).dialect(b.config.url);
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
   * @throws {@link MultidbError} with the URL's password masked when the connection fails.
   */
  connection(bind: string): Promise<DialectConnection> {
    let conn = this.#connections.get(bind);
    if (!conn) {
      const b = this.bind(bind);
      conn = (async () => {
        const driver = await this.#driver(b);
        let c: DialectConnection;
        try {
          c = await driver.connect({
            bind: b.name,
            baseDir: this.loaded.baseDir,
            ...(b.config.url !== undefined ? { url: b.config.url } : {}),
            ...(b.config.kysely !== undefined ? { kysely: b.config.kysely } : {}),
            ...(b.config.schema !== undefined ? { schema: b.config.schema } : {}),
            ...(b.config.connectTimeout !== undefined ? { connectTimeoutMs: b.config.connectTimeout * 1000 } : {}),
            namingConvention: this.namingConvention,
          });
        } catch (error) {
          // A driver's URL error (e.g. a SQLite URL with a host) names the bind it came from.
          if (error instanceof UrlError && !error.message.includes(`'${b.name}'`)) throw new UrlError(`Bind '${b.name}': ${error.message}`);
          if (error instanceof MultidbError) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          throw new MultidbError(`[${b.name}] cannot connect to ${b.displayUrl}: ${maskSecrets(reason, [b.config.url])}`, 'CONNECT', { cause: error });
        }
        if (b.config.onConnect) await b.config.onConnect(c.db);
        return c;
      })();
      this.#connections.set(bind, conn);
      conn.catch(() => this.#connections.delete(bind));
    }
    return conn;
  }

  /**
   * Connects the given binds and refuses two binds on the same physical database (DESIGN §7).
   * @throws {@link DuplicateDatabaseError}
   */
  async connectAll(binds: readonly string[]): Promise<Map<string, DialectConnection>> {
    for (const name of binds) void this.bind(name).entry; // every URL is usable before any connects
    const out = new Map<string, DialectConnection>();
    for (const name of binds) out.set(name, await this.connection(name));
    const seen = new Map<string, string>();
    for (const [name, conn] of out) {
      const id = `${await conn.identity()}|${this.versionTable(name).schema ?? ''}.${this.loaded.versionTable}`;
      const other = seen.get(id);
      if (other) throw new DuplicateDatabaseError([other, name], maskUrl(id.split('|')[0] ?? id));
      seen.set(id, name);
    }
    return out;
  }

  /** Current heads (version-table rows) of the given binds (default: all). Connects them. */
  async currentHeads(binds: readonly string[] = this.bindNames): Promise<Map<string, string[]>> {
    const conns = await this.connectAll(binds);
    const out = new Map<string, string[]>();
    for (const [name, conn] of conns) out.set(name, await this.versionTable(name).read(conn));
    return out;
  }

  /**
   * Binds a set of targets may touch: the binds they name, or every bind for global targets, plus
   * binds linked to those through depends-on (either way), so their state is known to the planner.
   */
  async bindsForTargets(targets: readonly string[]): Promise<string[]> {
    const map = await this.revisionMap();
    const selected = new Set<string>();
    for (const target of targets.length ? targets : ['head']) {
      const named = /^([^@]+)@/.exec(target)?.[1] ?? target;
      const byBind = this.binds.find((b) => b.name === named);
      if (byBind) {
        selected.add(byBind.name);
        continue;
      }
      const byBranch = this.binds.filter((b) => b.branch === named);
      if (byBranch.length) {
        byBranch.forEach((b) => selected.add(b.name));
        continue;
      }
      return this.bindNames; // global or revision target: the planner decides with full state
    }
    // Close over depends-on links between branches.
    const branches = new Set([...selected].map((b) => this.bind(b).branch));
    let grew = true;
    while (grew) {
      grew = false;
      for (const script of map.revisions) {
        for (const dep of script.dependsOn) {
          const depBranch = map.get(dep).branch;
          const linked = branches.has(script.branch) !== branches.has(depBranch);
          if (linked) {
            branches.add(script.branch);
            branches.add(depBranch);
            grew = true;
          }
        }
      }
    }
    return this.binds.filter((b) => branches.has(b.branch)).map((b) => b.name);
  }

  async #states(binds: readonly string[]): Promise<BindState[]> {
    const heads = await this.currentHeads(binds);
    return binds.map((bind) => ({ bind, branch: this.bind(bind).branch, heads: heads.get(bind) ?? [] }));
  }

  /** Plans an upgrade without running it (reads version tables). */
  async planUpgrade(targets: readonly string[]): Promise<Plan> {
    const binds = await this.bindsForTargets(targets);
    return planUpgrade(await this.revisionMap(), await this.#states(binds), targets);
  }

  /** Plans a downgrade without running it (reads version tables). */
  async planDowngrade(target: string | undefined): Promise<Plan> {
    const binds = await this.bindsForTargets(target === undefined || /^-\d+$/.test(target) ? [] : [target]);
    return planDowngrade(await this.revisionMap(), await this.#states(binds), target);
  }

  /**
   * Upgrades to the targets (default: every bind to its head). Takes each touched bind's lock
   * (sorted order), re-reads state under the locks, validates every module, then runs.
   * @throws {@link MigrationError} when a revision fails (the bind stays at its last good revision);
   *   with `concurrency` > 1, a {@link RunError} once every bind not stopped has finished.
   */
  upgrade(targets: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return this.#run('upgrade', () => this.planUpgrade(targets), options);
  }

  /** Downgrades to the target (`db2` steps db2 back one revision). */
  downgrade(target: string | undefined, options: RunOptions = {}): Promise<RunResult> {
    return this.#run('downgrade', () => this.planDowngrade(target), options);
  }

  async #run(command: string, plan: () => Promise<Plan>, options: RunOptions): Promise<RunResult> {
    const first = await plan();
    return runPlan(this, first, { ...options, command, replan: plan });
  }

  /**
   * Sets version tables to the targets without running revisions (`stamp`). With `purge`, the
   * table's rows are deleted first, whatever they were.
   */
  async stamp(targets: readonly string[], options: { purge?: boolean; onEvent?: RunListener } = {}): Promise<{ bind: string; from: readonly string[]; to: readonly string[] }[]> {
    const binds = await this.bindsForTargets(targets);
    const map = await this.revisionMap();
    const changes = planStamp(map, await this.#states(binds), targets, { purge: options.purge ?? false });
    for (const change of changes) {
      const unchanged = !options.purge && change.from.length === change.to.length && change.from.every((r) => change.to.includes(r));
      if (unchanged) continue;
      const conn = await this.connection(change.bind);
      const table = this.versionTable(change.bind);
      await table.ensure(conn);
      await conn.begin();
      try {
        if (options.purge) await table.purge(conn);
        await table.update(conn.db, options.purge ? [] : change.from, change.to);
        await conn.commit();
      } catch (error) {
        await conn.rollback();
        throw error;
      }
      options.onEvent?.({ type: 'stamp', bind: change.bind, from: change.from, to: change.to });
    }
    return changes.map((c) => ({ ...c }));
  }

  /** Closes every open connection. Safe to call twice. */
  async close(): Promise<void> {
    const conns = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).close()));
  }
}

/**
 * Loads a project: finds and loads the config (or takes `configObject`). Opens no connection and
 * loads no driver; each bind's dialect is picked by URL scheme when the bind is first used, so a
 * URL no dialect takes fails the commands that touch that bind (with a {@link UrlError}), not the
 * ones that only read scripts.
 *
 * @throws {@link ConfigError} (missing or broken config).
 * @example
 * ```ts
 * import { dialects } from '@multidb/dialect';
 * const env = await loadEnvironment({ dialects });
 * try { await env.upgrade(); } finally { await env.close(); }
 * ```
 */
export async function loadEnvironment(options: EnvironmentOptions): Promise<MigrationEnvironment> {
  const loader = options.loader ?? createModuleLoader();
  const cwd = options.cwd ?? process.cwd();
  let loaded: LoadedConfig;
  if (options.configObject) {
    const baseDir = options.baseDir ?? cwd;
    loaded = validateConfig(options.configObject, `${baseDir}/migrate.config.ts`);
  } else {
    loaded = await loadConfig({ cwd, loader, ...(options.config !== undefined ? { config: options.config } : {}) });
  }
  return new MigrationEnvironment(loaded, options.dialects, loader);
}
