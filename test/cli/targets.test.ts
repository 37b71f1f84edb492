// Target forms of upgrade and downgrade (DESIGN §2), checked in the databases. Each describe shares
// one project whose state the tests walk in order.
// `migrate` runs in this process (InProcessProject, `main`): nothing here needs a process of its own.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject, revisionSource } from '../support/project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

/** A revision creating (and dropping) a table named after it. */
function tableRevision(p: TempProject, branch: string, name: string, revision: string, downRevision: string | null): void {
  p.write(
    `migrations/versions/${branch}/${revision}_${name}.ts`,
    revisionSource({
      revision,
      downRevision,
      branchLabels: downRevision === null ? [branch] : [],
      message: `create ${name}`,
      upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      downgrade: `await op.dropTable('${name}');`,
    }),
  );
}

describe('relative and partial targets', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());
  const R = {
    a1: '1111aaaa0001',
    a2: '2222aaaa0002',
    a3: '3333aaaa0003',
    b1: '4444bbbb0001',
    b2: '5555bbbb0002',
    b3: '6666bbbb0003',
  } as const;
  type Name = keyof typeof R;

  /** Asserts each bind's version table and tables: `[]` means at base. */
  function expectAt(bind: 'default' | 'db2', applied: Name[]) {
    const head = applied.at(-1);
    expect(p.versionsApplied(bind), `${bind} version table`).toEqual(head ? [R[head]] : []);
    expect(p.tables(bind).filter((t) => t !== 'multidb_version'), `${bind} tables`).toEqual(applied);
  }

  beforeAll(() => {
    tableRevision(p, 'default', 'a1', R.a1, null);
    tableRevision(p, 'default', 'a2', R.a2, R.a1);
    tableRevision(p, 'default', 'a3', R.a3, R.a2);
    tableRevision(p, 'db2', 'b1', R.b1, null);
    tableRevision(p, 'db2', 'b2', R.b2, R.b1);
    tableRevision(p, 'db2', 'b3', R.b3, R.b2);
  });

  it('upgrade <4-char prefix> upgrades that revision\'s bind to it, and nothing else', async () => {
    const out = await p.ok('upgrade', '2222');
    expect(lines(out.stderr)).toEqual([
      `[default] Running upgrade <base> -> ${R.a1}, create a1`,
      `[default] Running upgrade ${R.a1} -> ${R.a2}, create a2`,
    ]);
    expectAt('default', ['a1', 'a2']);
    expectAt('db2', []);
  });

  it('upgrade +1 steps every bind one revision', async () => {
    await p.ok('upgrade', '+1');
    expectAt('default', ['a1', 'a2', 'a3']);
    expectAt('db2', ['b1']);
  });

  it('upgrade db2@+1 steps only db2', async () => {
    const out = await p.ok('upgrade', 'db2@+1');
    expect(lines(out.stderr)).toEqual([`[db2] Running upgrade ${R.b1} -> ${R.b2}, create b2`]);
    expectAt('db2', ['b1', 'b2']);
    expectAt('default', ['a1', 'a2', 'a3']);
  });

  it('downgrade db2@-1 steps only db2 back', async () => {
    const out = await p.ok('downgrade', 'db2@-1');
    expect(lines(out.stderr)).toEqual([`[db2] Running downgrade ${R.b2} -> ${R.b1}, create b2`]);
    expectAt('db2', ['b1']);
    expectAt('default', ['a1', 'a2', 'a3']);
  });

  it('upgrade <rev>+1 goes to the revision after it', async () => {
    await p.ok('upgrade', `${R.b1}+1`);
    expectAt('db2', ['b1', 'b2']);
  });

  it('downgrade db2@base empties db2 only', async () => {
    const out = await p.ok('downgrade', 'db2@base');
    expect(lines(out.stderr)).toEqual([
      `[db2] Running downgrade ${R.b2} -> ${R.b1}, create b2`,
      `[db2] Running downgrade ${R.b1} -> <base>, create b1`,
    ]);
    expectAt('db2', []);
    expectAt('default', ['a1', 'a2', 'a3']);
  });

  it('upgrade <rev>@head goes to the head of that revision\'s branch', async () => {
    await p.ok('upgrade', `${R.b1.slice(0, 6)}@head`);
    expectAt('db2', ['b1', 'b2', 'b3']);
  });

  it('downgrade <rev prefix> goes back to that revision', async () => {
    await p.ok('downgrade', '5555');
    expectAt('db2', ['b1', 'b2']);
    expectAt('default', ['a1', 'a2', 'a3']);
  });

  it('downgrade <rev> above the bind is an error naming bind, target and current head (Alembic); to the current revision, nothing to do', async () => {
    for (const target of [R.b3, `db2@${R.b3.slice(0, 6)}`, 'db2@head']) {
      const out = await p.run('downgrade', target);
      expect(out.code, target).toBe(1);
      expect(out.stderr).toBe(
        `ERROR: Bind 'db2': destination '${target}' is not a valid downgrade target from current head(s) ${R.b2}: it is not applied (it is above them, or on another line). ` +
          `'migrate upgrade ${target}' goes up to it; 'migrate history --indicate-current' shows where the bind stands.\n`,
      );
    }
    const same = await p.run('downgrade', R.b2);
    expect(same).toMatchObject({ code: 0, stderr: 'Nothing to downgrade.\n' });
    expectAt('db2', ['b1', 'b2']);
  });

  it('downgrade base empties every bind', async () => {
    await p.ok('downgrade', 'base');
    expectAt('default', []);
    expectAt('db2', []);
    expect(p.tables('default')).toEqual(['multidb_version']);
  });
});

