import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sliceWriter } from './output.js';

describe('sliceWriter (offline SQL to stdout)', () => {
  it('writes a long text in slices of 64 Ki characters, never splitting a surrogate pair, each after the last drained', async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    const slices: string[] = [];
    let waits = 0;
    const write = (text: string) => {
      slices.push(text);
      const ok = stream.write(text);
      if (!ok) waits++;
      return ok;
    };
    const received: Buffer[] = [];
    // A reader that comes late: the first slice fills the stream, the writer waits for it to drain.
    setTimeout(() => stream.on('data', (chunk: Buffer) => received.push(chunk)), 20);
    // A pair straddles the 64 Ki boundary: the first slice ends before it.
    const text = `${'a'.repeat(64 * 1024 - 1)}😀${'b'.repeat(64 * 1024)}é\n`;
    await sliceWriter(stream, write)(text);
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(slices.map((s) => s.length)).toEqual([64 * 1024 - 1, 64 * 1024, 4]);
    expect(slices.join('')).toBe(text);
    expect(Buffer.concat(received).toString('utf8')).toBe(text);
    expect(waits).toBeGreaterThan(0);
  });

  it('stops when the stream is destroyed while it waits (a reader that went away), without hanging', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const writes: string[] = [];
    const done = sliceWriter(stream, (text) => {
      writes.push(text);
      return stream.write(text);
    })('x'.repeat(200 * 1024));
    stream.destroy();
    await done;
    expect(writes).toHaveLength(1);
  });
});
