import { describe, expect, it } from 'vitest';
import type { StepInfo } from '@multidb/core';
import type { Output } from './output.js';
import { renderEvents } from './render-events.js';

const step: StepInfo = { bind: 'db2', revision: '3f2a9c1d7b40', direction: 'up', index: 1, total: 2, message: 'add column', downRevisions: ['1bc594146bb5'], from: ['1bc594146bb5'] };

function render(...events: Parameters<ReturnType<typeof renderEvents>>[0][]) {
  const lines: string[] = [];
  const output: Output = { out: (l) => lines.push(`out:${l}`), err: (l) => lines.push(`err:${l}`) };
  const on = renderEvents(output);
  events.forEach(on);
  return lines;
}

describe('renderEvents', () => {
  it('writes Alembic-style progress lines to stderr, prefixed by bind', () => {
    expect(render({ type: 'step-start', ...step })).toEqual(['err:[db2] Running upgrade 1bc594146bb5 -> 3f2a9c1d7b40, add column']);
    expect(render({ type: 'step-start', ...step, direction: 'down' })).toEqual(['err:[db2] Running downgrade 3f2a9c1d7b40 -> 1bc594146bb5, add column']);
  });

  it('shows a branch root as coming from <base> and a merge with both parents', () => {
    expect(render({ type: 'step-start', ...step, downRevisions: [] })).toEqual(['err:[db2] Running upgrade <base> -> 3f2a9c1d7b40, add column']);
    expect(render({ type: 'step-start', ...step, downRevisions: ['a1', 'b2'] })).toEqual(['err:[db2] Running upgrade a1, b2 -> 3f2a9c1d7b40, add column']);
  });

  it('says when it waits for a lock, and what a stamp changed', () => {
    expect(render({ type: 'lock-wait', bind: 'db2' })).toEqual(['err:[db2] Waiting for the migration lock on db2...']);
    expect(render({ type: 'stamp', bind: 'default', from: [], to: ['abc'] })).toEqual(['err:[default] Stamping <base> -> abc']);
  });

  it('says how many binds a target fanned out to, per shared branch', () => {
    const fanOut = [{ target: 'c1', branch: 'tenant', binds: ['t1', 't2', 't3'] }];
    expect(render({ type: 'plan', steps: [step], fanOut })).toEqual(['err:Upgrading 3 binds on branch tenant: t1, t2, t3']);
    const lines: string[] = [];
    renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'downgrade')({ type: 'plan', steps: [], fanOut });
    expect(lines).toEqual(['Downgrading 3 binds on branch tenant: t1, t2, t3']);
    expect(render({ type: 'plan', steps: [step], fanOut: [] }, { type: 'plan', steps: [step] })).toEqual([]);
  });

  it('prints nothing for events that carry no line', () => {
    expect(render({ type: 'step-done', ...step, elapsedMs: 3 }, { type: 'run-done', ok: true, elapsedMs: 5 })).toEqual([]);
  });
});
