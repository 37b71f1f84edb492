import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, ResourceLimits, Worker, WorkerOptions } from 'node:worker_threads';
import type { DialectRegistry } from '../dialect/dialect.js';
import { listSome, MultidbError } from '../errors.js';
import type { FanOut } from '../script/planner.js';
import { createModuleLoader } from '../script/module-loader.js';
import type { RunEvent } from './run-event.js';
import type { RunResult } from './runner.js';
import { fromTransfer, toTransfer, type Transferred } from './thread-transfer.js';
// Types only: the environment imports this module (and the worker loads it through `load`).
import type { GroupOutcome, GroupRunOptions, MigrationEnvironment, loadEnvironment as loadEnvironmentFn } from './environment.js';

let workerThreads: typeof WorkerThreads | undefined;

/**
 * Starts a worker thread. node:worker_threads is loaded on the first one: every command imports
 * core, most start no thread, and loading that module cost ~3.5 ms of CPU at start-up.
 */
function newWorker(file: URL, options: WorkerOptions): Worker {
  workerThreads ??= createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  return new workerThreads.Worker(file, options);
}

/**
 * What a worker thread needs to load a project's environment (plain data, posted to the thread).
 * @example
 * ```ts
 * const source: WorkerEnvironmentSource = { cwd: process.cwd(), dialects: import.meta.resolve('@multidb/dialect/registry') };
 * ```
 */
export interface WorkerEnvironmentSource {
  /** Where the config search starts. */
  readonly cwd: string;
  /** An explicit config file (`--config`). */
  readonly config?: string;
  /** The module exporting the dialect registry as `dialects`: a URL or an absolute path. */
  readonly dialects: string;
  /**
   * The module alias of the worker's loader (DESIGN §4: `@multidb/core` to the caller's copy),
   * over the dialects' own for the project (`kysely`: see `EnvironmentOptions.loader`).
   */
  readonly alias?: Readonly<Record<string, string>>;
  /** Keep imported modules in memory (default `true`; see `ModuleLoaderOptions.moduleCache`). */
  readonly moduleCache?: boolean;
}

/** A whole upgrade or downgrade, as plain data (see {@link startRunWorker}). */
export interface WorkerRunJob {
  /** `'up'` (core's `upgrade`) or `'down'` (`downgrade`, of `targets[0]`). */
  readonly direction: 'up' | 'down';
  /** The targets as written. */
  readonly targets: readonly string[];
  /** As `RunOptions.lockTimeoutMs`. */
  readonly lockTimeoutMs?: number;
  /** As `RunOptions.concurrency`. */
  readonly concurrency?: number;
  /** As `RunOptions.keepGoing`: a failing independent group stops only itself (default `false`). */
  readonly keepGoing?: boolean;
  /** As `RunOptions.xArgs`. */
  readonly xArgs?: Readonly<Record<string, string>>;
  /**
   * A function to call after an upgrade or a downgrade that ran steps, before `finished` (the TUI
   * passes `@multidb/autogenerate`'s `codegenAfterRun`, so the types of the binds the run changed
   * follow their schema both ways). See {@link WorkerAfterRun}. What it throws ends the job with
   * `failed` and that error, after the run completed.
   */
  readonly afterRun?: WorkerAfterRun;
  /**
   * @deprecated Use {@link afterRun}, which is also called after a downgrade. Called after an
   * upgrade only, and only when `afterRun` is not given.
   */
  readonly afterUpgrade?: WorkerAfterRun;
}

/**
 * A function a worker job calls after its run (see {@link WorkerRunJob.afterRun}), as plain data: a
 * module (a URL or an absolute path) and the name of its export, called with the environment (its
 * connections still open) and the `RunResult`.
 * @example
 * ```ts
 * const after: WorkerAfterRun = { module: import.meta.resolve('@multidb/autogenerate'), export: 'codegenAfterRun', onlyWithTypes: true };
 * ```
 */
export interface WorkerAfterRun {
  /** The module: a URL or an absolute path. */
  readonly module: string;
  /** The name of its function export. */
  readonly export: string;
  /** Import and call it only when a bind of the config sets `types` (nothing to regenerate else); default `false`. */
  readonly onlyWithTypes?: boolean;
}

/**
 * What a run on a worker thread reports, in order: core's events (errors revived as core's
 * classes), lines the revisions printed (with `captureOutput`), then `finished` with the result
 * or `failed` with what was thrown, and nothing after.
 */
export type WorkerRunMessage =
  | { readonly type: 'event'; readonly event: RunEvent }
  | { readonly type: 'output'; readonly text: string }
  | { readonly type: 'finished'; readonly result: RunResult }
  | { readonly type: 'failed'; readonly error: unknown };

