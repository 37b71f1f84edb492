import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { eventually, frameWhere, KEY, press } from '../../../test/support/ink.js';
import { DowngradeScreen } from './downgrade-screen.js';

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
    await frameWhere(lastFrame, (frame) =>
      expect(frame.slice(0, 6)).toEqual([
        expect.stringMatching(/^Downgrade db2 · now at fd2415b8acac +\? keys$/),
        'Take it down to:',
        '',
        expect.stringMatching(/^› 6cd0a1d092b6 load sales data \(one step back\) +db2@-1$/),
        expect.stringMatching(/^  4fcf6e3a8f8c create sales tables +db2@-2$/),
        expect.stringMatching(/^  base \(every revision of the bind undone\) +db2@base$/),
      ]),
    );
    await press(stdin, 'j', KEY.enter, KEY.escape);
    // Esc, the last key, handled: so were the keys before it.
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(1));
    expect(onChoose.mock.calls).toEqual([[CHOICES[1]]]);
  });

  it('says when the bind is at base', async () => {
    const { lastFrame } = render(<DowngradeScreen bind="db2" current={[]} choices={[]} width={80} height={23} isActive onChoose={vi.fn()} onBack={vi.fn()} />);
    await eventually(() => expect(lastFrame()).toContain('db2 is at base: nothing to downgrade.'));
  });
});
