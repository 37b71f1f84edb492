// The listings print each revision as Alembic 1.8.1 does, line for line, with the `[branch]` (or
// `[bind]`) multidb puts first: each expected text below is what `alembic <command>` printed for
// the same graph in a scratch Alembic project, with that prefix added and multidb's paths and
// ISO create dates. What Alembic chooses through Python sets (the order of labels, of two heads in
// one folder) multidb fixes: labels oldest first, heads in revision order.
// `heads` printed `(mergepoint)` after a merge; Alembic's `heads` has no tree marks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject, revisionSource } from '../support/project.js';

const R = { a: 'aaaa00000001', b: 'bbbb00000002', c1: 'cccc00000003', c2: 'dddd00000004', m: 'eeee00000005' } as const;
const text = (...lines: string[]) => `${lines.join('\n')}\n`;

/**
 * `show`'s block for one revision, as Alembic's `Script.log_entry`: the indented part is what
 * Alembic prints of the docstring its template writes (the blank line in it indented too).
 */
function block(p: TempProject, o: { rev: string; marks?: string; parent: string; merges?: boolean; deps?: string; into?: string; children?: string; labels: string; message: string; revises: string; branch?: string }): string[] {
  return [
    `Rev: ${o.rev}${o.marks ?? ''}`,
    `${o.merges ? 'Merges' : 'Parent'}: ${o.parent}`,
    ...(o.deps ? [`Also depends on: ${o.deps}`] : []),
    ...(o.into ? [`Branches into: ${o.into}`] : []),
    ...(o.children ? [`Children: ${o.children}`] : []),
    `Branch names: ${o.labels}`,
    `Path: ${p.dir}/migrations/versions/${o.branch ?? 'default'}/${o.rev}_r.ts`,
    '',
    `    ${o.message}`,
    '    ',
    `    Revision ID: ${o.rev}`,
    `    Revises: ${o.revises}`,
    '    Create Date: 2026-11-23T10:00:00Z',
    '',
  ];
}

function writeGraph(p: TempProject, revs: readonly [id: string, down: string | string[] | null, labels: string[], message: string, branch?: string, dependsOn?: string[]][]): void {
  for (const [id, down, labels, message, branch = 'default', dependsOn = []] of revs) {
    p.write(`migrations/versions/${branch}/${id}_r.ts`, revisionSource({ revision: id, downRevision: down, branchLabels: labels, dependsOn, message }));
  }
}

/** a <- b <- c1, b <- c2 (c2branch): the graph the fork and the merge listings start from. */
const FORK: Parameters<typeof writeGraph>[1] = [
  [R.a, null, ['default'], 'first'],
  [R.b, R.a, [], 'fork'],
  [R.c1, R.b, [], 'line one'],
  [R.c2, R.b, ['c2branch'], 'line two'],
];

