import type { RunJob } from './execute-run.js';
import type { RunDriver, RunningJob } from './run-driver.js';
import type { RunMessage } from './run-message.js';
import type { RunGroup, RunSession } from '../backend/tui-backend.js';

/**
 * Starts every part of a run at once through a driver and collects their messages; a listener
 * that subscribes late gets the earlier messages replayed first.
 *
 * @param direction - `'up'` or `'down'`.
 * @param groups - the independent parts (see {@link independentGroups}).
 * @param job - builds each part's job from its group.
 * @param driver - where the parts run (see {@link defaultRunDriver}).
 * @param branches - each bind's version branch, for the run screen (see {@link RunSession.branches}).
 * @example
 * ```ts
 * const groups = [{ binds: ['db2'], targets: ['db2@head'] }];
 * const session = startRunSession('up', groups, (g) => ({ cwd: process.cwd(), direction: 'up', targets: g.targets }), workerRunDriver());
 * session.subscribe((group, message) => console.log(group, message.type));
 * ```
 */
export function startRunSession(
  direction: 'up' | 'down',
  groups: readonly RunGroup[],
  job: (group: RunGroup) => RunJob,
  driver: RunDriver,
  branches?: Readonly<Record<string, string>>,
): RunSession {
  const log: [number, RunMessage][] = [];
  const listeners = new Set<(group: number, message: RunMessage) => void>();
  const running: RunningJob[] = groups.map((group, index) =>
    driver.start(job(group), (message) => {
      log.push([index, message]);
      for (const listener of listeners) listener(index, message);
    }),
  );
  return {
    direction,
    groups,
    ...(branches ? { branches } : {}),
    subscribe(listener) {
      for (const [group, message] of log) listener(group, message);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    interrupt() {
      for (const r of running) r.interrupt();
    },
    async cancel() {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