describe('ambiguous prefixes, and a bind name that is also hex', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());

  beforeAll(async () => {
    await p.ok('init', '--multidb');
    // Two revisions sharing the prefix 'abc'; a default revision whose id starts with 'db2'.
    const revs = [
      await p.revision('-m', 'one', '--bind', 'default', '--rev-id', 'abc111'),
      await p.revision('-m', 'two', '--bind', 'db2', '--rev-id', 'abc222'),
      await p.revision('-m', 'three', '--bind', 'default', '--rev-id', 'db2f00'),
    ];
    for (const { id, file } of revs) {
      p.fill(file, {
        upgrade: `await op.createTable('t_${id}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `await op.dropTable('t_${id}');`,
      });
    }
    expect(p.read(revs[2]!.file)).toContain(`export const downRevision = 'abc111';`);
  });

  it('an ambiguous prefix fails and lists the candidates; nothing is applied', async () => {
    const out = await p.run('upgrade', 'abc');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: 'abc' is ambiguous; it matches: (abc111, abc222|abc222, abc111)\./m);
    expect(out.stderr).not.toMatch(/Running/);
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.versionsApplied('db2')).toEqual([]);

    const show = await p.run('show', 'abc');
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/'abc' is ambiguous; it matches: .*abc111/);
  });

  it('the bind name db2 wins over the revision prefix db2 (db2f00)', async () => {
    const out = await p.ok('upgrade', 'db2');
    expect(lines(out.stderr)).toEqual(['[db2] Running upgrade <base> -> abc222, two']);
    expect(p.versionsApplied('db2')).toEqual(['abc222']);
    expect(p.tables('db2')).toEqual(['multidb_version', 't_abc222']);
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.tables('default')).toEqual([]);
  });

  it('a longer prefix (db2f) names the revision', async () => {
    const out = await p.ok('upgrade', 'db2f');
    expect(lines(out.stderr)).toEqual(['[default] Running upgrade <base> -> abc111, one', '[default] Running upgrade abc111 -> db2f00, three']);
    expect(p.versionsApplied('default')).toEqual(['db2f00']);
    expect(p.versionsApplied('db2')).toEqual(['abc222']);
  });

  it('downgrade db2 steps the bind db2 back, not the revision db2f00', async () => {
    const out = await p.ok('downgrade', 'db2');
    expect(lines(out.stderr)).toEqual(['[db2] Running downgrade abc222 -> <base>, two']);
    expect(p.versionsApplied('db2')).toEqual([]);
    expect(p.tables('db2')).toEqual(['multidb_version']);
    expect(p.versionsApplied('default')).toEqual(['db2f00']);
    expect(p.tables('default')).toEqual(['multidb_version', 't_abc111', 't_db2f00']);
  });
});

// A forked branch with a branch label on each line (Alembic's BranchedPathTest), on one bind:
// a <- b <- c1 (c1branch) <- d1; b <- c2 (c2branch) <- d2. Labels move along their own line.
describe('a forked branch with a label on each line', () => {
  const p = new InProcessProject(['default']);
  afterAll(() => p.remove());
  const R = { a: 'aaaa00000001', b: 'bbbb00000002', c1: 'c1c100000003', d1: 'd1d100000004', c2: 'c2c200000005', d2: 'd2d200000006' } as const;
  type Name = keyof typeof R;
  const names = Object.fromEntries(Object.entries(R).map(([k, v]) => [v, k])) as Record<string, Name>;

  /** Asserts the version table (as names) and the tables the revisions created. */
  function expectAt(rows: Name[], applied: Name[]) {
    expect(p.versionsApplied('default').map((r) => names[r]).sort(), 'version table').toEqual([...rows].sort());
    expect(p.tables('default').filter((t) => t !== 'multidb_version'), 'tables').toEqual([...applied].sort());
  }
  /** The revisions a `history` output lists, as names, in order. */
  const historyNames = (stdout: string) => lines(stdout).map((l) => names[/-> (\S+)/.exec(l)![1]!]);

  beforeAll(() => {
    tableRevision(p, 'default', 'a', R.a, null);
    tableRevision(p, 'default', 'b', R.b, R.a);
    p.write(`migrations/versions/default/${R.c1}_c1.ts`, revisionSource({ revision: R.c1, downRevision: R.b, branchLabels: ['c1branch'], message: 'create c1', upgrade: `await op.createTable('c1', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('c1');` }));
    tableRevision(p, 'default', 'd1', R.d1, R.c1);
    p.write(`migrations/versions/default/${R.c2}_c2.ts`, revisionSource({ revision: R.c2, downRevision: R.b, branchLabels: ['c2branch'], message: 'create c2', upgrade: `await op.createTable('c2', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('c2');` }));
    tableRevision(p, 'default', 'd2', R.d2, R.c2);
  });

  it('upgrade c1branch@head runs the trunk and the line of c1 only', async () => {
    const out = await p.ok('upgrade', 'c1branch@head');
    expect(lines(out.stderr).map((l) => names[/-> (\S+),/.exec(l)![1]!])).toEqual(['a', 'b', 'c1', 'd1']);
    expectAt(['d1'], ['a', 'b', 'c1', 'd1']);
  });

  it('upgrade c2branch@+1 from d1 runs c2 (the line of c2, from where it forks), not the c1 line', async () => {
    const out = await p.ok('upgrade', 'c2branch@+1');
    expect(lines(out.stderr)).toEqual([`[default] Running upgrade ${R.b} -> ${R.c2}, create c2`]);
    expectAt(['c2', 'd1'], ['a', 'b', 'c1', 'c2', 'd1']);
    await p.ok('upgrade', 'c2branch@+1');
    expectAt(['d1', 'd2'], ['a', 'b', 'c1', 'c2', 'd1', 'd2']);
  });

  it('downgrade c1branch@-1 steps back the line of c1 only', async () => {
    const out = await p.ok('downgrade', 'c1branch@-1');
    expect(lines(out.stderr)).toEqual([`[default] Running downgrade ${R.d1} -> ${R.c1}, create d1`]);
    expectAt(['c1', 'd2'], ['a', 'b', 'c1', 'c2', 'd2']);
  });

  it('downgrade c2branch@<prefix of b> takes the line of c2 back to b, and leaves c1', async () => {
    const out = await p.ok('downgrade', `c2branch@${R.b.slice(0, 6)}`);
    expect(lines(out.stderr)).toEqual([`[default] Running downgrade ${R.d2} -> ${R.c2}, create d2`, `[default] Running downgrade ${R.c2} -> ${R.b}, create c2`]);
    expectAt(['c1'], ['a', 'b', 'c1']);
  });

  it('upgrade c2branch@head-1 and base+N count along a line', async () => {
    await p.ok('upgrade', 'c2branch@head-1');
    expectAt(['c1', 'c2'], ['a', 'b', 'c1', 'c2']);
    await p.ok('upgrade', 'c1branch@base+4');
    expectAt(['c2', 'd1'], ['a', 'b', 'c1', 'c2', 'd1']);
  });

  it('stamp c1branch@base removes only the row of that line, and runs nothing', async () => {
    const out = await p.ok('stamp', 'c1branch@base');
    expect(lines(out.stderr)).toEqual([expect.stringMatching(new RegExp(`^\\[default\\] Stamping (${R.c2}, ${R.d1}|${R.d1}, ${R.c2}) -> ${R.c2}$`))]);
    expectAt(['c2'], ['a', 'b', 'c1', 'c2', 'd1']);
    await p.ok('stamp', 'c1branch@head');
    expectAt(['c2', 'd1'], ['a', 'b', 'c1', 'c2', 'd1']);
  });

  it('history -r c2branch@base: lists only that line; an inverted or unrelated range is an error', async () => {
    expect(historyNames((await p.ok('history', '-r', 'c2branch@base:')).stdout)).toEqual(['d2', 'c2', 'b', 'a']);
    expect(historyNames((await p.ok('history', '-r', 'c1branch@base:c1branch@head')).stdout)).toEqual(['d1', 'c1', 'b', 'a']);

    const inverted = await p.run('history', '-r', `${R.d1}:${R.a}`);
    expect(inverted.code).toBe(1);
    expect(inverted.stdout).toBe('');
    expect(inverted.stderr).toBe(`ERROR: History range '${R.d1}:${R.a}' is inverted: ${R.a} comes before ${R.d1}. The older end comes first: '${R.a}:${R.d1}'.\n`);
    const unrelated = await p.run('history', '-r', `${R.d1}:${R.d2}`);
    expect(unrelated.code).toBe(1);
    expect(unrelated.stderr).toMatch(/^ERROR: History range '.*' lists nothing: no revision descends from d1d100000004 and leads to d2d200000006/);
  });

  it('a revision off the line of a label is refused, naming the line', async () => {
    const out = await p.run('upgrade', `c1branch@${R.d2}`);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`ERROR: 'c1branch@${R.d2}': revision '${R.d2}' (branch 'default') is not in the line of 'c1branch' (branch 'default').\n`);
    expectAt(['c2', 'd1'], ['a', 'b', 'c1', 'c2', 'd1']);
  });
});

// Tenants: three binds share the branch 'tenant'; 'default' has its own.
describe('a branch shared by several binds', () => {
  const tenants = ['t1', 't2', 't3'] as const;
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      `    default: { url: 'sqlite:.data/default.db' },\n` +
      tenants.map((t) => `    ${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' },\n`).join('') +
      `  },\n});\n`,
  });
  afterAll(() => p.remove());
  const C1 = 'cccc11110001';
  const C2 = 'cccc22220002';
  const rows = () => Object.fromEntries(tenants.map((t) => [t, p.versionsApplied(t)]));

  beforeAll(() => {
    tableRevision(p, 'tenant', 'c1', C1, null);
    tableRevision(p, 'tenant', 'c2', C2, C1);
  });

  it('upgrade <rev> fans out to every bind of the branch, and says how many', async () => {
    const out = await p.ok('upgrade', C2.slice(0, 8));
    const got = lines(out.stderr);
    expect(got[0]).toBe('Upgrading 3 binds on branch tenant: t1, t2, t3');
    expect(got.slice(1).filter((l) => l.includes('Running upgrade'))).toHaveLength(6);
    expect(rows()).toEqual({ t1: [C2], t2: [C2], t3: [C2] });
    expect(p.versionsApplied('default')).toEqual([]);
  });

  it('downgrade <rev> of a shared branch is refused, listing the binds and the two ways out; nothing changes', async () => {
    for (const target of [C1, 'tenant', 'tenant@-1', 'tenant@base']) {
      const out = await p.run('downgrade', target);
      expect(out.code, target).toBe(2); // usage: name a bind or add --all-binds
      expect(out.stderr).toMatch(new RegExp(`^ERROR: 'downgrade ${target}' would downgrade every bind of branch 'tenant' \\(t1, t2, t3\\), which share it\\. Name one bind \\(e\\.g\\. '[^']+'\\), or add --all-binds to downgrade all 3\\.\\n$`));
      expect(out.stderr).not.toContain('Running');
    }
    expect(rows()).toEqual({ t1: [C2], t2: [C2], t3: [C2] });
  });

  it('the suggested form (<bind>@<rev>) downgrades that tenant only', async () => {
    const refused = await p.run('downgrade', C1);
    const suggested = /e\.g\. '([^']+)'/.exec(refused.stderr)![1]!;
    expect(suggested).toBe(`t1@${C1}`);
    const out = await p.ok('downgrade', `t2@${C1.slice(0, 6)}`);
    expect(lines(out.stderr)).toEqual([`[t2] Running downgrade ${C2} -> ${C1}, create c2`]);
    expect(rows()).toEqual({ t1: [C2], t2: [C1], t3: [C2] });
    expect(p.tables('t2')).toEqual(['c1', 'multidb_version']);
  });

  it('downgrade <rev> --all-binds acts on every tenant (one already there), and says so', async () => {
    const out = await p.ok('downgrade', C1, '--all-binds');
    expect(lines(out.stderr)).toEqual([
      'Downgrading 3 binds on branch tenant: t1, t2, t3',
      `[t1] Running downgrade ${C2} -> ${C1}, create c2`,
      `[t3] Running downgrade ${C2} -> ${C1}, create c2`,
    ]);
    expect(rows()).toEqual({ t1: [C1], t2: [C1], t3: [C1] });
  });

  it('stamp of a revision or label of the shared branch is refused without --all-binds; <bind>@<rev> stamps one', async () => {
    const refused = await p.run('stamp', 'tenant@base');
    expect(refused.code).toBe(2); // usage: name a bind or add --all-binds
    expect(refused.stderr).toMatch(/^ERROR: 'stamp tenant@base' would stamp every bind of branch 'tenant' \(t1, t2, t3\), which share it\. Name one bind \(e\.g\. 't1@base'\), or add --all-binds to stamp all 3\.$/m);
    expect(rows()).toEqual({ t1: [C1], t2: [C1], t3: [C1] });

    const one = await p.ok('stamp', `t3@${C2}`);
    expect(lines(one.stderr)).toEqual([`[t3] Stamping ${C1} -> ${C2}`]);
    const all = await p.ok('stamp', 'tenant@base', '--all-binds');
    expect(lines(all.stderr).sort()).toEqual([`[t1] Stamping ${C1} -> <base>`, `[t2] Stamping ${C1} -> <base>`, `[t3] Stamping ${C2} -> <base>`]);
    expect(rows()).toEqual({ t1: [], t2: [], t3: [] });
    expect(p.tables('t1')).toEqual(['c1', 'multidb_version']);
  });

  it('stamp --sql takes --all-binds too: a script per tenant; a step below base names a bind in its FROM:TO hint', async () => {
    const refused = await p.run('stamp', '--sql', C2);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/would stamp every bind of branch 'tenant' \(t1, t2, t3\), which share it/);
    const all = await p.ok('stamp', '--sql', '--all-binds', C2);
    for (const t of tenants) expect(all.stdout).toContain(`-- multidb offline script: bind '${t}' (sqlite), stamp <base> -> ${C2}`);
    // Offline ranges name a bind (BIND@FROM:TO): the hint names the bind the step failed for, not the label.
    const below = await p.run('stamp', '--sql', '--all-binds', 'tenant@-1');
    expect(below.code).toBe(1);
    expect(below.stderr).toContain("give FROM:TO (e.g. 't1@head:-1')");
    const hinted = await p.ok('stamp', '--sql', 't1@head:-1');
    expect(hinted.stdout).toContain(`-- multidb offline script: bind 't1' (sqlite), stamp ${C2} -> ${C1}`);
  });
});

describe('a branch: in the config that names no folder', () => {
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      `    default: { url: 'sqlite:.data/default.db' },\n    fresh: { url: 'sqlite:.data/fresh.db' },\n    t1: { url: 'sqlite:.data/t1.db', branch: 'tenat' },\n` +
      `  },\n});\n`,
  });
  afterAll(() => p.remove());

  beforeAll(() => {
    tableRevision(p, 'default', 'a', 'aaaa99990001', null);
    tableRevision(p, 'tenant', 'c1', 'cccc99990001', null);
  });

  it('is an error naming the bind and the folders, not "nothing to upgrade"', async () => {
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Bind 't1' has branch: 'tenat', which names no folder of \S+\/migrations\/versions \(folders: default, tenant\)\. Correct binds\.t1\.branch, or create the folder \S+\/tenat\/ for a new branch\.$/m);
    expect(p.versionsApplied('default')).toEqual([]);
  });

  it('a bind on its default branch with no folder yet stays valid, at base', async () => {
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace("branch: 'tenat'", "branch: 'tenant'"));
    const out = await p.ok('upgrade');
    expect(lines(out.stderr).sort()).toEqual(['[default] Running upgrade <base> -> aaaa99990001, create a', '[t1] Running upgrade <base> -> cccc99990001, create c1']);
    expect(lines((await p.ok('current', 'fresh')).stdout)).toEqual(['[fresh] <base>']);
  });
});

