import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useEffect, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { InputRouter } from './input-router.js';
import { useScreenInput } from './use-screen-input.js';
import { eventually } from '../../test/support/ink.js';

function Screen({ name, onKey }: { readonly name: string; readonly onKey: (input: string) => void }) {
  useScreenInput((input) => onKey(input));
  return <Text>{name}</Text>;
}

/** Screen A until `ready` settles, then screen B in its place (as the app's loading screens do). */
function Swap({ ready, onA, onB }: { readonly ready: Promise<void>; readonly onA: (input: string) => void; readonly onB: (input: string) => void }) {
  const [done, setDone] = useState(false);
  useEffect(() => {
    void ready.then(() => setDone(true));
  }, [ready]);
  return <InputRouter>{done ? <Screen key="B" name="screen B" onKey={onB} /> : <Screen key="A" name="screen A" onKey={onA} />}</InputRouter>;
}

describe('useScreenInput below an InputRouter', () => {
  it('hands a key typed as soon as a screen replaces another to the new screen alone', async () => {
    let resolve: () => void = () => undefined;
    const ready = new Promise<void>((r) => (resolve = r));
    const onA = vi.fn();
    const onB = vi.fn();
    const app = render(<Swap ready={ready} onA={onA} onB={onB} />);
    // The key is typed right after the frame that shows B, before React's passive effects run
    // (a task of their own): as quickly as a person may type while a loaded machine draws.
    const write = app.stdout.write;
    let typed = false;
    app.stdout.write = (frame: string) => {
      write(frame);
      if (typed || !frame.includes('screen B')) return;
      typed = true;
      queueMicrotask(() => app.stdin.write('q'));
    };
    resolve();
    await eventually(() => expect(onB).toHaveBeenCalledWith('q'));
    expect(onA).not.toHaveBeenCalled();
    app.unmount();
  });
});
