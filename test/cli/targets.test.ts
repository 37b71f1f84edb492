// Target forms of upgrade and downgrade (DESIGN §2), checked in the databases. Each describe shares
// one project whose state the tests walk in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const p = new TempProject(['default', 'db2']);
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

  it('downgrade base empties every bind', async () => {
    await p.ok('downgrade', 'base');
    expectAt('default', []);
    expectAt('db2', []);
    expect(p.tables('default')).toEqual(['multidb_version']);
  });
});

describe('ambiguous prefixes, and a bind name that is also hex', () => {
  const p = new TempProject(['default', 'db2']);
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