/** A run started on a worker thread. */
export interface RunningWorker {
  /** Settles when the run has reported its last message. */
  readonly done: Promise<void>;
  /**
   * Asks the run to stop after the revisions in progress (its `RunOptions.signal`, aborted with
   * `reason`, default `'SIGINT'`): it then ends with `failed` and core's `InterruptedError`, every
   * bind at a revision its version table records. Does nothing once the run has ended.
   */
  interrupt(reason?: unknown): void;
  /**
   * Abandons the run (the TUI's second ctrl+c): what its connections are running is cancelled on
   * the servers first (`MigrationEnvironment.cancelInFlight`: PostgreSQL's cancel request,
   * MySQL/MariaDB's `KILL QUERY`, waiting at most 2 s), so a long statement does not go on
   * running with its locks held; then the thread is terminated (the database rolls back an open
   * transaction; on MySQL/MariaDB the statements a revision completed stay, recorded). No message
   * is delivered after it is called. Resolves once the thread has ended.
   */
  stop(): Promise<void>;
}

/** What {@link startRunWorker}'s thread takes while its run goes on. @internal */
export type ToRunWorker = { readonly type: 'interrupt'; readonly reason: Transferred } | { readonly type: 'cancel'; readonly timeoutMs: number };

/** What {@link startRunWorker}'s thread answers to `cancel`, beside its run's messages. @internal */
export const RUN_WORKER_CANCELLED = 'cancelled';

/** How long `stop()` lets the thread cancel what its connections run (as the CLI's second Ctrl-C). */
const CANCEL_WAIT_MS = 2000;

const toUrl = (specifier: string): string => (/^[a-z][a-z0-9+.-]+:/i.test(specifier) ? specifier : pathToFileURL(specifier).href);

/**
 * Loads an environment on this thread from a {@link WorkerEnvironmentSource} (with `loadEnvironment`,
 * passed in: the environment module imports this one).
 * @internal
 */
export async function loadSourceEnvironment(source: WorkerEnvironmentSource, loadEnvironment: typeof loadEnvironmentFn): Promise<MigrationEnvironment> {
  const { dialects } = (await import(toUrl(source.dialects))) as { dialects: DialectRegistry };
  return loadEnvironment({
    dialects,
    cwd: source.cwd,
    loader: (alias) => createModuleLoader({ alias: { ...alias, ...source.alias }, ...(source.moduleCache === false ? { moduleCache: false } : {}) }),
    ...(source.config !== undefined ? { config: source.config } : {}),
  });
}

/**
 * Runs a whole upgrade or downgrade on this thread: loads the environment, runs core's `upgrade`
 * or `downgrade` with the job's options, calls the job's `afterRun`, and reports each event,
 * then `finished` or `failed`. Never rejects; always closes the environment. The worker thread of
 * {@link startRunWorker} runs it; a caller without threads (tests) may call it directly.
 *
 * @param load - loads the environment (e.g. `() => loadSourceEnvironment(source)`).
 * @param job - what to run.
 * @param post - receives each message, in order.
 * @param options - `signal`: asks the run to stop after the revisions in progress (as
 *   `RunOptions.signal`; the run then ends with `failed` and an `InterruptedError`).
 * @example
 * ```ts
 * import { executeRunJob, loadEnvironment, type WorkerRunMessage } from '@multidb/core';
 * import { dialects } from '@multidb/dialect/registry';
 * await executeRunJob(() => loadEnvironment({ dialects }), { direction: 'up', targets: [] }, (m: WorkerRunMessage) => console.log(m.type));
 * ```
 */
