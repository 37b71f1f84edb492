// Errors of a bind's database outside a revision's own code name the bind, and where it points (a
// SQLite file's path, a server's masked URL), through the built `migrate`: a PostgreSQL role and a
// MariaDB user that may not create the version table, or a revision's table; a SQLite file that is
// not a database, one another process keeps locked, and a lock file that cannot be opened.
// `migrate` runs in-process (`main`, its output captured) except where the process itself is the
// point: runs as another user (`nobody`), and the onConnect hook on PostgreSQL (the process ends).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { lockFileFor } from '@multidb/dialect/sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { MIGRATE_BIN, TempProject, type RunOutput } from '../support/project.js';
import { createLoginRole, describeWithServers, useDatabases, withMysql, withPostgres, type LoginRole } from '../support/servers.js';
import { addRevision, expectOneLineError } from './faults-support.js';

const require = createRequire(import.meta.url);

const oneBind = (url: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({ directory: 'migrations', binds: { default: { url: ${JSON.stringify(url)} } } });\n`;

/** A one-bind project whose revision creates a table. */
function project(url: string): TempProject {
  const p = new TempProject([], { config: oneBind(url) });
  addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one', upgrade: `await op.createTable('one', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  return p;
}

/** The user and group ids of `nobody`, when the tests run as root (as CI does): root may write any file. */
const unprivileged = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'nobody'])), gid: Number(execFileSync('id', ['-g', 'nobody'])) } : undefined;