// `init --multidb` makes binds default and db2; a project that writes revisions for db2 only
// stepped up with `upgrade +1` into "Bind 'default': '+1' goes beyond the head of branch
// 'default' (already at its head)". A bind with no revisions is passed over, as `head` does.
describe('+N with a bind that has no revisions yet', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());
  const B = { b1: '7777bbbb0001', b2: '8888bbbb0002' } as const;
  beforeAll(() => {
    tableRevision(p, 'db2', 'b1', B.b1, null);
    tableRevision(p, 'db2', 'b2', B.b2, B.b1);
  });

  it('upgrade +1, base+2 and stamp -1 act on the bind with revisions and leave the other at base', async () => {
    const up = await p.ok('upgrade', '+1');
    expect(lines(up.stderr)).toEqual([`[db2] Running upgrade <base> -> ${B.b1}, create b1`]);
    expect(p.versionsApplied('db2')).toEqual([B.b1]);
    expect(p.versionsApplied('default')).toEqual([]);
    await p.ok('upgrade', 'base+2');
    expect(p.versionsApplied('db2')).toEqual([B.b2]);
    await p.ok('stamp', '-1');
    expect(p.versionsApplied('db2')).toEqual([B.b1]);
    // At its head, db2 refuses a further step, as Alembic does.
    await p.ok('stamp', 'db2@head');
    const beyond = await p.run('upgrade', '+1');
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toBe(`ERROR: Bind 'db2': '+1' goes beyond the head of branch 'db2' (already at its head).\n`);
  });
});

