import { fileURLToPath } from 'node:url';
import {
  createModuleLoader,
  loadEnvironment,
  revisionHistory,
  type DialectRegistry,
  type MigrationEnvironment,
  type RevisionMap,
} from '@multidb/core';
import { dialects as builtInDialects } from '@multidb/dialect/registry';
import type { RunJob } from './execute-run.js';
import { previewRevision } from './revision-preview.js';
import { defaultRunDriver, type RunDriver } from './run-driver.js';
import { independentGroups } from './run-groups.js';
import { startRunSession } from './run-session.js';
import type {
  BindRow,
  BindStatus,
  CrossBindDependency,
  DowngradeChoice,
  DowngradePlan,
  HistoryEntry,
  ReviewBind,
  ReviewModel,
  ReviewStep,
  RevisionPreview,
  RunRequest,
  RunSession,
  TuiBackend,
} from './tui-backend.js';

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** Options of {@link EnvironmentBackend.open}. */
export interface EnvironmentBackendOptions {
  /** Where the config search starts (default `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /**
   * Specifiers the config and revisions resolve to the caller's copies (DESIGN §4), as the CLI's
   * module loader does. Default: {@link defaultModuleAlias}.
   */
  readonly moduleAlias?: Readonly<Record<string, string>>;
  /** Where runs execute (default {@link defaultRunDriver}: worker threads). */
  readonly driver?: RunDriver;
  /** The dialect registry (default `@multidb/dialect/registry`). */
  readonly dialects?: DialectRegistry;
  /** Give up waiting for a migration lock after this many milliseconds (default: wait, showing it). */
  readonly lockTimeoutMs?: number;
}

/**
 * `@multidb/core` and `kysely` as this package resolves them, for a config or revision that
 * imports them from a folder where they are not installed. A specifier that does not resolve
 * is left out.
 * @example
 * ```ts
 * defaultModuleAlias(); // { '@multidb/core': '/…/packages/core/dist/index.js', kysely: '/…/kysely/dist/esm/index.js' }
 * ```
 */
export function defaultModuleAlias(): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const specifier of ['@multidb/core', 'kysely']) {
    try {
      alias[specifier] = fileURLToPath(import.meta.resolve(specifier));
    } catch {
      /* not resolvable from here: the project must provide it */
    }
  }
  return alias;
}

/**
 * The {@link TuiBackend} of a real project: core's {@link MigrationEnvironment} for reading
 * (version tables, plans, revision previews) on this thread, and a {@link RunDriver} (worker
 * threads by default) for runs, each run part loading its own environment.
 *
 * @example
 * ```ts
 * const backend = await EnvironmentBackend.open({ cwd: process.cwd() });
 * const rows = await Promise.all(backend.listBinds().map((b) => backend.loadBind(b.name)));
 * await backend.close();
 * ```
 */
export class EnvironmentBackend implements TuiBackend {
  readonly env: MigrationEnvironment;
  readonly #options: EnvironmentBackendOptions;
  readonly #alias: Readonly<Record<string, string>>;
  readonly #driver: RunDriver;

  constructor(env: MigrationEnvironment, options: EnvironmentBackendOptions = {}) {
    this.env = env;
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
    const env = await loadEnvironment({
      dialects: options.dialects ?? builtInDialects,
      cwd: options.cwd ?? process.cwd(),
      // Modules are not cached, so a revision edited while the TUI is open previews as edited.
      loader: createModuleLoader({ alias, moduleCache: false }),
      ...(options.config !== undefined ? { config: options.config } : {}),
    });
    return new EnvironmentBackend(env, { ...options, moduleAlias: alias });
  }

  get configPath(): string {
    return this.env.loaded.path;
  }

  /** The kind of driver runs use (`'worker'` or `'in-process'`). */
  get driverKind(): RunDriver['kind'] {
    return this.#driver.kind;
  }

  listBinds(): BindRow[] {
    return this.env.binds.map((b) => ({
      name: b.name,
      branch: b.branch,
      dialect: dialectName(() => b.entry.name),
      displayUrl: b.displayUrl,
      current: [],
      heads: [],
      pending: 0,
      status: { kind: 'loading' },
    }));
  }

  async loadBind(bind: string): Promise<BindRow> {
    const b = this.env.bind(bind);
    const base = this.listBinds().find((r) => r.name === bind)!;
    let map: RevisionMap;
    try {
      map = await this.env.revisionMap();
    } catch (error) {
      return { ...base, status: { kind: 'error', reason: reason(error) } };
    }
    const heads = map.heads(b.branch);
    let current: string[];
    try {
      void b.entry; // a URL no dialect takes is "unreachable" too
      current = (await this.env.currentHeads([bind])).get(bind) ?? [];
    } catch (error) {
      return { ...base, heads, status: { kind: 'unreachable', reason: reason(error) } };
    }
    const row = { ...base, heads, current };
    const unknown = current.filter((r) => !map.has(r));
    if (unknown.length) return { ...row, status: { kind: 'ahead', unknown } };
    const foreign = current.filter((r) => map.get(r).branch !== b.branch);
    if (foreign.length) {
      const reason = `its version table names ${foreign.join(', ')} of branch '${map.get(foreign[0]!).branch}', not of its branch '${b.branch}' (check binds.${bind}.branch)`;
      return { ...row, status: { kind: 'error', reason } };
    }
    // Pending: the branch's revisions up to its heads that the version table does not cover.
    // Counted from the graph alone, so a sibling bind that is down does not hide this one's state.
    const applied = new Set(current.length ? map.ancestors(current, { inclusive: true }) : []);
    const pending = (heads.length ? map.ancestors(heads, { inclusive: true }) : []).filter((r) => !applied.has(r)).length;
    const status: BindStatus = heads.length > 1 ? { kind: 'multiple-heads', heads } : pending > 0 ? { kind: 'pending' } : { kind: 'up-to-date' };
    return { ...row, pending, status };
  }

