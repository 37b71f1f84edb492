// The Flask-Migrate walkthrough on two binds, in order: one project shared by the tests below.
// `migrate` runs in the test's process (one run through the built binary).
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { runMigrate } from '../support/project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('revision, upgrade, downgrade and the reading commands on two binds', () => {
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());
  // Revisions: d1, d2 on default; b1, b2 on db2.
  const rev = { d1: '', d2: '', b1: '', b2: '' };
  let dbState: { default: unknown; db2: unknown };
  const snapshot = (bind: 'default' | 'db2') => ({
    tables: p.tables(bind),
    versions: p.versionsApplied(bind),
    columns: Object.fromEntries(p.tables(bind).map((t) => [t, p.query(bind, `SELECT name, type, "notnull" FROM pragma_table_info('${t}')`)])),
  });

  it('init --multidb, then a first revision per bind carrying its branch label', async () => {
    await p.ok('init', '--multidb');

    const d1 = await p.revision('-m', 'create users', '--bind', 'default');
    const b1 = await p.revision('-m', 'create account table', '--bind', 'db2');
    rev.d1 = d1.id;
    rev.b1 = b1.id;
    expect(rev.d1).toMatch(/^[0-9a-f]{12}$/);
    expect(rev.b1).toMatch(/^[0-9a-f]{12}$/);
    expect(d1.file).toBe(`migrations/versions/default/${rev.d1}_create_users.ts`);
    expect(b1.file).toBe(`migrations/versions/db2/${rev.b1}_create_account_table.ts`);

    const source = p.read(b1.file);
    expect(source).toContain(`export const revision = '${rev.b1}';`);
    expect(source).toContain(`export const downRevision = null;`);
    expect(source).toContain(`export const branchLabels = ['db2'];`);
    expect(source).toContain(`export const dependsOn = [];`);
    expect(source).toContain(`export const message = 'create account table';`);
    expect(source).toMatch(/^export const createDate = '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ';$/m);
    // `void op;`: the empty body uses op, so the file compiles under noUnusedParameters.
    expect(source).toMatch(/export async function upgrade\(op: Operations\): Promise<void> \{\n {2}void op; \/\/ Nothing to do\.\n\}/);
    expect(p.read(d1.file)).toContain(`export const branchLabels = ['default'];`);
    expect(p.exists('.data')).toBe(false);
  });

  it('revision without --bind on two binds fails, lists the binds and writes nothing', async () => {
    const out = await p.run('revision', '-m', 'where does this go');
    expect(out.code).toBe(2); // usage: the command line must name a bind
    expect(out.stderr).toMatch(/^ERROR: 'revision' needs a bind: name one of default, db2 \(e\.g\. '--bind default'\)\.$/m);
    expect(p.versions('default')).toHaveLength(1);
    expect(p.versions('db2')).toHaveLength(1);
  });

  it('current before the first upgrade shows both binds at base and creates no version table', async () => {
    const out = await p.ok('current');
    // The SQLite files do not exist yet, and reading does not create them.
    expect(lines(out.stdout)).toEqual([
      expect.stringMatching(/^\[default\] database file .*default\.db does not exist \(at base\)$/),
      expect.stringMatching(/^\[db2\] database file .*db2\.db does not exist \(at base\)$/),
    ]);
    expect(p.tables('default')).toEqual([]);
    expect(p.tables('db2')).toEqual([]);
  });

  it('upgrade runs both first revisions and creates both version tables', async () => {
    p.fill(`migrations/versions/default/${rev.d1}_create_users.ts`, {
      upgrade: `await op.createTable('users', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)', nullable: false }]);`,
      downgrade: `await op.dropTable('users');`,
    });
    p.fill(`migrations/versions/db2/${rev.b1}_create_account_table.ts`, {
      upgrade: `await op.createTable('account', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)', nullable: false }]);`,
      downgrade: `await op.dropTable('account');`,
    });

    const out = await p.ok('upgrade');
    expect(lines(out.stderr)).toEqual(
      expect.arrayContaining([`[default] Running upgrade <base> -> ${rev.d1}, create users`, `[db2] Running upgrade <base> -> ${rev.b1}, create account table`]),
    );
    expect(p.tables('default')).toEqual(['multidb_version', 'users']);
    expect(p.tables('db2')).toEqual(['account', 'multidb_version']);
    expect(p.versionsApplied('default')).toEqual([rev.d1]);
    expect(p.versionsApplied('db2')).toEqual([rev.b1]);
    expect(p.query('db2', `SELECT name, lower(type) AS type, "notnull", pk FROM pragma_table_info('account') ORDER BY cid`)).toEqual([
      { name: 'id', type: 'integer', notnull: expect.any(Number), pk: 1 },
      { name: 'name', type: 'varchar(50)', notnull: 1, pk: 0 },
    ]);

    const again = await p.ok('upgrade');
    expect(again.stderr).not.toMatch(/Running/);
    expect(again.stderr).toMatch(/Nothing to upgrade/);
  });

  it('a second revision per bind revises the first and upgrade applies only it', async () => {
    const d2 = await p.revision('-m', 'add user email', '--bind', 'default');
    const b2 = await p.revision('-m', 'create invoice table', '--bind', 'db2');
    rev.d2 = d2.id;
    rev.b2 = b2.id;
    expect(p.read(b2.file)).toContain(`export const downRevision = '${rev.b1}';`);
    expect(p.read(b2.file)).toContain(`export const branchLabels = [];`);
    p.fill(d2.file, {
      upgrade: `await op.addColumn('users', { name: 'email', type: 'varchar(120)', nullable: true });`,
      downgrade: `await op.dropColumn('users', 'email', { existing: { type: 'varchar(120)', nullable: true } });`,
    });
    p.fill(b2.file, {
      upgrade: `await op.createTable('invoice', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'total', type: 'numeric(10,2)', nullable: false }]);`,
      downgrade: `await op.dropTable('invoice');`,
    });

    const out = await p.ok('upgrade');
    expect(lines(out.stderr).sort()).toEqual(
      [`[db2] Running upgrade ${rev.b1} -> ${rev.b2}, create invoice table`, `[default] Running upgrade ${rev.d1} -> ${rev.d2}, add user email`].sort(),
    );
    expect(p.tables('db2')).toEqual(['account', 'invoice', 'multidb_version']);
    expect(p.query('default', `SELECT name FROM pragma_table_info('users') ORDER BY cid`).map((r) => r.name)).toEqual(['id', 'name', 'email']);
    expect(p.versionsApplied('default')).toEqual([rev.d2]);
    expect(p.versionsApplied('db2')).toEqual([rev.b2]);
    dbState = { default: snapshot('default'), db2: snapshot('db2') };
  });

  it('downgrade db2 steps only db2 back one revision', async () => {
    const out = await p.ok('downgrade', 'db2');
    expect(lines(out.stderr)).toEqual([`[db2] Running downgrade ${rev.b2} -> ${rev.b1}, create invoice table`]);
    expect(p.tables('db2')).toEqual(['account', 'multidb_version']);
    expect(p.versionsApplied('db2')).toEqual([rev.b1]);
    expect(snapshot('default')).toEqual(dbState.default);

    const current = await p.ok('current');
    expect(lines(current.stdout)).toEqual([`[default] ${rev.d2} (head)`, `[db2] ${rev.b1}`]);
  });

  it('upgrade db2 brings db2 back to its head without touching default', async () => {
    const out = await p.ok('upgrade', 'db2');
    expect(lines(out.stderr)).toEqual([`[db2] Running upgrade ${rev.b1} -> ${rev.b2}, create invoice table`]);
    expect(snapshot('db2')).toEqual(dbState.db2);
    expect(snapshot('default')).toEqual(dbState.default);
  });

  it('current shows each bind at its head', async () => {
    // Through the built binary (a subprocess): the walkthrough's one check that the real
    // `migrate` prints nothing else on stderr (no warning of Node's or of a loader).
    const out = await runMigrate(p.dir, ['current']);
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual([`[default] ${rev.d2} (head)`, `[db2] ${rev.b2} (head)`]);
    expect(out.stderr).toBe('');
    const one = await p.ok('current', 'db2');
    expect(lines(one.stdout)).toEqual([`[db2] ${rev.b2} (head)`]);
  });

  it('history --indicate-current lists every revision, newest first per branch, marking the current ones', async () => {
    const out = await p.ok('history', '--indicate-current');
    const got = lines(out.stdout);
    const expected = {
      d2: `[default] ${rev.d1} -> ${rev.d2} (default) (head) (current), add user email`,
      d1: `[default] <base> -> ${rev.d1} (default), create users`,
      b2: `[db2] ${rev.b1} -> ${rev.b2} (db2) (head) (current), create invoice table`,
      b1: `[db2] <base> -> ${rev.b1} (db2), create account table`,
    };
    expect([...got].sort()).toEqual(Object.values(expected).sort());
    expect(got.indexOf(expected.d2)).toBeLessThan(got.indexOf(expected.d1));
    expect(got.indexOf(expected.b2)).toBeLessThan(got.indexOf(expected.b1));

    const db2Only = await p.ok('history', 'db2');
    expect(lines(db2Only.stdout)).toEqual([`[db2] ${rev.b1} -> ${rev.b2} (db2) (head), create invoice table`, `[db2] <base> -> ${rev.b1} (db2), create account table`]);
  });

  it('heads lists one head per branch', async () => {
    const out = await p.ok('heads');
    expect(lines(out.stdout).sort()).toEqual(
      [`[default] ${rev.d2} (default) (head)`, `[db2] ${rev.b2} (db2) (head)`].sort(),
    );
  });

  it('show <prefix> describes the revision', async () => {
    const out = await p.ok('show', rev.b1.slice(0, 6));
    const got = lines(out.stdout);
    expect(got).toEqual(
      expect.arrayContaining([
        `Rev: ${rev.b1}`,
        'Parent: <base>',
        'Branch names: db2',
        `Children: ${rev.b2}`,
        `Path: ${p.dir}/migrations/versions/db2/${rev.b1}_create_account_table.ts`,
        '    create account table',
        `    Revision ID: ${rev.b1}`,
        '    Revises: ',
      ]),
    );
    const head = await p.ok('show', rev.b2);
    expect(lines(head.stdout)).toContain(`Rev: ${rev.b2} (head)`);
    expect(lines(head.stdout)).toContain(`Parent: ${rev.b1}`);
  });

  it('a bare downgrade (or -1) with two binds refuses, lists the binds and changes nothing', async () => {
    for (const args of [['downgrade'], ['downgrade', '-1']]) {
      const out = await p.run(...args);
      expect(out.code, args.join(' ')).toBe(2); // usage: the command line must name a bind
      expect(out.stderr).toMatch(/^ERROR: .*needs a bind.*\bdefault, db2\b/m);
      expect(out.stderr).not.toMatch(/Running/);
    }
    expect(snapshot('default')).toEqual(dbState.default);
    expect(snapshot('db2')).toEqual(dbState.db2);
  });
});
