import { describe, expect, it } from 'vitest';
import type { StepInfo } from '@multidb/core';
import type { Output } from './output.js';
import { bindsByReason, GroupedWarnings, groupedLines, renderEvents, summarisedBinds, warningText } from './render-events.js';

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

  it('prints a warning event as a WARNING line of its bind, also for a summarised branch', () => {
    const warning = { type: 'warning', bind: 't1', revision: '3f2a9c1d7b40', code: 'IDENTIFIER_TRUNCATED', message: "op.dropIndex('item') names index 'ix_…' (70 bytes)" } as const;
    expect(render(warning)).toEqual([`err:[t1] WARNING: op.dropIndex('item') names index 'ix_…' (70 bytes)`]);
    const lines: string[] = [];
    const binds = Array.from({ length: 20 }, (_, i) => ({ bind: `t${i + 1}`, branch: 'tenant' }));
    renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds })(warning);
    expect(lines).toEqual([`[t1] WARNING: op.dropIndex('item') names index 'ix_…' (70 bytes)`]);
  });

  it("a summarised branch's warning: printed the first time as it comes, its repeats (the same text but for the bind's name) counted at run-done", () => {
    const binds = Array.from({ length: 12 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' }));
    const lines: string[] = [];
    const on = renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds });
    const r1: StepInfo = { bind: 't0', revision: 'r1', direction: 'up', index: 1, total: 1, message: 'users', downRevisions: [], from: [] };
    for (const { bind } of binds) {
      on({ type: 'step-start', ...r1, bind });
      on({ type: 'warning', bind, revision: 'r1', code: 'IDENTIFIER_TRUNCATED', message: `createTable in revision r1 of bind '${bind}' names table 'x…' (70 bytes)` });
      if (bind === 't3') on({ type: 'warning', bind, revision: 'r1', code: 'IDENTIFIER_TRUNCATED', message: `createIndex in revision r1 of bind 't3' names index 'ix…' (64 bytes)` });
      on({ type: 'step-done', ...r1, bind, elapsedMs: 1 });
      on({ type: 'bind-done', bind, ok: true, heads: ['r1'] });
    }
    on({ type: 'run-done', ok: true, elapsedMs: 5 });
    expect(lines.filter((l) => l.includes('WARNING'))).toEqual([
      "[t0] WARNING: createTable in revision r1 of bind 't0' names table 'x…' (70 bytes)",
      "[t3] WARNING: createIndex in revision r1 of bind 't3' names index 'ix…' (64 bytes)",
      "[tenant ×12] WARNING: createTable in revision r1 of bind '<bind>' names table 'x…' (70 bytes) (on 12 binds)",
    ]); // t3's own warning is not repeated at the end
    expect(lines.at(-1)).toBe('[tenant ×12] 12 upgraded, 0 failed, 0 unchanged or not reached');
  });

  it('warningText and GroupedWarnings: a warning once per branch and text, the bind written <bind>, its binds counted, named unless all', () => {
    expect(warningText('[t7] has no models (binds.t7.models): skipped.', 't7')).toBe('has no models (binds.<bind>.models): skipped.');
    expect(warningText("op in revision r1 of bind 't7' names 't70'", 't7')).toBe("op in revision r1 of bind '<bind>' names 't70'");
    const warnings = new GroupedWarnings();
    const tenant = { branch: 'tenant', total: 3, tag: '[tenant ×3]' };
    const other = { branch: 'other', total: 30, tag: '[other ×30]' };
    for (const bind of ['t1', 't2', 't3']) warnings.add(tenant, bind, `[${bind}] has no models (binds.${bind}.models): skipped.`);
    warnings.add(tenant, 't2', 'Table x left alone');
    for (let i = 0; i < 25; i++) warnings.add(other, `o${i}`, 'Table y left alone');
    expect(warnings.lines()).toEqual([
      '[tenant ×3] WARNING: has no models (binds.<bind>.models): skipped. (on 3 binds)',
      '[tenant ×3] WARNING: Table x left alone (on 1 bind: t2)',
      `[other ×30] WARNING: Table y left alone (on 25 binds: ${Array.from({ length: 20 }, (_, i) => `o${i}`).join(', ')}, …)`,
    ]);
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

  it('summarised branch stopped by Ctrl-C: its totals count the binds stopped part way and those not reached, from their bind-done', () => {
    const binds = Array.from({ length: 12 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' }));
    const lines: string[] = [];
    const on = renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds });
    const r1: StepInfo = { bind: 't0', revision: 'r1', direction: 'up', index: 1, total: 2, message: 'users', downRevisions: [], from: [] };
    for (const bind of ['t0', 't1']) {
      on({ type: 'step-start', ...r1, bind });
      on({ type: 'step-done', ...r1, bind, elapsedMs: 1 });
    }
    on({ type: 'bind-done', bind: 't0', ok: false, heads: ['r1'], interrupted: 'stopped' });
    on({ type: 'bind-done', bind: 't1', ok: false, heads: ['r1'], interrupted: 'stopped' });
    for (let i = 2; i < 11; i++) on({ type: 'bind-done', bind: `t${i}`, ok: false, heads: [], interrupted: 'not-started' });
    on({ type: 'run-done', ok: false, elapsedMs: 5 });
    expect(lines).toEqual([
      '[tenant ×12] Running upgrade <base> -> r1, users',
      '[tenant ×12] Ran upgrade <base> -> r1, users on 2 binds',
      '[tenant ×12] 0 upgraded, 0 failed, 11 interrupted (2 stopped part way, 9 not reached), 1 unchanged',
    ]);
  });

  it('summarises a branch with more binds than the threshold: each revision once, tenths done, one line per failure, totals at the end', () => {
    const binds = Array.from({ length: 20 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' }));
    const lines: string[] = [];
    const on = renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds: [...binds, { bind: 'main', branch: 'main' }] });
    const r1: StepInfo = { bind: 't0', revision: 'r1', direction: 'up', index: 1, total: 2, message: 'users', downRevisions: [], from: [] };
    const r2: StepInfo = { ...r1, revision: 'r2', index: 2, message: 'orders', downRevisions: ['r1'], from: ['r1'] };
    on({ type: 'plan', steps: [], fanOut: [{ target: 'r2', branch: 'tenant', binds: binds.map((b) => b.bind) }] });
    for (let i = 0; i < 20; i++) {
      const bind = `t${i}`;
      on({ type: 'step-start', ...r1, bind });
      on({ type: 'step-done', ...r1, bind, elapsedMs: 1 });
      on({ type: 'step-start', ...r2, bind });
      if (i === 7) {
        on({ type: 'step-failed', ...r2, bind, error: Object.assign(new Error(`[t7] revision r2 failed: boom\n  file: /m/r2.ts`), { at: ['r1'] }) });
        on({ type: 'bind-done', bind, ok: false, heads: ['r1'] });
        continue;
      }
      on({ type: 'step-done', ...r2, bind, elapsedMs: 1 });
      on({ type: 'bind-done', bind, ok: true, heads: ['r2'] });
    }
    on({ type: 'step-start', ...r1, bind: 'main' });
    on({ type: 'run-done', ok: false, elapsedMs: 5 });
    expect(lines).toEqual([
      'Upgrading 20 binds on branch tenant',
      '[tenant ×20] Running upgrade <base> -> r1, users',
      '[tenant ×20] Running upgrade r1 -> r2, orders',
      '[tenant ×20] 2/20 binds done',
      '[tenant ×20] 4/20 binds done',
      '[tenant ×20] 6/20 binds done',
      '[t7] FAILED upgrade r1 -> r2, orders (stays at r1): boom',
      '[tenant ×20] 8/20 binds done',
      '[tenant ×20] 10/20 binds done',
      '[tenant ×20] 12/20 binds done',
      '[tenant ×20] 14/20 binds done',
      '[tenant ×20] 16/20 binds done',
      '[tenant ×20] 18/20 binds done',
      '[main] Running upgrade <base> -> r1, users',
      '[tenant ×20] Ran upgrade <base> -> r1, users on 20 binds',
      '[tenant ×20] Ran upgrade r1 -> r2, orders on 19 binds',
      '[tenant ×20] 19 upgraded, 1 failed (t7), 0 unchanged or not reached',
    ]);
  });

  it('keeps one line per bind and revision up to the threshold, and names a bind that failed before any step', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' }));
    const lines: string[] = [];
    renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds: ten })({ type: 'step-start', ...step, bind: 't3' });
    expect(lines).toEqual(['[t3] Running upgrade 1bc594146bb5 -> 3f2a9c1d7b40, add column']);
    const more: string[] = [];
    const on = renderEvents({ out: () => {}, err: (l) => more.push(l) }, 'upgrade', { binds: ten, perBindMax: 3 });
    on({ type: 'bind-done', bind: 't4', ok: false, heads: [] });
    on({ type: 'bind-done', bind: 't4', ok: false, heads: [] });
    expect(more).toEqual(['[t4] FAILED: not run (see the errors at the end)']);
  });

  it('a summarised stamp prints each change once and the tenths; a few binds keep their own line', () => {
    const binds = Array.from({ length: 11 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' }));
    const lines: string[] = [];
    const on = renderEvents({ out: () => {}, err: (l) => lines.push(l) }, 'upgrade', { binds: [...binds, { bind: 'main', branch: 'main' }] });
    for (const { bind } of binds.slice(0, 2)) {
      on({ type: 'stamp', bind, from: [], to: ['r1'] });
      on({ type: 'bind-done', bind, ok: true, heads: ['r1'] });
    }
    on({ type: 'stamp', bind: 't2', from: ['r0'], to: ['r1'] });
    on({ type: 'stamp', bind: 'main', from: [], to: ['m1'] });
    expect(lines).toEqual(['[tenant ×11] Stamping <base> -> r1', '[tenant ×11] 2/11 binds done', '[tenant ×11] Stamping r0 -> r1', '[main] Stamping <base> -> m1']);
  });
});

