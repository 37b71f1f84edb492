// `migrate merge` takes heads as Alembic's `merge` does: labels and `Q@head` resolve, a revision
// named twice or one that is not a head is refused (checked against Alembic 1.8.1, tools/parity).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, revisionSource } from '../support/project.js';

describe('merge REV...', () => {
  const p = new TempProject(['default']);
  afterAll(() => p.remove());
  // a <- b <- c1 (c1branch) <- d1; b <- c2 (c2branch) <- d2.
  const R = { a: 'aaaa00000001', b: 'bbbb00000002', c1: 'cccc00000003', d1: 'dddd00000004', c2: 'eeee00000005', d2: 'ffff00000006' } as const;

  beforeAll(() => {
    p.copyIn(new URL('../../migrations/script.ts.tmpl', import.meta.url).pathname, 'migrations/script.ts.tmpl');
    const write = (id: string, down: string | null, labels: string[] = []) =>
      p.write(`migrations/versions/default/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? ['default'] : labels }));
    write(R.a, null);
    write(R.b, R.a);
    write(R.c1, R.b, ['c1branch']);
    write(R.d1, R.c1);
    write(R.c2, R.b, ['c2branch']);
    write(R.d2, R.c2);
  });

  it('refuses a revision that is not a head, and writes nothing', async () => {
    const out = await p.run('merge', '-m', 'm', 'c1branch', 'ffff');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`ERROR: Cannot merge ${R.c1}: not a head of branch 'default' (heads: ${R.d1}, ${R.d2}).`);
    expect(p.versions('default')).toHaveLength(6);
  });

  it('refuses a revision named twice, and writes nothing', async () => {
    const out = await p.run('merge', '-m', 'm', 'dddd', R.d1);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`names ${R.d1} more than once`);
    expect(p.versions('default')).toHaveLength(6);
  });

  it('takes <label>@head', async () => {
    const { file } = await p.revision('merge', '-m', 'm', 'c1branch@head', 'c2branch@head');
    expect(p.read(file)).toContain(`export const downRevision = ['${R.d1}', '${R.d2}'];`);
  });
});
