// `current --check-heads` (Alembic 1.17's): a deploy or CI step that fails unless every bind is on
// all its branch's heads. Plain `current` exits 0 wherever the binds stand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource } from '../support/project.js';

const R = { a1: 'aaaa00000001', a2: 'aaaa00000002', b1: 'bbbb00000001', b2: 'bbbb00000002', b3: 'bbbb00000003' } as const;

interface Json {
  binds: { bind: string; atHeads: boolean; revisions: { revision: string }[] }[];
}

describe('current --check-heads', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());
  beforeAll(() => {
    const write = (branch: string, id: string, down: string | null) =>
      p.write(`migrations/versions/${branch}/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? [branch] : [] }));
    write('default', R.a1, null);
    write('default', R.a2, R.a1);
    write('db2', R.b1, null);
    write('db2', R.b2, R.b1);
  });

  it('fails, naming each bind behind and its heads, until every bind is at its heads', async () => {
    await p.ok('upgrade', 'default@head');
    await p.ok('upgrade', `db2@${R.b1}`);
    const behind = await p.run('current', '--check-heads');
    expect(behind.code).toBe(1);
    expect(behind.stdout).toContain(`[db2] ${R.b1}`);
    expect(behind.stderr).toBe(`FAILED: [db2] Database is not on all head revisions: at ${R.b1}; heads ${R.b2}\n`);
    // Plain current says where the binds stand and succeeds; so does a check of the bind at head.
    expect((await p.run('current')).code).toBe(0);
    expect((await p.run('current', 'default', '--check-heads')).code).toBe(0);
    const json = await p.run('current', '--check-heads', '--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Json).binds.map((b) => [b.bind, b.atHeads])).toEqual([
      ['default', true],
      ['db2', false],
    ]);
    await p.ok('upgrade');
    const ok = await p.run('current', '--check-heads');
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });

  it('a bind at base, or at one of its branch\'s several heads, is not on all heads', async () => {
    p.write(`migrations/versions/db2/${R.b3}_r.ts`, revisionSource({ revision: R.b3, downRevision: R.b1 }));
    const fork = await p.run('current', 'db2', '--check-heads');
    expect(fork.code).toBe(1);
    expect(fork.stderr).toBe(`FAILED: [db2] Database is not on all head revisions: at ${R.b2}; heads ${[R.b2, R.b3].sort().join(', ')}\n`);
    await p.ok('upgrade', 'db2@heads');
    expect((await p.run('current', 'db2', '--check-heads')).code).toBe(0);
    await p.ok('downgrade', 'default@base');
    const base = await p.run('current', 'default', '--check-heads');
    expect(base.code).toBe(1);
    expect(base.stderr).toBe(`FAILED: [default] Database is not on all head revisions: at <base>; heads ${R.a2}\n`);
  });
});
