// Resumable revisions on MariaDB (DDL commits implicitly there): the progress of the revision in
// flight is kept in `multidb_version_progress`, so a revision that failed or was killed part way
// resumes after its last completed write when run again, and is refused when it changed before
// that write; a downgrade or a stamp of it is refused until it is resumed or resolved (resolve
// reads the version table, and refuses one changed since); `current` shows it; raw SQL
// interrupted between sending and recording is refused on resume; an op of several statements (a
// batch block) that failed or was killed between them resumes at the next statement; per-run
// refuses.
// Each test gets its own database. Runs are in-process (the command layer) except where a
// process is killed or the CLI's rendering is checked, to keep the suite quick.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { main } from '@multidb/cli';
import { commands, createModuleLoader, loadEnvironment, PartlyAppliedError, ResolveConflictError, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addRevision, startMigrate } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { columnsAt, createDatabase, describeWithServers, queryUrl, tablesAt, versionsAt, withMysql, type ServerDatabase } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const config = (url: string, extra = '') =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n${extra}  binds: {\n    default: { url: ${JSON.stringify(url)} },\n  },\n});\n`;

/** The mysql2 the dialects load (hoisted or not), whose connections' queries a test may watch. */
const mysql2 = createRequire(new URL('../../packages/dialect/package.json', import.meta.url))('mysql2') as { Connection: { prototype: object } };

const table = (name: string, extra = '') => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }${extra}]);`;
/** Three createTable ops and an `op.db` insert; the third table references `ref`. */
const threeTables = (ref: string, t1Extra = '') =>
  `${table('t1', t1Extra)}\n  await op.db.insertInto('t1').values({ id: 1 }).execute();\n  ${table('t2')}\n  ` +
  table('t3', `, { name: 't1_id', type: 'integer', references: '${ref}.id' }`);

