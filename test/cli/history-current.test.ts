// `history -r current:` (Alembic's way to list what is applied and what is pending): `current`
// is where the bind stands. It was refused as "No revision, bind or branch label matches 'current'".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource } from '../support/project.js';

const R = { a1: 'aaaa00000001', a2: 'aaaa00000002', a3: 'aaaa00000003', b1: 'bbbb00000001', b2: 'bbbb00000002' } as const;
const listed = (stdout: string) => [...stdout.matchAll(/-> (\w+)/g)].map((m) => m[1]);

describe('history -r with a current end', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    const write = (branch: string, id: string, down: string | null) =>
      p.write(`migrations/versions/${branch}/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? [branch] : [] }));
    write('default', R.a1, null);
    write('default', R.a2, R.a1);
    write('default', R.a3, R.a2);
    write('db2', R.b1, null);
    write('db2', R.b2, R.b1);
    await p.ok('upgrade', 'default@aaaa00000002');
  });

  it("'current:' lists where the bind stands and what is above it; ':current' what it has applied", async () => {
    expect(listed((await p.ok('history', 'default', '-r', 'current:')).stdout)).toEqual([R.a3, R.a2]);
    expect(listed((await p.ok('history', 'default', '-r', ':current')).stdout)).toEqual([R.a2, R.a1]);
    expect(listed((await p.ok('history', 'default', '-r', `current:${R.a3}`)).stdout)).toEqual([R.a3, R.a2]);
    const json = JSON.parse((await p.ok('history', 'default', '-r', 'current:', '--json')).stdout) as { revisions: { revision: string }[] };
    expect(json.revisions.map((r) => r.revision)).toEqual([R.a3, R.a2]);
    // A bind at base: everything is above it, nothing applied.
    expect(listed((await p.ok('history', 'db2', '-r', 'current:')).stdout)).toEqual([R.b2, R.b1]);
    expect((await p.ok('history', 'db2', '-r', ':current')).stdout).toBe('');
  });

  it("'-N:' and '-N:current' end at the head or where the bind stands and start N below it; 'current:+N' lists N above it (Alembic's history -r-3:current)", async () => {
    expect(listed((await p.ok('history', 'default', '-r', '-1:current')).stdout)).toEqual([R.a2, R.a1]);
    expect(listed((await p.ok('history', '-r', 'default@-1:')).stdout)).toEqual([R.a3, R.a2]);
    expect(listed((await p.ok('history', '-r', `-5:${R.a3}`)).stdout)).toEqual([R.a3, R.a2, R.a1]);
    expect(listed((await p.ok('history', 'default', '-r', 'current:+1')).stdout)).toEqual([R.a3, R.a2]);
    // Relative to what? Both ends relative, or an open end at several heads: an error that says.
    const both = await p.run('history', '-r', '-1:+1');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("History range '-1:+1': both ends are relative");
    expect((await p.run('history', '-r', '-1:')).code).toBe(1);
  });

  it("with a bind named, '-N:', '-N:head' and 'base+N:' count along its branch (they failed on the other bind's head)", async () => {
    expect(listed((await p.ok('history', 'default', '-r', '-1:')).stdout)).toEqual([R.a3, R.a2]);
    expect(listed((await p.ok('history', 'default', '-r', '-1:head')).stdout)).toEqual([R.a3, R.a2]);
    expect(listed((await p.ok('history', 'db2', '-r', '-5:')).stdout)).toEqual([R.b2, R.b1]);
    expect(listed((await p.ok('history', 'db2', '-r', 'base+2:')).stdout)).toEqual([R.b2]);
    expect(listed((await p.ok('history', 'db2', '-r', ':head-1')).stdout)).toEqual([R.b1]);
    // An error quotes the range as it was typed, not as scoped to the bind ('default@-1:default@+1').
    const both = await p.run('history', 'default', '-r', '-1:+1');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("History range '-1:+1': both ends are relative");
    // Without a bind, the heads of two branches: the advice is to qualify the end, never a merge across branches.
    const unnamed = await p.run('history', '-r', '-1:');
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toBe(
      `ERROR: Multiple heads for target '-1': ${R.b2}, ${R.a3}. They are the heads of several branches (db2, default): ` +
        "qualify the end with one (e.g. 'db2@-1'), or name a bind of one ('migrate history <bind> -r …').\n",
    );
  });

  it('without a bind named, with several binds, it says to name one', async () => {
    const out = await p.run('history', '-r', 'current:');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "ERROR: History range 'current:': 'current' is where one bind stands; name the bind (e.g. 'migrate history default -r current:'), or see every bind with 'migrate history -i'.\n",
    );
    // The bind it suggests is one of the other end's branch (it suggested the first bind, default).
    const other = await p.run('history', '-r', `${R.b1}:current`);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`(e.g. 'migrate history db2 -r ${R.b1}:current')`);
  });
});

// Two developers' revisions from one parent: the bind stands at both heads. Alembic's `current`
// then stands for both (it was refused: "stands at several revisions; give one of them").
describe('history -r with a current end, the bind at two heads', () => {
  const F = { a: 'ffff0000000a', b2: 'ffff000000b2', b3: 'ffff000000b3', c2: 'ffff000000c2', c3: 'ffff000000c3' } as const;
  const p = new InProcessProject(['default']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    const write = (id: string, down: string | null) =>
      p.write(`migrations/versions/default/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? ['default'] : [] }));
    write(F.a, null);
    write(F.b2, F.a);
    write(F.b3, F.b2);
    write(F.c2, F.a);
    write(F.c3, F.c2);
    await p.ok('upgrade', F.b2, F.c2);
    expect(p.versionsApplied('default')).toEqual([F.b2, F.c2]);
  });

  it("'current:' lists both revisions and what is above them; ':current' what they need; 'A:current' up to them", async () => {
    expect(listed((await p.ok('history', '-r', 'current:')).stdout).sort()).toEqual([F.b2, F.b3, F.c2, F.c3].sort());
    expect(listed((await p.ok('history', '-r', ':current')).stdout).sort()).toEqual([F.a, F.b2, F.c2].sort());
    expect(listed((await p.ok('history', '-r', `${F.c2}:current`)).stdout)).toEqual([F.c2]);
    expect(listed((await p.ok('history', '-r', 'current:heads')).stdout).sort()).toEqual([F.b2, F.b3, F.c2, F.c3].sort());
  });

  it('an end that does not lead from both, or a relative other end, is an error that says so', async () => {
    const unrelated = await p.run('history', '-r', `current:${F.b3}`);
    expect(unrelated.code).toBe(1);
    expect(unrelated.stderr).toContain(`'current' stands for ${F.b2}, ${F.c2}, and ${F.c2} does not lead to ${F.b3}`);
    const relative = await p.run('history', '-r', '-1:current');
    expect(relative.code).toBe(1);
    expect(relative.stderr).toBe(
      `ERROR: History range '-1:current': 'current' stands for several revisions (${F.b2}, ${F.c2}), and '-1' counts from one; give one of them instead of 'current'.\n`,
    );
  });
});
