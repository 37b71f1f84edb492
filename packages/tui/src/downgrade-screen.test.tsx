import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { KEY, lines, press, tick } from '../test/support/ink.js';
import { ConfirmScreen } from './confirm-screen.js';
import { DowngradeScreen } from './downgrade-screen.js';
import { HelpScreen } from './help-screen.js';
import { MessageScreen } from './message-screen.js';

const CHOICES = [
  { target: 'db2@-1', label: '6cd0a1d092b6 load sales data (one step back)', revision: '6cd0a1d092b6' },
  { target: 'db2@-2', label: '4fcf6e3a8f8c create sales tables', revision: '4fcf6e3a8f8c' },
  { target: 'db2@base', label: 'base (every revision of the bind undone)', revision: undefined },
];

describe('DowngradeScreen', () => {
  it('lists where the bind can go and chooses with enter', async () => {
    const onChoose = vi.fn();
    const onBack = vi.fn();
    const { stdin, lastFrame } = render(<DowngradeScreen bind="db2" current={['fd2415b8acac']} choices={CHOICES} width={80} height={23} isActive onChoose={onChoose} onBack={onBack} />);
    await tick();
    expect(lines(lastFrame()).slice(0, 6)).toEqual([
      expect.stringMatching(/^Downgrade db2 · now at fd2415b8acac +\? keys$/),
      'Take it down to:',
      '',
      expect.stringMatching(/^› 6cd0a1d092b6 load sales data \(one step back\) +db2@-1$/),
      expect.stringMatching(/^  4fcf6e3a8f8c create sales tables +db2@-2$/),
      expect.stringMatching(/^  base \(every revision of the bind undone\) +db2@base$/),
    ]);
    await press(stdin, 'j', KEY.enter, KEY.escape);
    expect(onChoose).toHaveBeenCalledWith(CHOICES[1]);
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('says when the bind is at base', async () => {
    const { lastFrame } = render(<DowngradeScreen bind="db2" current={[]} choices={[]} width={80} height={23} isActive onChoose={vi.fn()} onBack={vi.fn()} />);
    await tick();
    expect(lastFrame()).toContain('db2 is at base: nothing to downgrade.');
  });
});

describe('ConfirmScreen', () => {
  const plan = {
    bind: 'db2',
    target: 'db2@-2',
    steps: [
      { bind: 'db2', revision: 'fd2415b8acac', message: 'add invoice currency' },
      { bind: 'db2', revision: '6cd0a1d092b6', message: 'load sales data' },
    ],
  };

  it('names every revision that will run and runs only on y', async () => {
    const handlers = { onConfirm: vi.fn(), onOpen: vi.fn(), onCancel: vi.fn() };
    const { stdin, lastFrame } = render(<ConfirmScreen plan={plan} width={80} height={23} isActive {...handlers} />);
    await tick();
    expect(lines(lastFrame()).slice(0, 7)).toEqual([
      expect.stringMatching(/^Confirm: downgrade db2@-2 +\? keys$/),
      'This runs 2 downgrades on db2, in this order:',
      '',
      '› db2   downgrade fd2415b8acac  add invoice currency',
      '  db2   downgrade 6cd0a1d092b6  load sales data',
      '',
      'Run it? y / n',
    ]);
    await press(stdin, KEY.enter, 'j', KEY.enter, KEY.space, 'x');
    expect(handlers.onOpen.mock.calls).toEqual([
      ['db2', 'fd2415b8acac'],
      ['db2', '6cd0a1d092b6'],
    ]);
    expect(handlers.onConfirm).not.toHaveBeenCalled();
    await press(stdin, 'y');
    expect(handlers.onConfirm).toHaveBeenCalledTimes(1);
    await press(stdin, 'n');
    expect(handlers.onCancel).toHaveBeenCalledTimes(1);
  });

  it('treats y as cancel when there is nothing to downgrade', async () => {
    const handlers = { onConfirm: vi.fn(), onOpen: vi.fn(), onCancel: vi.fn() };
    const { stdin, lastFrame } = render(<ConfirmScreen plan={{ ...plan, steps: [] }} width={80} height={23} isActive {...handlers} />);
    await tick();
    expect(lastFrame()).toContain('Nothing to downgrade: the bind is already there.');
    await press(stdin, 'y');
    expect(handlers.onConfirm).not.toHaveBeenCalled();
    expect(handlers.onCancel).toHaveBeenCalledTimes(1);
  });
});

describe('HelpScreen and MessageScreen', () => {
  it('lists a screen\'s keys and closes on any key but ?', async () => {
    const onClose = vi.fn();
    const { stdin, lastFrame } = render(<HelpScreen screen="review" width={80} height={23} isActive onClose={onClose} />);
    await tick();
    expect(lines(lastFrame()).slice(0, 3)).toEqual([expect.stringMatching(/^Keys · review/), '  ↑ ↓  j k  move', '  enter     show the revision: message, file, SQL, source (on Upgrade: run it)']);
    expect(lines(lastFrame()).every((l) => l.length <= 80)).toBe(true);
    await press(stdin, '?');
    expect(onClose).not.toHaveBeenCalled();
    await press(stdin, 'x');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('shows an error wrapped to the width; q or enter goes back', async () => {
    const onBack = vi.fn();
    const message = `cannot connect to postgres://app:***@db:5432/app: ${'x'.repeat(100)}`;
    const { stdin, lastFrame } = render(<MessageScreen title="Review" message={message} tone="error" width={80} height={23} isActive onBack={onBack} />);
    await tick();
    expect(lines(lastFrame())[1]).toBe('cannot connect to postgres://app:***@db:5432/app:');
    await press(stdin, KEY.enter, 'q');
    expect(onBack).toHaveBeenCalledTimes(2);
  });
});
