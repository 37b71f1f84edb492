import { describe, expect, it } from 'vitest';
import { UsageError } from './usage-error.js';
import { parseXArgs } from './x-args.js';

describe('parseXArgs', () => {
  it('splits at the first =, later keys win, and the record is frozen', () => {
    const x = parseXArgs(['a=1', 'b=x=y', 'a=2', 'empty=']);
    expect(x).toEqual({ a: '2', b: 'x=y', empty: '' });
    expect(Object.isFrozen(x)).toBe(true);
    expect(parseXArgs([])).toEqual({});
  });

  it('refuses a value without = or with an empty key', () => {
    expect(() => parseXArgs(['seed'])).toThrow(UsageError);
    expect(() => parseXArgs(['=1'])).toThrow("-x '=1': expected KEY=VALUE");
  });
});
