import type { RunMessage } from '../../src/run/run-message.js';
import type { RunSession } from '../../src/backend/tui-backend.js';

/**
 * Collects a session's messages, as `[part, message]`, until every part has finished or failed.
 * @example
 * ```ts
 * const messages = await finishRun(await backend.startRun({ direction: 'up', targets: ['default@head'] }));
 * ```
 */
export function finishRun(session: RunSession): Promise<[number, RunMessage][]> {
  return new Promise((resolve) => {
    const seen: [number, RunMessage][] = [];
    const ended = new Set<number>();
    session.subscribe((group, message) => {
      seen.push([group, message]);
      if (message.type === 'finished' || message.type === 'failed') ended.add(group);
      if (ended.size === session.groups.length) resolve(seen);
    });
  });
}