// Targets that count revisions (`+1`, `tenant@-1`) with several binds, each its own group (the
// runner plans such groups lazily, at their turn): Alembic refuses a relative target it cannot
// take before running anything, so a bind that cannot take it stops the run with nothing run,
// not after the binds before it ran.
describe('targets that count revisions, with several binds', () => {
  const p = new InProcessProject(['default', 'db2', 'db3']);
  afterAll(() => p.remove());
  const R = { a1: 'a1a1a1a10001', a2: 'a2a2a2a20002', b1: 'b1b1b1b10001', b2: 'b2b2b2b20002', c1: 'c1c1c1c10001' } as const;
  const rows = () => ({ default: p.versionsApplied('default'), db2: p.versionsApplied('db2'), db3: p.versionsApplied('db3') });

  beforeAll(async () => {
    tableRevision(p, 'default', 'a1', R.a1, null);
    tableRevision(p, 'default', 'a2', R.a2, R.a1);
    tableRevision(p, 'db2', 'b1', R.b1, null);
    tableRevision(p, 'db2', 'b2', R.b2, R.b1);
    tableRevision(p, 'db3', 'c1', R.c1, null);
    await p.ok('upgrade', 'default@+1', 'db2', 'db3');
    expect(rows()).toEqual({ default: [R.a1], db2: [R.b2], db3: [R.c1] });
  });

  it('upgrade +1 with db2 and db3 at their heads runs nothing, not even default (behind, first in the run), and names both', async () => {
    for (const extra of [[], ['--concurrency', '2']]) {
      const out = await p.run('upgrade', '+1', ...extra);
      expect(out.code, extra.join(' ')).toBe(1);
      expect(out.stderr, extra.join(' ')).toBe(
        "ERROR: Nothing was run: 2 binds cannot take '+1' from where they stand (a target that counts revisions is planned for every bind before any runs). " +
          "db2: '+1' goes beyond the head of branch 'db2' (already at its head). db3: '+1' goes beyond the head of branch 'db3' (already at its head). " +
          "Name the binds that can take it instead (e.g. 'default@+1').\n",
      );
      expect(rows()).toEqual({ default: [R.a1], db2: [R.b2], db3: [R.c1] });
    }
    const json = await p.run('upgrade', '+1', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'RELATIVE_TARGET', failures: [{ bind: 'db2', code: 'RELATIVE_STEP', target: '+1' }, { bind: 'db3', code: 'RELATIVE_STEP', target: '+1' }] },
    });
  });

  it('with several targets, each bind is named with the target it cannot take, and no example repeats what was written', async () => {
    // db2 (at its head) cannot take db2@+1; default can take default@+1, written already.
    const out = await p.run('upgrade', 'db2@+1', 'default@+1');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "ERROR: Nothing was run: bind 'db2' cannot take 'db2@+1' from where it stands (a target that counts revisions is planned for every bind before any runs). " +
        "db2: 'db2@+1' goes beyond the head of branch 'db2' (already at its head).\n",
    );
    // default (behind) can take '+1' too: the example names it, not a target as written. db3
    // is refused on '+1' first, the target it is named with.
    const both = await p.run('upgrade', '+1', 'db3@+1');
    expect(both.stderr).toBe(
      "ERROR: Nothing was run: 2 binds cannot take '+1' from where they stand (a target that counts revisions is planned for every bind before any runs). " +
        "db2: '+1' goes beyond the head of branch 'db2' (already at its head). db3: '+1' goes beyond the head of branch 'db3' (already at its head). " +
        "Name the binds that can take it instead (e.g. 'default@+1').\n",
    );
    expect(rows()).toEqual({ default: [R.a1], db2: [R.b2], db3: [R.c1] });
  });

  // A bind name beside a bare step is two targets, the step moving every bind: refused with the
  // form meant (`db2@+1`), as `downgrade db2 -1` is.
  it("upgrade db2 +1 and stamp db2 -1 are refused (exit 2) with the form meant, and change nothing; the suggested form steps that bind alone", async () => {
    const up = await p.run('upgrade', 'db2', '+1');
    expect(up.code).toBe(2);
    expect(up.stderr).toBe(
      "ERROR: 'upgrade db2 +1' gives 'db2' and '+1' as separate targets: 'db2' to its head, and '+1' every bind 1 revision up. To step only 'db2' 1 revision up, write 'db2@+1'.\n",
    );
    const stamp = await p.run('stamp', 'db2', '-1');
    expect(stamp.code).toBe(2);
    expect(stamp.stderr).toContain("To stamp only 'db2' 1 revision back, write 'db2@-1'.");
    expect(rows()).toEqual({ default: [R.a1], db2: [R.b2], db3: [R.c1] });

    const one = await p.ok('upgrade', 'default@+1');
    expect(lines(one.stderr)).toEqual([`[default] Running upgrade ${R.a1} -> ${R.a2}, create a2`]);
    expect(rows()).toEqual({ default: [R.a2], db2: [R.b2], db3: [R.c1] });
  });

  it('stamp --sql db2@-1 from base says, as stamp --sql db3@base does, that offline a stamp starts from base and how to start elsewhere', async () => {
    const offline = ' Offline, a stamp starts from base (nothing connects to read a version table): to write the SQL that moves a bind from where it stands, give FROM:TO';
    const back = await p.run('stamp', 'db2@-1', '--sql');
    expect(back.code).toBe(1);
    expect(back.stdout).toBe('');
    expect(back.stderr).toBe(`ERROR: Bind 'db2': 'db2@-1' goes below base (already at base).${offline} (e.g. 'db2@head:-1').\n`);
    const base = await p.ok('stamp', '--sql', 'db3@base');
    expect(base.stderr).toBe(`No SQL to write: every selected bind is at its target.${offline} (e.g. 'db3@head:base').\n`);
    // The suggested range writes the stamp.
    const range = await p.ok('stamp', '--sql', 'db2@head:-1');
    expect(range.stdout).toContain(`update "multidb_version" set "version_num" = '${R.b1}' where "version_num" = '${R.b2}';`);
    // Beyond the head from base is beyond it from the head too: no FROM:TO to suggest.
    const beyond = await p.run('stamp', '--sql', 'db2@+3');
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toBe("ERROR: Bind 'db2': 'db2@+3' goes beyond the head of branch 'db2' (only 2 revision(s) above).\n");
  });
});

