// `migrate stamp`: version tables set without running revisions. One project, tests in order.
// `migrate` runs in this process (`main`, via runInProcess): nothing here needs a process of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StampJson } from '@multidb/cli';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, revisionSource } from '../support/project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
/** `migrate ARGS` in `p`, run in this process (`main`): no subprocess. */
const run = (p: TempProject, ...args: string[]) => runInProcess(p.dir, args);
/** {@link run}, failing the test with its output unless it exits 0. */
const ok = (p: TempProject, ...args: string[]) => okInProcess(p.dir, args);

describe('stamp', () => {
  const p = new TempProject(['default', 'db2']);
  afterAll(() => p.remove());
  const A1 = 'a1a1a1a1a1a1';
  const B1 = 'b1b1b1b1b1b1';
  const B2 = 'b2b2b2b2b2b2';
  const UNKNOWN = 'feedface0000';

  beforeAll(() => {
    const table = (name: string) => ({
      upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      downgrade: `await op.dropTable('${name}');`,
    });
    p.write(`migrations/versions/default/${A1}_a1.ts`, revisionSource({ revision: A1, downRevision: null, branchLabels: ['default'], ...table('a1') }));
    p.write(`migrations/versions/db2/${B1}_b1.ts`, revisionSource({ revision: B1, downRevision: null, branchLabels: ['db2'], ...table('b1') }));
    p.write(`migrations/versions/db2/${B2}_b2.ts`, revisionSource({ revision: B2, downRevision: B1, ...table('b2') }));
  });

  it('stamp db2@head records the head without running anything', async () => {
    const out = await ok(p, 'stamp', 'db2@head');
    expect(lines(out.stderr)).toEqual([`[db2] Stamping <base> -> ${B2}`]);
    expect(p.versionsApplied('db2')).toEqual([B2]);
    expect(p.tables('db2')).toEqual(['multidb_version']);
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.tables('default')).toEqual([]);
  });

  it('a later upgrade runs only what was not stamped', async () => {
    const out = await ok(p, 'upgrade');
    expect(lines(out.stderr)).toEqual([`[default] Running upgrade <base> -> ${A1}, ${A1}`]);
    expect(p.tables('default')).toEqual(['a1', 'multidb_version']);
    expect(p.tables('db2')).toEqual(['multidb_version']);
    expect(p.versionsApplied('db2')).toEqual([B2]);
  });

  it('stamp base empties every version table and drops nothing', async () => {
    const out = await ok(p, 'stamp', 'base');
    expect(lines(out.stderr).sort()).toEqual([`[db2] Stamping ${B2} -> <base>`, `[default] Stamping ${A1} -> <base>`].sort());
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.versionsApplied('db2')).toEqual([]);
    expect(p.tables('default')).toEqual(['a1', 'multidb_version']);
  });

  it('an unknown id in a version table gives a clear error without --purge and changes nothing', async () => {
    p.exec('db2', `INSERT INTO multidb_version (version_num) VALUES ('${UNKNOWN}')`);
    expect(p.versionsApplied('db2')).toEqual([UNKNOWN]);

    const stamp = await run(p, 'stamp', 'db2@head');
    expect(stamp.code).toBe(1);
    expect(stamp.stderr).toMatch(new RegExp(`^ERROR: .*'db2'.*'${UNKNOWN}'.*no script declares.*'migrate stamp --purge db2@<rev>'`, 'm'));
    expect(p.versionsApplied('db2')).toEqual([UNKNOWN]);

    const upgrade = await run(p, 'upgrade', 'db2');
    expect(upgrade.code).toBe(1);
    expect(upgrade.stderr).toMatch(new RegExp(`^ERROR: .*'${UNKNOWN}'.*no script declares`, 'm'));
    expect(upgrade.stderr).not.toMatch(/Running/);
    expect(p.versionsApplied('db2')).toEqual([UNKNOWN]);
    expect(p.tables('db2')).toEqual(['multidb_version']);

    const current = await ok(p, 'current', 'db2');
    expect(lines(current.stdout)).toEqual([`[db2] ${UNKNOWN} (not in the scripts)`]);

    // history -i shows it too, after the revisions (as an unreachable bind is), and exits 0 as current does.
    const history = await ok(p, 'history', '-i');
    expect(lines(history.stdout)).toEqual([
      `[default] <base> -> ${A1} (default) (head), ${A1}`,
      `[db2] ${B1} -> ${B2} (db2) (head), ${B2}`,
      `[db2] <base> -> ${B1} (db2), ${B1}`,
      `[db2] ${UNKNOWN} (current, not in the scripts)`,
    ]);
    expect(lines((await ok(p, 'history', 'default', '-i')).stdout)).toEqual([`[default] <base> -> ${A1} (default) (head), ${A1}`]);
    const json = JSON.parse((await ok(p, 'history', '-i', '--json')).stdout) as { unknownCurrent: unknown };
    expect(json.unknownCurrent).toEqual([{ bind: 'db2', revisions: [UNKNOWN] }]);
  });

  it("--purge with --sql is refused as a usage error (exit 2), as Alembic's \"Can't use --purge with --sql mode\": no SQL, no file, the table as it was", async () => {
    for (const args of [['--purge', '--sql'], ['--sql', '--output', 'sql-out', '--purge']]) {
      const out = await run(p, 'stamp', ...args, `db2@${B2}`);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(lines(out.stderr)).toEqual([expect.stringMatching(/^ERROR: --purge cannot be used with --sql: .*Run the stamp with --purge against the database, or write the SQL without --purge\.$/)]);
    }
    expect(p.exists('sql-out')).toBe(false);
    expect(p.versionsApplied('db2')).toEqual([UNKNOWN]);
  });

  it('stamp --purge db2@<rev>, as the error suggests, rewrites the version table', async () => {
    const out = await ok(p, 'stamp', '--purge', `db2@${B2.slice(0, 6)}`);
    expect(lines(out.stderr)).toEqual([`[db2] Stamping ${UNKNOWN} -> ${B2}`]);
    expect(p.versionsApplied('db2')).toEqual([B2]);
    expect(p.tables('db2')).toEqual(['multidb_version']);
    // default is untouched.
    expect(p.versionsApplied('default')).toEqual([]);
    const upgrade = await ok(p, 'upgrade', 'db2');
    expect(upgrade.stderr).not.toMatch(/Running/);
  });
});