describe('listings on a fork: a <- b <- c1, b <- c2 (c2branch)', () => {
  const p = new InProcessProject(['default']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    writeGraph(p, FORK);
    await p.ok('stamp', R.b);
  });

  it('heads: labels carried and (head), as Alembic', async () => {
    // alembic heads:  cccc00000003 (default) (head)
    //                 dddd00000004 (default, c2branch) (head)
    expect((await p.ok('heads')).stdout).toBe(text(`[default] ${R.c1} (default) (head)`, `[default] ${R.c2} (default, c2branch) (head)`));
    // alembic heads --verbose: each head's log entry, a blank line after each.
    expect((await p.ok('heads', '--verbose')).stdout).toBe(
      text(
        ...block(p, { rev: R.c1, marks: ' (head)', parent: R.b, labels: 'default', message: 'line one', revises: R.b }),
        ...block(p, { rev: R.c2, marks: ' (head)', parent: R.b, labels: 'default, c2branch', message: 'line two', revises: R.b }),
      ),
    );
  });

  it('branches: the branch point, its children with the arrow under the end of its id, a blank line', async () => {
    // alembic branches:  bbbb00000002 (default) (branchpoint)
    //                                 -> cccc00000003 (default) (head)
    //                                 -> dddd00000004 (default, c2branch) (head)
    const under = ' '.repeat(`[default] ${R.b}`.length);
    expect((await p.ok('branches')).stdout).toBe(
      text(`[default] ${R.b} (default) (branchpoint)`, `${under} -> ${R.c1} (default) (head)`, `${under} -> ${R.c2} (default, c2branch) (head)`, ''),
    );
    const verbose = ' '.repeat(R.b.length);
    expect((await p.ok('branches', '--verbose')).stdout).toBe(
      text(
        ...block(p, { rev: R.b, marks: ' (branchpoint)', parent: R.a, into: `${R.c1}, ${R.c2}`, labels: 'default', message: 'fork', revises: R.a }),
        `${verbose} -> ${R.c1} (default) (head), line one`,
        `${verbose} -> ${R.c2} (default, c2branch) (head), line two`,
        '',
      ),
    );
  });

  it('history -i: labels, (head), (current) before (branchpoint), as Alembic', async () => {
    // alembic history -i:  aaaa00000001 -> bbbb00000002 (default) (current) (branchpoint), fork
    expect((await p.ok('history', '-i')).stdout).toBe(
      text(
        `[default] ${R.b} -> ${R.c1} (default) (head), line one`,
        `[default] ${R.b} -> ${R.c2} (default, c2branch) (head), line two`,
        `[default] ${R.a} -> ${R.b} (default) (current) (branchpoint), fork`,
        `[default] <base> -> ${R.a} (default), first`,
      ),
    );
    // alembic history --verbose -i: log entries, `(current)` after the tree marks.
    const verbose = (await p.ok('history', '--verbose', '-i')).stdout;
    expect(verbose).toContain(
      text(
        ...block(p, { rev: R.b, marks: ' (branchpoint) (current)', parent: R.a, into: `${R.c1}, ${R.c2}`, labels: 'default', message: 'fork', revises: R.a }),
        ...block(p, { rev: R.a, parent: '<base>', children: R.b, labels: 'default', message: 'first', revises: '' }),
      ),
    );
  });

  it('current: the tree marks; --verbose: the URL line, then the log entry', async () => {
    // alembic current:  bbbb00000002 (branchpoint)
    expect((await p.ok('current')).stdout).toBe(text(`[default] ${R.b} (branchpoint)`));
    // alembic current --verbose:  Current revision(s) for sqlite:///…:  then the log entry.
    expect((await p.ok('current', '--verbose')).stdout).toBe(
      text(
        '[default] Current revision(s) for sqlite:.data/default.db:',
        ...block(p, { rev: R.b, marks: ' (branchpoint)', parent: R.a, into: `${R.c1}, ${R.c2}`, labels: 'default', message: 'fork', revises: R.a }),
      ),
    );
  });

  it('show: the log entry, a blank line after it (a branch root revises nothing)', async () => {
    expect((await p.ok('show', R.a)).stdout).toBe(text(...block(p, { rev: R.a, parent: '<base>', children: R.b, labels: 'default', message: 'first', revises: '' })));
    expect((await p.ok('show', 'heads')).stdout).toBe(
      text(
        ...block(p, { rev: R.c1, marks: ' (head)', parent: R.b, labels: 'default', message: 'line one', revises: R.b }),
        ...block(p, { rev: R.c2, marks: ' (head)', parent: R.b, labels: 'default, c2branch', message: 'line two', revises: R.b }),
      ),
    );
  });
});

