// `history -r current:` (Alembic's way to list what is applied and what is pending): `current`
// is where the bind stands. It was refused as "No revision, bind or branch label matches 'current'".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, revisionSource } from '../support/project.js';

const R = { a1: 'aaaa00000001', a2: 'aaaa00000002', a3: 'aaaa00000003', b1: 'bbbb00000001', b2: 'bbbb00000002' } as const;
const listed = (stdout: string) => [...stdout.matchAll(/-> (\w+)/g)].map((m) => m[1]);

describe('history -r with a current end', () => {
  const p = new TempProject(['default', 'db2']);
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

  it('without a bind named, with several binds, it says to name one', async () => {
    const out = await p.run('history', '-r', 'current:');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "ERROR: History range 'current:': 'current' is where one bind stands; name the bind (e.g. 'migrate history default -r current:'), or see every bind with 'migrate history -i'.\n",
    );
  });
});
