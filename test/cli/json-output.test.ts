// `--json` on current, status, heads, branches, history, show, upgrade, downgrade, stamp, check,
// migrate, revision and merge: one
// JSON document on stdout (progress stays on stderr), and `{"error": …}` on failure with a
// non-zero exit. `migrate` runs in this process (`main`: runInProcess, InProcessProject); one upgrade runs on PostgreSQL.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lockFileFor } from '@multidb/dialect/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutogenerateJson, CheckJson, CurrentJson, ErrorJson, HeadsJson, HistoryJson, OfflineJson, RevisionWrittenJson, RunJson, ShowJson, StampJson, StatusJson, BranchesJson } from '@multidb/cli';
import { runInProcess } from '../support/in-process.js';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject, revisionSource, sqliteModelsConfig } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases, versionsAt } from '../support/servers.js';

const A1 = 'a1a1a1a1a1a1';
const B1 = 'b1b1b1b1b1b1';
const B2 = 'b2b2b2b2b2b2';
const B3 = 'b3b3b3b3b3b3';

const table = (name: string) => ({
  upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
  downgrade: `await op.dropTable('${name}');`,
});

/** Runs `migrate ARGS` in-process; stdout must be exactly one JSON document. */
async function json<T>(p: TempProject, ...args: string[]): Promise<{ code: number; doc: T; stderr: string }> {
  const out = await runInProcess(p.dir, args);
  return { code: out.code, doc: JSON.parse(out.stdout) as T, stderr: out.stderr };
}

