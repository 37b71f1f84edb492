import { describe, expect, it } from 'vitest';
import { AmbiguousRevisionError, UnknownBindError } from '../errors.js';
import { sampleGraph as graph } from '../testing/revision-fixture.js';
import { revisionHistory } from './revision-history.js';
import { RevisionMap } from './revision-map.js';

describe('revisionHistory', () => {
  const map = new RevisionMap(graph());
  const ids = (range?: string, binds: { bind: string; branch: string }[] = []): string[] => revisionHistory(map, range, binds).map((s) => s.revision);

  it('lists everything newest first', () => {
    expect(revisionHistory(new RevisionMap([]))).toEqual([]);
    expect(ids()).toEqual(['fm', 'f2b', 'f2a', 'f1', 'b3', 'b2', 'b1', 'a3', 'a2', 'a1']);
    expect(ids('')).toEqual(ids());
    expect(ids('base:head')).toEqual(ids());
    expect(ids('base:heads')).toEqual(ids());
    expect(ids(':')).toEqual(ids());
  });

  it('takes A:B inclusive, either side optional', () => {
    expect(ids('a1:a2')).toEqual(['a2', 'a1']);
    expect(ids('a2:')).toEqual(['a3', 'a2']);
    expect(ids(':a2')).toEqual(['a2', 'a1']);
    expect(ids('f2b:fm')).toEqual(['fm', 'f2b']);
    expect(ids('a3:a1')).toEqual([]);
  });

  it('takes labels, bind names and bind-qualified ends', () => {
    expect(ids(':db2@head')).toEqual(['b3', 'b2', 'b1']);
    expect(ids('db2@base:')).toEqual(['b3', 'b2', 'b1']);
    expect(ids('db1:')).toEqual(['a3', 'a2', 'a1']);
    expect(ids(':db1')).toEqual(['a3', 'a2', 'a1']);
    expect(ids('side:')).toEqual(['fm', 'f2b']);
    expect(ids('tenant1@base:tenant1@head', [{ bind: 'tenant1', branch: 'f' }])).toEqual(['fm', 'f2b', 'f2a', 'f1']);
    expect(ids('a1+1:')).toEqual(['a3', 'a2']);
    expect(ids(':a3-1')).toEqual(['a2', 'a1']);
    expect(ids('head:')).toEqual(['fm', 'b3', 'a3']);
    expect(ids(':base')).toEqual([]);
  });

  it('refuses a range without a colon, relative ends and unknown binds', () => {
    expect(() => revisionHistory(map, 'a1')).toThrow(/needs a ':'/);
    expect(() => revisionHistory(map, '-2:')).toThrow(/relative to a current revision/);
    expect(() => revisionHistory(map, 'nope@head:')).toThrow(UnknownBindError);
    expect(() => revisionHistory(map, 'f2:')).toThrow(AmbiguousRevisionError);
  });
});