/** Runs the built `migrate` in the project as a user without root's rights (`nobody` under root; else the current user). */
function runUnprivileged(p: TempProject, args: readonly string[]): Promise<RunOutput> {
  chmodSync(p.dir, 0o755); // mkdtemp's 0700 keeps nobody out
  return new Promise((resolve) => {
    execFile(process.execPath, [MIGRATE_BIN, ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' }, ...unprivileged, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** `migrate ARGS` in a project, in-process. */
const run = (p: TempProject, ...args: string[]): Promise<RunOutput> => runInProcess(p.dir, args);
/** {@link run}, failing the test with the output unless it exits 0. */
const ok = (p: TempProject, ...args: string[]): Promise<RunOutput> => okInProcess(p.dir, args);

/** `postgres://user:***@host/db`: the URL as the CLI must print it. */
const masked = (role: LoginRole) => role.url().replace(`:${role.password}@`, ':***@');

describe('SQLite: errors name the bind and the file', () => {
  const projects: TempProject[] = [];
  const holders: ChildProcess[] = [];
  const track = (p: TempProject) => (projects.push(p), p);
  afterEach(() => {
    for (const h of holders.splice(0)) h.kill('SIGKILL');
    for (const p of projects.splice(0)) p.remove();
  });
  /**
   * Another process that opens the SQLite file at `path` (as `db`), runs `statements` and keeps
   * what they took (a lock) until the test ends; resolves once they ran.
   */
  const holdLock = async (path: string, statements: string): Promise<ChildProcess> => {
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new Database(${JSON.stringify(path)});
         ${statements}
         process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holders.push(holder);
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
    });
    return holder;
  };

  it('a file that is not a database', async () => {
    const p = track(project('sqlite:.data/default.db'));
    p.write('.data/default.db', 'this is a text file, not a SQLite database\n'.repeat(200));
    const path = join(realpathSync(p.dir), '.data/default.db');
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      const line = expectOneLineError(await run(p, ...args), ['[default]', path, 'file is not a database']);
      expect(line).toContain("not a SQLite database: check the bind's URL");
    }
    // current and history -i mark the bind (its other binds would still be shown) and exit 1.
    const current = await run(p, 'current');
    expect(current.code).toBe(1);
    const mark = `[default] unreachable: cannot open ${path}: file is not a database (the file exists but is not a SQLite database: check the bind's URL)`;
    expect(current.stdout.trim()).toBe(mark);
    const history = await run(p, 'history', '--indicate-current');
    expect(history.code).toBe(1);
    expect(history.stdout.trim().split('\n')).toEqual(['[default] <base> -> aa01 (default) (head), create one', mark]);
    const status = await run(p, 'status');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`[default] sqlite sqlite:.data/default.db: current unknown, head aa01; unreachable: cannot open ${path}: file is not a database`);
  });

  it('a database another process keeps locked', async () => {
    const p = track(project('sqlite:.data/default.db'));
    mkdirSync(join(p.dir, '.data'));
    const path = join(realpathSync(p.dir), '.data/default.db');
    // An exclusive transaction with a pending write: no other connection may read or write.
    const holder = await holdLock(path, `db.exec('CREATE TABLE t (a)'); db.exec('BEGIN EXCLUSIVE'); db.exec('INSERT INTO t VALUES (1)');`);
    expectOneLineError(await run(p, 'upgrade'), ['[default]', path, 'database is locked', 'another connection holds a lock on it']);
    const current = await run(p, 'current');
    expect(current.code).toBe(1);
    expect(current.stdout).toContain(`[default] unreachable: cannot open ${path}: database is locked (another connection holds a lock on it`);
    holder.kill('SIGKILL');
    await ok(p, 'upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa01']);
  });

  // Was: `revision aa02 failed: database is locked; statement: BEGIN IMMEDIATE`, which reads as the
  // revision's fault and says nothing of what to do.
  it('a database another process holds a write lock on (it may still be read): the step says another connection held it, and nothing of it ran', async () => {
    const p = track(project('sqlite:.data/default.db'));
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: `await op.createTable('two', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    await ok(p, 'upgrade', 'aa01');
    const path = join(realpathSync(p.dir), '.data/default.db');
    // A write transaction with a pending write: other connections may read, not write.
    const holder = await holdLock(path, `db.exec('BEGIN IMMEDIATE'); db.exec('CREATE TABLE held (a)');`);
    expectOneLineError(await run(p, 'upgrade'), [
      '[default] revision aa02 failed: database is locked (another connection held a lock on the database past the busy timeout: try again once it has finished); statement: BEGIN IMMEDIATE',
      "'default' stays at aa01",
    ]);
    holder.kill('SIGKILL');
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    expect(p.tables('default')).toEqual(['multidb_version', 'one']);
    await ok(p, 'upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa02']);
  }, 30_000);

  // Was: `ERROR: database is locked (…)`, naming neither the bind nor the file: the BEGIN of the
  // first step, whose transaction also creates the version table, was outside its error handling.
  it('a database without a version table another process holds a write lock on: the error names the bind and the file', async () => {
    const p = track(project('sqlite:.data/default.db'));
    mkdirSync(join(p.dir, '.data'));
    const path = join(realpathSync(p.dir), '.data/default.db');
    const holder = await holdLock(path, `db.exec('CREATE TABLE kept (a)'); db.exec('BEGIN IMMEDIATE'); db.exec('INSERT INTO kept VALUES (1)');`);
    expectOneLineError(await run(p, 'upgrade'), [
      `ERROR: [default] cannot create the version table multidb_version in ${path}: database is locked (another connection held a lock on the database past the busy timeout`,
    ]);
    holder.kill('SIGKILL');
    expect(p.tables('default')).toEqual(['kept']);
    await ok(p, 'upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa01']);
  }, 30_000);

  it('a lock file that cannot be opened (a folder is in its way: this works as root too)', async () => {
    const p = track(project('sqlite:.data/default.db'));
    mkdirSync(join(p.dir, '.data'));
    const path = join(realpathSync(p.dir), '.data/default.db');
    const lockFile = lockFileFor(path, 'multidb::multidb_version');
    mkdirSync(lockFile);
    writeFileSync(join(lockFile, 'x'), '');
    const lockError = `[default] cannot take the migration lock of ${path}: cannot open its lock file ${lockFile}: unable to open database file`;
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      const line = expectOneLineError(await run(p, ...args), [lockError]);
      expect(line).toContain('check that');
    }
    // The file each of them created was removed again; a downgrade of a database that does not
    // exist (at base) is refused without opening, so without locking, anything.
    expect(p.exists('.data/default.db')).toBe(false);
    expectOneLineError(await run(p, 'downgrade', 'default'), [`'default' goes below base (already at base)`]);
    expect(p.exists('.data/default.db')).toBe(false);
    p.write('.data/default.db', '');
    expect(expectOneLineError(await run(p, 'downgrade', 'default'), [lockError])).toContain('check that');
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.tables('default')).toEqual([]);
  });

  // Was: the revision failed with SQLite's `attempt to write a readonly database`, as if it were at
  // fault, without saying what to do; now the bind is refused up front (ReadOnlyBindError).
  it('a database file, or its folder, this process cannot write: refused before anything runs, naming the path and what to do; reads still work', async () => {
    const p = track(project('sqlite:.data/default.db'));
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: `await op.createTable('two', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    await ok(p, 'upgrade', 'aa01');
    const data = join(realpathSync(p.dir), '.data');
    const file = join(data, 'default.db');
    const refused = 'commands that write (upgrade, downgrade, stamp) cannot run there. Give the user migrate runs as';

    chmodSync(file, 0o444);
    for (const args of [['upgrade'], ['downgrade', 'default@base'], ['stamp', 'aa02']]) {
      expectOneLineError(await runUnprivileged(p, args), [`ERROR: [default] is a database file this process cannot write (${file}: EACCES): ${refused}`, "write access to the file (its owner, mode, attributes, mount), or point the bind's URL at a path it can write."]);
    }
    const current = await runUnprivileged(p, ['current']);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain('[default] aa01');

    // The file may be written, its folder not: SQLite could not make its journal there.
    chmodSync(file, 0o644);
    if (unprivileged) chownSync(file, unprivileged.uid, unprivileged.gid);
    chmodSync(data, 0o555);
    expectOneLineError(await runUnprivileged(p, ['upgrade']), [`ERROR: [default] is a database in a folder this process cannot write (${data}: EACCES; SQLite writes ${file}-journal there for each transaction): ${refused}`, 'write access to the folder']);
    chmodSync(data, 0o755);
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    expect(p.tables('default')).toEqual(['multidb_version', 'one']);
    await ok(p, 'upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa02']);
  });

  // Was: the check asked access(), which answers for the real user: a process started as root
  // that runs as another user (process.seteuid, a set-user-ID launcher) was told it may write,
  // and the revision failed with `attempt to write a readonly database`. (Its caches, kept per
  // real user, also crashed it with EACCES.) SQLite opens the file as the effective user.
  it('the check is for the effective user, as SQLite opens the file: a root process running as nobody is refused up front', async () => {
    expect(unprivileged, 'this test runs as root, as CI does').toBeDefined();
    const p = track(project('sqlite:.data/default.db'));
    mkdirSync(join(p.dir, '.data'));
    const data = join(realpathSync(p.dir), '.data');
    const file = join(data, 'default.db');
    const db = new (require('better-sqlite3'))(file);
    db.exec('CREATE TABLE kept (id integer)');
    db.close();
    chmodSync(p.dir, 0o755);
    chmodSync(data, 0o777); // the folder may be written: only the file (root's, 0644) may not
    const asNobody = (args: readonly string[]): Promise<RunOutput> =>
      new Promise((resolve) => {
        const script = `process.setegid(${unprivileged!.gid}); process.setgroups([${unprivileged!.gid}]); process.seteuid(${unprivileged!.uid}); process.argv.splice(1, 0, ${JSON.stringify(MIGRATE_BIN)}); require(${JSON.stringify(MIGRATE_BIN)});`;
        execFile(process.execPath, ['-e', script, ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
        );
      });
    expectOneLineError(await asNobody(['upgrade']), [
      `ERROR: [default] is a database file this process cannot write (${file}: EACCES): commands that write (upgrade, downgrade, stamp) cannot run there. Give the user migrate runs as (uid ${unprivileged!.uid}) write access to the file`,
    ]);
    const current = await asNobody(['current']);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain('[default] <base>');
    expect(p.tables('default')).toEqual(['kept']);
  });

  it("a file whose folder cannot be created (a file is in the way)", async () => {
    const p = track(project('sqlite:.data/sub/default.db'));
    p.write('.data/sub', 'a file, not a folder');
    const path = join(realpathSync(p.dir), '.data/sub/default.db');
    expectOneLineError(await run(p, 'upgrade'), [`[default] cannot open ${path}: its folder ${join(realpathSync(p.dir), '.data/sub')} cannot be created`]);
  });
});

describeWithServers('servers: errors name the bind and the masked URL', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('bind_errors', { pg: 'postgres', pg2: 'postgres', my: 'mysql', my2: 'mysql' });
  const roles: LoginRole[] = [];
  const projects: TempProject[] = [];
  const track = (p: TempProject) => (projects.push(p), p);
  afterAll(async () => {
    for (const p of projects.splice(0)) p.remove();
    for (const role of roles.splice(0)) await role.drop();
  });

  /** A PostgreSQL role without CREATE on public (PostgreSQL 15 grants it to no one by default). */
  async function pgRole(db: typeof dbs.pg): Promise<LoginRole> {
    const role = await createLoginRole(db);
    roles.push(role);
    await withPostgres((c) => c.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`), db.url);
    return role;
  }

  /** A MariaDB user that may read and write rows of `db` but not create tables. */
  async function myUser(db: typeof dbs.my): Promise<LoginRole> {
    const role = await createLoginRole(db);
    roles.push(role);
    await withMysql(async (c) => {
      await c.query(`REVOKE ALL PRIVILEGES ON \`${db.name}\`.* FROM '${role.user}'@'%'`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db.name}\`.* TO '${role.user}'@'%'`);
    });
    return role;
  }

  let pgNoCreate: LoginRole;
  let myNoCreate: LoginRole;
  beforeAll(async () => {
    pgNoCreate = await pgRole(dbs.pg);
    myNoCreate = await myUser(dbs.my);
  });

  it('PostgreSQL: a role that may not create the version table', async () => {
    const p = track(project(pgNoCreate.url()));
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      const line = expectOneLineError(await run(p, ...args), [
        `[default] cannot create the version table multidb_version in ${masked(pgNoCreate)}: permission denied for schema public`,
      ]);
      expect(line).not.toContain(pgNoCreate.password);
    }
  });

  it('MariaDB: a user without CREATE', async () => {
    const p = track(project(myNoCreate.url()));
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      const line = expectOneLineError(await run(p, ...args), [`[default] cannot create the version table multidb_version in ${masked(myNoCreate)}: CREATE command denied`]);
      expect(line).not.toContain(myNoCreate.password);
    }
  });

  it("a revision's statement the user may not run names the bind (the version table was made for it)", async () => {
    const pg = await pgRole(dbs.pg2);
    await withPostgres(async (c) => {
      await c.query('CREATE TABLE multidb_version (version_num varchar(32) NOT NULL PRIMARY KEY)');
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON multidb_version TO "${pg.user}"`);
    }, dbs.pg2.url);
    const my = await myUser(dbs.my2);
    await withMysql((c) => c.query('CREATE TABLE multidb_version (version_num varchar(32) NOT NULL PRIMARY KEY)'), dbs.my2.url);
    // MariaDB also keeps the progress of the revision in flight beside the version table: without
    // it, the user's first run says it cannot create it, naming the bind; a DBA makes it too.
    expectOneLineError(await run(track(project(my.url())), 'upgrade'), ['[default] cannot create the progress table multidb_version_progress', 'CREATE command denied']);
    await withMysql(
      (c) =>
        c.query(
          'CREATE TABLE multidb_version_progress (revision varchar(32) NOT NULL, step integer NOT NULL, direction varchar(4) NOT NULL, state varchar(8) NOT NULL, ' +
            'kind varchar(8) NOT NULL, description varchar(512) NOT NULL, hash varchar(64) NOT NULL, heads_before varchar(1024), heads_after varchar(1024), statements_done integer, statements_hash varchar(64), ' +
            'CONSTRAINT pk_multidb_version_progress PRIMARY KEY (revision, step))',
        ),
      dbs.my2.url,
    );
    // The role's grant on the table would keep it from being dropped after the test.
    onTestFinished(() => withPostgres((c) => c.query(`REVOKE ALL ON multidb_version FROM "${pg.user}"`), dbs.pg2.url).then(() => undefined));
    for (const [role, needles] of [
      [pg, ['permission denied for schema public', "rolled back; 'default' stays at <base>"]],
      // MariaDB cannot roll DDL back; its progress shows the first write failed, so nothing of it was applied.
      [my, ['CREATE command denied', "nothing of it was applied (it failed before its first write); 'default' stays at <base>."]],
    ] as const) {
      const p = track(project(role.url()));
      expectOneLineError(await run(p, 'upgrade'), ['[default] revision aa01 failed:', ...needles]);
    }
  });
});

describe("errors before a bind's first query name the bind: an onConnect hook that throws, a malformed URL", () => {
  const SECRET = 'Hk7secretpw';
  const projects: TempProject[] = [];
  afterEach(() => {
    for (const p of projects.splice(0)) p.remove();
  });
  /** Two binds, `aa` on SQLite and `bb` as given, each with one revision. */
  const twoBinds = (bb: string) => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { aa: { url: 'sqlite:.data/aa.db' }, bb: ${bb} } });\n`,
    });
    projects.push(p);
    for (const bind of ['aa', 'bb']) addRevision(p, bind, { revision: `${bind}01`, downRevision: null, message: 'one', upgrade: `await op.createTable('t_${bind}', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    return p;
  };

  it("an onConnect hook that throws: one ERROR line names the bind and where it points; current and status mark it", async () => {
    const p = twoBinds(`{ url: 'sqlite:.data/bb.db', onConnect: async () => { throw new Error('hook says no'); } }`);
    const path = join(realpathSync(p.dir), '.data/bb.db');
    const aaAbsent = `[aa] database file ${join(realpathSync(p.dir), '.data/aa.db')} does not exist (at base)`;
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      expectOneLineError(await run(p, ...args), [`[bb] cannot run the onConnect hook on ${path}: hook says no`]);
    }
    expect(p.versionsApplied('aa')).toEqual([]);
    // The files each of them created were removed again when the hook threw (bb's) and the
    // command failed (aa's): both are at base.
    expect(p.exists('.data/bb.db')).toBe(false);
    expect(p.exists('.data/aa.db')).toBe(false);
    // A downgrade of bb, whose database does not exist, has nothing to do: bb is not opened (as by current).
    expect((await ok(p, 'downgrade', 'bb@base')).stderr).toContain('Nothing to downgrade.');
    expect(p.exists('.data/bb.db')).toBe(false);
    expect((await run(p, 'current')).stdout.trim().split('\n')).toEqual([aaAbsent, `[bb] database file ${path} does not exist (at base)`]);
    // On a database that exists, the hook runs (and fails) for current and status too.
    p.write('.data/bb.db', '');
    const current = await run(p, 'current');
    expect(current.code).toBe(1);
    expect(current.stdout.trim().split('\n')).toEqual([aaAbsent, `[bb] unreachable: cannot run the onConnect hook on ${path}: hook says no`]);
    expect((await run(p, 'status')).stdout).toContain(`[bb] sqlite sqlite:.data/bb.db: current unknown, head bb01; unreachable: cannot run the onConnect hook on ${path}: hook says no`);
    expectOneLineError(await run(p, 'downgrade', 'bb@base'), [`[bb] cannot run the onConnect hook on ${path}: hook says no`]);
  });

  describeWithServers('on PostgreSQL', ['postgres'], () => {
    const dbs = useDatabases('bind_errors_hook', { pg: 'postgres' });
    it("an onConnect hook whose message quotes the URL: the bind named, the password masked, the connection closed (the process ends)", async () => {
      const u = new URL(dbs.pg.url);
      u.username ||= 'postgres';
      u.password = SECRET; // the server trusts the loopback: the password is only printed, or not
      const url = u.toString();
      const p = twoBinds(`{ url: ${JSON.stringify(url)}, onConnect: async (db) => { await db.selectNoFrom((eb) => eb.lit(1).as('x')).execute(); throw new Error('role setup failed on ${url}'); } }`);
      // Through the bin: its run must end, the hook's connection closed (one left open keeps the process alive).
      const line = expectOneLineError(await p.run('upgrade'), ['[bb] cannot run the onConnect hook on postgres://postgres:***@', 'role setup failed on postgres://postgres:***@']);
      expect(line).not.toContain(SECRET);
    });
  });

  it.each([
    ['no scheme at all', 'not a url', ["Bind 'bb'", "Invalid database URL 'not a url'"]],
    ['user info without a scheme', `app:${SECRET}@127.0.0.1/db`, ["Bind 'bb'", "no dialect for URL '<unparsable URL>'"]],
    ['postgres: without //', `postgres:app:${SECRET}@127.0.0.1/db`, ["Bind 'bb'", "Invalid PostgreSQL URL '<unparsable URL>'"]],
    ['mysql:/ with one slash', `mysql:/app:${SECRET}@127.0.0.1/db`, ["Bind 'bb'", "Invalid MySQL URL '<unparsable URL>'"]],
    ['a raw / in the password', `postgres://app:${SECRET}/x@127.0.0.1/db`, ["Bind 'bb'", "Invalid PostgreSQL URL '<unparsable postgres URL>'"]],
  ])('a malformed URL (%s): one ERROR line names the bind, without the password; current and status mark it misconfigured', async (_name, url, needles) => {
    const p = twoBinds(`{ url: ${JSON.stringify(url)} }`);
    for (const args of [['upgrade'], ['stamp', 'head']]) {
      const out = await run(p, ...args);
      expectOneLineError(out, needles);
      expect(JSON.stringify(out)).not.toContain(SECRET);
    }
    for (const command of ['current', 'status']) {
      const out = await run(p, command);
      expect(out.code).toBe(1);
      const bb = out.stdout.split('\n').find((l) => l.startsWith('[bb]'));
      // A URL error is the config's, not the network's: 'misconfigured', the bind named once by the line.
      expect(bb).toContain(`misconfigured: ${needles[1]}`);
      expect(JSON.stringify(out)).not.toContain(SECRET);
    }
  });
});