describeWithServers('resumable revisions on MariaDB', ['mysql'], () => {
  let db: ServerDatabase;
  let p: TempProject;
  const url = () => db.url;
  /** Runs `fn` on a fresh environment of the project (revision files re-read); returns its error, if any. */
  const inProcess = async (fn: (env: MigrationEnvironment) => Promise<unknown>): Promise<Error | undefined> => {
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, moduleCache: false, fsCache: false }) });
    try {
      await fn(env);
      return undefined;
    } catch (error) {
      return error as Error;
    } finally {
      await env.close();
    }
  };
  const upgrade = () => inProcess((env) => commands.upgrade(env));
  const ok = async (fn: (env: MigrationEnvironment) => Promise<unknown>) => {
    const error = await inProcess(fn);
    if (error) throw error;
  };
  /** `migrate ARGS` in-process: exit code, stdout lines and stderr lines. */
  const cliWithErr = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { cwd: p.dir, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
    return { code, out, err };
  };
  /** `migrate ARGS` in-process: exit code and stdout lines. */
  const cli = async (...args: string[]) => {
    const { code, out } = await cliWithErr(...args);
    return { code, out };
  };
  const progressRows = () => queryUrl(url(), 'SELECT step, state, description FROM multidb_version_progress ORDER BY step');

  beforeEach(async () => {
    db = await createDatabase('mysql', 'resumable');
    p = new TempProject([], { config: config(db.url) });
  });
  afterEach(async () => {
    p.remove();
    await db.drop();
  });

  it('(a) a revision whose third createTable fails: fixed, the re-run resumes after the completed writes and reaches head, each table made once', async () => {
    const file = addRevision(p, 'default', { revision: 'ab0000000001', downRevision: null, message: 'three tables', upgrade: threeTables('nope') });

    const failed = await upgrade();
    for (const needle of ['[default]', 'ab0000000001', file, /progress recorded/, 'Fix what failed (the revision may change from the write that failed on, not before it), then run the command again to resume']) expect(failed?.message).toMatch(needle);
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 't1', 't2']);
    expect(await versionsAt(url())).toEqual([]);
    expect((await progressRows()).map((r) => r.description)).toEqual(['ab0000000001', 'createTable t1', 'op.db insert into `t1` (`id`) values (?)', 'createTable t2']);
    expect(await cli('current')).toEqual({ code: 0, out: [
      '[default] <base>',
      '[default] ab0000000001 (in flight: upgrade stopped after 3 write(s), last: createTable t2)',
    ] });

    addRevision(p, 'default', { revision: 'ab0000000001', downRevision: null, message: 'three tables', upgrade: threeTables('t1') });
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 't1', 't2', 't3']);
    expect(await queryUrl(url(), 'SELECT id FROM t1')).toEqual([{ id: 1 }]); // the insert ran once
    expect(await versionsAt(url())).toEqual(['ab0000000001']);
    expect(await progressRows()).toEqual([]);
    await ok(async (env) => expect((await commands.current(env))[0]!.inFlight).toBeUndefined());
  });

  it("(a) a CALL is a data write, run in a transaction with its record: a procedure that fails after its first insert leaves no row, and the fixed re-run calls it once", async () => {
    const revision = (second: number) =>
      `${table('t1')}\n  await op.execute('CREATE PROCEDURE p() BEGIN INSERT INTO t1 VALUES (1); INSERT INTO t1 VALUES (${second}); END');\n  await op.execute('CALL p()');`;
    addRevision(p, 'default', { revision: 'ac0000000001', downRevision: null, message: 'call', upgrade: revision(1) });

    const failed = await upgrade();
    expect(failed?.message).toMatch(/Duplicate entry '1'/);
    // Run as DDL (autocommit), the first insert would stay; as a data write it rolls back with the statement's transaction.
    expect(await queryUrl(url(), 'SELECT id FROM t1')).toEqual([]);
    expect((await progressRows()).map((r) => r.description)).toEqual(['ac0000000001', 'createTable t1', 'execute CREATE PROCEDURE p() BEGIN INSERT INTO t1 VALUES (1); INSERT INTO t1 VALUES (1); END']);

    addRevision(p, 'default', { revision: 'ac0000000001', downRevision: null, message: 'call', upgrade: revision(1).replace("CALL p()", "DROP PROCEDURE p');\n  await op.execute('CREATE PROCEDURE p() BEGIN INSERT INTO t1 VALUES (1); INSERT INTO t1 VALUES (2); END');\n  await op.execute('CALL p()") });
    await ok((env) => commands.upgrade(env));
    expect(await queryUrl(url(), 'SELECT id FROM t1 ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await versionsAt(url())).toEqual(['ac0000000001']);
  });

  it('(b) an op changed before the last applied write: the re-run refuses, naming the last applied write, and changes nothing', async () => {
    addRevision(p, 'default', { revision: 'ab0000000002', downRevision: null, message: 'three tables', upgrade: threeTables('nope') });
    await upgrade();
    const before = await tablesAt(url());

    // t1 gets another column: it no longer is the op that ran.
    addRevision(p, 'default', { revision: 'ab0000000002', downRevision: null, message: 'three tables', upgrade: threeTables('t1', `, { name: 'extra', type: 'integer' }`) });
    const error = await upgrade();
    for (const needle of ['[default]', 'ab0000000002', /cannot resume/, /write 1 \(createTable t1\)/, 'Last applied write: createTable t2', /migrate resolve default/]) expect(error?.message).toMatch(needle);
    expect(await tablesAt(url())).toEqual(before);
    expect(await versionsAt(url())).toEqual([]);
  });

  it('(b) a later write changed (the second of three applied): the refusal still names the last applied write, not the last one it re-checked', async () => {
    addRevision(p, 'default', { revision: 'ab0000000012', downRevision: null, message: 'three tables', upgrade: threeTables('nope') });
    await upgrade();
    expect((await progressRows()).map((r) => r.description)).toEqual(['ab0000000012', 'createTable t1', 'op.db insert into `t1` (`id`) values (?)', 'createTable t2']);

    // The insert (write 2) now writes another row; t1 (write 1) is as it ran.
    addRevision(p, 'default', { revision: 'ab0000000012', downRevision: null, message: 'three tables', upgrade: threeTables('t1').replace("insertInto('t1').values({ id: 1 })", "insertInto('t1').values({ id: 2 }).onDuplicateKeyUpdate({ id: 2 })") });
    const error = await upgrade();
    for (const needle of [/cannot resume/, /write 2 \(op\.db insert/, 'Last applied write: createTable t2.']) expect(error?.message).toMatch(needle);
    expect(await queryUrl(url(), 'SELECT id FROM t1')).toEqual([{ id: 1 }]);
  });

  it('(c) kill -9 of migrate in the middle of a revision: the re-run resumes after the last completed write', async () => {
    const release = join(p.dir, 'release');
    addRevision(p, 'default', {
      revision: 'ab0000000003',
      downRevision: null,
      message: 'held',
      upgrade:
        `${table('k1')}\n  await op.db.insertInto('k1').values({ id: 7 }).execute();\n` +
        `  console.error('holding');\n` +
        `  const { existsSync } = await import('node:fs'); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(release)}); i++) await new Promise((r) => setTimeout(r, 50));\n` +
        `  ${table('k2')}`,
    });
    const run = startMigrate(p, ['upgrade']);
    await run.waitForStderr(/holding/);
    run.child.kill('SIGKILL');
    await run.done;

    expect(await tablesAt(url())).toEqual(['k1', 'multidb_version', 'multidb_version_progress']);
    await ok(async (env) => expect((await commands.current(env))[0]!.inFlight).toEqual({ revision: 'ab0000000003', direction: 'up', writes: 2, last: 'op.db insert into `k1` (`id`) values (?)' }));

    writeFileSync(release, '');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['k1', 'k2', 'multidb_version', 'multidb_version_progress']);
    expect(await queryUrl(url(), 'SELECT id FROM k1')).toEqual([{ id: 7 }]);
    expect(await versionsAt(url())).toEqual(['ab0000000003']);
  });

  it('(c) kill -9 after DDL writes whose done marks were left out: the re-run takes them as done, the last one by introspection', async () => {
    const release = join(p.dir, 'release');
    addRevision(p, 'default', {
      revision: 'ab000000000a',
      downRevision: null,
      message: 'renamed',
      upgrade:
        `${table('r1')}\n  await op.renameTable('r1', 'r3');\n  console.error('holding');\n` +
        `  const { existsSync } = await import('node:fs'); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(release)}); i++) await new Promise((r) => setTimeout(r, 50));\n` +
        `  ${table('r2')}`,
    });
    const run = startMigrate(p, ['upgrade']);
    await run.waitForStderr(/holding/);
    run.child.kill('SIGKILL');
    await run.done;
    // Neither mark was sent: the rename's record stands for the create's, introspection finds the rename.
    expect((await progressRows()).map((r) => [r.description, r.state])).toEqual([
      ['ab000000000a', 'run'],
      ['createTable r1', 'pending'],
      ['renameTable r1', 'pending'],
    ]);

    writeFileSync(release, '');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'r2', 'r3']);
    expect(await versionsAt(url())).toEqual(['ab000000000a']);
    expect(await progressRows()).toEqual([]);
  });

  it('(d) a downgrade of a partly applied revision refuses, naming what completed; resolve --not-applied after a manual repair lets it proceed', async () => {
    addRevision(p, 'default', { revision: 'ab0000000004', downRevision: null, message: 'base', upgrade: table('base1'), downgrade: `await op.dropTable('base1');` });
    await ok((env) => commands.upgrade(env));
    addRevision(p, 'default', {
      revision: 'ab0000000005',
      downRevision: 'ab0000000004',
      message: 'half',
      upgrade: `${table('h1')}\n  ${table('h2', `, { name: 'x', type: 'integer', references: 'nope.id' }`)}`,
      downgrade: `await op.dropTable('h2'); await op.dropTable('h1');`,
    });
    await upgrade();
    expect(await versionsAt(url())).toEqual(['ab0000000004']);

    const refused = await inProcess((env) => commands.downgrade(env, '-1'));
    for (const needle of ['[default]', 'ab0000000005 is partly applied', 'createTable h1', 'Refusing to downgrade ab0000000004', 'migrate resolve default --not-applied']) expect(refused?.message).toContain(needle);
    expect(await tablesAt(url())).toContain('base1');

    await queryUrl(url(), 'DROP TABLE h1'); // the manual repair
    expect((await cli('resolve', 'default')).code).toBe(2); // a usage error: neither --applied nor --not-applied
    const resolved = await cli('resolve', 'default', '--not-applied');
    expect(resolved.out).toContain('[default] Resolved ab0000000005 (upgrade in flight) as not applied: version table ab0000000004 -> ab0000000004');
    expect((await inProcess((env) => commands.resolve(env, 'default', { applied: true })))?.message).toMatch(/no revision in flight/);

    await ok((env) => commands.downgrade(env, '-1'));
    expect(await versionsAt(url())).toEqual([]);
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress']);
  });

  it('(d) resolve --applied after finishing the revision by hand records it, and the downgrade then runs', async () => {
    addRevision(p, 'default', {
      revision: 'ab0000000006',
      downRevision: null,
      message: 'half',
      upgrade: `${table('h1')}\n  await op.execute('CREATE TABLE h2 (id integer REFERENCES nope (id))');`,
      downgrade: `await op.dropTable('h2'); await op.dropTable('h1');`,
    });
    await upgrade();
    await queryUrl(url(), 'CREATE TABLE h2 (id integer)'); // finished by hand
    await ok(async (env) => expect(await commands.resolve(env, 'default', { applied: true })).toEqual({ bind: 'default', revision: 'ab0000000006', direction: 'up', applied: true, from: [], to: ['ab0000000006'] }));
    await ok((env) => commands.downgrade(env, 'base'));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress']);
  });

  /**
   * `ab00000000b1` makes `u1`; `ab00000000b2` adds a column, an index and updates rows, then fails
   * on an ALTER of a missing table: in flight after three writes, the version table at `b1`.
   */
  const failHalfway = async () => {
    addRevision(p, 'default', { revision: 'ab00000000b1', downRevision: null, message: 'base', upgrade: `${table('u1')}\n  await op.db.insertInto('u1').values({ id: 1 }).execute();`, downgrade: `await op.dropTable('u1');` });
    addRevision(p, 'default', {
      revision: 'ab00000000b2',
      downRevision: 'ab00000000b1',
      message: 'half',
      upgrade:
        `await op.addColumn('u1', { name: 'age', type: 'integer', nullable: true });\n  await op.createIndex('ix_u1_age', 'u1', ['age']);\n  ` +
        `await op.db.updateTable('u1').set({ age: 7 }).execute();\n  await op.execute('ALTER TABLE nope ADD COLUMN x integer');`,
      downgrade: `await op.dropIndex('ix_u1_age', 'u1'); await op.dropColumn('u1', 'age');`,
    });
    expect((await upgrade())?.message).toMatch(/ALTER TABLE nope/);
    expect(await versionsAt(url())).toEqual(['ab00000000b1']);
    expect((await progressRows()).map((r) => r.description)).toEqual(['ab00000000b2', 'addColumn u1', 'createIndex u1', 'op.db update `u1` set `age` = ?']);
  };

  it('(d) stamp is refused while a revision is in flight, naming it and what it completed, before anything is written; stamp --purge forgets it', async () => {
    await failHalfway();
    const progress = await progressRows();
    for (const target of ['default@base', 'default@ab00000000b2', 'default@ab00000000b1']) {
      const refused = await inProcess((env) => commands.stamp(env, [target]));
      expect(refused).toBeInstanceOf(PartlyAppliedError);
      expect(refused).toMatchObject({ bind: 'default', revision: 'ab00000000b2', direction: 'up', completed: ['addColumn u1', 'createIndex u1', 'op.db update `u1` set `age` = ?'] });
      for (const needle of ['[default] revision ab00000000b2 is partly applied', '3 write(s) completed: addColumn u1; createIndex u1; op.db update `u1` set `age` = ?)', 'Refusing to stamp', "'migrate upgrade default'", "'migrate resolve default --not-applied'"]) expect(refused?.message).toContain(needle);
      expect(await versionsAt(url())).toEqual(['ab00000000b1']);
      expect(await progressRows()).toEqual(progress);
    }
    const viaCli = await cliWithErr('stamp', 'default@base');
    expect(viaCli.code).toBe(1);
    expect(viaCli.out.join('\n')).not.toMatch(/Stamping/);
    expect(viaCli.err.join('\n')).toContain('Refusing to stamp its version table (ab00000000b1 -> <base>)');
    expect(await versionsAt(url())).toEqual(['ab00000000b1']);
    // Offline, a stamp only writes a script.
    expect((await cli('stamp', 'default@base', '--sql')).code).toBe(0);

    // --purge overrides it: the version table says what the target says, and the progress goes in the same transaction.
    await ok((env) => commands.stamp(env, ['default@ab00000000b1'], { purge: true }));
    expect(await versionsAt(url())).toEqual(['ab00000000b1']);
    expect(await progressRows()).toEqual([]);
    await ok(async (env) => expect((await env.inFlight()).size).toBe(0));
  });

  it('(d) resolve reads the version table: one changed since the failure is refused with what it holds, one already at the rows to record only loses the progress', async () => {
    await failHalfway();
    const progress = await progressRows();
    // What a stamp of an earlier multidb did while the revision was in flight: `stamp default@base`, then `stamp default@ab00000000b2`.
    await queryUrl(url(), 'DELETE FROM multidb_version');
    const fromBase = await inProcess((env) => commands.resolve(env, 'default', { applied: false }));
    expect(fromBase).toBeInstanceOf(ResolveConflictError);
    expect(fromBase).toMatchObject({ bind: 'default', revision: 'ab00000000b2', found: [], started: ['ab00000000b1'], wanted: ['ab00000000b1'] });
    for (const needle of ['[default] cannot resolve ab00000000b2 (upgrade in flight) as not applied: the version table holds <base>, but the upgrade started from ab00000000b1', 'nothing was written', "'migrate stamp --purge default@ab00000000b1'"]) expect(fromBase?.message).toContain(needle);
    expect(await versionsAt(url())).toEqual([]);
    expect(await progressRows()).toEqual(progress);

    await queryUrl(url(), "INSERT INTO multidb_version (version_num) VALUES ('ab00000000b2')");
    const notApplied = await cliWithErr('resolve', 'default', '--not-applied');
    expect(notApplied.code).toBe(1);
    expect(notApplied.out).toEqual([]);
    expect(notApplied.err.join('\n')).toContain('the version table holds ab00000000b2, but the upgrade started from ab00000000b1');
    expect(await versionsAt(url())).toEqual(['ab00000000b2']);
    expect(await progressRows()).toEqual(progress);

    // The table already holds what --applied records: only the progress is cleared, and the report says so.
    const applied = await cli('resolve', 'default', '--applied');
    expect(applied.out).toContain('[default] Resolved ab00000000b2 (upgrade in flight) as applied: version table ab00000000b2 -> ab00000000b2');
    expect(await versionsAt(url())).toEqual(['ab00000000b2']);
    expect(await progressRows()).toEqual([]);
  });

  it('(d) a downgrade that failed part way: an upgrade is refused; the fixed downgrade resumes after the drop it completed', async () => {
    const downgrade = (bad: string) => `await op.dropTable('g2');\n  ${bad}await op.dropTable('g1');`;
    const spec = { revision: 'ab0000000009', downRevision: null, message: 'two', upgrade: `${table('g1')}\n  ${table('g2')}` };
    addRevision(p, 'default', { ...spec, downgrade: downgrade(`await op.execute('DROP TABLE nope');\n  `) });
    await ok((env) => commands.upgrade(env));
    expect((await inProcess((env) => commands.downgrade(env, 'base')))?.message).toMatch(/DROP TABLE nope/);
    expect(await tablesAt(url())).toEqual(['g1', 'multidb_version', 'multidb_version_progress']);
    expect((await upgrade())?.message).toMatch(/ab0000000009 is partly applied \(its downgrade stopped part way; 1 write\(s\) completed: dropTable g2\)\. Refusing to upgrade \(the plan has no step for it, which would leave it partly applied\)\. If it stopped on an error, fix that first \(the revision may change from the write that failed on, not before it\); then resume it with 'migrate downgrade default@-1'/);

    addRevision(p, 'default', { ...spec, downgrade: downgrade('') });
    await ok((env) => commands.downgrade(env, 'base'));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual([]);
  });

  it('(e) raw SQL interrupted after it was sent and before its completion was recorded: the re-run refuses, naming the statement', async () => {
    await queryUrl(url(), 'CREATE TABLE e0 (id integer)');
    addRevision(p, 'default', {
      revision: 'ab0000000007',
      downRevision: null,
      message: 'raw',
      upgrade: `${table('e1')}\n  await op.execute('ALTER TABLE e0 ADD COLUMN x integer');\n  ${table('e2')}`,
    });
    // Another session holds e0, so the ALTER waits on its metadata lock: migrate is killed there.
    await withMysql(async (c) => {
      await c.query('LOCK TABLES e0 WRITE');
      const run = startMigrate(p, ['upgrade']);
      try {
        for (let i = 0; i < 400; i++) {
          const [rows] = await c.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'ALTER TABLE e0%'");
          if (Number((rows as { n: number }[])[0]!.n) > 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        run.child.kill('SIGKILL');
        await run.done;
        await c.query('UNLOCK TABLES');
      }
    }, url());
    // createTable e1's done mark is left out (introspection can tell its effect): the record of the
    // write after it stands for it. Raw SQL is marked done as soon as it completes.
    expect((await progressRows()).map((r) => [r.description, r.state])).toEqual([
      ['ab0000000007', 'run'],
      ['createTable e1', 'pending'],
      ['execute ALTER TABLE e0 ADD COLUMN x integer', 'pending'],
    ]);
    await ok(async (env) =>
      expect((await env.inFlight()).get('default')?.writes.map((w) => [w.description, w.state])).toEqual([
        ['createTable e1', 'done'],
        ['execute ALTER TABLE e0 ADD COLUMN x integer', 'pending'],
      ]),
    );

    const error = await upgrade();
    for (const needle of ['[default]', 'ab0000000007', /stopped while sending write 2 \(execute ALTER TABLE e0 ADD COLUMN x integer\)/, 'Last applied write: createTable e1']) expect(error?.message).toMatch(needle);
    // The revision did not change: what to do is to look at the database, not to restore the file.
    expect(error?.message).toContain(
      "Check by hand whether that write took effect, then either finish the revision by hand and run 'migrate resolve default --applied', or undo what it applied and run 'migrate resolve default --not-applied' (the same command then runs it again from its start).",
    );
    expect(error?.message).not.toContain('Restore the revision as it was');
    expect(await tablesAt(url())).not.toContain('e2');
  });

  it('(g) a batch whose 2nd statement fails (a column in the way): fixed, the re-run resumes at the 2nd statement without re-sending the 1st', async () => {
    await queryUrl(url(), 'CREATE TABLE s1 (id integer PRIMARY KEY, a integer, b integer)'); // b: in the way of the rename
    addRevision(p, 'default', {
      revision: 'ab000000000b',
      downRevision: null,
      message: 'batch',
      upgrade: `${table('s0')}\n  await op.batchAlterTable('s1', (b) => {\n    b.addColumn({ name: 'x', type: 'integer' });\n    b.renameColumn('a', 'b');\n    b.addColumn({ name: 'y', type: 'integer' });\n  });`,
    });
    const failed = await upgrade();
    expect(failed?.message).toMatch(/RENAME COLUMN `a` TO `b`/);
    expect(await columnsAt(url(), 's1')).toEqual(['id', 'a', 'b', 'x']);
    // The 1st of the batch's statements completed; the 2nd failed, so did not apply.
    expect(await queryUrl(url(), 'SELECT step, state, statements_done FROM multidb_version_progress WHERE step = 2')).toEqual([{ step: 2, state: 'partial', statements_done: 1 }]);
    expect((await inProcess((env) => commands.downgrade(env, 'base')))?.message).toContain('createTable s0; batchAlterTable s1 (1 of its statements completed, the next one failed)');

    await queryUrl(url(), 'ALTER TABLE s1 DROP COLUMN b'); // the fix
    // Re-sending ADD COLUMN x would fail now (duplicate column): the re-run must start at the rename.
    await ok((env) => commands.upgrade(env));
    expect(await columnsAt(url(), 's1')).toEqual(['id', 'b', 'x', 'y']);
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 's0', 's1']);
    expect(await versionsAt(url())).toEqual(['ab000000000b']);
    expect(await progressRows()).toEqual([]);
  });

  it('(g) a batch stopped after its 1st statement, which compiles differently on the re-run (the naming convention changed): refused, nothing sent', async () => {
    await queryUrl(url(), 'CREATE TABLE s4 (id integer PRIMARY KEY, a integer, b integer)'); // b: in the way of the rename
    addRevision(p, 'default', {
      revision: 'ab000000000f',
      downRevision: null,
      message: 'batch',
      upgrade: `await op.batchAlterTable('s4', (b) => {\n    b.addColumn({ name: 'x', type: 'integer', unique: true });\n    b.renameColumn('a', 'b');\n  });`,
    });
    expect((await upgrade())?.message).toMatch(/RENAME COLUMN `a` TO `b`/);
    expect(await queryUrl(url(), 'SELECT state, statements_done FROM multidb_version_progress WHERE step = 1')).toEqual([{ state: 'partial', statements_done: 1 }]);
    await queryUrl(url(), 'ALTER TABLE s4 DROP COLUMN b'); // the fix
    // The unique constraint the 1st statement made is uq_s4_x; the config now names it otherwise.
    writeFileSync(join(p.dir, 'migrate.config.ts'), config(url(), "  namingConvention: { uq: 'uk_%(table)s_%(column_0_name)s' },\n"));
    const refused = await upgrade();
    for (const needle of ['[default]', 'ab000000000f', 'completed 1 statement(s) of write 1 (batchAlterTable s4), which now compile differently']) expect(refused?.message).toContain(needle);
    expect(await columnsAt(url(), 's4')).toEqual(['id', 'a', 'x']);
    expect(await versionsAt(url())).toEqual([]);
    // With the convention the 1st statement was sent under, the re-run resumes at the rename.
    writeFileSync(join(p.dir, 'migrate.config.ts'), config(url()));
    await ok((env) => commands.upgrade(env));
    expect(await columnsAt(url(), 's4')).toEqual(['id', 'b', 'x']);
    expect(await versionsAt(url())).toEqual(['ab000000000f']);
  });

  it('(g) a batch whose 1st statement drops a foreign key (and its implicit index) and whose 2nd fails: the re-run resumes at the 2nd (the 1st now compiles without the index)', async () => {
    await queryUrl(url(), 'CREATE TABLE p5 (id integer PRIMARY KEY)');
    await queryUrl(url(), 'CREATE TABLE s5 (id integer PRIMARY KEY, a integer, b integer, p_id integer, CONSTRAINT fk_s5_p5 FOREIGN KEY (p_id) REFERENCES p5 (id))');
    addRevision(p, 'default', {
      revision: 'ab0000000012',
      downRevision: null,
      message: 'batch',
      upgrade: `await op.batchAlterTable('s5', (b) => {\n    b.dropConstraint('fk_s5_p5', { type: 'foreignkey' });\n    b.renameColumn('a', 'b');\n  });`,
    });
    expect((await upgrade())?.message).toMatch(/RENAME COLUMN `a` TO `b`/);
    expect(await queryUrl(url(), 'SELECT state, statements_done FROM multidb_version_progress WHERE step = 1')).toEqual([{ state: 'partial', statements_done: 1 }]);
    await queryUrl(url(), 'ALTER TABLE s5 DROP COLUMN b'); // the fix
    await ok((env) => commands.upgrade(env));
    expect(await columnsAt(url(), 's5')).toEqual(['id', 'b', 'p_id']);
    expect(await versionsAt(url())).toEqual(['ab0000000012']);
  });

  it('(g) an op that compiles to no statement on MariaDB (createEnum) sends no progress write of its own: before a failed insert, nothing is left to resume', async () => {
    addRevision(p, 'default', {
      revision: 'ab0000000010',
      downRevision: null,
      message: 'enum',
      upgrade: `await op.createEnum('mood', ['sad', 'ok']);\n  await op.db.insertInto('n_missing').values({ id: 1 }).execute();`,
    });
    const error = await upgrade();
    expect(error?.message).toMatch(/n_missing/);
    // The insert rolled back with its record; the enum op sent nothing, so nothing was applied.
    expect(error).not.toHaveProperty('resumable', true);
    expect(await progressRows()).toEqual([]);
  });

  it('(g) an op that compiles to no statement is recorded with the next write: an edit of it before the last applied write is refused', async () => {
    const revision = (values: string) => ({
      revision: 'ab0000000011',
      downRevision: null,
      message: 'enum',
      upgrade: `await op.createEnum('mood', [${values}]);\n  ${table('n1')}\n  await op.execute('ALTER TABLE n_missing ADD COLUMN z integer');`,
    });
    addRevision(p, 'default', revision("'sad', 'ok'"));
    expect((await upgrade())?.message).toMatch(/n_missing/);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'run', description: 'ab0000000011' },
      { step: 1, state: 'done', description: 'createEnum mood' },
      { step: 2, state: 'done', description: 'createTable n1' },
    ]);
    addRevision(p, 'default', revision("'sad', 'ok', 'happy'"));
    const refused = await upgrade();
    expect(refused?.message).toContain('write 1 (createEnum mood) is not the one applied');
    expect(await versionsAt(url())).toEqual([]);
  });

  it('(g) an alterColumn changing a default and a name, whose rename fails: the re-run sends only the rename', async () => {
    await queryUrl(url(), 'CREATE TABLE s2 (id integer PRIMARY KEY, a integer, b integer)');
    addRevision(p, 'default', {
      revision: 'ab000000000e',
      downRevision: null,
      message: 'alter',
      upgrade: `await op.alterColumn('s2', 'a', { default: 5, newName: 'b', existing: { type: 'integer' } });\n  ${table('s3')}`,
    });
    expect((await upgrade())?.message).toMatch(/RENAME COLUMN `a` TO `b`/);
    expect(await queryUrl(url(), 'SELECT step, state, statements_done FROM multidb_version_progress WHERE step = 1')).toEqual([{ step: 1, state: 'partial', statements_done: 1 }]);
    await queryUrl(url(), 'ALTER TABLE s2 DROP COLUMN b, ALTER COLUMN a SET DEFAULT 7'); // the fix; the default the 1st statement set is changed by hand
    await ok((env) => commands.upgrade(env));
    // The default stays 7: SET DEFAULT 5 was not sent again.
    expect(await queryUrl(url(), "SELECT COLUMN_NAME AS name, COLUMN_DEFAULT AS dflt FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 's2' ORDER BY ORDINAL_POSITION")).toEqual([
      { name: 'id', dflt: null },
      { name: 'b', dflt: '7' },
    ]);
    expect(await versionsAt(url())).toEqual(['ab000000000e']);
    expect(await tablesAt(url())).toContain('s3');
  });

  it('(g) the session of a run is killed while the 2nd statement of a batch waits on a metadata lock: the re-run judges only that statement and completes', async () => {
    await queryUrl(url(), 'CREATE TABLE p1 (id integer PRIMARY KEY)');
    await queryUrl(url(), 'CREATE TABLE c1 (id integer PRIMARY KEY)');
    addRevision(p, 'default', {
      revision: 'ab000000000c',
      downRevision: null,
      message: 'batch',
      upgrade:
        `await op.batchAlterTable('c1', (b) => {\n    b.addColumn({ name: 'p_id', type: 'integer' });\n` +
        `    b.createForeignKey('fk_c1_p1', 'p1', ['p_id'], ['id']);\n    b.addColumn({ name: 'z', type: 'integer' });\n  });`,
    });
    // The test holds p1: adding the foreign key (the batch's 2nd statement) waits on its metadata
    // lock, and the run's sessions are ended from here while it waits.
    let failed: Error | undefined;
    await withMysql(async (c) => {
      await c.query('LOCK TABLES p1 WRITE');
      const run = upgrade();
      try {
        let waiting = false;
        for (let i = 0; i < 600 && !waiting; i++) {
          const [rows] = await c.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'ALTER TABLE `c1` ADD CONSTRAINT%'");
          waiting = Number((rows as { n: number }[])[0]!.n) > 0;
          if (!waiting) await new Promise((r) => setTimeout(r, 50));
        }
        expect(waiting).toBe(true);
        const [sessions] = await c.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()');
        for (const { id } of sessions as { id: number }[]) await c.query(`KILL ${Number(id)}`).catch(() => undefined);
      } finally {
        failed = await run;
        await c.query('UNLOCK TABLES');
      }
    }, url());
    expect(failed?.message).toMatch(/ab000000000c/);
    expect(await columnsAt(url(), 'c1')).toEqual(['id', 'p_id']);
    // The 1st statement completed and was recorded; the 2nd was in flight when the session ended.
    expect(await queryUrl(url(), 'SELECT step, state, statements_done FROM multidb_version_progress WHERE step = 1')).toEqual([{ step: 1, state: 'pending', statements_done: 1 }]);
    expect((await inProcess((env) => commands.downgrade(env, 'base')))?.message).toContain('batchAlterTable c1 (1 of its statements completed, the next one sent, completion not recorded)');

    await ok((env) => commands.upgrade(env));
    expect(await columnsAt(url(), 'c1')).toEqual(['id', 'p_id', 'z']);
    expect(await queryUrl(url(), "SELECT CONSTRAINT_NAME AS name FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'c1'")).toEqual([{ name: 'fk_c1_p1' }]);
    expect(await versionsAt(url())).toEqual(['ab000000000c']);
    expect(await progressRows()).toEqual([]);
  });

  it('(g) a progress table made before statements were counted gets its statements_done and statements_hash columns in place', async () => {
    await queryUrl(
      url(),
      'CREATE TABLE multidb_version_progress (revision varchar(32) NOT NULL, step integer NOT NULL, direction varchar(4) NOT NULL, state varchar(8) NOT NULL, ' +
        'kind varchar(8) NOT NULL, description varchar(512) NOT NULL, hash varchar(64) NOT NULL, heads_before varchar(1024), heads_after varchar(1024), PRIMARY KEY (revision, step))',
    );
    addRevision(p, 'default', { revision: 'ab000000000d', downRevision: null, message: 'one', upgrade: table('m1') });
    await ok((env) => commands.upgrade(env));
    expect(await columnsAt(url(), 'multidb_version_progress')).toContain('statements_done');
    expect(await columnsAt(url(), 'multidb_version_progress')).toContain('statements_hash');
    expect(await versionsAt(url())).toEqual(['ab000000000d']);
  });

  /** A revision body that waits, after `before`, for the file `release` in the project (up to a minute). */
  const holding = (before: string, after: string) =>
    `${before}\n  console.error('holding');\n` +
    `  const { existsSync } = await import('node:fs'); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(join(p.dir, 'release'))}); i++) await new Promise((r) => setTimeout(r, 50));\n` +
    `  ${after}`;
  /**
   * As {@link holding}, but the revision blocks its thread while it waits (nothing else of the
   * process runs meanwhile, timers included): a kill then finds the run exactly as it was when the
   * revision printed `holding`.
   */
  const blocking = (before: string, after: string) =>
    `${before}\n  console.error('holding');\n` +
    `  const { existsSync } = await import('node:fs'); const cell = new Int32Array(new SharedArrayBuffer(4)); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(join(p.dir, 'release'))}); i++) Atomics.wait(cell, 0, 0, 50);\n` +
    `  ${after}`;
  /**
   * Runs `migrate ARGS` (default `upgrade`) in a process and kills it (-9) once a revision prints
   * `holding` (and `whileHeld`, if given, resolved).
   */
  const killWhileHolding = async (args: readonly string[] = ['upgrade'], whileHeld?: () => Promise<void>) => {
    const run = startMigrate(p, args);
    await run.waitForStderr(/holding/);
    await whileHeld?.();
    run.child.kill('SIGKILL');
    await run.done;
  };
  const progressHeaders = () => queryUrl(url(), 'SELECT revision, step, state FROM multidb_version_progress ORDER BY step');
  // (h): a step's version-table write records the next step's header ahead where the run does not
  // hold that write back for the next step's first record ((j): concurrency 1), i.e. with --concurrency above 1.
  const AHEAD = ['upgrade', '--concurrency', '2'];
  const upgradeAhead = () => inProcess((env) => commands.upgrade(env, [], { concurrency: 2 }));

  it('(h) kill -9 after the header of the next revision was recorded ahead, before its first DDL: nothing of it was sent, and the header says so (not in flight); a downgrade clears it; a re-run with other -x arguments starts it afresh and reaches head', async () => {
    addRevision(p, 'default', { revision: 'ac0000000001', downRevision: null, message: 'one', upgrade: table('a1'), downgrade: `await op.dropTable('a1');` });
    addRevision(p, 'default', { revision: 'ac0000000002', downRevision: 'ac0000000001', message: 'two', upgrade: holding('', table('a2')), downgrade: `await op.dropTable('a2');` });
    await killWhileHolding(['-x', 'run=first', ...AHEAD]);
    // ac..01's version write recorded ac..02's header ahead, in the same transaction; nothing of
    // ac..02 was sent (every write is recorded before it is sent, and none is).
    expect(await versionsAt(url())).toEqual(['ac0000000001']);
    expect(await progressHeaders()).toEqual([{ revision: 'ac0000000002', step: 0, state: 'queued' }]);
    expect(await tablesAt(url())).toEqual(['a1', 'multidb_version', 'multidb_version_progress']);
    // It said "in flight: … its first write (possibly sent, completion not recorded)" and refused the downgrade.
    expect(await cli('current')).toEqual({ code: 0, out: ['[default] ac0000000001'] });
    await ok((env) => commands.downgrade(env, '-1'));
    expect(await versionsAt(url())).toEqual([]);
    expect(await progressRows()).toEqual([]);

    await killWhileHolding(['-x', 'run=first', ...AHEAD]);
    expect(await progressHeaders()).toEqual([{ revision: 'ac0000000002', step: 0, state: 'queued' }]);
    // Other -x arguments (their hash is the header's): it was refused ("cannot resume revision ac0000000002").
    writeFileSync(join(p.dir, 'release'), '');
    await ok((env) => commands.upgrade(env, [], { xArgs: { run: 'second' } }));
    expect(await tablesAt(url())).toEqual(['a1', 'a2', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac0000000002']);
    expect(await progressRows()).toEqual([]);
  });

  it('(h) kill -9 after a first DDL named by -x took effect under a header recorded ahead: a re-run with other -x arguments is refused (its first op is another table than the one recorded), the same ones resume', async () => {
    const named = `await op.createTable(op.xArgs.name ?? 'x0', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
    addRevision(p, 'default', { revision: 'ac0000000005', downRevision: null, message: 'one', upgrade: table('x1') });
    addRevision(p, 'default', { revision: 'ac0000000006', downRevision: 'ac0000000005', message: 'two', upgrade: holding(named, table('x3')) });
    const run = startMigrate(p, ['-x', 'name=x2', ...AHEAD]);
    await run.waitForStderr(/holding/);
    run.child.kill('SIGKILL');
    await run.done;
    expect(await progressHeaders()).toEqual([
      { revision: 'ac0000000006', step: 0, state: 'queued' },
      { revision: 'ac0000000006', step: 1, state: 'pending' },
    ]);
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'x1', 'x2']);

    // With name=x9 its first op is createTable x9 (not there): judged by it, x2 would stay applied unrecorded.
    const refused = await inProcess((env) => commands.upgrade(env, [], { xArgs: { name: 'x9' } }));
    for (const needle of ['[default]', 'cannot resume revision ac0000000006', 'write 1 (createTable x9) is not the one applied (createTable x2)']) expect(refused?.message).toContain(needle);
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'x1', 'x2']);

    writeFileSync(join(p.dir, 'release'), '');
    await ok((env) => commands.upgrade(env, [], { xArgs: { name: 'x2' } }));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'x1', 'x2', 'x3']);
    expect(await versionsAt(url())).toEqual(['ac0000000006']);
    expect(await progressRows()).toEqual([]);
  });

  it('(h) kill -9 after a first DDL named by an environment variable took effect under a header recorded ahead: the DDL was recorded before it was sent, so a re-run with another value is refused (not a silent mix of both), the same value resumes', async () => {
    const named = (name: string) => `await op.createTable(process.env.RV_PREFIX + '${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
    addRevision(p, 'default', { revision: 'ac000000000b', downRevision: null, message: 'one', upgrade: table('e1') });
    addRevision(p, 'default', { revision: 'ac000000000c', downRevision: 'ac000000000b', message: 'two', upgrade: holding(named('users'), named('orders')) });
    const run = startMigrate(p, AHEAD, { RV_PREFIX: 'a_' });
    await run.waitForStderr(/holding/);
    run.child.kill('SIGKILL');
    await run.done;
    expect(await tablesAt(url())).toEqual(['a_users', 'e1', 'multidb_version', 'multidb_version_progress']);

    // RV_PREFIX=b_: its first op is createTable b_users (not there). Judged by it alone, b_users and
    // b_orders would be made and the revision recorded as applied beside a_users.
    writeFileSync(join(p.dir, 'release'), '');
    const other = startMigrate(p, ['upgrade'], { RV_PREFIX: 'b_' });
    const out = await other.done;
    expect(out.code).not.toBe(0);
    for (const needle of ['[default]', 'cannot resume revision ac000000000c', 'write 1 (createTable b_users) is not the one applied (createTable a_users): the revision, or an input it reads (an environment variable,', 'Restore the revision as it was (and the inputs it reads, such as environment variables and -x arguments)', "migrate resolve default --applied"]) expect(other.stderr).toContain(needle);
    expect(await tablesAt(url())).toEqual(['a_users', 'e1', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac000000000b']);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'queued', description: 'ac000000000c' },
      { step: 1, state: 'pending', description: 'createTable a_users' },
    ]);

    const same = startMigrate(p, ['upgrade'], { RV_PREFIX: 'a_' });
    expect((await same.done).code, same.stderr).toBe(0);
    expect(await tablesAt(url())).toEqual(['a_orders', 'a_users', 'e1', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac000000000c']);
    expect(await progressRows()).toEqual([]);
  });

  it('(h) a header recorded ahead by an earlier multidb, whose first DDL took effect with no record of its own: in flight, a downgrade refuses; the re-run takes it as done (introspection) and does not send it again; an edited file is refused first', async () => {
    const second = (extra: string) => ({ revision: 'ac0000000004', downRevision: 'ac0000000003', message: 'two', upgrade: holding(table('b2'), `${table('b3')}${extra}`) });
    addRevision(p, 'default', { revision: 'ac0000000003', downRevision: null, message: 'one', upgrade: table('b1') });
    addRevision(p, 'default', second(''));
    await killWhileHolding(AHEAD);
    // An earlier multidb sent createTable b2 with no record of its own (the header it recorded
    // ahead, state 'ahead', stood for it): what it left after this kill.
    await queryUrl(url(), 'DELETE FROM multidb_version_progress WHERE step = 1');
    await queryUrl(url(), "UPDATE multidb_version_progress SET state = 'ahead' WHERE step = 0");
    expect(await progressHeaders()).toEqual([{ revision: 'ac0000000004', step: 0, state: 'ahead' }]);
    expect(await tablesAt(url())).toEqual(['b1', 'b2', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac0000000003']);
    // In flight, its first write possibly sent: not cleared silently.
    expect(await cli('current')).toEqual({
      code: 0,
      out: ['[default] ac0000000003', '[default] ac0000000004 (in flight: upgrade stopped after 0 write(s), last: its first write (possibly sent, completion not recorded))'],
    });
    const down = await inProcess((env) => commands.downgrade(env, '-1'));
    for (const needle of ['[default]', 'ac0000000004 is partly applied', 'its first write (possibly sent, completion not recorded)', 'Refusing to downgrade ac0000000003']) expect(down?.message).toContain(needle);
    expect(await tablesAt(url())).toContain('b1');

    // Edited since: what its first write was is not known any more.
    addRevision(p, 'default', second(`\n  ${table('b4')}`));
    const refused = await upgrade();
    for (const needle of ['[default]', 'cannot resume revision ac0000000004', 'stopped before recording its first write, which may have been sent, and the revision file or the -x arguments changed since']) expect(refused?.message).toContain(needle);
    expect(await progressHeaders()).toEqual([{ revision: 'ac0000000004', step: 0, state: 'ahead' }]);
    expect(await tablesAt(url())).toEqual(['b1', 'b2', 'multidb_version', 'multidb_version_progress']);

    // As it was: b2 is found, not created again (CREATE TABLE b2 would fail: it exists).
    addRevision(p, 'default', second(''));
    writeFileSync(join(p.dir, 'release'), '');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['b1', 'b2', 'b3', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac0000000004']);
    expect(await progressRows()).toEqual([]);
  });

  it('(h) a first write sent with no record under a header recorded ahead, then the revision fails: the failure records it as done, and the fixed re-run resumes after it', async () => {
    const second = (extra: string) => ({ revision: 'ac0000000006', downRevision: 'ac0000000005', message: 'two', upgrade: `${table('d2')}\n  ${extra}${table('d3')}` });
    addRevision(p, 'default', { revision: 'ac0000000005', downRevision: null, message: 'one', upgrade: table('d1') });
    addRevision(p, 'default', second(`throw new Error('boom');\n  `));
    // With --concurrency above 1 a failure comes as a RunError listing the bind's MigrationError.
    const failed = ((await upgradeAhead()) as { failures?: readonly Error[] } | undefined)?.failures?.[0];
    expect(failed?.message).toMatch(/boom/);
    expect(failed).toHaveProperty('resumable', true);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'queued', description: 'ac0000000006' },
      { step: 1, state: 'done', description: 'createTable d2' },
    ]);
    addRevision(p, 'default', second(''));
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['d1', 'd2', 'd3', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ac0000000006']);
  });

  it("(h) a first write sent with no record under a header recorded ahead, then op.db's own transaction rolls back: the first write's record went out before its BEGIN and stays", async () => {
    const second = (extra: string) => ({
      revision: 'ac000000000a',
      downRevision: 'ac0000000009',
      message: 'two',
      upgrade: `${table('u2')}\n  await op.db.transaction().execute(async (trx) => {\n    await trx.insertInto('u2').values({ id: 1 }).execute();\n    ${extra}\n  });`,
    });
    addRevision(p, 'default', { revision: 'ac0000000009', downRevision: null, message: 'one', upgrade: table('u1') });
    addRevision(p, 'default', second("throw new Error('boom');"));
    expect((await upgradeAhead())?.message).toMatch(/boom/);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'queued', description: 'ac000000000a' },
      { step: 1, state: 'done', description: 'createTable u2' },
    ]);
    expect(await queryUrl(url(), 'SELECT id FROM u2')).toEqual([]); // rolled back
    addRevision(p, 'default', second(''));
    await ok((env) => commands.upgrade(env));
    expect(await queryUrl(url(), 'SELECT id FROM u2')).toEqual([{ id: 1 }]);
    expect(await versionsAt(url())).toEqual(['ac000000000a']);
  });

  it('(h) a first write sent with no record under a header recorded ahead fails (its table exists): nothing of the revision is left in flight', async () => {
    await queryUrl(url(), 'CREATE TABLE c2 (id integer)');
    addRevision(p, 'default', { revision: 'ac0000000007', downRevision: null, message: 'one', upgrade: table('c1') });
    addRevision(p, 'default', { revision: 'ac0000000008', downRevision: 'ac0000000007', message: 'two', upgrade: `${table('c2')}\n  ${table('c3')}` });
    const failed = ((await upgradeAhead()) as { failures?: readonly Error[] } | undefined)?.failures?.[0];
    expect(failed?.message).toMatch(/c2/);
    expect(failed).toBeDefined();
    expect(failed).not.toHaveProperty('resumable', true);
    expect(await progressRows()).toEqual([]);
    expect(await versionsAt(url())).toEqual(['ac0000000007']);
    await queryUrl(url(), 'DROP TABLE c2');
    await ok((env) => commands.downgrade(env, 'base')); // nothing in flight blocks it
    expect(await versionsAt(url())).toEqual([]);
  });

  it('(i) op.db writes not awaited and ops at the same time run one at a time: a failing op.db write rolls back only itself', async () => {
    addRevision(p, 'default', {
      revision: 'ad0000000001',
      downRevision: null,
      message: 'concurrent writes',
      upgrade:
        `await op.createTable('w', [{ name: 'id', type: 'integer', primaryKey: true, autoincrement: true }, { name: 'who', type: 'varchar(8)' }]);\n` +
        `  const first = op.db.insertInto('w').values({ who: 'db1' }).execute(); // not awaited\n` +
        `  await op.execute("INSERT INTO w (who) VALUES ('ex1')");\n` +
        `  await first;\n` +
        `  await Promise.all([op.db.insertInto('w').values({ who: 'db2' }).execute(), op.execute("INSERT INTO w (who) VALUES ('ex2')")]);\n` +
        `  const failing = op.db.insertInto('nosuch').values({ who: 'x' }).execute().catch(() => 'failed'); // not awaited\n` +
        `  await op.execute("INSERT INTO w (who) VALUES ('ex3')");\n` +
        `  if ((await failing) !== 'failed') throw new Error('the insert into nosuch did not fail');`,
    });
    await ok((env) => commands.upgrade(env));
    // Each row once (their order is the order the writes reached the progress, not the calls').
    expect(await queryUrl(url(), 'SELECT who FROM w ORDER BY who')).toEqual([{ who: 'db1' }, { who: 'db2' }, { who: 'ex1' }, { who: 'ex2' }, { who: 'ex3' }]);
    expect(await versionsAt(url())).toEqual(['ad0000000001']);
    expect(await progressRows()).toEqual([]);
  });

  /** The SQL texts every mysql2 connection of this process sends while `fn` runs. */
  const sentWhile = async (fn: () => Promise<void>): Promise<string[]> => {
    const base = Object.getPrototypeOf(mysql2.Connection.prototype) as { query: (sql: unknown, ...rest: unknown[]) => unknown };
    const original = base.query;
    const sent: string[] = [];
    base.query = function (this: unknown, sql: unknown, ...rest: unknown[]) {
      sent.push(typeof sql === 'string' ? sql : String((sql as { sql?: unknown }).sql));
      return original.call(this, sql, ...rest);
    };
    try {
      await fn();
    } finally {
      base.query = original;
    }
    return sent;
  };

  it("(j) a revision's version-table write waits for the next revision's first DDL: its pending record goes in the same transaction (one commit fewer per revision)", async () => {
    addRevision(p, 'default', { revision: 'ae0000000001', downRevision: null, message: 'one', upgrade: table('g1') });
    addRevision(p, 'default', { revision: 'ae0000000002', downRevision: 'ae0000000001', message: 'two', upgrade: table('g2') });
    addRevision(p, 'default', { revision: 'ae0000000003', downRevision: 'ae0000000002', message: 'three', upgrade: table('g3') });
    const sent = await sentWhile(() => ok((env) => commands.upgrade(env)));
    // Only the first revision's first write is recorded by an INSERT of its own; the others' go in
    // the compound statement of the version write before them (one per revision).
    expect(sent.filter((sql) => /^insert into `multidb_version_progress`/i.test(sql))).toHaveLength(1);
    const compound = sent.filter((sql) => sql.startsWith('BEGIN NOT ATOMIC'));
    expect(compound).toHaveLength(3);
    expect(compound.slice(0, 2).every((sql) => /insert into `multidb_version_progress`/i.test(sql))).toBe(true);
    expect(sent.filter((sql) => /^CREATE TABLE `g\d`/.test(sql))).toHaveLength(3);
    expect(await tablesAt(url())).toEqual(['g1', 'g2', 'g3', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ae0000000003']);
    expect(await progressRows()).toEqual([]);
  });

  it('(j) kill -9 while the next revision runs, before its first write (within the wait): the revision before is in flight (its write sent, not recorded), and the re-run records it and goes on', async () => {
    addRevision(p, 'default', { revision: 'ae0000000004', downRevision: null, message: 'one', upgrade: table('h1'), downgrade: `await op.dropTable('h1');` });
    // Blocking: the held write's one-second wait cannot run out before the kill.
    addRevision(p, 'default', { revision: 'ae0000000005', downRevision: 'ae0000000004', message: 'two', upgrade: blocking('', table('h2')) });
    await killWhileHolding();
    expect(await versionsAt(url())).toEqual([]);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'run', description: 'ae0000000004' },
      { step: 1, state: 'pending', description: 'createTable h1' },
    ]);
    expect(await tablesAt(url())).toEqual(['h1', 'multidb_version', 'multidb_version_progress']);
    writeFileSync(join(p.dir, 'release'), '');
    // h1 is found (introspection), not created again; then the next revision runs.
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['h1', 'h2', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ae0000000005']);
    expect(await progressRows()).toEqual([]);
  });

  it('(j) a next revision that awaits for over a second before its first write: the revision before is recorded meanwhile, and its step-start follows that write', async () => {
    // In-process: the revisions' code and this test share globalThis, where both note what happened.
    const seen: string[] = [];
    (globalThis as { __seen?: string[] }).__seen = seen;
    addRevision(p, 'default', { revision: 'ae0000000012', downRevision: null, message: 'one', upgrade: table('r1') });
    addRevision(p, 'default', {
      revision: 'ae0000000013',
      downRevision: 'ae0000000012',
      message: 'two',
      upgrade: `globalThis.__seen.push('two: begins');\n  await new Promise((r) => setTimeout(r, 3000));\n  globalThis.__seen.push('two: first write');\n  ${table('r2')}`,
    });
    await ok((env) =>
      commands.upgrade(env, [], { onEvent: (e) => void ((e.type === 'step-start' || e.type === 'step-done') && seen.push(`${e.type} ${e.revision}`)) }),
    );
    expect(seen).toEqual(['step-start ae0000000012', 'two: begins', 'step-done ae0000000012', 'step-start ae0000000013', 'two: first write', 'step-done ae0000000013']);
    expect(await versionsAt(url())).toEqual(['ae0000000013']);
    delete (globalThis as { __seen?: string[] }).__seen;
  });

  it('(j) a next revision that awaits for over a second before its first write: a kill then does not make the re-run run the revision before again', async () => {
    const log = join(p.dir, 'ran.log');
    addRevision(p, 'default', {
      revision: 'ae0000000010',
      downRevision: null,
      message: 'one',
      upgrade: `${table('q1')}\n  (await import('node:fs')).appendFileSync(${JSON.stringify(log)}, 'one\\n');`,
    });
    addRevision(p, 'default', { revision: 'ae0000000011', downRevision: 'ae0000000010', message: 'two', upgrade: holding('', table('q2')) });
    await killWhileHolding(['upgrade'], async () => {
      // The next revision waits (its event loop free): the write held for it is sent alone.
      await expect.poll(() => versionsAt(url()), { timeout: 10_000, interval: 50 }).toEqual(['ae0000000010']);
      expect(await progressRows()).toEqual([]);
    });
    writeFileSync(join(p.dir, 'release'), '');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'q1', 'q2']);
    expect(await versionsAt(url())).toEqual(['ae0000000011']);
    expect(readFileSync(log, 'utf8')).toBe('one\n'); // the revision before ran once
  });

  it("(j) kill -9 after the next revision's first DDL: the revision before was recorded with that DDL's pending record; the re-run judges the DDL and goes on", async () => {
    addRevision(p, 'default', { revision: 'ae0000000006', downRevision: null, message: 'one', upgrade: table('k1') });
    addRevision(p, 'default', { revision: 'ae0000000007', downRevision: 'ae0000000006', message: 'two', upgrade: holding(table('k2'), table('k3')) });
    await killWhileHolding();
    expect(await versionsAt(url())).toEqual(['ae0000000006']);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'run', description: 'ae0000000007' },
      { step: 1, state: 'pending', description: 'createTable k2' },
    ]);
    expect(await tablesAt(url())).toEqual(['k1', 'k2', 'multidb_version', 'multidb_version_progress']);
    writeFileSync(join(p.dir, 'release'), '');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['k1', 'k2', 'k3', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ae0000000007']);
    expect(await progressRows()).toEqual([]);
  });

  it('(j) a version-table write that fails once the next revision wrote nothing yet: the failure is the revision before, the next never starts (even when it catches the error), and the re-run resumes', async () => {
    addRevision(p, 'default', { revision: 'ae0000000008', downRevision: null, message: 'one', upgrade: table('m1') });
    addRevision(p, 'default', { revision: 'ae0000000009', downRevision: 'ae0000000008', message: 'two', upgrade: table('m2') });
    // The third catches the error of its first op and tries another.
    addRevision(p, 'default', { revision: 'ae000000000a', downRevision: 'ae0000000009', message: 'three', upgrade: `try {\n    ${table('m3')}\n  } catch {}\n  ${table('m4')}` });
    await queryUrl(url(), 'CREATE TABLE multidb_version (version_num varchar(32) NOT NULL, PRIMARY KEY (version_num))');
    await queryUrl(url(), "CREATE TRIGGER refuse_two BEFORE UPDATE ON multidb_version FOR EACH ROW BEGIN IF NEW.version_num = 'ae0000000009' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no two'; END IF; END");
    const out: string[] = [];
    const code = await main(['upgrade'], { cwd: p.dir, output: { out: (l) => out.push(l), err: (l) => out.push(l) } });
    expect(code).not.toBe(0);
    const text = out.join('\n');
    for (const needle of ['ae0000000009', 'no two']) expect(text).toContain(needle);
    // The third revision never started: no line of it, none of its tables.
    expect(text).not.toMatch(/ae0000000009 -> ae000000000a/);
    expect(await tablesAt(url())).toEqual(['m1', 'm2', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ae0000000008']);
    expect(await progressRows()).toEqual([
      { step: 0, state: 'run', description: 'ae0000000009' },
      { step: 1, state: 'done', description: 'createTable m2' },
    ]);
    await queryUrl(url(), 'DROP TRIGGER refuse_two');
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['m1', 'm2', 'm3', 'm4', 'multidb_version', 'multidb_version_progress']);
    expect(await versionsAt(url())).toEqual(['ae000000000a']);
    expect(await progressRows()).toEqual([]);
  });

  it('(j) a next revision that reads first, or writes data first, sends the write before alone, and each revision is recorded once', async () => {
    addRevision(p, 'default', { revision: 'ae000000000b', downRevision: null, message: 'one', upgrade: table('n1') });
    addRevision(p, 'default', { revision: 'ae000000000c', downRevision: 'ae000000000b', message: 'reads', upgrade: `const rows = await op.db.selectFrom('n1').selectAll().execute();\n  if (rows.length !== 0) throw new Error('rows');\n  ${table('n2')}` });
    addRevision(p, 'default', { revision: 'ae000000000d', downRevision: 'ae000000000c', message: 'data', upgrade: `await op.db.insertInto('n1').values({ id: 1 }).execute();\n  ${table('n3')}` });
    addRevision(p, 'default', { revision: 'ae000000000e', downRevision: 'ae000000000d', message: 'nothing', upgrade: `console.error('nothing to do');` });
    await ok((env) => commands.upgrade(env));
    expect(await tablesAt(url())).toEqual(['multidb_version', 'multidb_version_progress', 'n1', 'n2', 'n3']);
    expect(await queryUrl(url(), 'SELECT id FROM n1')).toEqual([{ id: 1 }]);
    expect(await versionsAt(url())).toEqual(['ae000000000e']);
    expect(await progressRows()).toEqual([]);
  });

  it("(f) transactionMode: 'per-run' on MariaDB refuses before running anything", async () => {
    p.write('migrate.config.ts', config(db.url, `  transactionMode: 'per-run',\n`));
    addRevision(p, 'default', { revision: 'ab0000000008', downRevision: null, message: 'one', upgrade: table('f1') });
    const error = await upgrade();
    expect(error?.message).toContain("Bind 'default' (mariadb) cannot apply transactionMode: 'per-run'");
    expect(await tablesAt(url())).toEqual([]);
  });
});
