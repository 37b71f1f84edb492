// `revision` and `merge` with ids and branch labels (Alembic's --rev-id and --branch-label): a
// file the repository could not load once written (a label already carried, a reserved id, …)
// is refused before it is written, where it used to be written with exit 0 and then broke every
// later command; and `merge --branch-label`, as Alembic's `merge` takes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('revision and merge: ids and branch labels', () => {
  // db3 has no revisions yet: its name is still taken (its branch's root will carry it).
  const p = new InProcessProject(['default', 'db2', 'db3']);
  afterAll(() => p.remove());

  beforeAll(async () => {
    await p.ok('init', '--multidb');
    await p.revision('-m', 'd1', '--bind', 'default', '--rev-id', 'd1');
    await p.revision('-m', 'a1', '--bind', 'db2', '--rev-id', 'a1');
    await p.revision('-m', 'b1', '--bind', 'db2', '--rev-id', 'b1');
    await p.revision('-m', 'c1', '--head', 'a1', '--splice', '--rev-id', 'c1', '--branch-label', 'feat');
  });

  const refusals: [string, string[], number, string][] = [
    ['a label another revision carries', ['--branch-label', 'feat'], 1, "ERROR: Branch label 'feat' is already carried by revision 'c1' ("],
    ['a label that is a branch root', ['--branch-label', 'default'], 1, "ERROR: Branch label 'default' is already carried by revision 'd1' ("],
    ['a label naming a bind with no revisions yet', ['--branch-label', 'db3'], 1, "ERROR: Branch label 'db3' names bind 'db3'; a label of branch 'db2' may not name another bind or branch: choose another."],
    ['a label that is a revision id', ['--branch-label', 'a1'], 1, "ERROR: Branch label 'a1' is the id of revision 'a1' ("],
    ['a label equal to its own id', ['--branch-label', 'n1'], 1, "ERROR: Branch label 'n1' is the new revision's own id; choose another label (or --rev-id)."],
    ['a label targets cannot hold', ['--branch-label', 'two words'], 1, "ERROR: Branch label 'two words' is not allowed: use letters, digits, '_', '.', '-' (not first), and none of head, heads, base, current."],
    ['a reserved label', ['--branch-label', 'heads'], 1, "ERROR: Branch label 'heads' is not allowed"],
    ['an id that is a branch label', ['--rev-id', 'feat'], 1, "ERROR: Revision id 'feat' is the branch label of revision 'c1' ("],
    ['a reserved id (a usage error)', ['--rev-id', 'head'], 2, "ERROR: option '--rev-id <id>' argument 'head' is invalid. 'head' is a reserved word (head, heads, base, current are targets); choose another id."],
  ];

  it.each(refusals)('revision refuses %s, writes nothing, and the repository still loads', async (_what, args, code, message) => {
    const out = await p.run('revision', '-m', 'new', '--head', 'b1', ...(args.includes('--rev-id') ? [] : ['--rev-id', 'n1']), ...args);
    expect(out.code).toBe(code);
    expect(out.stderr.startsWith(message)).toBe(true);
    expect(p.versions('db2').sort()).toEqual(['a1_a1.ts', 'b1_b1.ts', 'c1_c1.ts']);
    expect(lines((await p.ok('heads')).stdout)).toEqual(['[default] d1 (default) (head)', '[db2] b1 (db2) (head)', '[db2] c1 (db2, feat) (head)']);
  });

  it('merge refuses an existing id or a label already carried, and writes nothing', async () => {
    const existing = await p.run('merge', '-m', 'join', 'b1', 'c1', '--rev-id', 'a1');
    expect(existing.code).toBe(1);
    expect(existing.stderr).toBe("ERROR: Revision id 'a1' already exists.\n");
    const label = await p.run('merge', '-m', 'join', 'b1', 'c1', '--rev-id', 'm1', '--branch-label', 'feat');
    expect(label.code).toBe(1);
    expect(label.stderr).toMatch(/^ERROR: Branch label 'feat' is already carried by revision 'c1' \(/);
    expect(p.versions('db2').sort()).toEqual(['a1_a1.ts', 'b1_b1.ts', 'c1_c1.ts']);
    await p.ok('heads');
  });

  it('merge --branch-label gives the merge revision its labels (as Alembic), which targets then name', async () => {
    const merge = await p.revision('merge', '-m', 'join', 'b1', 'c1', '--rev-id', 'm1', '--branch-label', 'release', '--branch-label', 'v2');
    expect(merge.file).toBe('migrations/versions/db2/m1_join.ts');
    expect(p.read(merge.file)).toContain("export const branchLabels = ['release', 'v2'];");
    expect(lines((await p.ok('heads')).stdout)).toEqual(['[default] d1 (default) (head)', '[db2] m1 (db2, feat, release, v2) (head)']);
    await p.ok('upgrade', 'release@head');
    expect(p.versionsApplied('db2')).toEqual(['m1']);
    expect(lines((await p.ok('current', 'db2')).stdout)).toEqual(['[db2] m1 (head) (mergepoint)']);
  });
});