describe('a relative downgrade of a shared branch (tenant@-1 --all-binds) with a tenant at base', () => {
  const tenants = ['t1', 't2', 't3'] as const;
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      tenants.map((t) => `    ${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' },\n`).join('') +
      `  },\n});\n`,
  });
  afterAll(() => p.remove());
  const C1 = 'dddd11110001';
  const C2 = 'dddd22220002';
  const rows = () => Object.fromEntries(tenants.map((t) => [t, p.versionsApplied(t)]));

  beforeAll(async () => {
    tableRevision(p, 'tenant', 'c1', C1, null);
    tableRevision(p, 'tenant', 'c2', C2, C1);
    await p.ok('upgrade', 't1', 't2');
  });

  it('runs nothing (t1 and t2 stay at their head) and names t3; without the tenant at base it steps each back', async () => {
    const out = await p.run('downgrade', 'tenant@-1', '--all-binds');
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "ERROR: Nothing was run: bind 't3' cannot take 'tenant@-1' from where it stands (a target that counts revisions is planned for every bind before any runs). " +
        "t3: 'tenant@-1' goes below base (already at base). Name the binds that can take it instead (e.g. 't1@-1').\n",
    );
    expect(rows()).toEqual({ t1: [C2], t2: [C2], t3: [] });
    expect(p.tables('t1')).toEqual(['c1', 'c2', 'multidb_version']);

    await p.ok('upgrade', 't3@+1');
    const back = await p.ok('downgrade', 'tenant@-1', '--all-binds');
    expect(lines(back.stderr).filter((l) => l.includes('Running'))).toEqual([
      `[t1] Running downgrade ${C2} -> ${C1}, create c2`,
      `[t2] Running downgrade ${C2} -> ${C1}, create c2`,
      `[t3] Running downgrade ${C1} -> <base>, create c1`,
    ]);
    expect(rows()).toEqual({ t1: [C1], t2: [C1], t3: [] });
  });
});

