import type { RunEvent } from '@multidb/core';
import { formatRevs, type Output } from './output.js';

/**
 * Turns run events into Alembic-style progress lines on stderr, prefixed by bind: `[db2] Running
 * upgrade 1bc594146bb5 -> 3f2a9c1d7b40, add column`, `[db2] Waiting for the migration lock on
 * db2...`, `[db2] Stamping <base> -> 3f2a9c1d7b40`. A target that fans out to every bind of a
 * shared branch is announced first: `Upgrading 3 binds on branch tenant: t1, t2, t3`. Other events
 * print nothing.
 * @param output - where the lines go (`err`).
 * @param command - the run's command, for the fan-out line (default `'upgrade'`).
 * @returns a listener (core's `RunListener`) to pass as `onEvent`.
 * @example
 * ```ts
 * await env.upgrade([], { onEvent: renderEvents(processOutput) });
 * ```
 */
export function renderEvents(output: Output, command: 'upgrade' | 'downgrade' = 'upgrade'): (event: RunEvent) => void {
  const verb = command === 'upgrade' ? 'Upgrading' : 'Downgrading';
  return (event) => {
    switch (event.type) {
      case 'plan':
        for (const f of event.fanOut ?? []) output.err(`${verb} ${f.binds.length} binds on branch ${f.branch}: ${f.binds.join(', ')}`);
        break;
      case 'lock-wait':
        output.err(`[${event.bind}] Waiting for the migration lock on ${event.bind}...`);
        break;
      case 'step-start':
        output.err(
          event.direction === 'up'
            ? `[${event.bind}] Running upgrade ${formatRevs(event.downRevisions)} -> ${event.revision}, ${event.message}`
            : `[${event.bind}] Running downgrade ${event.revision} -> ${formatRevs(event.downRevisions)}, ${event.message}`,
        );
        break;
      case 'stamp':
        output.err(`[${event.bind}] Stamping ${formatRevs(event.from)} -> ${formatRevs(event.to)}`);
        break;
      default:
        break;
    }
  };
}
