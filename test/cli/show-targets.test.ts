// `migrate show TARGET` takes Alembic's targets: `heads` shows each head, `base` nothing, `head`
// the one head (an error with several), `<label>@head` the head of that line.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShowJson } from '@multidb/cli';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource } from '../support/project.js';

describe('show TARGET', () => {
  const p = new InProcessProject(['default']);
  afterAll(() => p.remove());
  // a <- b (fork) <- c1; b <- c2 (c2branch): two heads.
  const R = { a: 'aaaa00000001', b: 'bbbb00000002', c1: 'cccc00000003', c2: 'dddd00000004' } as const;

  beforeAll(() => {
    const write = (id: string, down: string | null, labels: string[] = []) =>
      p.write(`migrations/versions/default/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? ['default'] : labels }));
    write(R.a, null);
    write(R.b, R.a);
    write(R.c1, R.b);
    write(R.c2, R.b, ['c2branch']);
  });

  const shown = (stdout: string) => [...stdout.matchAll(/^Rev: (\S+)/gm)].map((m) => m[1]);

  it('heads: every head, as Alembic', async () => {
    expect(shown((await p.ok('show', 'heads')).stdout)).toEqual([R.c1, R.c2]);
    // An object, as every command's --json (was a bare array).
    const json = JSON.parse((await p.ok('show', 'heads', '--json')).stdout) as ShowJson;
    expect(json.revisions.map((r) => r.revision)).toEqual([R.c1, R.c2]);
  });

  it('base: nothing', async () => {
    const out = await p.ok('show', 'base');
    expect(out.stdout).toBe('');
    expect(JSON.parse((await p.ok('show', 'base', '--json')).stdout)).toEqual({ revisions: [] });
  });

  it('head: refused with two heads; <label>@head and a revision: one', async () => {
    const head = await p.run('show', 'head');
    expect(head.code).toBe(1);
    expect(head.stderr).toMatch(/Multiple heads on branch 'default' for target 'head'/);
    expect(shown((await p.ok('show', 'c2branch@head')).stdout)).toEqual([R.c2]);
    expect(shown((await p.ok('show', 'default@heads')).stdout)).toEqual([R.c1, R.c2]);
    expect(shown((await p.ok('show', 'bbbb')).stdout)).toEqual([R.b]);
    // The bind's name is its branch root's label: Alembic shows the labelled revision.
    expect(shown((await p.ok('show', 'default')).stdout)).toEqual([R.a]);
    expect((JSON.parse((await p.ok('show', 'bbbb', '--json')).stdout) as ShowJson).revisions.map((r) => r.revision)).toEqual([R.b]);
  });

  // Alembic's `show` marks a branch point and a merge point, and says `Branches into:` and
  // `Merges:`: a merge shown as `Parent: a, b` read as one revision with two parents' names.
  it('a branch point and a merge point are marked as Alembic marks them', async () => {
    const fork = (await p.ok('show', R.b)).stdout.split('\n');
    expect(fork[0]).toBe(`Rev: ${R.b} (branchpoint)`);
    expect(fork).toContain(`Parent: ${R.a}`);
    expect(fork).toContain(`Branches into: ${R.c1}, ${R.c2}`);
    const merge = new InProcessProject(['default']);
    try {
      const write = (id: string, down: string | string[] | null) =>
        merge.write(`migrations/versions/default/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? ['default'] : [] }));
      write(R.a, null);
      write(R.b, R.a);
      write(R.c1, R.b);
      write(R.c2, R.b);
      write('eeee00000005', [R.c1, R.c2]);
      const shownMerge = (await merge.ok('show', 'eeee')).stdout.split('\n');
      expect(shownMerge[0]).toBe('Rev: eeee00000005 (head) (mergepoint)');
      expect(shownMerge[1]).toBe(`Merges: ${R.c1}, ${R.c2}`);
      expect(shownMerge.filter((l) => l.startsWith('Parent:'))).toEqual([]);
      expect((await merge.ok('show', R.c1)).stdout.split('\n')).toContain('Children: eeee00000005');
    } finally {
      merge.remove();
    }
  });
});

