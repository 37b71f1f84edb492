import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ReviewScreen } from './review-screen.js';
import { columnOf, eventually, frameWhere, KEY, overflowing, press, textAt } from '../../../test/support/ink.js';
import type { ReviewModel } from '../../backend/tui-backend.js';

const step = (bind: string, revision: string, message: string, index: number, total: number, dependsOn: ReviewModel['binds'][number]['steps'][number]['dependsOn'] = []) => ({
  bind,
  revision,
  message,
  file: `/p/migrations/versions/${bind}/${revision}_x.ts`,
  downRevisions: [],
  index,
  total,
  dependsOn,
});

const MODEL: ReviewModel = {
  targets: ['db2@head'],
  totalSteps: 3,
  binds: [
    {
      bind: 'db2',
      selected: true,
      current: ['6cd0a1d092b6'],
      steps: [
        step('db2', 'fd2415b8acac', 'add invoice currency', 1, 2),
        step('db2', '0b1c2d3e4f5a', 'link invoice to album', 2, 2, [{ revision: 'e00861d9f40d', branch: 'default', binds: ['default'], inPlan: true }]),
      ],
      history: [
        { revision: '0b1c2d3e4f5a', message: 'link invoice to album', state: 'pending', isHead: true },
        { revision: 'fd2415b8acac', message: 'add invoice currency', state: 'pending', isHead: false },
        { revision: '6cd0a1d092b6', message: 'load sales data', state: 'current', isHead: false },
        { revision: '4fcf6e3a8f8c', message: 'create sales tables', state: 'applied', isHead: false },
      ],
    },
    {
      bind: 'default',
      selected: false,
      current: ['777187012aef'],
      steps: [step('default', 'e00861d9f40d', 'add album track count', 1, 1)],
      history: [{ revision: 'e00861d9f40d', message: 'add album track count', state: 'pending', isHead: true }],
    },
  ],
};

function setup(model: ReviewModel = MODEL, branches?: Record<string, string>) {
  const handlers = { onOpen: vi.fn(), onUpgrade: vi.fn(), onBack: vi.fn() };
  return { ...render(<ReviewScreen model={model} branches={branches} width={80} height={23} isActive {...handlers} />), ...handlers };
}

const HISTORY = [
  { revision: '0b1c2d3e4f5a', message: 'add invoice currency', state: 'pending', isHead: true },
  { revision: 'fd2415b8acac', message: 'create invoice', state: 'pending', isHead: false },
] as const;

/**
 * `n` tenants (`tenant0000`, …) at base with two revisions to run; the tenants at `at` (index →
 * revision) are there instead, one revision left.
 */
function tenants(n: number, at: ReadonlyMap<number, string> = new Map()): ReviewModel {
  const binds = Array.from({ length: n }, (_, i) => {
    const bind = `tenant${String(i).padStart(4, '0')}`;
    const current = at.get(i);
    return current
      ? { bind, selected: true, current: [current], steps: [step(bind, '0b1c2d3e4f5a', 'add invoice currency', 1, 1)], history: [...HISTORY] }
      : { bind, selected: true, current: [], steps: [step(bind, 'fd2415b8acac', 'create invoice', 1, 2), step(bind, '0b1c2d3e4f5a', 'add invoice currency', 2, 2)], history: [...HISTORY] };
  });
  return { targets: binds.map((b) => `${b.bind}@head`), totalSteps: binds.reduce((sum, b) => sum + b.steps.length, 0), binds };
}