describe('a bind stamped with a revision no script declares, its branch without any script', () => {
  // The branch folder of myok is empty: `head` there wants nothing, and the upgrade said
  // "Nothing to upgrade" and exited 0 while status said the bind is ahead of the scripts.
  const p = new TempProject(['myok', 'other']);
  afterAll(() => p.remove());
  const O1 = 'c1c1c1c1c1c1';
  const UNKNOWN = '710e51d49360';
  const refusal = new RegExp(`^ERROR: Bind 'myok' is at revision '${UNKNOWN}', which no script declares\\. .*'migrate stamp --purge myok@<rev>'`, 'm');

  beforeAll(async () => {
    p.write('migrations/versions/myok/.keep', '');
    p.write(
      `migrations/versions/other/${O1}_o1.ts`,
      revisionSource({ revision: O1, downRevision: null, branchLabels: ['other'], upgrade: "await op.createTable('o1', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('o1');" }),
    );
    await ok(p, 'upgrade', 'myok'); // creates the database file: nothing to run
    p.exec('myok', `CREATE TABLE IF NOT EXISTS multidb_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); INSERT INTO multidb_version VALUES ('${UNKNOWN}')`);
  });

  it.each([[['upgrade', 'myok']], [['upgrade']], [['upgrade', 'myok', '--concurrency', '4']], [['downgrade', 'myok@base']], [['stamp', 'myok@head']]])(
    'migrate %j fails naming the revision, as with scripts in the branch',
    async (args) => {
      const out = await run(p, ...args);
      expect(out.code, out.stderr).toBe(1);
      expect(out.stderr).toMatch(refusal);
      expect(out.stderr).not.toMatch(/Nothing to upgrade/);
      expect(p.versionsApplied('myok')).toEqual([UNKNOWN]);
      expect(p.versionsApplied('other')).toEqual([]);
    },
  );

  it('with --concurrency, the other binds go on; stamp --purge is the way out', async () => {
    const out = await run(p, 'upgrade', '--concurrency', '4');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(refusal);
    expect(p.versionsApplied('other')).toEqual([O1]);
    await ok(p, 'stamp', '--purge', 'myok@base');
    expect(p.versionsApplied('myok')).toEqual([]);
    expect((await ok(p, 'upgrade')).stderr).toMatch(/Nothing to upgrade/);
  });
});