describe('summarisedBinds, groupedLines', () => {
  it('summarises the branches with more binds than the threshold; groups largest first, naming the odd ones', () => {
    const binds = [...Array.from({ length: 4 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' })), { bind: 'main', branch: 'main' }];
    const summarised = summarisedBinds(binds, 3);
    expect([...summarised.keys()]).toEqual(['t0', 't1', 't2', 't3']);
    expect(summarised.get('t0')).toEqual({ branch: 'tenant', total: 4, tag: '[tenant ×4]' });
    expect(summarisedBinds(binds).size).toBe(0);
    const groups = new Map([['<base>', ['t3']], ['r1 (head)', ['t0', 't1', 't2']]]);
    expect(groupedLines('[tenant ×4]', groups)).toEqual(['[tenant ×4] r1 (head) on 3 binds', '[tenant ×4] <base> on 1 bind: t3']);
    expect(groupedLines('[tenant ×4]', groups, { prefix: 'FAILED: ', nameAll: true })).toEqual(['FAILED: [tenant ×4] r1 (head) on 3 binds: t0, t1, t2', 'FAILED: [tenant ×4] <base> on 1 bind: t3']);
    const many = Array.from({ length: 25 }, (_, i) => `t${i}`);
    expect(groupedLines('[x ×50]', new Map([['a', many], ['b', many]]))[1]).toBe(`[x ×50] b on 25 binds: ${many.slice(0, 20).join(', ')}, …`);
  });
});

describe('bindsByReason', () => {
  it('says each reason once: a bind alone with its reason, several counted then named (the first 20), in the order the reasons first come', () => {
    expect(bindsByReason([])).toBe('');
    expect(bindsByReason([{ bind: 'default', reason: 'not up to date' }, { bind: 'db2', reason: 'unreachable' }])).toBe('default (not up to date), db2 (unreachable)');
    const tenants = ['t0', 't1', 't5', 't8'].map((bind) => ({ bind, reason: 'not up to date' }));
    expect(bindsByReason([...tenants.slice(0, 3), { bind: 't9', reason: 'unreachable' }, tenants[3]!])).toBe('4 not up to date (t0, t1, t5, t8), t9 (unreachable)');
    const many = Array.from({ length: 2000 }, (_, i) => ({ bind: `t${i}`, reason: 'not up to date' }));
    expect(bindsByReason(many)).toBe(`2000 not up to date (${many.slice(0, 20).map((b) => b.bind).join(', ')}, …)`);
  });
});