describe('ReviewScreen', () => {
  it('lists pending revisions per bind in run order, with cross-bind dependencies and pulled-in binds', async () => {
    const { lastFrame } = setup();
    await frameWhere(lastFrame, (frame) => {
      expect(frame[0]).toMatch(/^Review · upgrade db2 +\? keys$/);
      expect(frame.slice(3, 10)).toEqual([
        '  db2  at 6cd0a1d092b6 · 2 to run',
        '›   1/2  fd2415b8acac  add invoice currency',
        '    2/2  0b1c2d3e4f5a  link invoice to album · after default:e00861d9f40d first',
        '  default  at 777187012aef · 1 to run · pulled in: a selected bind depends on it',
        '    1/1  e00861d9f40d  add album track count',
        '  [ Upgrade: 3 revisions on 2 binds ]',
        '',
      ]);
      expect(frame.at(-1)).toBe('enter show revision · u upgrade · h history · q back');
    });
  });

  it('marks a revision stopped part way (MySQL/MariaDB) as in flight: the upgrade resumes it after the writes it completed', async () => {
    const inFlight = { db2: { revision: 'fd2415b8acac', direction: 'up' as const, writes: 1, last: 'addColumn Invoice' } };
    const screen = render(<ReviewScreen model={MODEL} inFlight={inFlight} width={110} height={23} isActive onOpen={vi.fn()} onUpgrade={vi.fn()} onBack={vi.fn()} />);
    await frameWhere(screen.lastFrame, (frame) => {
      expect(frame.slice(4, 6)).toEqual([
        '›   1/2  fd2415b8acac  add invoice currency · in flight: resumes after 1 write (last: addColumn Invoice)',
        '    2/2  0b1c2d3e4f5a  link invoice to album · after default:e00861d9f40d first',
      ]);
    });
    screen.unmount();
  });

  it('says a downgrade in flight (MySQL/MariaDB) blocks the upgrade of its bind and how to go on, instead of "at their heads"', async () => {
    // Was: 'Nothing to upgrade: the selected binds are at their heads.', nothing on the downgrade in flight.
    const inFlight = { db2: { revision: '6cd0a1d092b6', direction: 'down' as const, writes: 1, last: 'dropTable sales' } };
    const atHead = { targets: ['db2@head'], totalSteps: 0, binds: [{ ...MODEL.binds[0]!, steps: [] }] };
    const screen = render(<ReviewScreen model={atHead} inFlight={inFlight} width={80} height={23} isActive onOpen={vi.fn()} onUpgrade={vi.fn()} onBack={vi.fn()} />);
    await frameWhere(screen.lastFrame, (frame) =>
      expect(frame.slice(1, 7)).toEqual([
        'Nothing to upgrade, but the downgrade of 6cd0a1d092b6 on db2 is in flight',
        '(stopped after 1 write(s), last: dropTable sales): upgrading is refused while a',
        // Fix first, as core's PartlyAppliedError says (was: only "downgrading db2 one step again resumes it", which fails the same way).
        'downgrade is in flight; once what made it stop is fixed, downgrading db2 one',
        'step again resumes it (q, then d on the binds screen).',
        '',
        '  db2  at 6cd0a1d092b6 · nothing to run',
      ]),
    );
    screen.unmount();
    // With revisions pending (another bind's, or this one's above it), the intro stays and the lines follow it.
    const pending = render(<ReviewScreen model={MODEL} inFlight={inFlight} width={80} height={23} isActive onOpen={vi.fn()} onUpgrade={vi.fn()} onBack={vi.fn()} />);
    await frameWhere(pending.lastFrame, (frame) => {
      expect(frame.slice(1, 4)).toEqual([
        'Pending revisions in run order per bind; independent binds run in parallel.',
        'The downgrade of 6cd0a1d092b6 on db2 is in flight (stopped after 1 write(s),',
        'last: dropTable sales): upgrading is refused while a downgrade is in flight;',
      ]);
      expect(frame).toHaveLength(23);
      expect(frame.filter((l) => l.includes('[ Upgrade: 3 revisions on 2 binds ]'))).toHaveLength(1);
    });
    pending.unmount();
  });

  it('opens the focused revision with enter and upgrades with u at once', async () => {
    const { stdin, onOpen, onUpgrade } = setup();
    await press(stdin, KEY.down, KEY.enter);
    await eventually(() => expect(onOpen).toHaveBeenCalledWith('db2', '0b1c2d3e4f5a'));
    await press(stdin, 'u');
    await eventually(() => expect(onUpgrade).toHaveBeenCalledTimes(1));
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('asks before enter on the Upgrade line runs anything: y runs it, any other key (enter again) does not', async () => {
    // Was: Down past the last revision, then enter (meant to open it) started the upgrade at once.
    const { stdin, lastFrame, onOpen, onUpgrade, onBack } = setup();
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.enter);
    const asked = await frameWhere(lastFrame, (frame) => expect(frame[8]).toBe('› [ Upgrade: 3 revisions on 2 binds ]  Run it? y / n'));
    expect(asked.at(-1)).toBe('y run the upgrade · any other key: not now');
    // Enter again (or n, q, Esc, an arrow) drops the question: nothing runs, and the screen stays.
    await press(stdin, KEY.enter);
    await frameWhere(lastFrame, (frame) => {
      expect(frame[8]).toBe('› [ Upgrade: 3 revisions on 2 binds ]');
      expect(frame.at(-1)).toBe('enter show revision · u upgrade · h history · q back');
    });
    await press(stdin, KEY.enter, 'q');
    await frameWhere(lastFrame, (frame) => expect(frame[8]).toBe('› [ Upgrade: 3 revisions on 2 binds ]'));
    await press(stdin, KEY.enter, 'y');
    await eventually(() => expect(onUpgrade).toHaveBeenCalledTimes(1));
    expect(onOpen).not.toHaveBeenCalled();
    expect(onBack).not.toHaveBeenCalled();
    // Answered: the next enter asks again.
    await press(stdin, KEY.enter, KEY.escape, 'q');
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(1));
    expect(onUpgrade).toHaveBeenCalledTimes(1);
  });

  it('shows each bind\'s history with the current revision marked', async () => {
    const { stdin, lastFrame, onOpen } = setup();
    await press(stdin, 'h');
    await frameWhere(lastFrame, (frame) =>
      expect(frame.slice(1, 10)).toEqual([
        'History per bind, newest first.',
        '',
        '  db2  at 6cd0a1d092b6 · 2 to run',
        '›   0b1c2d3e4f5a  link invoice to album  pending · head',
        '    fd2415b8acac  add invoice currency  pending',
        '    6cd0a1d092b6  load sales data  ◀ current',
        '    4fcf6e3a8f8c  create sales tables  applied',
        '  default  at 777187012aef · 1 to run · pulled in: a selected bind depends on it',
        '    e00861d9f40d  add album track count  pending · head',
      ]),
    );
    await press(stdin, KEY.down, KEY.down, KEY.enter);
    await eventually(() => expect(onOpen).toHaveBeenCalledWith('db2', '6cd0a1d092b6'));
    await press(stdin, 'h');
    // Back on the plan, with the focus on a revision.
    await frameWhere(lastFrame, (frame) => {
      expect(frame[1]).toBe('Pending revisions in run order per bind; independent binds run in parallel.');
      expect(frame.filter((l) => l.startsWith('› '))).toHaveLength(1);
    });
  });

  it('says when nothing is pending for 2,000 tenants, on one line for all of them', async () => {
    const model = tenants(2000);
    const { lastFrame } = setup({ ...model, totalSteps: 0, binds: model.binds.map((b) => ({ ...b, current: ['c2'], steps: [] })) });
    await frameWhere(lastFrame, (frame) =>
      expect(frame.slice(1, 6)).toEqual(['Nothing to upgrade: the selected binds are at their heads.', '', '  2,000 binds at c2 · nothing to run: tenant0000, tenant0001 and 1,998 more', '    (none)', '']),
    );
  });

  it('says when nothing is pending and ignores u', async () => {
    const { lastFrame, stdin, onUpgrade, onBack } = setup({ targets: ['db2@head'], totalSteps: 0, binds: [{ ...MODEL.binds[0]!, steps: [] }] });
    await eventually(() => {
      expect(lastFrame()).toContain('Nothing to upgrade: the selected binds are at their heads.');
      expect(lastFrame()).toContain('(none)');
    });
    await press(stdin, 'u', KEY.enter, 'q');
    // q handled: so were u and enter before it.
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(1));
    expect(onUpgrade).not.toHaveBeenCalled();
  });

  describe('with wide characters and combining marks', () => {
    // CJK takes two cells a character, an emoji two, a combining accent none.
    const LONG = 'v2 請求書に通貨の列を追加し、既存の行をすべて米ドルで埋める 🚀 pre\u0300miere e\u0301tape';
    const WIDE: ReviewModel = {
      targets: ['売上データベース東京@head'],
      totalSteps: 3,
      binds: [
        {
          bind: '売上データベース東京',
          selected: true,
          current: ['6cd0a1d092b6'],
          steps: [step('売上データベース東京', 'fd2415b8acac', LONG, 1, 2), step('売上データベース東京', '0b1c2d3e4f5a', '通貨 💶', 2, 2, [{ revision: 'e00861d9f40d', branch: 'cafe\u0301', binds: ['cafe\u0301'], inPlan: true }])],
          history: [
            { revision: '0b1c2d3e4f5a', message: '通貨 💶', state: 'pending', isHead: true },
            { revision: 'fd2415b8acac', message: LONG, state: 'pending', isHead: false },
            { revision: '6cd0a1d092b6', message: `${LONG} ${LONG}`, state: 'current', isHead: false },
          ],
        },
        {
          bind: 'cafe\u0301',
          selected: true,
          current: ['777187012aef'],
          steps: [step('cafe\u0301', 'e00861d9f40d', 'résumé: add album track count', 1, 1)],
          history: [{ revision: 'e00861d9f40d', message: 'résumé: add album track count', state: 'pending', isHead: true }],
        },
      ],
    };

    it('keeps every line of the plan within 80 columns and its columns aligned', async () => {
      const { lastFrame } = setup(WIDE);
      const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Review · upgrade 売上データベース東京, cafe\u0301 +\? keys$/));
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
      expect(frame[3]).toBe('  売上データベース東京  at 6cd0a1d092b6 · 2 to run');
      // Cut with … within the 78 cells after the cursor mark: 77 here, as め and … would take 79.
      expect(frame[4]).toBe('›   1/2  fd2415b8acac  v2 請求書に通貨の列を追加し、既存の行をすべて米ドルで埋…');
      expect(frame[5]).toBe('    2/2  0b1c2d3e4f5a  通貨 💶 · after cafe\u0301:e00861d9f40d first');
      expect(frame[7]).toBe('    1/1  e00861d9f40d  résumé: add album track count');
      const steps = [frame[4]!, frame[5]!, frame[7]!];
      for (const line of steps) {
        expect(textAt(line, columnOf(frame[4]!, 'fd2415b8acac'))).toMatch(/^[0-9a-f]{12}  \S/);
        expect(textAt(line, columnOf(frame[4]!, 'v2 '))).toMatch(/^(v2 請求書|通貨|résumé)/);
      }
    });

    it('keeps each history line within 80 columns, its state at the end, the messages aligned', async () => {
      const { stdin, lastFrame } = setup(WIDE);
      await press(stdin, 'h');
      const frame = await frameWhere(lastFrame, (f) => expect(f[1]).toBe('History per bind, newest first.'));
      expect(overflowing(frame, 80)).toEqual([]);
      expect(frame).toHaveLength(23);
      const history = frame.slice(4, 7);
      expect(history.map((l) => / {2}(pending · head|pending|◀ current)$/.exec(l)?.[1])).toEqual(['pending · head', 'pending', '◀ current']);
      expect(history[1]).toMatch(/^ {4}fd2415b8acac {2}v2 請求書に通貨.*…  pending$/);
      for (const line of history) expect(textAt(line, columnOf(history[0]!, '通貨'))).toMatch(/^(通貨|v2 請求書)/);
    });
  });

  it('keeps the count of a group of long bind names at 80 columns, cutting the names first', async () => {
    const base = tenants(30);
    const model = { ...base, binds: base.binds.map((b, i) => ({ ...b, bind: `tenant_${String(i + 1).padStart(2, '0')}_customer`, steps: b.steps.map((st) => ({ ...st, bind: `tenant_${String(i + 1).padStart(2, '0')}_customer` })) })) };
    const { lastFrame } = setup(model);
    const frame = await frameWhere(lastFrame, (f) => expect(f[3]).toMatch(/^ {2}30 binds at base/));
    expect(frame[3]).toBe('  30 binds at base · 2 to run each: tenant_01_cust…, tenant_02_cust… and 28 more');
    expect(overflowing(frame, 80)).toEqual([]);
  });

  describe('with 2,000 tenant binds', () => {
    const fits = (frame: string[]) => {
      expect(frame).toHaveLength(23);
      expect(overflowing(frame, 80)).toEqual([]);
    };

    it('counts the binds in the title per branch and shows one plan for the tenants that share it, the Upgrade line in view', async () => {
      const model = tenants(2000, new Map([[1999, 'a0a0a0a0a0a0']]));
      const branches = Object.fromEntries(model.binds.map((b) => [b.bind, 'tenant']));
      const { stdin, lastFrame, onOpen, onUpgrade } = setup(model, { ...branches, tenant1999: 'legacy' });
      const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Review · upgrade 2,000 binds \(tenant ×1,999, legacy ×1\) +\? keys$/));
      fits(frame);
      expect(frame.slice(1, 11)).toEqual([
        'Pending revisions in run order; binds with the same plan share a line.',
        '',
        '  1,999 binds at base · 2 to run each: tenant0000, tenant0001 and 1,997 more',
        '›   1/2  fd2415b8acac  create invoice',
        '    2/2  0b1c2d3e4f5a  add invoice currency',
        '  tenant1999  at a0a0a0a0a0a0 · 1 to run',
        '    1/1  0b1c2d3e4f5a  add invoice currency',
        '  [ Upgrade: 3,999 revisions on 2,000 binds ]',
        '',
        '',
      ]);
      await press(stdin, KEY.down, KEY.enter);
      await eventually(() => expect(onOpen).toHaveBeenCalledWith('tenant0000', '0b1c2d3e4f5a'));
      await press(stdin, 'G', KEY.enter, 'y', 'u');
      await eventually(() => expect(onUpgrade).toHaveBeenCalledTimes(2));
      await press(stdin, 'h');
      const history = await frameWhere(lastFrame, (f) => expect(f[1]).toBe('History, newest first; binds with the same history share a line.'));
      fits(history);
      expect(history.slice(1, 7)).toEqual([
        'History, newest first; binds with the same history share a line.',
        '',
        '  1,999 binds at base · 2 to run each: tenant0000, tenant0001 and 1,997 more',
        '›   0b1c2d3e4f5a  add invoice currency  pending · head',
        '    fd2415b8acac  create invoice  pending',
        '  tenant1999  at a0a0a0a0a0a0 · 1 to run',
      ]);
    });

    it('keeps the Upgrade line on the last line of the list while more groups than fit scroll above it', async () => {
      // 40 groups: the tenants at 39 different revisions, and those at base.
      const at = new Map(Array.from({ length: 39 }, (_, i) => [i * 50, `c${String(i).padStart(11, '0')}`] as const));
      const { stdin, lastFrame, onUpgrade } = setup(tenants(2000, at));
      const upgrade = '[ Upgrade: 3,961 revisions on 2,000 binds ]';
      await frameWhere(lastFrame, (frame) => {
        fits(frame);
        expect(frame[0]).toMatch(/^Review · upgrade 2,000 binds +\? keys$/);
        expect(frame[3]).toBe('  tenant0000  at c00000000000 · 1 to run');
        expect(frame[20]).toBe(`  ${upgrade}`);
      });
      await press(stdin, ...Array.from({ length: 30 }, () => 'j'));
      await frameWhere(lastFrame, (frame) => {
        fits(frame);
        expect(frame[20]).toBe(`  ${upgrade}`);
        expect(frame.filter((l) => l.startsWith('›'))).toHaveLength(1);
        const focus = frame.findIndex((l) => l.startsWith('›'));
        expect(focus).toBeGreaterThanOrEqual(3);
        expect(focus).toBeLessThan(20);
        // The 31st revision (the 30th key's frame): of the tenants at the 29th revision.
        expect(frame[focus - 1]).toBe('  tenant1400  at c00000000028 · 1 to run');
      });
      await press(stdin, 'G');
      await frameWhere(lastFrame, (frame) => {
        fits(frame);
        expect(frame[20]).toBe(`› ${upgrade}`);
        expect(frame.slice(17, 20)).toEqual(['    1/1  0b1c2d3e4f5a  add invoice currency', '  tenant1900  at c00000000038 · 1 to run', '    1/1  0b1c2d3e4f5a  add invoice currency']);
      });
      await press(stdin, 'g');
      await frameWhere(lastFrame, (frame) =>
        expect(frame.slice(3, 7)).toEqual([
          '  tenant0000  at c00000000000 · 1 to run',
          '›   1/1  0b1c2d3e4f5a  add invoice currency',
          '  1,961 binds at base · 2 to run each: tenant0001, tenant0002 and 1,959 more',
          '    1/2  fd2415b8acac  create invoice',
        ]),
      );
      await press(stdin, 'G');
      await press(stdin, KEY.enter);
      await frameWhere(lastFrame, (frame) => expect(frame[20]).toBe(`› ${upgrade}  Run it? y / n`));
      await press(stdin, 'y');
      await eventually(() => expect(onUpgrade).toHaveBeenCalledTimes(1));
    });
  });

  it('names a dependency on a branch of many binds by the branch and their count, not every bind', async () => {
    const tenants = Array.from({ length: 2000 }, (_, i) => `tenant${String(i).padStart(4, '0')}`);
    const model: ReviewModel = {
      targets: ['default@head'],
      totalSteps: 1,
      binds: [{ bind: 'default', selected: true, current: [], steps: [step('default', 'e00861d9f40d', 'sums', 1, 1, [{ revision: 'fd2415b8acac', branch: 'tenant', binds: tenants, inPlan: false }])], history: [] }],
    };
    const { lastFrame } = setup(model);
    await frameWhere(lastFrame, (frame) => expect(frame[4]).toBe('›   1/1  e00861d9f40d  sums · after tenant (2,000 binds):fd2415b8acac (applied)'));
  });
});
