import { describe, expect, it } from 'vitest';
import { RevisionError, RevisionNotFoundError, UnknownBindError } from '../errors.js';
import { RevisionMap } from '../script/revision-map.js';
import { rev, thrown } from '../testing/revision-fixture.js';
import { parseOfflineRange } from './offline-range.js';

// db1: a1 <- a2 <- a3; db2: b1 <- b2; tenants t1 and t2 share branch shop: s1 <- s2.
const map = new RevisionMap([rev('a1', null, 'db1'), rev('a2', 'a1', 'db1'), rev('a3', 'a2', 'db1'), rev('b1', null, 'db2'), rev('b2', 'b1', 'db2'), rev('s1', null, 'shop'), rev('s2', 's1', 'shop')]);
const binds = [
  { bind: 'db1', branch: 'db1' },
  { bind: 'db2', branch: 'db2' },
  { bind: 't1', branch: 'shop' },
  { bind: 't2', branch: 'shop' },
];
const parse = (text: string) => parseOfflineRange(text, map, binds);

describe('parseOfflineRange', () => {
  it('a bare target starts from base and is kept as written', () => {
    expect(parse('head')).toMatchObject({ bind: undefined, branch: undefined, from: undefined, target: 'head' });
    expect(parse('db2@head')).toMatchObject({ from: undefined, target: 'db2@head' });
    expect(parse('a2')).toMatchObject({ from: undefined, target: 'a2' });
  });

  it('BIND@FROM:TO: the bind, its start, and a global TO scoped to the bind', () => {
    expect(parse('db1@a1:head')).toMatchObject({ bind: 'db1', from: { kind: 'revisions', revisions: ['a1'] }, target: 'db1@head' });
    expect(parse('db1@a1:+1')).toMatchObject({ target: 'db1@+1' });
    expect(parse('db1@head:-2')).toMatchObject({ bind: 'db1', from: { kind: 'head' }, target: 'db1@-2' });
    expect(parse('db1@base:a3')).toMatchObject({ from: { kind: 'base' }, target: 'a3' });
    expect(parse(' db2@heads:base ')).toMatchObject({ bind: 'db2', from: { kind: 'heads' }, target: 'db2@base' });
  });

  it('FROM revisions without a bind select their branch: its one bind, or its label for tenants', () => {
    expect(parse('a1:head')).toMatchObject({ bind: undefined, branch: 'db1', target: 'db1@head' });
    expect(parse('s1:head')).toMatchObject({ branch: 'shop', target: 'shop@head' });
    expect(parse('a2:head')).toMatchObject({ from: { kind: 'revisions', revisions: ['a2'] } });
    // base/head/heads without a bind leave the target unscoped.
    expect(parse('head:base')).toMatchObject({ bind: undefined, branch: undefined, from: { kind: 'head' }, target: 'base' });
  });

  it('refuses what it cannot place', () => {
    expect(thrown(() => parse('nope@a1:head'))).toBeInstanceOf(UnknownBindError);
    expect(thrown(() => parse('zz:head'))).toBeInstanceOf(RevisionNotFoundError);
    expect(String(thrown(() => parse('db1@a1:')))).toContain("give a target after ':'");
    expect(String(thrown(() => parse(':head')))).toContain("give where the bind starts before ':'");
    const mixed = thrown(() => parse('a1,b1:head'));
    expect(mixed).toBeInstanceOf(RevisionError);
    expect(String(mixed)).toContain('several branches (db1, db2)');
  });
});
