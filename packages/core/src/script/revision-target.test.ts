import { describe, expect, it } from 'vitest';
import { AmbiguousRevisionError, RevisionError, RevisionNotFoundError, UnknownBindError } from '../errors.js';
import { RevisionMap } from './revision-map.js';
import { parseTarget } from './revision-target.js';
import type { RevisionScript } from './revision-script.js';
import { rev, thrown } from '../testing/revision-fixture.js';


// Bind db2's name is also valid hex: revision 'db2f01' starts with it. 'shard-1' looks like 'shard' minus one.
const map = new RevisionMap([
  rev('aa01', null, 'default'),
  rev('aa02', 'aa01', 'default', { branchLabels: ['v2'] }),
  rev('aa03', 'aa02', 'default'),
  rev('db2f01', null, 'db2'),
  rev('db2f02', 'db2f01', 'db2'),
  rev('cc01', null, 'tenant'),
  rev('cc02', 'cc01', 'tenant'),
  rev('ee01', null, 'shard-1'),
  rev('ff01', null, 'fork'),
  rev('ff02', 'ff01', 'fork'),
  rev('ff03', 'ff01', 'fork', { branchLabels: ['f3line'] }),
  rev('ee9', 'ff02', 'fork'),
]);
const binds = [
  { bind: 'default', branch: 'default' },
  { bind: 'db2', branch: 'db2' },
  { bind: 't1', branch: 'tenant' },
  { bind: 't2', branch: 'tenant' },
  { bind: 'shard-1', branch: 'shard-1' },
];
const parse = (text: string) => parseTarget(text, map, binds);

