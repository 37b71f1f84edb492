import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { eventually, frameWhere, overflowing, press } from '../../../test/support/ink.js';
import { SCREEN_KEYS, type ScreenName } from '../../shared/keys.js';
import { HelpScreen } from './help-screen.js';

/**
 * The explanation of the key on the line starting `  <key>`: that line's and the lines under it
 * that go on in its column (wrapped), joined by spaces.
 */
function explanation(frame: readonly string[], key: string): string | undefined {
  const at = frame.findIndex((l) => l.startsWith(`  ${key}  `));
  if (at < 0) return undefined;
  const first = frame[at]!;
  const afterKey = first.slice(2 + key.length);
  const column = first.length - afterKey.trimStart().length; // the keys are one cell per character
  const parts = [first.slice(column)];
  for (const line of frame.slice(at + 1)) {
    if (line.length <= column || line.slice(0, column).trim() !== '') break;
    parts.push(line.slice(column));
  }
  return parts.join(' ');
}

describe('HelpScreen', () => {
  it('lists a screen\'s keys and closes on any key but ?', async () => {
    const onClose = vi.fn();
    const { stdin, lastFrame } = render(<HelpScreen screen="review" width={80} height={23} isActive onClose={onClose} />);
    await frameWhere(lastFrame, (frame) => {
      expect(frame.slice(0, 3)).toEqual([expect.stringMatching(/^Keys · review/), '  ↑ ↓  j k  move', '  enter     show the revision: message, file, SQL, source (Upgrade: asks y/n)']);
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

  it.each(Object.keys(SCREEN_KEYS) as ScreenName[])('at 80 columns the %s keys fit, none cut, the ctrl+c hint whole', async (screen) => {
    const { lastFrame } = render(<HelpScreen screen={screen} width={80} height={23} isActive onClose={vi.fn()} />);
    const frame = await frameWhere(lastFrame, (f) => expect(f[0]).toBe(`Keys · ${screen}`));
    expect(overflowing(frame, 80)).toEqual([]);
    expect(frame.filter((l) => l.includes('…'))).toEqual([]);
    for (const [key, what] of SCREEN_KEYS[screen]) expect(explanation(frame, key)).toBe(what);
    if (screen === 'run') {
      expect(explanation(frame, 'ctrl+c')).toBe('stop the run after the revisions in progress');
      expect(explanation(frame, 'ctrl+c again')).toBe('abandon the run (open transactions roll back) and quit');
    } else expect(explanation(frame, 'ctrl+c')).toBe('quit (stops a run in progress after its revisions; again: abandons it)');
    expect(frame.at(-1)).toBe('any key closes');
  });
});