describe('a stamp that writes nothing says so for each bind (a new `init --multidb` repository)', () => {
  // Was: `stamp db2@head` on a branch without revisions, a stamp to where a bind already is, and
  // `stamp base` on an empty version table printed nothing at all, on stderr or stdout.
  const p = new TempProject([], { config: false });
  afterAll(() => p.remove());
  const R1 = 'd1d1d1d1d1d1';
  const noRevisions = (bind: string) => `[${bind}] Nothing to stamp: branch '${bind}' has no revisions yet, so it stays at <base>`;
  const stampJson = async (...targets: string[]) => {
    const out = await ok(p, 'stamp', ...targets, '--json');
    return { changes: (JSON.parse(out.stdout) as StampJson).changes, stderr: lines(out.stderr) };
  };

  beforeAll(async () => {
    await ok(p, 'init', '--multidb');
  });

  it.each([
    [['db2@head'], [noRevisions('db2')]],
    [['db2'], [noRevisions('db2')]],
    [['head'], [noRevisions('default'), noRevisions('db2')]],
    [['heads'], [noRevisions('default'), noRevisions('db2')]],
    [['base'], [noRevisions('default'), noRevisions('db2')]],
    [['db2@base'], [noRevisions('db2')]],
  ])('stamp %j on branches without revisions names each bind and creates no database', async (targets, expected) => {
    const out = await ok(p, 'stamp', ...targets);
    expect(out.stdout).toBe('');
    expect(lines(out.stderr)).toEqual(expected);
    expect(p.exists('.data/default.db') || p.exists('.data/db2.db')).toBe(false);
  });

  it('--json reports the same per bind: its rows before and after and the outcome', async () => {
    const { changes, stderr } = await stampJson('head');
    expect(changes).toEqual([
      { bind: 'default', from: [], to: [], outcome: 'no-revisions' },
      { bind: 'db2', from: [], to: [], outcome: 'no-revisions' },
    ]);
    expect(stderr).toEqual([noRevisions('default'), noRevisions('db2')]);
  });

  it('once the branch has a revision: stamped, then already at the target, each said', async () => {
    p.write(`migrations/versions/db2/${R1}_r1.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['db2'], upgrade: '', downgrade: '' }));
    expect(lines((await ok(p, 'stamp', 'db2@head')).stderr)).toEqual([`[db2] Stamping <base> -> ${R1}`]);
    expect(lines((await ok(p, 'stamp', 'db2@head')).stderr)).toEqual([`[db2] Already at ${R1}: nothing to stamp`]);
    expect(lines((await ok(p, 'stamp', 'heads')).stderr)).toEqual([noRevisions('default'), `[db2] Already at ${R1}: nothing to stamp`]);
    expect(await stampJson('db2@head')).toEqual({ changes: [{ bind: 'db2', from: [R1], to: [R1], outcome: 'unchanged' }], stderr: [`[db2] Already at ${R1}: nothing to stamp`] });
    expect(p.versionsApplied('db2')).toEqual([R1]);
  });

  it('--purge rewrites the table even to the same rows: stamped', async () => {
    expect(await stampJson('--purge', 'db2@head')).toEqual({ changes: [{ bind: 'db2', from: [R1], to: [R1], outcome: 'stamped' }], stderr: [`[db2] Stamping ${R1} -> ${R1}`] });
  });

  it('stamp base on an emptied version table says the bind is at base already', async () => {
    expect(lines((await ok(p, 'stamp', 'base')).stderr)).toEqual([`[db2] Stamping ${R1} -> <base>`, noRevisions('default')]);
    expect(lines((await ok(p, 'stamp', 'db2@base')).stderr)).toEqual(['[db2] Already at <base>: nothing to stamp']);
    // Several targets that end where the bind started change nothing either.
    expect(lines((await ok(p, 'stamp', 'db2@head', 'db2@base')).stderr)).toEqual(['[db2] Already at <base>: nothing to stamp']);
    expect(await stampJson('base')).toEqual({
      changes: [
        { bind: 'default', from: [], to: [], outcome: 'no-revisions' },
        { bind: 'db2', from: [], to: [], outcome: 'unchanged' },
      ],
      stderr: [noRevisions('default'), '[db2] Already at <base>: nothing to stamp'],
    });
    expect(p.versionsApplied('db2')).toEqual([]);
  });
});
