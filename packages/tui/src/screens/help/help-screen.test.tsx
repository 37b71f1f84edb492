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

  it("the run's keys show ctrl+c once, its own lines (not the global one, cut at 80 columns)", async () => {
    const { lastFrame } = render(<HelpScreen screen="run" width={80} height={23} isActive onClose={vi.fn()} />);
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toMatch(/^Keys · run/));
    expect(frame.filter((l) => /^ {2}ctrl\+c/.test(l))).toHaveLength(2); // ctrl+c, ctrl+c again
    expect(frame.filter((l) => /^ {2}ctrl\+c +stop/.test(l))).toHaveLength(1);
    expect(frame.filter((l) => /^ {2}ctrl\+c +quit/.test(l))).toHaveLength(0);
    expect(frame.filter((l) => l.includes('…'))).toEqual([]);
    expect(frame.some((l) => /^ {2}\? +show or hide these keys$/.test(l))).toBe(true);
    // Elsewhere the global ctrl+c stays.
    const review = render(<HelpScreen screen="review" width={80} height={23} isActive onClose={vi.fn()} />);
    const keys = await frameWhere(review.lastFrame, (f) => expect(f[0]).toMatch(/^Keys · review/));
    expect(keys.filter((l) => /^ {2}ctrl\+c +quit/.test(l))).toHaveLength(1);
  });
});