describe('--json on SQLite binds', () => {
  const p = new InProcessProject(['default', 'db2']);
  afterAll(() => p.remove());

  beforeAll(() => {
    p.write(`migrations/versions/default/${A1}_a1.ts`, revisionSource({ revision: A1, downRevision: null, branchLabels: ['default'], message: 'create a1', ...table('a1') }));
    p.write(`migrations/versions/db2/${B1}_b1.ts`, revisionSource({ revision: B1, downRevision: null, branchLabels: ['db2'], message: 'create b1', ...table('b1') }));
    p.write(`migrations/versions/db2/${B2}_b2.ts`, revisionSource({ revision: B2, downRevision: B1, message: 'create b2', ...table('b2') }));
  });

  it('heads: every branch head with its header fields', async () => {
    const { code, doc } = await json<HeadsJson>(p, 'heads', '--json');
    expect(code).toBe(0);
    // Branches in config order (default, db2), as the text listings.
    expect(doc.heads.map((h) => [h.branch, h.revision, h.downRevisions, h.isHead])).toEqual([
      ['default', A1, [], true],
      ['db2', B2, [B1], true],
    ]);
    const b2 = doc.heads[1]!;
    expect(b2).toMatchObject({ message: 'create b2', branchLabels: [], dependsOn: [], createDate: '2026-11-23T10:00:00Z', isMergePoint: false, isBranchPoint: false, children: [] });
    expect(b2.path).toMatch(/migrations\/versions\/db2\/b2b2b2b2b2b2_b2\.ts$/);
  });

  it('status: dialect, current, heads and pending revisions per bind', async () => {
    const { code, doc } = await json<StatusJson>(p, 'status', '--json');
    expect(code).toBe(0);
    const db2 = doc.binds.find((b) => b.bind === 'db2')!;
    expect(db2).toMatchObject({ branch: 'db2', dialect: 'sqlite', displayUrl: 'sqlite:.data/db2.db', current: [], heads: [B2], condition: { kind: 'pending' } });
    expect(db2.pending.map((r) => [r.revision, r.message])).toEqual([[B1, 'create b1'], [B2, 'create b2']]);
  });

  it('upgrade: the steps run and the heads after, progress on stderr only', async () => {
    const out = await runInProcess(p.dir, ['upgrade', '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as RunJson;
    expect(doc.steps.map((s) => [s.bind, s.revision, s.direction])).toEqual([['default', A1, 'up'], ['db2', B1, 'up'], ['db2', B2, 'up']]);
    expect(doc.steps.every((s) => typeof s.elapsedMs === 'number' && s.elapsedMs >= 0)).toBe(true);
    expect(doc.heads).toEqual({ default: [A1], db2: [B2] });
    expect(out.stderr).toContain(`[db2] Running upgrade ${B1} -> ${B2}, create b2`);
    expect(p.versionsApplied('db2')).toEqual([B2]);
  });

  it('upgrade with nothing to do: an empty step list, the message on stderr', async () => {
    const { code, doc, stderr } = await json<RunJson>(p, 'upgrade', '--json');
    expect(code).toBe(0);
    expect(doc).toMatchObject({ steps: [], heads: {} });
    expect(stderr).toContain('Nothing to upgrade');
  });

  it('current: each bind with its version-table rows', async () => {
    const { code, doc } = await json<CurrentJson>(p, 'current', '--json');
    expect(code).toBe(0);
    expect(doc.binds).toEqual([
      { bind: 'default', branch: 'default', displayUrl: 'sqlite:.data/default.db', reachable: true, revisions: [{ revision: A1, known: true, isHead: true, message: 'create a1' }], atHeads: true },
      { bind: 'db2', branch: 'db2', displayUrl: 'sqlite:.data/db2.db', reachable: true, revisions: [{ revision: B2, known: true, isHead: true, message: 'create b2' }], atHeads: true },
    ]);
  });

  it('history: newest first, with the binds at each revision', async () => {
    const { code, doc } = await json<HistoryJson>(p, 'history', 'db2', '--indicate-current', '--json');
    expect(code).toBe(0);
    expect(doc.revisions.map((r) => [r.revision, r.currentBinds, r.sharedBranch])).toEqual([[B2, ['db2'], false], [B1, [], false]]);
  });

  it('show: one revision, in an object as every command prints (was the revision itself)', async () => {
    const { code, doc } = await json<ShowJson>(p, 'show', 'b1b1', '--json');
    expect(code).toBe(0);
    expect(Object.keys(doc)).toEqual(['revisions']);
    expect(doc.revisions).toHaveLength(1);
    expect(doc.revisions[0]).toMatchObject({ revision: B1, branch: 'db2', branchLabels: ['db2'], downRevisions: [], isHead: false, children: [B2], message: 'create b1' });
  });

  it('show heads and show current: an object too (were bare arrays), one entry per revision, current\'s with its bind', async () => {
    const heads = await json<ShowJson>(p, 'show', 'heads', '--json');
    expect(heads.code).toBe(0);
    expect(heads.doc.revisions.map((r) => [r.branch, r.revision])).toEqual([['default', A1], ['db2', B2]]);
    const current = await json<ShowJson>(p, 'show', 'current', '--json');
    expect(current.code).toBe(0);
    expect(current.doc.revisions.map((r) => [r.bind, r.revision])).toEqual([['default', A1], ['db2', B2]]);
  });

  it('downgrade: the steps run back and the heads after', async () => {
    const { code, doc } = await json<RunJson>(p, 'downgrade', 'db2', '--json');
    expect(code).toBe(0);
    expect(doc.steps.map((s) => [s.bind, s.revision, s.direction])).toEqual([['db2', B2, 'down']]);
    expect(doc.heads).toEqual({ db2: [B1] });
  });

  it('stamp: one change per bind', async () => {
    const { code, doc } = await json<StampJson>(p, 'stamp', 'db2@head', '--json');
    expect(code).toBe(0);
    expect(doc.changes).toEqual([{ bind: 'db2', from: [B1], to: [B2], outcome: 'stamped' }]);
    expect(p.versionsApplied('db2')).toEqual([B2]);
  });

  it('upgrade --sql: the offline scripts, one per bind', async () => {
    const { code, doc } = await json<OfflineJson>(p, 'upgrade', '--sql', 'db2@base:head', '--json');
    expect(code).toBe(0);
    expect(doc.scripts.map((s) => [s.bind, s.dialect, s.from, s.to])).toEqual([['db2', 'sqlite', [], [B2]]]);
    expect(doc.scripts[0]!.sql).toMatch(/CREATE TABLE "b2"/);
  });

  it('errors: a document on stdout, with code and bind, and the exit code of the error', async () => {
    const notFound = await json<ErrorJson>(p, 'show', 'nosuch', '--json');
    expect(notFound.code).toBe(1);
    expect(notFound.doc.error).toMatchObject({ code: 'REVISION_NOT_FOUND' });
    expect(notFound.doc.error.message).toContain("'nosuch'");

    const unknownBind = await json<ErrorJson>(p, 'current', 'nosuch', '--json');
    expect(unknownBind.code).toBe(1);
    expect(unknownBind.doc.error).toMatchObject({ bind: 'nosuch', code: 'UNKNOWN_BIND' });

    const bindRequired = await json<ErrorJson>(p, 'downgrade', '--json');
    expect(bindRequired.code).toBe(2);
    expect(bindRequired.doc.error.code).toBe('BIND_REQUIRED');

    const usage = await json<ErrorJson>(p, 'status', '--bogus', '--json');
    expect(usage.code).toBe(2);
    expect(usage.doc.error).toEqual({ message: "unknown option '--bogus'", code: 'USAGE' });
  });

  it('a failing revision: the error names its bind; branches shows a fork', async () => {
    p.write(`migrations/versions/db2/${B3}_b3.ts`, revisionSource({ revision: B3, downRevision: B1, message: 'fork', upgrade: "await op.execute('INSERT INTO nosuch_table VALUES (1)');" }));
    const branches = await json<BranchesJson>(p, 'branches', '--json');
    expect(branches.code).toBe(0);
    expect(branches.doc.branchPoints.map((b) => [b.revision, b.isBranchPoint, [...b.children].sort()])).toEqual([[B1, true, [B2, B3]]]);

    const failed = await json<ErrorJson>(p, 'upgrade', B3, '--json');
    expect(failed.code).toBe(1);
    expect(failed.doc.error).toMatchObject({ bind: 'db2', code: 'MIGRATION' });
    expect(failed.doc.error.message).toContain('nosuch_table');
  });
});

describe('status --json with an unreachable bind', () => {
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: { ok: { url: 'sqlite:.data/ok.db' }, gone: { url: 'postgres://app:Sup3rS3cret@127.0.0.1:1/app' } } });\n`,
  });
  beforeAll(() => {
    for (const branch of ['ok', 'gone']) mkdirSync(join(p.dir, 'migrations', 'versions', branch), { recursive: true });
  });
  afterAll(() => p.remove());

  it('reports both binds, marks the unreachable one, exits 1 and prints no password', async () => {
    const out = await runInProcess(p.dir, ['status', '--json']);
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout) as StatusJson;
    expect(doc.binds.map((b) => [b.bind, b.condition.kind])).toEqual([['ok', 'up-to-date'], ['gone', 'unreachable']]);
    expect(doc.binds[1]!.displayUrl).toBe('postgres://app:***@127.0.0.1:1/app');
    expect(out.stdout + out.stderr).not.toContain('Sup3rS3cret');
  });

  it('current --json: every bind, the unreachable one marked with its masked reason, exit 1, no password', async () => {
    const out = await runInProcess(p.dir, ['current', '--json']);
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout) as CurrentJson;
    const gone = doc.binds.find((b) => b.bind === 'gone');
    expect(gone).toMatchObject({ bind: 'gone', reachable: false, revisions: [] });
    expect(gone?.reason).toContain('postgres://app:***@127.0.0.1:1/app');
    expect(doc.binds.filter((b) => b.bind !== 'gone').every((b) => b.reachable)).toBe(true);
    expect(out.stdout + out.stderr).not.toContain('Sup3rS3cret');
  });
});

describeWithServers('upgrade --json on PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('json_output', { sales: 'postgres' });
  let p: InProcessProject;
  beforeAll(() => {
    p = new InProcessProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { sales: { url: ${JSON.stringify(dbs.sales.url)} } } });\n` });
    p.write(`migrations/versions/sales/${B1}_b1.ts`, revisionSource({ revision: B1, downRevision: null, branchLabels: ['sales'], ...table('b1') }));
    p.write(`migrations/versions/sales/${B2}_b2.ts`, revisionSource({ revision: B2, downRevision: B1, ...table('b2') }));
  });
  afterAll(() => p.remove());

  it('prints the steps and heads as JSON, and the version table agrees', async () => {
    const { code, doc } = await json<RunJson>(p, 'upgrade', '--json');
    expect(code).toBe(0);
    expect(doc.steps.map((s) => [s.bind, s.revision, s.direction])).toEqual([['sales', B1, 'up'], ['sales', B2, 'up']]);
    expect(doc.heads).toEqual({ sales: [B2] });
    expect(await versionsAt(dbs.sales.url)).toEqual([B2]);
  });
});

