import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { eventually, frameWhere, KEY, press } from '../../../test/support/ink.js';
import { MessageScreen } from './message-screen.js';

describe('MessageScreen', () => {
  it('shows an error wrapped to the width; q or enter goes back', async () => {
    const onBack = vi.fn();
    const message = `cannot connect to postgres://app:***@db:5432/app: ${'x'.repeat(100)}`;
    const { stdin, lastFrame } = render(<MessageScreen title="Review" message={message} tone="error" width={80} height={23} isActive onBack={onBack} />);
    await frameWhere(lastFrame, (frame) => expect(frame[1]).toBe('cannot connect to postgres://app:***@db:5432/app:'));
    await press(stdin, KEY.enter, 'q');
    await eventually(() => expect(onBack).toHaveBeenCalledTimes(2));
  });
});