describe('parseTarget', () => {
  it('reads the keywords', () => {
    expect(parse('head')).toMatchObject({ kind: 'head', scope: undefined });
    expect(parse('heads')).toMatchObject({ kind: 'heads', scope: undefined });
    expect(parse('base')).toMatchObject({ kind: 'base', scope: undefined });
    expect(parse(' head ')).toMatchObject({ kind: 'head' });
  });

  it('reads +N and -N relative to the current revision', () => {
    expect(parse('+2')).toMatchObject({ kind: 'relative', steps: 2, scope: undefined });
    expect(parse('-1')).toMatchObject({ kind: 'relative', steps: -1, scope: undefined });
    expect(() => parse('+0')).toThrow(/at least 1/);
  });

  it('reads a bare bind name (a bind wins over a hex prefix and over <x>-N)', () => {
    expect(parse('db2')).toMatchObject({ kind: 'bind', scope: { via: 'bind', name: 'db2', branch: 'db2', binds: ['db2'] } });
    expect(parse('shard-1')).toMatchObject({ kind: 'bind', scope: { via: 'bind', binds: ['shard-1'] } });
    expect(parse('t1')).toMatchObject({ kind: 'bind', scope: { branch: 'tenant', binds: ['t1'] } });
  });

  it('reads <bind>@head, @heads, @base, @+N, @-N', () => {
    expect(parse('db2@head')).toMatchObject({ kind: 'head', scope: { via: 'bind', binds: ['db2'], anchor: undefined } });
    expect(parse('db2@heads')).toMatchObject({ kind: 'heads', scope: { binds: ['db2'] } });
    expect(parse('t2@base')).toMatchObject({ kind: 'base', scope: { binds: ['t2'] } });
    expect(parse('db2@+1')).toMatchObject({ kind: 'relative', steps: 1, scope: { binds: ['db2'] } });
    expect(parse('shard-1@-3')).toMatchObject({ kind: 'relative', steps: -3, scope: { binds: ['shard-1'] } });
    expect(() => parse('db2@sideways')).toThrow("'db2@sideways': no revision of branch 'db2' of bind 'db2' matches 'sideways'.");
    expect(() => parse('db2@sideways')).toThrow(RevisionNotFoundError);
    expect(() => parse('@head')).toThrow(RevisionError);
    expect(() => parse('db2@')).toThrow(/after '@' give head/);
    expect(() => parse('db2@head@base')).toThrow(/at most one '@'/);
  });

  it('reads a branch label like a bind name, selecting every bind of its branch', () => {
    expect(parse('tenant@head')).toMatchObject({ kind: 'head', scope: { via: 'label', branch: 'tenant', binds: ['t1', 't2'], anchor: 'cc01' } });
    expect(parse('tenant')).toMatchObject({ kind: 'bind', scope: { via: 'label', binds: ['t1', 't2'] } });
    expect(parse('v2@head')).toMatchObject({ kind: 'head', scope: { via: 'label', binds: ['default'], anchor: 'aa02' } });
  });

  it('reads the label of a non-root revision as that revision', () => {
    expect(parse('v2')).toMatchObject({ kind: 'revision', revision: 'aa02', scope: { binds: ['default'] } });
  });

  it('reads revision ids and unique prefixes, selecting the binds of their branch', () => {
    expect(parse('aa03')).toMatchObject({ kind: 'revision', revision: 'aa03', scope: { via: 'revision', branch: 'default', binds: ['default'] } });
    expect(parse('db2f02')).toMatchObject({ kind: 'revision', revision: 'db2f02', scope: { binds: ['db2'] } });
    expect(parse('cc02')).toMatchObject({ kind: 'revision', scope: { binds: ['t1', 't2'] } });
    expect(parse('ee0')).toMatchObject({ kind: 'revision', revision: 'ee01' });
    expect(() => parse('ee')).toThrow(AmbiguousRevisionError);
  });

  it('lists the candidates of an ambiguous prefix', () => {
    let error: unknown;
    try {
      parse('aa');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AmbiguousRevisionError);
    expect((error as AmbiguousRevisionError).candidates).toEqual(['aa01', 'aa02', 'aa03']);
    expect(() => parse('db2f0')).toThrow(AmbiguousRevisionError);
  });

  it('reads <rev>+N and <rev>-N by walking the branch', () => {
    expect(parse('aa01+2')).toMatchObject({ kind: 'revision', revision: 'aa03' });
    expect(parse('aa03-1')).toMatchObject({ kind: 'revision', revision: 'aa02', scope: { binds: ['default'] } });
    expect(parse('v2+1')).toMatchObject({ kind: 'revision', revision: 'aa03' });
    expect(parse('aa02-2')).toMatchObject({ kind: 'base', scope: { branch: 'default', binds: ['default'] } });
    expect(() => parse('aa02-3')).toThrow(/below base/);
    expect(() => parse('aa03+1')).toThrow(/beyond the head/);
    expect(() => parse('ff01+1')).toThrow(/forks into ff02, ff03/);
    expect(() => parse('db2+1')).toThrow(/'db2' is a bind; write 'db2@\+1'/);
  });

  it('reads <rev>@head as the head descending from it', () => {
    expect(parse('aa02@head')).toMatchObject({ kind: 'head', scope: { via: 'revision', anchor: 'aa02', binds: ['default'] } });
    expect(parse('ff02@head')).toMatchObject({ kind: 'head', scope: { anchor: 'ff02', branch: 'fork', binds: [] } });
  });

  it('reads head-N and base+N, alone or qualified, and refuses the forms that walk off the graph', () => {
    expect(parse('head-1')).toMatchObject({ kind: 'offset', from: 'head', steps: -1, scope: undefined });
    expect(parse('base+2')).toMatchObject({ kind: 'offset', from: 'base', steps: 2, scope: undefined });
    expect(parse('db2@head-2')).toMatchObject({ kind: 'offset', from: 'head', steps: -2, scope: { via: 'bind', binds: ['db2'] } });
    expect(parse('f3line@base+2')).toMatchObject({ kind: 'offset', from: 'base', steps: 2, scope: { via: 'label', anchor: 'ff03', binds: [] } });
    expect(() => parse('head+1')).toThrow("'head+1' goes beyond the head; '+1' steps up from where each bind is.");
    expect(() => parse('db2@base-1')).toThrow("'db2@base-1' goes below base; 'db2@base+1' counts up from base.");
    expect(() => parse('heads-1')).toThrow("'heads-1': 'heads' names several revisions; step from one of them ('head-1' for a single head).");
    expect(() => parse('base+0')).toThrow(/at least 1/);
  });

  it("reads <bind>@<rev or prefix>: a revision of that bind's branch, for that bind only", () => {
    expect(parse('t2@cc02')).toMatchObject({ kind: 'revision', revision: 'cc02', scope: { via: 'bind', branch: 'tenant', binds: ['t2'], anchor: undefined } });
    expect(parse('t2@cc01+1')).toMatchObject({ kind: 'revision', revision: 'cc02', scope: { binds: ['t2'] } });
    expect(parse('t2@cc02-2')).toMatchObject({ kind: 'base', scope: { binds: ['t2'] } });
    // A prefix is matched among the bind's branch only: 'ee' is ee01 (shard-1) and ee9 (fork).
    expect(parse('shard-1@ee')).toMatchObject({ kind: 'revision', revision: 'ee01', scope: { binds: ['shard-1'] } });
    expect(() => parse('t1@cc0')).toThrow(AmbiguousRevisionError);
    expect(() => parse('t1@aa02')).toThrow("'t1@aa02': revision 'aa02' (branch 'default') is not in branch 'tenant' of bind 't1'.");
    expect(() => parse('t1@aa')).toThrow("'t1@aa': no revision of branch 'tenant' of bind 't1' matches 'aa' (elsewhere: aa01, aa02, aa03).");
    expect(() => parse('t1@v2')).toThrow(/revision 'aa02' .* is not in branch 'tenant'/);
  });

  it('reads <label>@<rev or prefix> within the line of the label (its ancestors and descendants)', () => {
    expect(parse('f3line@ff01')).toMatchObject({ kind: 'revision', revision: 'ff01', scope: { via: 'label', anchor: 'ff03' } });
    expect(parse('f3line@f3line')).toMatchObject({ kind: 'revision', revision: 'ff03' });
    expect(parse('fork@ee')).toMatchObject({ kind: 'revision', revision: 'ee9', scope: { via: 'label', anchor: 'ff01' } });
    expect(thrown(() => parse('f3line@ff0'))).toMatchObject({ candidates: ['ff01', 'ff03'] });
    expect(() => parse('f3line@ff02')).toThrow("'f3line@ff02': revision 'ff02' (branch 'fork') is not in the line of 'f3line' (branch 'fork').");
    expect(() => parse('f3line@ee9')).toThrow(/not in the line of 'f3line'/);
    // A revision qualifier works like a label: the line of that revision.
    expect(parse('ff02@ff01')).toMatchObject({ kind: 'revision', revision: 'ff01', scope: { via: 'revision', anchor: 'ff02' } });
    expect(parse('ff02@+1')).toMatchObject({ kind: 'relative', steps: 1, scope: { via: 'revision', anchor: 'ff02' } });
  });

  it('walks <label>@<rev>+N up the line of the label, where a bare <rev>+N meets the fork', () => {
    expect(parse('f3line@ff01+1')).toMatchObject({ kind: 'revision', revision: 'ff03' });
    expect(parse('fork@ff02+1')).toMatchObject({ kind: 'revision', revision: 'ee9' });
    expect(() => parse('ff01+1')).toThrow(/forks into ff02, ff03/);
    expect(() => parse('f3line@ff01+2')).toThrow("'f3line@ff01+2' goes beyond the head of the line of 'ff03' in branch 'fork' (only 1 revision(s) above).");
  });

  it('refuses an unknown bind, listing the binds', () => {
    let error: unknown;
    try {
      parse('foo@head');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownBindError);
    expect((error as UnknownBindError).known).toEqual(['default', 'db2', 't1', 't2', 'shard-1']);
    expect((error as Error).message).toContain('Configured binds: default, db2, t1, t2, shard-1');
  });

  it('refuses what matches nothing, and an empty target', () => {
    expect(() => parse('zz99')).toThrow(RevisionNotFoundError);
    expect(() => parse('zz99')).toThrow(/Binds: default, db2/);
    expect(() => parse('zz99+1')).toThrow(RevisionNotFoundError);
    expect(() => parse('  ')).toThrow(/Empty revision target/);
  });

  it('names the bind a misspelling likely meant, but not for text that reads as a revision prefix', () => {
    expect(() => parse('defualt')).toThrow(/matches 'defualt' \(did you mean bind 'default'\?\)/);
    expect(() => parse('dv2')).toThrow(/\(did you mean bind 'db2'\?\)/);
    // Hex, one edit from db2: most likely a mistyped revision id; the binds are listed anyway.
    const error = thrown(() => parse('1b2'));
    expect(error).toBeInstanceOf(RevisionNotFoundError);
    expect((error as Error).message).not.toContain('did you mean');
  });

  it('works without binds (labels and revisions only)', () => {
    expect(parseTarget('db2@head', map)).toMatchObject({ kind: 'head', scope: { via: 'label', branch: 'db2', binds: [] } });
    expect(parseTarget('db2', map)).toMatchObject({ kind: 'bind', scope: { via: 'label' } });
  });
});