describeWithServers("a failed revision shows the server's DETAIL and HINT", ['postgres', 'mysql'], () => {
  const dbs = useDatabases('server_detail', { pg: 'postgres', pgHint: 'postgres', my: 'mysql' });
  const projects: TempProject[] = [];
  afterAll(() => {
    for (const p of projects.splice(0)) p.remove();
  });

  /** A one-bind project whose second revision makes `email` unique over two equal rows. */
  function duplicates(url: string): TempProject {
    const p = new TempProject([], { config: oneBind(url) });
    projects.push(p);
    addRevision(p, 'default', {
      revision: 'dd01',
      downRevision: null,
      message: 'people',
      upgrade:
        `await op.createTable('people', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(100)' }]);\n` +
        `  await op.bulkInsert('people', [{ id: 1, email: 'ann@example.org' }, { id: 2, email: 'ann@example.org' }]);`,
    });
    addRevision(p, 'default', { revision: 'dd02', downRevision: 'dd01', message: 'unique email', upgrade: `await op.createIndex('uq_people_email', 'people', ['email'], { unique: true });` });
    return p;
  }

  it('PostgreSQL: the duplicated key, on the error line and in --json', async () => {
    const p = duplicates(dbs.pg.url);
    const line = expectOneLineError(await run(p, 'upgrade'), ['[default] revision dd02 failed: could not create unique index', 'detail: Key (email)=(ann@example.org) is duplicated.']);
    expect(line.indexOf('detail:')).toBeLessThan(line.indexOf('statement:'));
    const json = await run(p, 'upgrade', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout) as { error: { code: string; revision: string; detail?: string } }).error;
    expect(error).toMatchObject({ code: 'MIGRATION', revision: 'dd02', detail: 'Key (email)=(ann@example.org) is duplicated.' });
  });

  it('PostgreSQL: a HINT too (a function that does not exist)', async () => {
    const p = new TempProject([], { config: oneBind(dbs.pgHint.url) });
    projects.push(p);
    addRevision(p, 'default', { revision: 'dd11', downRevision: null, message: 'call', upgrade: `await op.execute('SELECT no_such_function(1)');` });
    expectOneLineError(await run(p, 'upgrade'), ['function no_such_function(integer) does not exist', 'hint: No function matches the given name and argument types.']);
  });

  it('MariaDB sends none: no detail line, no detail field', async () => {
    const p = duplicates(dbs.my.url);
    const line = expectOneLineError(await run(p, 'upgrade'), ['[default] revision dd02 failed:', 'Duplicate entry']);
    expect(line).not.toContain('detail:');
    const json = await run(p, 'upgrade', '--json');
    expect(JSON.parse(json.stdout).error).not.toHaveProperty('detail');
  });
});