export async function executeRunJob(
  load: () => Promise<MigrationEnvironment>,
  job: WorkerRunJob,
  post: (message: WorkerRunMessage) => void,
  options: { readonly signal?: AbortSignal } = {},
): Promise<void> {
  let env: MigrationEnvironment | undefined;
  const { signal } = options;
  try {
    env = await load();
    const runOptions = {
      onEvent: (event: RunEvent) => post({ type: 'event', event }),
      ...(signal ? { signal } : {}),
      ...(job.lockTimeoutMs !== undefined ? { lockTimeoutMs: job.lockTimeoutMs } : {}),
      ...(job.concurrency !== undefined ? { concurrency: job.concurrency } : {}),
      ...(job.keepGoing !== undefined ? { keepGoing: job.keepGoing } : {}),
      ...(job.xArgs !== undefined ? { xArgs: job.xArgs } : {}),
    };
    const result = job.direction === 'up' ? await env.upgrade(job.targets, runOptions) : await env.downgrade(job.targets[0], runOptions);
    const after = job.afterRun ?? (job.direction === 'up' ? job.afterUpgrade : undefined);
    if (after !== undefined && result.steps.length > 0 && (!after.onlyWithTypes || env.binds.some((b) => b.config.types !== undefined))) {
      const mod = (await import(toUrl(after.module))) as Record<string, unknown>;
      const fn = mod[after.export];
      const command = job.direction === 'up' ? 'upgrade' : 'downgrade';
      if (typeof fn !== 'function') throw new MultidbError(`${after.module} has no function export '${after.export}' to call after the ${command}.`, 'WORKER');
      await (fn as (env: MigrationEnvironment, result: RunResult) => Promise<unknown>)(env, result);
    }
    post({ type: 'finished', result });
  } catch (error) {
    post({ type: 'failed', error });
  } finally {
    await env?.close().catch(() => undefined);
  }
}

/**
 * The built worker module: beside core's bundle, or tsc's output; from the TypeScript sources
 * (package tests), the package's built bundle. Undefined when there is none.
 */
