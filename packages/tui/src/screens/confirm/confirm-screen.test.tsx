import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { eventually, frameWhere, KEY, press } from '../../../test/support/ink.js';
import { ConfirmScreen } from './confirm-screen.js';

describe('ConfirmScreen', () => {
  const plan = {
    bind: 'db2',
    target: 'db2@-2',
    steps: [
      { bind: 'db2', revision: 'fd2415b8acac', message: 'add invoice currency' },
      { bind: 'db2', revision: '6cd0a1d092b6', message: 'load sales data' },
    ],
  };

  it('shows a long bind name whole at 80 columns', async () => {
    const long = { bind: 'tenant_07_customer_eu', target: 'tenant_07_customer_eu@-1', steps: [{ bind: 'tenant_07_customer_eu', revision: 'fd2415b8acac', message: 'add invoice currency' }] };
    const { lastFrame } = render(<ConfirmScreen plan={long} width={80} height={23} isActive onConfirm={vi.fn()} onOpen={vi.fn()} onCancel={vi.fn()} />);
    await frameWhere(lastFrame, (frame) => expect(frame[3]).toBe('› tenant_07_customer_eu  downgrade fd2415b8acac  add invoice currency'));
  });

  it('names every revision that will run and runs only on y', async () => {
    const handlers = { onConfirm: vi.fn(), onOpen: vi.fn(), onCancel: vi.fn() };
    const { stdin, lastFrame } = render(<ConfirmScreen plan={plan} width={80} height={23} isActive {...handlers} />);
    await frameWhere(lastFrame, (frame) =>
      expect(frame.slice(0, 7)).toEqual([
        expect.stringMatching(/^Confirm: downgrade db2@-2 +\? keys$/),
        'This runs 2 downgrades on db2, in this order:',
        '',
        '› db2   downgrade fd2415b8acac  add invoice currency',
        '  db2   downgrade 6cd0a1d092b6  load sales data',
        '',
        'Run it? y / n',
      ]),
    );
    await press(stdin, KEY.enter, 'j', KEY.enter, KEY.space, 'x');
    await eventually(() => expect(handlers.onOpen).toHaveBeenCalledTimes(2));
    expect(handlers.onOpen.mock.calls).toEqual([
      ['db2', 'fd2415b8acac'],
      ['db2', '6cd0a1d092b6'],
    ]);
    expect(handlers.onConfirm).not.toHaveBeenCalled();
    await press(stdin, 'y');
    await eventually(() => expect(handlers.onConfirm).toHaveBeenCalled());
    await press(stdin, 'n');
    await eventually(() => expect(handlers.onCancel).toHaveBeenCalledTimes(1));
    // n handled, so every key before it: only y confirmed (not space or x), and nothing else opened.
    expect(handlers.onConfirm).toHaveBeenCalledTimes(1);
    expect(handlers.onOpen).toHaveBeenCalledTimes(2);
  });

  it('says a downgrade in flight (MySQL/MariaDB) that it runs resumes after the writes it completed', async () => {
    const inFlight = { revision: 'fd2415b8acac', direction: 'down' as const, writes: 2, last: 'dropColumn invoice.currency' };
    const { lastFrame } = render(<ConfirmScreen plan={plan} inFlight={inFlight} width={80} height={23} isActive onConfirm={vi.fn()} onOpen={vi.fn()} onCancel={vi.fn()} />);
    await frameWhere(lastFrame, (frame) =>
      expect(frame.slice(1, 10)).toEqual([
        'This runs 2 downgrades on db2, in this order:',
        '',
        '› db2   downgrade fd2415b8acac  add invoice currency · in flight',
        '  db2   downgrade 6cd0a1d092b6  load sales data',
        '',
        'The downgrade of fd2415b8acac on db2 is in flight (stopped after 2 write(s),',
        'last: dropColumn invoice.currency): it resumes after the writes it completed',
        'rather than running whole.',
        '',
      ]),
    );
    // An upgrade in flight is no downgrade to resume (the binds screen refuses the downgrade first).
    const up = render(<ConfirmScreen plan={plan} inFlight={{ ...inFlight, direction: 'up' }} width={80} height={23} isActive onConfirm={vi.fn()} onOpen={vi.fn()} onCancel={vi.fn()} />);
    await frameWhere(up.lastFrame, (frame) => expect(frame.slice(3, 7)).toEqual(['› db2   downgrade fd2415b8acac  add invoice currency', '  db2   downgrade 6cd0a1d092b6  load sales data', '', 'Run it? y / n']));
  });

  it('treats y as cancel when there is nothing to downgrade', async () => {
    const handlers = { onConfirm: vi.fn(), onOpen: vi.fn(), onCancel: vi.fn() };
    const { stdin, lastFrame } = render(<ConfirmScreen plan={{ ...plan, steps: [] }} width={80} height={23} isActive {...handlers} />);
    await eventually(() => expect(lastFrame()).toContain('Nothing to downgrade: the bind is already there.'));
    await press(stdin, 'y');
    await eventually(() => expect(handlers.onCancel).toHaveBeenCalledTimes(1));
    expect(handlers.onConfirm).not.toHaveBeenCalled();
  });
});
