// Two heads on one branch, upgrading past them, and merging them. One project, tests in order.
// `migrate` runs in this process (InProcessProject, `main`): nothing here needs a process of its own.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const table = (name: string) => ({
  upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
  downgrade: `await op.dropTable('${name}');`,
});

describe('multiple heads and merge', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());
  const rev = { d1: '', root: '', left: '', right: '', merge: '' };

  beforeAll(async () => {
    await p.ok('init', '--multidb');
    const d1 = await p.revision('-m', 'catalog', '--bind', 'default');
    const root = await p.revision('-m', 'root', '--bind', 'db2');
    const left = await p.revision('-m', 'left', '--bind', 'db2');
    // root has a child (left): a revision on it starts a new branch, which takes --splice (as Alembic).
    const refused = await p.run('revision', '-m', 'right', '--head', root.id);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`revision ${root.id} is not a head (${left.id} follows it)`);
    expect(refused.stderr).toContain('--splice');
    expect(p.versions('db2')).toHaveLength(2);
    const right = await p.revision('-m', 'right', '--head', root.id, '--splice');
    p.fill(d1.file, table('catalog'));
    p.fill(root.file, table('root'));
    p.fill(left.file, table('left'));
    p.fill(right.file, table('right'));
    Object.assign(rev, { d1: d1.id, root: root.id, left: left.id, right: right.id });
    expect(right.file).toBe(`migrations/versions/db2/${rev.right}_right.ts`);
    expect(p.read(right.file)).toContain(`export const downRevision = '${rev.root}';`);
    expect(p.read(left.file)).toContain(`export const downRevision = '${rev.root}';`);
  });

  it('heads shows both heads of db2', async () => {
    const out = await p.ok('heads');
    expect(lines(out.stdout).sort()).toEqual(
      [
        `[default] ${rev.d1} (default) (head)`,
        `[db2] ${rev.left} (db2) (head)`,
        `[db2] ${rev.right} (db2) (head)`,
      ].sort(),
    );
    // --verbose: each head as show prints it (Alembic's log entry).
    const verbose = lines((await p.ok('heads', '--verbose')).stdout);
    expect(verbose).toContain(`Rev: ${rev.left} (head)`);
    expect(verbose).toContain(`Path: ${join(p.dir, 'migrations', 'versions', 'db2', `${rev.left}_left.ts`)}`);
  });

  it('branches shows the branch point and its two children', async () => {
    const out = await p.ok('branches');
    const got = lines(out.stdout);
    expect(got[0]).toBe(`[db2] ${rev.root} (db2) (branchpoint)`);
    const under = ' '.repeat(`[db2] ${rev.root}`.length);
    expect(got.slice(1).sort()).toEqual([`${under} -> ${rev.left} (db2) (head)`, `${under} -> ${rev.right} (db2) (head)`].sort());
  });

  it('a new revision for a bind with two heads is refused', async () => {
    const out = await p.run('revision', '-m', 'after', '--bind', 'db2');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Multiple heads on branch 'db2'/m);
    expect(p.versions('db2')).toHaveLength(3);
  });

  it('upgrade fails with the multiple-heads message and applies nothing', async () => {
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    const error = lines(out.stderr).find((l) => l.startsWith('ERROR:')) ?? '';
    expect(error).toMatch(/Multiple heads on branch 'db2'/);
    expect(error).toContain(rev.left);
    expect(error).toContain(rev.right);
    expect(error).toContain('db2@head');
    expect(error).toContain("'heads'");
    expect(error).toContain('migrate merge');
    expect(out.stderr).not.toMatch(/Running/);
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.versionsApplied('db2')).toEqual([]);
    expect(p.tables('default').filter((t) => t !== 'multidb_version')).toEqual([]);
    expect(p.tables('db2').filter((t) => t !== 'multidb_version')).toEqual([]);
  });

  it('offline upgrade --sql of both heads names each revision and its down revision, as the online run prints it', async () => {
    const out = await p.ok('upgrade', '--sql', 'db2@heads');
    const running = lines(out.stdout).filter((l) => l.startsWith('-- Running'));
    // The second head's line named the version table's rows instead ("left -> left, right").
    expect(running.slice(0, 1)).toEqual([`-- Running upgrade <base> -> ${rev.root}, root`]);
    expect(running.slice(1).sort()).toEqual([`-- Running upgrade ${rev.root} -> ${rev.left}, left`, `-- Running upgrade ${rev.root} -> ${rev.right}, right`].sort());
  });

  it('upgrade heads applies both heads (and every other bind)', async () => {
    await p.ok('upgrade', 'heads');
    expect(p.versionsApplied('db2')).toEqual([rev.left, rev.right].sort());
    expect(p.tables('db2')).toEqual(['left', 'multidb_version', 'right', 'root']);
    expect(p.versionsApplied('default')).toEqual([rev.d1]);
    const current = await p.ok('current', 'db2');
    expect(lines(current.stdout).sort()).toEqual([`[db2] ${rev.left} (head)`, `[db2] ${rev.right} (head)`].sort());
    // status suggests the merge as the other messages spell it (autogenerate's, the TUI's).
    expect((await p.ok('status', 'db2')).stdout).toContain("merge them with 'migrate merge heads --bind db2 -m MSG'");
  });

  it('merging across branches is refused and writes nothing', async () => {
    const out = await p.run('merge', '-m', 'across', rev.left, rev.d1);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Cannot merge across branches \((db2, default|default, db2)\)/m);
    expect(p.versions('db2')).toHaveLength(3);
    expect(p.versions('default')).toHaveLength(1);
  });

  it('merge heads --bind db2 writes a merge revision; then upgrade works', async () => {
    const merge = await p.revision('merge', '-m', 'merge heads', 'heads', '--bind', 'db2');
    rev.merge = merge.id;
    expect(merge.file).toBe(`migrations/versions/db2/${rev.merge}_merge_heads.ts`);
    const header = /^export const downRevision = \[(.*)\];$/m.exec(p.read(merge.file))?.[1];
    expect(header?.split(',').map((s) => s.trim().replace(/'/g, '')).sort()).toEqual([rev.left, rev.right].sort());

    const heads = await p.ok('heads');
    expect(lines(heads.stdout).filter((l) => l.startsWith('[db2]'))).toHaveLength(1);

    const out = await p.ok('upgrade');
    expect(lines(out.stderr)).toEqual([expect.stringMatching(new RegExp(`^\\[db2\\] Running upgrade (${rev.left}, ${rev.right}|${rev.right}, ${rev.left}) -> ${rev.merge}, merge heads$`))]);
    expect(p.versionsApplied('db2')).toEqual([rev.merge]);
    expect(p.tables('db2')).toEqual(['left', 'multidb_version', 'right', 'root']);

    // Merged: its branch has one head again, and merging it says so.
    const again = await p.run('merge', '-m', 'again', 'heads', '--bind', 'db2');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`ERROR: Branch 'db2' has one head (${rev.merge}): nothing to merge. 'migrate heads' lists the heads of every branch.\n`);
    expect(p.versions('db2')).toHaveLength(4);
  });

  it('history marks the mergepoint and the branchpoint', async () => {
    const out = await p.ok('history', 'db2', '--indicate-current');
    const got = lines(out.stdout);
    expect(got).toHaveLength(4);
    expect(got[0]).toMatch(new RegExp(`^\\[db2\\] (${rev.left}, ${rev.right}|${rev.right}, ${rev.left}) -> ${rev.merge} \\(db2\\) \\(head\\) \\(current\\) \\(mergepoint\\), merge heads$`));
    expect(got.slice(1, 3).sort()).toEqual([`[db2] ${rev.root} -> ${rev.left} (db2), left`, `[db2] ${rev.root} -> ${rev.right} (db2), right`].sort());
    expect(got[3]).toBe(`[db2] <base> -> ${rev.root} (db2) (branchpoint), root`);
  });

  it('downgrade db2 from the merge goes back to both heads', async () => {
    const out = await p.ok('downgrade', 'db2');
    expect(out.stderr).toMatch(new RegExp(`\\[db2\\] Running downgrade ${rev.merge} -> `));
    expect(p.versionsApplied('db2')).toEqual([rev.left, rev.right].sort());
    expect(p.tables('db2')).toEqual(['left', 'multidb_version', 'right', 'root']);
    expect(p.versionsApplied('default')).toEqual([rev.d1]);
  });
});

// Two developers' lines merged in git on two branches at once: `merge heads` cannot tell which
// branch is meant. As `revision` without --bind, that is a usage error (exit 2) naming the binds.
describe('merge heads with several heads on several branches', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());

  beforeAll(async () => {
    await p.ok('init', '--multidb');
    for (const bind of ['default', 'db2']) {
      const root = await p.revision('-m', 'root', '--bind', bind);
      await p.revision('-m', 'left', '--bind', bind);
      await p.revision('-m', 'right', '--head', root.id, '--splice');
    }
  });

  it('is a usage error naming the binds to choose from, and writes nothing', async () => {
    const before = [...p.versions('default'), ...p.versions('db2')];
    const out = await p.run('merge', '-m', 'joined', 'heads');
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toBe("ERROR: 'merge heads' (branches with several heads: default, db2) needs a bind: name one of default, db2 (e.g. --bind default).\n");
    const json = await p.run('merge', '-m', 'joined', 'heads', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'BIND_REQUIRED' } });
    expect([...p.versions('default'), ...p.versions('db2')]).toEqual(before);
    await p.ok('merge', '-m', 'joined', 'heads', '--bind', 'db2');
    expect(p.versions('db2')).toHaveLength(4);
  });
});