describe('listings after a merge: a <- b <- c1, b <- c2 (c2branch), m merges c1 and c2', () => {
  const p = new InProcessProject(['default']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    writeGraph(p, [...FORK, [R.m, [R.c1, R.c2], [], 'merge']]);
    await p.ok('upgrade');
  });

  it('heads: no (mergepoint), as Alembic; the merge carries the labels of both lines', async () => {
    // alembic heads:  eeee00000005 (default, c2branch) (head)
    expect((await p.ok('heads')).stdout).toBe(text(`[default] ${R.m} (default, c2branch) (head)`));
    // alembic heads --verbose: the log entry has the tree marks.
    const entry = block(p, { rev: R.m, marks: ' (head) (mergepoint)', parent: `${R.c1}, ${R.c2}`, merges: true, labels: 'default, c2branch', message: 'merge', revises: `${R.c1}, ${R.c2}` });
    expect((await p.ok('heads', '--verbose')).stdout).toBe(text(...entry));
    expect((await p.ok('show', R.m)).stdout).toBe(text(...entry));
  });

  it('history and current mark the merge point, as Alembic', async () => {
    // alembic history:  cccc00000003, dddd00000004 -> eeee00000005 (default, c2branch) (head) (mergepoint), merge
    //                   bbbb00000002 -> cccc00000003 (default), line one
    //                   bbbb00000002 -> dddd00000004 (default, c2branch), line two
    //                   aaaa00000001 -> bbbb00000002 (default) (branchpoint), fork
    //                   <base> -> aaaa00000001 (default), first
    expect((await p.ok('history')).stdout).toBe(
      text(
        `[default] ${R.c1}, ${R.c2} -> ${R.m} (default, c2branch) (head) (mergepoint), merge`,
        `[default] ${R.b} -> ${R.c1} (default), line one`,
        `[default] ${R.b} -> ${R.c2} (default, c2branch), line two`,
        `[default] ${R.a} -> ${R.b} (default) (branchpoint), fork`,
        `[default] <base> -> ${R.a} (default), first`,
      ),
    );
    // alembic current:  eeee00000005 (head) (mergepoint)
    expect((await p.ok('current')).stdout).toBe(text(`[default] ${R.m} (head) (mergepoint)`));
  });
});

describe('listings across branches: catalog two depends on sales two', () => {
  const S = { s1: 'aaaa00000001', s2: 'aaaa00000002', k1: 'bbbb00000001', k2: 'bbbb00000002' } as const;
  const p = new InProcessProject(['catalog', 'sales']);
  afterAll(() => p.remove());
  beforeAll(async () => {
    writeGraph(p, [
      [S.s1, null, ['sales'], 'sales one', 'sales'],
      [S.s2, S.s1, [], 'sales two', 'sales'],
      [S.k1, null, ['catalog'], 'catalog one', 'catalog'],
      [S.k2, S.k1, [], 'catalog two', 'catalog', [S.s2]],
    ]);
    await p.ok('upgrade');
  });

  it('a head another branch depends on is an (effective head), as Alembic', async () => {
    // alembic heads:  aaaa00000002 (sales) (effective head)
    //                 bbbb00000002 (catalog) (head)
    expect((await p.ok('heads')).stdout).toBe(text(`[catalog] ${S.k2} (catalog) (head)`, `[sales] ${S.s2} (sales) (effective head)`));
    // alembic current (sales stamped at its head):  aaaa00000002 (effective head)
    expect((await p.ok('current')).stdout).toBe(text(`[catalog] ${S.k2} (head)`, `[sales] ${S.s2} (effective head)`));
  });

  it('heads --resolve-dependencies leaves out the head another branch depends on, as Alembic', async () => {
    // alembic heads --resolve-dependencies:  bbbb00000002 (catalog) (head)
    expect((await p.ok('heads', '--resolve-dependencies')).stdout).toBe(text(`[catalog] ${S.k2} (catalog) (head)`));
    const json = JSON.parse((await p.ok('heads', '--resolve-dependencies', '--json')).stdout) as { heads: { revision: string }[] };
    expect(json.heads.map((h) => h.revision)).toEqual([S.k2]);
  });

  it('history puts the depends-on in parentheses after the down revision; show says Also depends on', async () => {
    // alembic history:  bbbb00000001 (aaaa00000002) -> bbbb00000002 (catalog) (head), catalog two
    expect((await p.ok('history', 'catalog')).stdout).toBe(text(`[catalog] ${S.k1} (${S.s2}) -> ${S.k2} (catalog) (head), catalog two`, `[catalog] <base> -> ${S.k1} (catalog), catalog one`));
    expect((await p.ok('show', S.k2)).stdout).toBe(
      text(...block(p, { rev: S.k2, marks: ' (head)', parent: S.k1, deps: S.s2, labels: 'catalog', message: 'catalog two', revises: S.k1, branch: 'catalog' })),
    );
  });
});
