import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { eventually, frameWhere, press } from '../../../test/support/ink.js';
import { HelpScreen } from './help-screen.js';

describe('HelpScreen', () => {
  it('lists a screen\'s keys and closes on any key but ?', async () => {
    const onClose = vi.fn();
    const { stdin, lastFrame } = render(<HelpScreen screen="review" width={80} height={23} isActive onClose={onClose} />);
    await frameWhere(lastFrame, (frame) => {
      expect(frame.slice(0, 3)).toEqual([expect.stringMatching(/^Keys · review/), '  ↑ ↓  j k  move', '  enter     show the revision: message, file, SQL, source (on Upgrade: run it)']);
      expect(frame.every((l) => l.length <= 80)).toBe(true);
    });
    await press(stdin, '?');
    expect(onClose).not.toHaveBeenCalled();
    await press(stdin, 'x');
    await eventually(() => expect(onClose).toHaveBeenCalled());
    // x handled, so ? before it: only x closed.
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
