import type { RunEvent } from '@multidb/core';
import { formatRevs, type Output } from './output.js';

/**
 * Turns run events into Alembic-style progress lines on stderr, prefixed by bind:
 * `[db2] Running upgrade 1bc594146bb5 -> 3f2a9c1d7b40, add column`.
 */
export function renderEvents(output: Output): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
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