// check, migrate (autogenerate), revision and merge: what CI reads. One SQLite bind with models.
describe('--json on check, migrate, revision and merge', () => {
  const models = (extra: string) =>
    `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 'account', columns: [{ name: 'id', type: 'integer', primaryKey: true }${extra}] }] });\n`;
  const p = new InProcessProject([], { config: sqliteModelsConfig({ app: './models.ts' }) });
  afterAll(() => p.remove());

  it('migrate writes the revision; check then says match; a new column: differs (exit 4), with the change', async () => {
    expect((await p.run('init', '--multidb')).code).toBe(0);
    p.write('models.ts', models(''));
    const written = await json<AutogenerateJson>(p, 'migrate', '-m', 'initial', '--json');
    expect(written.code).toBe(0);
    expect(written.doc.unmatchedRenames).toEqual([]);
    const [app] = written.doc.binds;
    expect(app).toMatchObject({ bind: 'app', branch: 'app', outcome: 'written', revision: { branch: 'app', downRevisions: [], message: 'initial' } });
    expect(app!.changes.map((c) => [c.kind, c.table])).toEqual([['add_table', 'account']]);
    expect(p.versions('app')).toEqual([expect.stringContaining(app!.revision!.revision)]);
    expect((await p.run('upgrade')).code).toBe(0);

    const same = await json<CheckJson>(p, 'check', '--json');
    expect(same.code).toBe(0);
    expect(same.doc.binds).toEqual([{ bind: 'app', branch: 'app', outcome: 'match', changes: [], warnings: [] }]);

    p.write('models.ts', models(`, { name: 'email', type: 'varchar(200)', nullable: true }`));
    const differs = await json<CheckJson>(p, 'check', '--json');
    expect(differs.code).toBe(4);
    expect(differs.doc.binds[0]).toMatchObject({ outcome: 'differs', changes: [{ kind: 'add_column', table: 'account', column: 'email', line: "Detected added column 'account.email'" }] });
    const none = await json<AutogenerateJson>(p, 'migrate', '-m', 'nothing', '--json', '--bind', 'app', '--rev-id', 'c0ffee000001');
    expect(none.doc.binds[0]).toMatchObject({ outcome: 'written', revision: { revision: 'c0ffee000001', downRevisions: [app!.revision!.revision] } });
  });

  it('revision and merge: the revision written', async () => {
    const head = p.versions('app').map((f) => f.split('_')[0]!).find((id) => id === 'c0ffee000001')!;
    const left = await json<RevisionWrittenJson>(p, 'revision', '-m', 'left', '--json', '--rev-id', 'aaaa00000001');
    expect(left.code).toBe(0);
    expect(left.doc.revisions).toEqual([
      { path: join(p.dir, 'migrations', 'versions', 'app', 'aaaa00000001_left.ts'), revision: 'aaaa00000001', branch: 'app', downRevisions: [head], branchLabels: [], dependsOn: [], message: 'left' },
    ]);
    await json<RevisionWrittenJson>(p, 'revision', '-m', 'right', '--json', '--rev-id', 'bbbb00000001', '--head', head, '--splice');
    const merged = await json<RevisionWrittenJson>(p, 'merge', '-m', 'join', 'heads', '--json', '--rev-id', 'cccc00000001');
    expect(merged.code).toBe(0);
    expect(merged.doc.revisions[0]).toMatchObject({ revision: 'cccc00000001', message: 'join' });
    expect([...merged.doc.revisions[0]!.downRevisions].sort()).toEqual(['aaaa00000001', 'bbbb00000001']);
    const refused = await json<ErrorJson>(p, 'merge', '-m', 'again', 'heads', '--json');
    expect(refused.code).toBe(1);
    expect(refused.doc.error.message).toMatch(/nothing to merge/);
  });
});

