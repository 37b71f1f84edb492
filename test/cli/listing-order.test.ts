// One order for every listing: the config's (sales before catalog here, though names sort the other
// way). Alembic lists in load order, its `version_locations` in the order written
// (`version_locations = sales catalog`), and walks `history` down each head in that order; the
// expected lines are what Alembic 1.8.1 printed for the same graphs, with multidb's `[branch]`.
// `heads` listed branches by name while `history` listed them otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, revisionSource } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';

const S = { s1: 'aaaa00000001', s2: 'aaaa00000002' } as const;
const K = { k1: 'bbbb00000001', k2: 'bbbb00000002', left: 'bbbb00000003', right: 'bbbb00000004' } as const;
const text = (...lines: string[]) => `${lines.join('\n')}\n`;

function write(p: TempProject, branch: string, id: string, down: string | null, message: string, dependsOn: string[] = []): void {
  p.write(`migrations/versions/${branch}/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: down === null ? [branch] : [], dependsOn, message }));
}

describe('listings in config order: sales, then catalog (forked)', () => {
  const p = new InProcessProject(['sales', 'catalog']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    write(p, 'sales', S.s1, null, 'sales one');
    write(p, 'sales', S.s2, S.s1, 'sales two');
    write(p, 'catalog', K.k1, null, 'catalog one');
    write(p, 'catalog', K.k2, K.k1, 'catalog fork');
    write(p, 'catalog', K.left, K.k2, 'catalog left');
    write(p, 'catalog', K.right, K.k2, 'catalog right');
    await p.ok('upgrade', 'sales', 'catalog@heads');
  });

  it('heads: sales first; a branch\'s two heads in revision order', async () => {
    // alembic heads:  aaaa00000002 (sales) (head)
    //                 bbbb00000004 (catalog) (head)    (these two in the folder's listing order)
    //                 bbbb00000003 (catalog) (head)
    expect((await p.ok('heads')).stdout).toBe(text(`[sales] ${S.s2} (sales) (head)`, `[catalog] ${K.left} (catalog) (head)`, `[catalog] ${K.right} (catalog) (head)`));
    expect((await p.ok('show', 'heads')).stdout.match(/^Rev: \S+/gm)).toEqual([`Rev: ${S.s2}`, `Rev: ${K.left}`, `Rev: ${K.right}`]);
  });

  it('history: each head down to its base, in config order', async () => {
    // alembic history:  aaaa00000001 -> aaaa00000002 (sales) (head), sales two
    //                   <base> -> aaaa00000001 (sales), sales one
    //                   bbbb00000002 -> bbbb00000004 (catalog) (head), catalog right   (listing order)
    //                   bbbb00000002 -> bbbb00000003 (catalog) (head), catalog left
    //                   bbbb00000001 -> bbbb00000002 (catalog) (branchpoint), catalog fork
    //                   <base> -> bbbb00000001 (catalog), catalog one
    expect((await p.ok('history')).stdout).toBe(
      text(
        `[sales] ${S.s1} -> ${S.s2} (sales) (head), sales two`,
        `[sales] <base> -> ${S.s1} (sales), sales one`,
        `[catalog] ${K.k2} -> ${K.left} (catalog) (head), catalog left`,
        `[catalog] ${K.k2} -> ${K.right} (catalog) (head), catalog right`,
        `[catalog] ${K.k1} -> ${K.k2} (catalog) (branchpoint), catalog fork`,
        `[catalog] <base> -> ${K.k1} (catalog), catalog one`,
      ),
    );
  });

  it('branches, current and status: the same order', async () => {
    const under = ' '.repeat(`[catalog] ${K.k2}`.length);
    expect((await p.ok('branches')).stdout).toBe(text(`[catalog] ${K.k2} (catalog) (branchpoint)`, `${under} -> ${K.left} (catalog) (head)`, `${under} -> ${K.right} (catalog) (head)`, ''));
    expect((await p.ok('current')).stdout).toBe(text(`[sales] ${S.s2} (head)`, `[catalog] ${K.left} (head)`, `[catalog] ${K.right} (head)`));
    expect((await p.ok('status')).stdout.split('\n').map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['[sales]', '[catalog]', '']);
  });
});

describe('history in config order, a revision another branch depends on after that branch', () => {
  const p = new InProcessProject(['sales', 'catalog']);
  afterAll(() => p.remove());
  beforeAll(() => {
    write(p, 'sales', S.s1, null, 'sales one');
    write(p, 'sales', S.s2, S.s1, 'sales two');
    write(p, 'catalog', K.k1, null, 'catalog one');
    write(p, 'catalog', K.k2, K.k1, 'catalog two', [S.s2]);
  });

  it('heads in config order; history lists catalog first, as sales two waits for what depends on it', async () => {
    // alembic heads:  aaaa00000002 (sales) (effective head)
    //                 bbbb00000002 (catalog) (head)
    expect((await p.ok('heads')).stdout).toBe(text(`[sales] ${S.s2} (sales) (effective head)`, `[catalog] ${K.k2} (catalog) (head)`));
    // alembic history:  bbbb00000001 (aaaa00000002) -> bbbb00000002 (catalog) (head), catalog two
    //                   <base> -> bbbb00000001 (catalog), catalog one
    //                   aaaa00000001 -> aaaa00000002 (sales) (effective head), sales two
    //                   <base> -> aaaa00000001 (sales), sales one
    expect((await p.ok('history')).stdout).toBe(
      text(
        `[catalog] ${K.k1} (${S.s2}) -> ${K.k2} (catalog) (head), catalog two`,
        `[catalog] <base> -> ${K.k1} (catalog), catalog one`,
        `[sales] ${S.s1} -> ${S.s2} (sales) (effective head), sales two`,
        `[sales] <base> -> ${S.s1} (sales), sales one`,
      ),
    );
  });
});
