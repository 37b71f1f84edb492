import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../errors.js';
import { headsMap } from './heads-map.js';

describe('headsMap', () => {
  it('is a Map that JSON.stringify writes as an object of its entries', () => {
    const heads = headsMap([['db2', ['3f2a9c1d7b40']], ['analytics', []]]);
    expect(heads).toBeInstanceOf(Map);
    expect(heads).toEqual(new Map([['db2', ['3f2a9c1d7b40']], ['analytics', []]]));
    expect([...heads.keys()]).toEqual(['db2', 'analytics']);
    expect(JSON.stringify({ heads })).toBe('{"heads":{"db2":["3f2a9c1d7b40"],"analytics":[]}}');
    heads.set('default', ['a1']);
    expect(JSON.parse(JSON.stringify(heads))).toEqual({ db2: ['3f2a9c1d7b40'], analytics: [], default: ['a1'] });
    expect(Object.keys(heads)).toEqual([]);
  });

  it("gives InterruptedError.heads the same JSON, whatever map it was made with", () => {
    const error = new InterruptedError({ heads: new Map([['db2', ['ab01']]]) });
    expect(JSON.stringify(error.heads)).toBe('{"db2":["ab01"]}');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'INTERRUPTED', heads: { db2: ['ab01'] } });
  });
});