function workerFile(): URL | undefined {
  for (const candidate of ['./run-worker.js', '../run-worker.js', '../../dist/bundle/run-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Whether runs can go to worker threads: core's worker module is built (it is not when core runs
 * from its TypeScript sources).
 * @example
 * ```ts
 * const kind = runWorkersAvailable() ? 'worker' : 'in-process';
 * ```
 */
export function runWorkersAvailable(): boolean {
  return workerFile() !== undefined;
}

/** What a worker thread is started with. @internal */
export type WorkerData = { readonly mode: 'groups'; readonly source: WorkerEnvironmentSource } | { readonly mode: 'run'; readonly source: WorkerEnvironmentSource; readonly job: WorkerRunJob };

/**
 * Runs a whole upgrade or downgrade on a worker thread of its own (see {@link executeRunJob}), so
 * this thread stays free while better-sqlite3 works (the TUI draws meanwhile). A thread that
 * dies without a last message reports `failed`. `interrupt()` asks the run to stop after the
 * revisions in progress (the TUI's first ctrl+c); `stop()` cancels what its connections run on
 * the servers, then ends the thread.
 *
 * @param source - how the thread loads the environment.
 * @param job - what it runs.
 * @param onMessage - every message, in order; the last is `finished` or `failed`.
 * @param options - `captureOutput`: what the revisions print comes as `output` messages instead of
 *   going to this process's stdout and stderr (default `false`).
 * @returns the running job.
 * @throws {@link MultidbError} `WORKER` when core's worker module is not built ({@link runWorkersAvailable}).
 * @example
 * ```ts
 * const source = { cwd: process.cwd(), dialects: import.meta.resolve('@multidb/dialect/registry') };
 * const run = startRunWorker(source, { direction: 'up', targets: ['db2@head'] }, (m) => console.log(m.type));
 * await run.done;
 * ```
 */
export function startRunWorker(source: WorkerEnvironmentSource, job: WorkerRunJob, onMessage: (message: WorkerRunMessage) => void, options: { readonly captureOutput?: boolean } = {}): RunningWorker {
  const file = workerFile();
  if (!file) throw new MultidbError("Core's worker module (run-worker.js) is not built: build @multidb/core, or run on this thread.", 'WORKER');
  const capture = options.captureOutput ?? false;
  const worker = newWorker(file, { workerData: { mode: 'run', source, job } satisfies WorkerData, stdout: capture, stderr: capture });
  let ended = false;
  let stopped = false;
  const deliver = (message: WorkerRunMessage) => {
    if (ended || stopped) return;
    if (message.type === 'finished' || message.type === 'failed') ended = true;
    onMessage(message);
  };
  if (capture) {
    const output = (chunk: Buffer | string) => {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') deliver({ type: 'output', text: line });
    };
    worker.stdout.on('data', output);
    worker.stderr.on('data', output);
  }
  let cancelled: (() => void) | undefined;
  const done = new Promise<void>((resolve) => {
    worker.on('message', (message: Transferred) => {
      const m = fromTransfer(message) as WorkerRunMessage | { readonly type: typeof RUN_WORKER_CANCELLED };
      if (m.type === RUN_WORKER_CANCELLED) cancelled?.();
      else deliver(m);
    });
    worker.on('error', (error) => deliver({ type: 'failed', error }));
    worker.on('exit', (code) => {
      deliver({ type: 'failed', error: new MultidbError(`The run's worker thread stopped unexpectedly (exit code ${code}).`, 'WORKER') });
      cancelled?.();
      resolve();
    });
  });
  return {
    done,
    interrupt(reason: unknown = 'SIGINT') {
      if (ended || stopped) return;
      worker.postMessage({ type: 'interrupt', reason: toTransfer(reason) } satisfies ToRunWorker);
    },
    async stop() {
      const running = !ended && !stopped;
      stopped = true;
      if (running) {
        // Its statements in progress are cancelled on their servers before the thread goes.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          cancelled = resolve;
          timer = setTimeout(resolve, CANCEL_WAIT_MS + 500);
          worker.postMessage({ type: 'cancel', timeoutMs: CANCEL_WAIT_MS } satisfies ToRunWorker);
        });
        clearTimeout(timer);
      }
      await worker.terminate();
    },
  };
}

/** What the run on the main thread does for its workers' groups. */
export interface WorkerRunHost {
  /** Emits an event of a group (already revived). */
  readonly emit: (event: RunEvent) => void;
  /** The run's fan-out, for the first group that plans. */
  readonly fanOut: () => readonly FanOut[];
  /** The run's `beforeRun` hook, run once. */
  readonly beforeRun: () => unknown;
  /** Claims a database for a bind across the run's groups (throws `DuplicateDatabaseError`). */
  readonly claim: (identity: string, bind: string) => void;
}

/** A pool of worker threads running groups of one upgrade. */
export interface UpgradeWorkers {
  /** Runs a group on the least busy worker; rejects with the group's error (revived) when it throws. */
  run(group: readonly string[], wanted: readonly string[], options: GroupRunOptions): Promise<GroupOutcome>;
  /** Lets every worker close its connections and exit; settles when they have. */
  close(): Promise<void>;
  /** Asks the groups running and sent to stop (`RunOptions.signal`), with the signal's reason (as transferred). */
  abort(reason: unknown): void;
}

type ToWorker =
  | { readonly type: 'group'; readonly id: number; readonly group: readonly string[]; readonly wanted: readonly string[]; readonly options: GroupRunOptions }
  | { readonly type: 'reply'; readonly call: number; readonly ok: boolean; readonly value: Transferred }
  | { readonly type: 'close' }
  | { readonly type: 'abort'; readonly reason: Transferred };

type FromWorker =
  | { readonly type: 'events'; readonly events: readonly Transferred[] }
  | { readonly type: 'call'; readonly call: number; readonly name: 'fanOut' | 'beforeRun' | 'claim'; readonly args: readonly string[] }
  | { readonly type: 'done'; readonly id: number; readonly ok: boolean; readonly value: Transferred };

/**
 * Starts `count` worker threads for an upgrade of independent groups; each loads the
 * environment from `source` once and runs the groups it is given, one message per group. A worker
 * that dies fails the groups it had with an error, and is not given more. `resourceLimits`, when
 * given, sizes each worker's V8 heap (see `RunWorkersOptions.resourceLimits`).
 * @returns the pool, or undefined when the worker module is not built (the run stays on this thread).
 * @internal
 */
export function startUpgradeWorkers(count: number, source: WorkerEnvironmentSource, host: WorkerRunHost, resourceLimits?: ResourceLimits): UpgradeWorkers | undefined {
  const file = workerFile();
  if (!file) return undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (o: GroupOutcome) => void; reject: (e: unknown) => void; worker: Slot; group: readonly string[] }>();
  interface Slot {
    readonly worker: Worker;
    busy: number;
    dead: Error | undefined;
    readonly exited: Promise<void>;
  }
  const slots: Slot[] = Array.from({ length: count }, () => {
    const worker = newWorker(file, { workerData: { mode: 'groups', source } satisfies WorkerData, ...(resourceLimits ? { resourceLimits: { ...resourceLimits } } : {}) });
    let markExited!: () => void;
    const slot: Slot = { worker, busy: 0, dead: undefined, exited: new Promise<void>((r) => (markExited = r)) };
    const reply = (call: number, fn: () => unknown) => {
      Promise.resolve()
        .then(fn)
        .then(
          (value) => worker.postMessage({ type: 'reply', call, ok: true, value: toTransfer(value) } satisfies ToWorker),
          (error: unknown) => worker.postMessage({ type: 'reply', call, ok: false, value: toTransfer(error) } satisfies ToWorker),
        )
        .catch(() => undefined); // the worker is gone
    };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'events') for (const event of message.events) host.emit(fromTransfer(event) as RunEvent);
      else if (message.type === 'call') {
        if (message.name === 'fanOut') reply(message.call, host.fanOut);
        else if (message.name === 'beforeRun') reply(message.call, async () => void (await host.beforeRun()));
        else reply(message.call, () => host.claim(message.args[0]!, message.args[1]!));
      } else {
        const job = pending.get(message.id);
        if (!job) return;
        pending.delete(message.id);
        slot.busy--;
        if (message.ok) job.resolve(fromTransfer(message.value) as GroupOutcome);
        else job.reject(fromTransfer(message.value));
      }
    });
    const fail = (error: Error) => {
      slot.dead ??= error;
      for (const [id, job] of pending) {
        if (job.worker !== slot) continue;
        pending.delete(id);
        job.reject(slot.dead);
      }
    };
    const binds = () => listSome([...pending.values()].filter((j) => j.worker === slot).flatMap((j) => j.group));
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => {
      const running = binds();
      fail(
        new MultidbError(
          `A worker thread of the upgrade stopped unexpectedly (exit code ${code})${running ? ` while running ${running}` : ''}: ` +
            'each of its binds stays at the last revision it completed (a revision in flight rolled back). Run the command again to finish.',
          'WORKER',
        ),
      );
      markExited();
    });
    return slot;
  });
  return {
    run(group, wanted, options) {
      const alive = slots.filter((s) => !s.dead);
      if (!alive.length) return Promise.reject(slots[0]!.dead);
      const slot = alive.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      return new Promise<GroupOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: slot, group });
        slot.worker.postMessage({ type: 'group', id, group, wanted, options } satisfies ToWorker);
      });
    },
    abort(reason) {
      for (const slot of slots) if (!slot.dead) slot.worker.postMessage({ type: 'abort', reason: toTransfer(reason) } satisfies ToWorker);
    },
    async close() {
      for (const slot of slots) if (!slot.dead) slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.all(slots.map((s) => s.exited));
    },
  };
}

