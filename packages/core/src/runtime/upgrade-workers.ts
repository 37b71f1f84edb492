import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import { MultidbError } from '../errors.js';
import type { FanOut } from '../script/planner.js';
import type { RunEvent } from './run-event.js';
import { fromTransfer, toTransfer, type Transferred } from './thread-transfer.js';
// Types only: the environment imports this module.
import type { GroupOutcome, GroupRunOptions, MigrationEnvironment } from './environment.js';

/** What a worker thread needs to load the environment again (plain data). */
export interface WorkerEnvironmentSource {
  /** Where the config search started. */
  readonly cwd: string;
  /** The config file. */
  readonly config: string;
  /** The module exporting `dialects` (URL or absolute path). */
  readonly dialects: string;
  /** The module alias of the worker's loader. */
  readonly alias?: Readonly<Record<string, string>>;
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
}

type ToWorker =
  | { readonly type: 'group'; readonly id: number; readonly group: readonly string[]; readonly wanted: readonly string[]; readonly options: GroupRunOptions }
  | { readonly type: 'reply'; readonly call: number; readonly ok: boolean; readonly value: Transferred }
  | { readonly type: 'close' };

type FromWorker =
  | { readonly type: 'event'; readonly event: Transferred }
  | { readonly type: 'call'; readonly call: number; readonly name: 'fanOut' | 'beforeRun' | 'claim'; readonly args: readonly string[] }
  | { readonly type: 'done'; readonly id: number; readonly ok: boolean; readonly value: Transferred };

/** The built worker module (core's bundle, or tsc's output); undefined when running from sources. */
function workerFile(): URL | undefined {
  for (const candidate of ['./upgrade-worker.js', '../upgrade-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Starts `count` worker threads for an upgrade of independent groups; each loads the
 * environment from `source` once and runs the groups it is given, one message per group. A worker
 * that dies fails the groups it had with an error, and is not given more.
 * @returns the pool, or undefined when the worker module is not built (the run stays on this thread).
 * @internal
 */
export async function startUpgradeWorkers(count: number, source: WorkerEnvironmentSource, host: WorkerRunHost): Promise<UpgradeWorkers | undefined> {
  const file = workerFile();
  if (!file) return undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (o: GroupOutcome) => void; reject: (e: unknown) => void; worker: Slot }>();
  interface Slot {
    readonly worker: Worker;
    busy: number;
    dead: Error | undefined;
    readonly exited: Promise<void>;
  }
  const slots: Slot[] = Array.from({ length: count }, () => {
    const worker = new Worker(file, { workerData: source });
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
      if (message.type === 'event') host.emit(fromTransfer(message.event) as RunEvent);
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
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => {
      fail(new MultidbError(`A worker thread of the upgrade stopped unexpectedly (exit code ${code}); its groups were not recorded as run. Run the command again.`, 'WORKER'));
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
        pending.set(id, { resolve, reject, worker: slot });
        slot.worker.postMessage({ type: 'group', id, group, wanted, options } satisfies ToWorker);
      });
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
  const post = (message: FromWorker) => port.postMessage(message);
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
  port.on('message', (message: ToWorker) => {
    if (message.type === 'reply') {
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
          { ...message.options, onEvent: (event) => post({ type: 'event', event: toTransfer(event) }) },
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