// What a deploy script reads from a failed run: the revision, which way, where its bind stayed,
// the file, line and SQL, and the steps the run completed before it (also per failure with
// --concurrency). The built `migrate`, SQLite binds; a URL in the failing SQL is masked.
describe('--json of a failed revision: revision, direction, at, file, line, sql and the steps done', () => {
  const SECRET = 'Secr3tPw9';
  const [C1, C2, D1, D2] = ['c1c1c1c1c1c1', 'c2c2c2c2c2c2', 'd1d1d1d1d1d1', 'd2d2d2d2d2d2'];
  const failingSql = `INSERT INTO nosuch_table (u) VALUES ('postgres://app:${SECRET}@db.example/sales')`;
  const p = new InProcessProject(['cc', 'dd']);
  const file = (name: string) => join(p.dir, 'migrations', 'versions', name);
  beforeAll(() => {
    p.write(`migrations/versions/cc/${C1}_c1.ts`, revisionSource({ revision: C1, downRevision: null, branchLabels: ['cc'], ...table('c1') }));
    // Its downgrade throws on line 15 of the file (see revisionSource's layout).
    p.write(`migrations/versions/cc/${C2}_c2.ts`, revisionSource({ revision: C2, downRevision: C1, ...table('c2'), downgrade: `throw new Error('cannot undo c2');` }));
    p.write(`migrations/versions/dd/${D1}_d1.ts`, revisionSource({ revision: D1, downRevision: null, branchLabels: ['dd'], ...table('d1') }));
    p.write(`migrations/versions/dd/${D2}_d2.ts`, revisionSource({ revision: D2, downRevision: D1, upgrade: `await op.execute(${JSON.stringify(failingSql)});` }));
  });
  afterAll(() => p.remove());
  const step = (bind: string, revision: string, direction: 'up' | 'down') => ({ bind, revision, direction, elapsedMs: expect.any(Number) });

  it('upgrade: the failed revision and the steps every bind completed before it', async () => {
    const out = await p.run('upgrade', '--json');
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).not.toContain(SECRET);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toEqual({
      message: expect.stringContaining(`[dd] revision ${D2} failed`),
      bind: 'dd',
      code: 'MIGRATION',
      revision: D2,
      direction: 'up',
      at: [D1],
      file: `${file('dd')}/${D2}_d2.ts`,
      sql: failingSql.replace(`:${SECRET}@`, ':***@'),
      steps: [step('cc', C1, 'up'), step('cc', C2, 'up'), step('dd', D1, 'up')],
    });
    expect(p.versionsApplied('dd')).toEqual([D1]);
  });

  it('downgrade: direction down, the line of its throw, no SQL, nothing completed', async () => {
    const out = await p.run('downgrade', 'cc@base', '--json');
    expect(out.code).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toEqual({
      message: expect.stringContaining(`[cc] revision ${C2} failed: cannot undo c2`),
      bind: 'cc',
      code: 'MIGRATION',
      revision: C2,
      direction: 'down',
      at: [C2],
      file: `${file('cc')}/${C2}_c2.ts`,
      line: 15,
      steps: [],
    });
  });

  it('--concurrency: each failure says the same, with the steps of its bind; the run its steps', async () => {
    p.write(`migrations/versions/cc/${C2}_c2.ts`, revisionSource({ revision: C2, downRevision: C1, ...table('c2') }));
    expect((await p.run('downgrade', 'cc@base')).code).toBe(0);
    const out = await p.run('upgrade', '--concurrency', '2', '--json');
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).not.toContain(SECRET);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'RUN', steps: [step('cc', C1, 'up'), step('cc', C2, 'up')] });
    expect(error.failures).toEqual([
      {
        message: expect.stringContaining(`[dd] revision ${D2} failed`),
        bind: 'dd',
        code: 'MIGRATION',
        revision: D2,
        direction: 'up',
        at: [D1],
        file: `${file('dd')}/${D2}_d2.ts`,
        sql: failingSql.replace(`:${SECRET}@`, ':***@'),
        steps: [],
      },
    ]);
  });
});