/**
 * A config of SQLite binds whose onConnect logs, in `dir`/connects.log, when each connect starts (`+b`) and ends (`-b`),
 * 30 ms apart. The path is absolute: the runs are in this process, whose working directory is not the project's.
 */
function loggingConfig(dir: string, binds: readonly string[], branch?: (bind: string) => string): string {
  return (
    `import { defineConfig } from '@multidb/core';\n` +
    `import { appendFileSync } from 'node:fs';\n` +
    `const log = (b: string) => async () => {\n` +
    `  appendFileSync(${JSON.stringify(join(dir, 'connects.log'))}, '+' + b + '\\n');\n` +
    `  await new Promise((r) => setTimeout(r, 30));\n` +
    `  appendFileSync(${JSON.stringify(join(dir, 'connects.log'))}, '-' + b + '\\n');\n` +
    `};\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
    binds.map((b) => `    ${b}: { url: 'sqlite:.data/${b}.db', branch: '${branch ? branch(b) : b}', onConnect: log('${b}') },\n`).join('') +
    `  },\n});\n`
  );
}

/** The connects logged since the last call (then the log is emptied): how many, and how many were in progress at once at most. */
function takeConnects(p: TempProject): { count: number; atOnce: number } {
  const log = p.exists('connects.log') ? lines(p.read('connects.log')) : [];
  p.write('connects.log', '');
  let open = 0;
  let atOnce = 0;
  for (const line of log) {
    open += line.startsWith('+') ? 1 : -1;
    atOnce = Math.max(atOnce, open);
  }
  return { count: log.filter((l) => l.startsWith('+')).length, atOnce };
}

// A target used the wrong way (`upgrade -1`) is a usage error (exit 2) whatever the binds stand
// at: refused before any bind is opened, not after reading every bind for the check of targets
// that count revisions (which took it for a bind that cannot take it, exit 1).
describe('a target that steps the wrong way, over several binds that have revisions', () => {
  const binds = ['default', 'db2', 'db3'] as const;
  const p = new InProcessProject([], { config: 'export default {};\n' });
  p.write('migrate.config.ts', loggingConfig(p.dir, binds));
  afterAll(() => p.remove());

  beforeAll(async () => {
    for (const b of binds) {
      tableRevision(p, b, `${b}_1`, `${b === 'default' ? 'aaaa' : b === 'db2' ? 'bbbb' : 'cccc'}00000001`, null);
      tableRevision(p, b, `${b}_2`, `${b === 'default' ? 'aaaa' : b === 'db2' ? 'bbbb' : 'cccc'}00000002`, `${b === 'default' ? 'aaaa' : b === 'db2' ? 'bbbb' : 'cccc'}00000001`);
    }
    // default and db2 one revision up; db3's database does not exist yet.
    await p.ok('upgrade', 'default@+1', 'db2@+1');
    takeConnects(p);
  });

  it.each([
    [['upgrade', '-1'], "ERROR: '-1' steps down; use 'downgrade -1'.\n"],
    [['upgrade', 'db2@-1', 'db3@-1'], "ERROR: 'db2@-1' steps down; use 'downgrade db2@-1'.\n"],
    [['upgrade', '-1', '--concurrency', '3'], "ERROR: '-1' steps down; use 'downgrade -1'.\n"],
  ])('migrate %j exits 2 and opens nor creates any database', async (args, stderr) => {
    const out = await p.run(...args);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(stderr);
    expect(takeConnects(p).count).toBe(0);
    expect(p.exists('.data/db3.db')).toBe(false);
    expect([p.versionsApplied('default'), p.versionsApplied('db2')]).toEqual([['aaaa00000001'], ['bbbb00000001']]);
  });
});

// 20 tenants (more than the 16 a run connects first): `head-1` and `base+1` count from the
// branch, so they read no tenant up front (each is opened once, at its turn); `+1` reads every
// tenant up front, several at once (4, or --concurrency of them, at most 16), each closed once read.
describe('20 tenants: what a target that counts revisions reads up front', () => {
  const tenants = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
  const p = new InProcessProject([], { config: 'export default {};\n' });
  p.write('migrate.config.ts', loggingConfig(p.dir, tenants, () => 'tenant'));
  afterAll(() => p.remove());
  const C1 = 'eeee11110001';
  const C2 = 'eeee22220002';

  beforeAll(async () => {
    tableRevision(p, 'tenant', 'c1', C1, null);
    tableRevision(p, 'tenant', 'c2', C2, C1);
    await p.ok('upgrade');
    takeConnects(p);
  });

  it('head-1 and base+1 open each tenant once, at its turn; one they cannot reach opens none', async () => {
    for (const target of ['head-1', 'base+1', 'head']) {
      const out = await p.ok('upgrade', target);
      expect(out.stderr, target).toBe('Nothing to upgrade: every selected bind is at its target.\n');
      expect(takeConnects(p), target).toEqual({ count: 20, atOnce: 1 });
    }
    const below = await p.run('upgrade', 'head-5');
    expect(below.code).toBe(1);
    expect(below.stderr).toBe("ERROR: 'head-5' goes below the base of branch 'tenant' (every bind of it; only 2 revision(s) to step back).\n");
    expect(takeConnects(p).count).toBe(0);
    // The wrong way, over every tenant: a usage error before any is opened.
    const up = await p.run('downgrade', 'tenant@+1', '--all-binds');
    expect(up.code).toBe(2);
    expect(up.stderr).toBe("ERROR: 'tenant@+1' steps up; use 'upgrade tenant@+1'.\n");
    expect(takeConnects(p).count).toBe(0);
    for (const t of tenants) expect(p.versionsApplied(t), t).toEqual([C2]);
  });

  it.each([
    [[], 4],
    [['--concurrency', '8'], 8],
    [['--concurrency', '40'], 16],
  ])('+1 reads every tenant up front, min(16, max(concurrency, 4)) at once (%j: %i)', async (extra, atOnce) => {
    const out = await p.run('upgrade', '+1', ...extra);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^ERROR: Nothing was run: 20 binds cannot take '\+1' from where they stand/);
    expect(takeConnects(p)).toEqual({ count: 20, atOnce });
  });
});