// `show current`, as Alembic's: the revisions the binds are at, read from their version tables.
describe('show current', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());
  const R = { a1: 'aaaa00000001', a2: 'aaaa00000002', b1: 'bbbb00000001' } as const;
  // Each revision after its bind, as `current` names them: `[db2] Rev: bbbb00000001 (head)`.
  const shown = (stdout: string) => [...stdout.matchAll(/^(\[\w+\] )?Rev: (\S+)/gm)].map((m) => `${m[1] ?? ''}${m[2]}`);

  beforeAll(async () => {
    const write = (branch: string, id: string, down: string | null) =>
      p.write(`migrations/versions/${branch}/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? [branch] : [] }));
    write('default', R.a1, null);
    write('default', R.a2, R.a1);
    write('db2', R.b1, null);
    await p.ok('upgrade', `default@${R.a1}`);
  });

  it('every bind at a revision, or one bind, each revision after its bind; a bind at base shows nothing', async () => {
    expect(shown((await p.ok('show', 'current')).stdout)).toEqual([`[default] ${R.a1}`]);
    expect((await p.ok('show', 'current')).stdout).toMatch(new RegExp(`^\\[default\\] Rev: ${R.a1}\nParent: <base>\n`));
    expect(shown((await p.ok('show', 'db2@current')).stdout)).toEqual([]);
    await p.ok('upgrade');
    expect(shown((await p.ok('show', 'current')).stdout)).toEqual([`[default] ${R.a2}`, `[db2] ${R.b1}`]);
    expect(shown((await p.ok('show', 'db2@current')).stdout)).toEqual([`[db2] ${R.b1}`]);
    const json = JSON.parse((await p.ok('show', 'current', '--json')).stdout) as ShowJson;
    expect(json.revisions.map((r) => [r.bind, r.revision])).toEqual([
      ['default', R.a2],
      ['db2', R.b1],
    ]);
    // Other targets name no bind, in text and in --json.
    expect((await p.ok('show', R.b1)).stdout).toMatch(new RegExp(`^Rev: ${R.b1} \\(head\\)\n`));
    expect((JSON.parse((await p.ok('show', R.b1, '--json')).stdout) as ShowJson).revisions[0]).not.toHaveProperty('bind');
  });

  it('two binds on one branch (tenants) at the same revision: the revision once per bind', async () => {
    const t = new InProcessProject(['t1', 't2'], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { t1: { url: 'sqlite:.data/t1.db', branch: 'tenant' }, t2: { url: 'sqlite:.data/t2.db', branch: 'tenant' } } });\n`,
    });
    try {
      t.write(`migrations/versions/tenant/${R.a1}_r.ts`, revisionSource({ revision: R.a1, downRevision: null, branchLabels: ['tenant'] }));
      await t.ok('upgrade');
      expect(shown((await t.ok('show', 'current')).stdout)).toEqual([`[t1] ${R.a1}`, `[t2] ${R.a1}`]);
      const json = JSON.parse((await t.ok('show', 'current', '--json')).stdout) as ShowJson;
      expect(json.revisions.map((r) => `${r.bind} ${r.revision}`)).toEqual([`t1 ${R.a1}`, `t2 ${R.a1}`]);
    } finally {
      t.remove();
    }
  });

  it('an unknown bind, or a bind at a revision no script declares: an error naming it', async () => {
    const unknown = await p.run('show', 'nope@current');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/'nope'/);
    // db2 upgraded to a revision whose file is then removed.
    const file = p.write('migrations/versions/db2/ffff00000001_r.ts', revisionSource({ revision: 'ffff00000001', downRevision: R.b1 }));
    await p.ok('upgrade', 'db2@head');
    rmSync(file);
    const gone = await p.run('show', 'db2@current');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe("ERROR: Bind 'db2' is at ffff00000001, which no revision script declares.\n");
  });
});