/**
 * The worker side: loads the environment (`load`), then runs each group it is sent through
 * `MigrationEnvironment.upgradeGroupForWorker`, posting the group's events, its calls back to the
 * run (fan-out, `beforeRun`, database claims) and its outcome. On `close`, closes the connections
 * and lets the thread end.
 * @internal
 */
export async function serveUpgradeWorker(port: MessagePort, load: () => Promise<MigrationEnvironment>): Promise<void> {
  // Events go in batches (one message per turn of the event loop rather than per event: posting
  // costs more than the small events), always before any other message, so the order holds.
  let events: Transferred[] = [];
  const flush = () => {
    if (!events.length) return;
    port.postMessage({ type: 'events', events } satisfies FromWorker);
    events = [];
  };
  const event = (e: RunEvent) => {
    if (!events.length) setImmediate(flush);
    events.push(toTransfer(e));
  };
  const post = (message: FromWorker) => {
    flush();
    port.postMessage(message);
  };
  let nextCall = 0;
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const call = (name: 'fanOut' | 'beforeRun' | 'claim', ...args: string[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextCall++;
      calls.set(id, { resolve, reject });
      post({ type: 'call', call: id, name, args });
    });
  const env = load();
  env.catch(() => undefined); // reported by each group
  const running = new Set<Promise<void>>();
  // The run's signal, on this thread: its groups stop as the run's would.
  const stop = new AbortController();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'abort') stop.abort(fromTransfer(message.reason));
    else if (message.type === 'reply') {
      const waiting = calls.get(message.call);
      calls.delete(message.call);
      if (message.ok) waiting?.resolve(fromTransfer(message.value));
      else waiting?.reject(fromTransfer(message.value));
    } else if (message.type === 'group') {
      const job = (async () => {
        const e = await env;
        const beforeRun = e.loaded.config.hooks?.beforeRun;
        return e.upgradeGroupForWorker(
          message.group,
          message.wanted,
          { ...message.options, onEvent: event, signal: stop.signal },
          {
            fanOut: async () => (await call('fanOut')) as readonly FanOut[],
            hooks: beforeRun ? { beforeRun: async () => void (await call('beforeRun')) } : {},
            claim: async (identity, bind) => void (await call('claim', identity, bind)),
          },
        );
      })().then(
        (outcome) => post({ type: 'done', id: message.id, ok: true, value: toTransfer(outcome) }),
        (error: unknown) => post({ type: 'done', id: message.id, ok: false, value: toTransfer(error) }),
      );
      running.add(job);
      void job.finally(() => running.delete(job));
    } else {
      void Promise.all(running)
        .then(async () => (await env.catch(() => undefined))?.close())
        .finally(() => port.close());
    }
  });
}