// A revision's own transaction (op.db.transaction()) whose COMMIT the database refuses: a
// DEFERRABLE INITIALLY DEFERRED foreign key is checked at COMMIT, which Kysely's driver sends, not
// the revision. The COMMIT is the failing SQL, as a failing query of the revision would be.
describeWithServers('--json of a revision whose op.db.transaction() fails at COMMIT (PostgreSQL, deferred foreign key)', ['postgres'], () => {
  const dbs = useDatabases('json_output_commit', { app: 'postgres' });
  const [G1, G2] = ['a7a7a7a7a7a7', 'a8a8a8a8a8a8'];
  let p: InProcessProject;
  beforeAll(() => {
    p = new InProcessProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(dbs.app.url)} } } });\n` });
    p.write(
      `migrations/versions/app/${G1}_g1.ts`,
      revisionSource({
        revision: G1,
        downRevision: null,
        branchLabels: ['app'],
        upgrade: "await op.execute('CREATE TABLE parent (id int PRIMARY KEY)');\n  await op.execute('CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');",
      }),
    );
    p.write(
      `migrations/versions/app/${G2}_g2.ts`,
      revisionSource({
        revision: G2,
        downRevision: G1,
        extra: 'export const transaction = false;',
        upgrade: "await op.db.transaction().execute((trx) => trx.insertInto('child').values({ id: 1, parent_id: 42 }).execute());",
      }),
    );
  });
  afterAll(() => p.remove());

  it("upgrade: sql is 'commit', the ERROR line names it; the bind stays at the revision before", async () => {
    const out = await p.run('upgrade', '--json');
    expect(out.code).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({
      message: expect.stringMatching(new RegExp(`^\\[app\\] revision ${G2} failed: insert or update on table "child" violates foreign key constraint "child_parent_id_fkey"; detail: Key \\(parent_id\\)=\\(42\\) is not present in table "parent". statement: commit; `)),
      code: 'MIGRATION',
      revision: G2,
      at: [G1],
      sql: 'commit',
      detail: 'Key (parent_id)=(42) is not present in table "parent".',
    });
    const plain = await p.run('upgrade');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^ERROR: \[app\] revision a8a8a8a8a8a8 failed: .*; detail: .*\. statement: commit; /m);
    expect(await versionsAt(dbs.app.url)).toEqual([G1]);
    expect(await queryUrl(dbs.app.url, 'SELECT id FROM child')).toEqual([]);
  });
});

// The run's own COMMIT of a revision in its transaction, refused by a DEFERRABLE INITIALLY DEFERRED
// foreign key that the revision's insert breaks: that COMMIT goes with the version-table write (one
// query), or is pipelined with it while the next revision runs its code. Either way the COMMIT is
// the failing SQL, the revision the failing one, and the version table stays where it was.
describeWithServers("--json of a revision whose run's own COMMIT fails (PostgreSQL, deferred foreign key)", ['postgres'], () => {
  const dbs = useDatabases('json_output_run_commit', { app: 'postgres' });
  const [H1, H2, H3] = ['a9a9a9a9a9a1', 'a9a9a9a9a9a2', 'a9a9a9a9a9a3'];
  let p: InProcessProject;
  beforeAll(() => {
    p = new InProcessProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(dbs.app.url)} } } });\n` });
    p.write(
      `migrations/versions/app/${H1}_h1.ts`,
      revisionSource({
        revision: H1,
        downRevision: null,
        branchLabels: ['app'],
        upgrade: "await op.execute('CREATE TABLE parent (id int PRIMARY KEY)');\n  await op.execute('CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');",
      }),
    );
    p.write(`migrations/versions/app/${H2}_h2.ts`, revisionSource({ revision: H2, downRevision: H1, upgrade: "await op.bulkInsert('child', [{ id: 1, parent_id: 42 }]);" }));
    p.write(`migrations/versions/app/${H3}_h3.ts`, revisionSource({ revision: H3, downRevision: H2, ...table('h3') }));
  });
  afterAll(() => p.remove());

  it("upgrade: sql is 'COMMIT', the revision the one whose COMMIT failed, its version row not written; alone and with a revision after it", async () => {
    expect((await p.run('upgrade', H1)).code).toBe(0);
    for (const target of [H2, 'head']) {
      const out = await p.run('upgrade', target, '--json');
      expect(out.code, target).toBe(1);
      const { error } = JSON.parse(out.stdout) as ErrorJson;
      expect(error, target).toMatchObject({
        message: expect.stringMatching(new RegExp(`^\\[app\\] revision ${H2} failed: insert or update on table "child" violates foreign key constraint "child_parent_id_fkey"; detail: Key \\(parent_id\\)=\\(42\\) is not present in table "parent". statement: COMMIT; `)),
        code: 'MIGRATION',
        revision: H2,
        direction: 'up',
        at: [H1],
        sql: 'COMMIT',
        detail: 'Key (parent_id)=(42) is not present in table "parent".',
        steps: [],
      });
      // The revision after it never started.
      expect(out.stderr, target).not.toContain(`Running upgrade ${H2} -> ${H3}`);
      expect(await versionsAt(dbs.app.url), target).toEqual([H1]);
      expect(await queryUrl(dbs.app.url, 'SELECT id FROM child'), target).toEqual([]);
      expect(await queryUrl(dbs.app.url, "SELECT to_regclass('h3') IS NULL AS gone"), target).toEqual([{ gone: true }]);
    }
  });
});

