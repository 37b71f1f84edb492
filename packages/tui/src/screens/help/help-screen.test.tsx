import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { lines, press, tick } from '../../../test/support/ink.js';
import { HelpScreen } from './help-screen.js';

describe('HelpScreen', () => {
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
});