  async review(binds: readonly string[]): Promise<ReviewModel> {
    const map = await this.env.revisionMap();
    const targets = binds.map((b) => upgradeTarget(b, map.heads(this.env.bind(b).branch)));
    const plan = await this.env.planUpgrade(targets);
    const inPlan = new Set(plan.steps.map((s) => s.revision));
    const order = [...binds, ...plan.steps.map((s) => s.bind).filter((b) => !binds.includes(b))];
    const involved = [...new Set(order)];
    const current = await this.env.currentHeads(involved);
    const branchBinds = (branch: string) => this.env.binds.filter((x) => x.branch === branch).map((x) => x.name);
    const reviewBinds: ReviewBind[] = involved.map((bind) => {
      const own = plan.steps.filter((s) => s.bind === bind);
      const steps: ReviewStep[] = own.map((s, i) => ({
        bind,
        revision: s.revision,
        message: s.script.message,
        file: s.script.path,
        downRevisions: s.script.downRevisions,
        index: i + 1,
        total: own.length,
        dependsOn: map
          .dependencies(s.revision)
          .filter((d) => map.get(d).branch !== s.script.branch)
          .map((d): CrossBindDependency => {
            const branch = map.get(d).branch;
            return { revision: d, branch, binds: branchBinds(branch), inPlan: inPlan.has(d) };
          }),
      }));
      return {
        bind,
        selected: binds.includes(bind),
        current: current.get(bind) ?? [],
        steps,
        history: history(map, this.env.bind(bind).branch, current.get(bind) ?? [], new Set(own.map((s) => s.revision))),
      };
    });
    return { targets, binds: reviewBinds, totalSteps: plan.steps.length };
  }

  preview(bind: string, revision: string, direction: 'up' | 'down'): Promise<RevisionPreview> {
    return previewRevision(this.env, bind, revision, direction);
  }

  async downgradeChoices(bind: string): Promise<DowngradeChoice[]> {
    const map = await this.env.revisionMap();
    const branch = this.env.bind(bind).branch;
    const current = (await this.env.currentHeads([bind])).get(bind) ?? [];
    if (current.length === 0) return [];
    const applied = new Set(map.ancestors(current, { inclusive: true }));
    // Newest first; the current revisions themselves are where the bind is, not a choice.
    const below = revisionHistory(map).filter((s) => s.branch === branch && applied.has(s.revision) && !current.includes(s.revision));
    const choices: DowngradeChoice[] = below.map((script) => {
      const keep = new Set(map.ancestors(script.revision, { inclusive: true }));
      const steps = [...applied].filter((r) => !keep.has(r)).length;
      return { target: `${bind}@-${steps}`, label: `${script.revision} ${script.message}${steps === 1 ? ' (one step back)' : ''}`, revision: script.revision };
    });
    if (below.length && !choices.some((c) => c.target === `${bind}@-1`)) choices.unshift({ target: `${bind}@-1`, label: 'one step back', revision: undefined });
    choices.push({ target: `${bind}@base`, label: 'base (every revision of the bind undone)', revision: undefined });
    return choices;
  }

  async planDowngrade(bind: string, target: string): Promise<DowngradePlan> {
    const plan = await this.env.planDowngrade(target);
    return { bind, target, steps: plan.steps.map((s) => ({ bind: s.bind, revision: s.revision, message: s.script.message })) };
  }

  async startRun(request: RunRequest): Promise<RunSession> {
    const targets = request.direction === 'up' ? request.targets : [request.target];
    const linked = await Promise.all(targets.map(async (target) => ({ target, binds: await this.env.bindsForTargets([target]) })));
    const groups = request.direction === 'up' ? independentGroups(linked) : [{ binds: linked[0]!.binds, targets }];
    const job = (group: { targets: readonly string[] }): RunJob => ({
      cwd: this.#options.cwd ?? process.cwd(),
      config: this.env.loaded.path, // the config this backend loaded, wherever the search found it
      moduleAlias: this.#alias,
      direction: request.direction,
      targets: group.targets,
      ...(this.#options.lockTimeoutMs !== undefined ? { lockTimeoutMs: this.#options.lockTimeoutMs } : {}),
    });
    return startRunSession(request.direction, groups, job, this.#driver);
  }

  /** Forgets the cached revision map, so scripts added or edited since are read again. */
  refresh(): void {
    this.env.invalidate();
  }

  close(): Promise<void> {
    return this.env.close();
  }
}

function dialectName(lookup: () => string): string {
  try {
    return lookup();
  } catch {
    return '?';
  }
}

/** `db2@head`, or `db2@heads` when the branch has several heads (each is upgraded; merge them later). */
function upgradeTarget(bind: string, heads: readonly string[]): string {
  return heads.length > 1 ? `${bind}@heads` : `${bind}@head`;
}

/** A branch's history, newest first, with where the bind stands. */
function history(map: RevisionMap, branch: string, current: readonly string[], pending: ReadonlySet<string>): HistoryEntry[] {
  const applied = new Set(current.length ? map.ancestors(current, { inclusive: true }) : []);
  return revisionHistory(map)
    .filter((s) => s.branch === branch)
    .map((s) => ({
      revision: s.revision,
      message: s.message,
      state: current.includes(s.revision) ? 'current' : applied.has(s.revision) ? 'applied' : pending.has(s.revision) ? 'pending' : 'other',
      isHead: map.isHead(s.revision),
    }));
}