describe("--json of a failed revision in transactionMode 'per-run': a step its failure rolled back is not listed as done", () => {
  const [E1, E2, F1, F2] = ['e1e1e1e1e1e1', 'e2e2e2e2e2e2', 'f1f1f1f1f1f1', 'f2f2f2f2f2f2'];
  const p = new InProcessProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ transactionMode: 'per-run', binds: { ee: { url: 'sqlite:.data/ee.db' }, ff: { url: 'sqlite:.data/ff.db' } } });\n`,
  });
  beforeAll(() => {
    p.write(`migrations/versions/ee/${E1}_e1.ts`, revisionSource({ revision: E1, downRevision: null, branchLabels: ['ee'], ...table('e1') }));
    p.write(`migrations/versions/ee/${E2}_e2.ts`, revisionSource({ revision: E2, downRevision: E1, ...table('e2') }));
    p.write(`migrations/versions/ff/${F1}_f1.ts`, revisionSource({ revision: F1, downRevision: null, branchLabels: ['ff'], ...table('f1') }));
    p.write(`migrations/versions/ff/${F2}_f2.ts`, revisionSource({ revision: F2, downRevision: F1, upgrade: `throw new Error('f2 fails');` }));
  });
  afterAll(() => p.remove());

  it("ee's steps committed with its last one; ff's first was rolled back with the failure: at base, not in steps", async () => {
    const out = await p.run('upgrade', '--json');
    expect(out.code).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'MIGRATION', bind: 'ff', revision: F2, direction: 'up', at: [], line: 11 });
    expect(error.steps!.map((s) => [s.bind, s.revision])).toEqual([['ee', E1], ['ee', E2]]);
    expect(p.versionsApplied('ee')).toEqual([E2]);
    expect(p.versionsApplied('ff')).toEqual([]);
    expect(p.tables('ff')).toEqual([]);
  });
});

describe('--json of a failed revision in a run of independent groups (tenants on one branch)', () => {
  const [T1, T2] = ['7a7a7a7a7a01', '7a7a7a7a7a02'];
  const p = new InProcessProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(['t1', 't2', 't3'].map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
  });
  beforeAll(() => {
    p.write(`migrations/versions/tenant/${T1}_a.ts`, revisionSource({ revision: T1, downRevision: null, branchLabels: ['tenant'], ...table('a') }));
    p.write(`migrations/versions/tenant/${T2}_b.ts`, revisionSource({ revision: T2, downRevision: T1, upgrade: `if (op.bind === 't2') throw new Error('t2 refuses b'); ${table('b').upgrade}`, downgrade: table('b').downgrade }));
  });
  afterAll(() => p.remove());

  it("one group after the other: the steps of the groups before it, then its own, and the tenants not run", async () => {
    const out = await p.run('upgrade', '--json');
    expect(out.code).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'MIGRATION', bind: 't2', revision: T2, direction: 'up', at: [T1], line: 11 });
    expect(error.message).toContain('not run (the run stopped here): t3');
    expect(error.steps!.map((s) => [s.bind, s.revision])).toEqual([['t1', T1], ['t1', T2], ['t2', T1]]);
    // Was: only in the message.
    expect(error.notRun).toEqual(['t3']);
  });

  it("one group after the other, a tenant's lock held past --lock-timeout: LOCK_TIMEOUT names the tenants not run", async () => {
    expect((await p.run('downgrade', 'tenant@base', '--all-binds')).code).toBe(0);
    // t2's migration lock, held as another migrate process would (an exclusive transaction on its lock file).
    const holder = new Database(lockFileFor(join(p.dir, '.data', 't2.db'), 'multidb::multidb_version'));
    try {
      holder.exec('BEGIN EXCLUSIVE');
      const out = await p.run('upgrade', T1, '--lock-timeout', '1', '--json');
      expect(out.code, out.stderr).toBe(3);
      const { error } = JSON.parse(out.stdout) as ErrorJson;
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 't2', notRun: ['t3'] });
      expect(error.message).toContain('not run (the run stopped here): t3');
    } finally {
      holder.close();
    }
    expect(p.versionsApplied('t1')).toEqual([T1]);
    expect(p.versionsApplied('t3')).toEqual([]);
  });

  it('--concurrency: the RunError lists every completed step, the failure its own tenant\'s', async () => {
    expect((await p.run('downgrade', 'tenant@base', '--all-binds')).code).toBe(0);
    const out = await p.run('upgrade', '--concurrency', '3', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error.code).toBe('RUN');
    expect(error.steps!.map((s) => `${s.bind} ${s.revision}`).sort()).toEqual([`t1 ${T1}`, `t1 ${T2}`, `t2 ${T1}`, `t3 ${T1}`, `t3 ${T2}`]);
    expect(error.failures).toHaveLength(1);
    expect(error.failures![0]).toMatchObject({ bind: 't2', revision: T2, at: [T1], steps: [{ bind: 't2', revision: T1, direction: 'up' }] });
  });
});
