// Faults on each dialect, through the built `migrate`:
// - a query of op.db that fails: the error line names it (`statement:`, as Kysely compiled it),
//   unless the revision caught its error and threw one of its own;
// - a revision failing half way (it creates a table, inserts a row, then a statement fails):
//   SQLite and PostgreSQL roll all of it back and stay at the previous revision; MySQL/MariaDB
//   cannot roll DDL back, so the error says part of the revision may be applied, and what
//   `migrate current` reports is what the version table holds;
// - a wrong password, an unreachable host (127.0.0.1:1) and a server that never answers: one
//   `ERROR:` line, a non-zero exit, the password masked, within seconds.
// `migrate` runs in-process (`main`, its output captured), except for the server that never
// answers: there the bin's process must end by itself once the connect timeout fired.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { tcpServer } from '../support/silent-server.js';
import {
  createLoginRole,
  describeWithServers,
  queryUrl,
  tablesAt,
  useDatabases,
  versionsAt,
  withPostgres,
  type LoginRole,
  type ServerDatabase,
} from '../support/servers.js';

type Dialect = 'sqlite' | 'postgres' | 'mysql';
const NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' };

/**
 * How soon a refused connection must end a `migrate` run: well below the drivers' 10 s connect
 * timeout (so falling back to it fails the test), with room for a busy machine.
 */
const CONNECT_FAILS_WITHIN_MS = 8_000;

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const oneBindConfig = (url: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n    default: { url: ${JSON.stringify(url)} },\n  },\n});\n`;

/** `migrate ARGS` in a project, in-process. */
const run = (p: TempProject, ...args: string[]): Promise<RunOutput> => runInProcess(p.dir, args);
/** {@link run}, failing the test with the output unless it exits 0. */
const ok = (p: TempProject, ...args: string[]): Promise<RunOutput> => okInProcess(p.dir, args);

/** A one-bind project with one empty revision, for the connection faults (any command connects). */
function connectProject(url: string): TempProject {
  const p = new TempProject([], { config: oneBindConfig(url) });
  addRevision(p, 'default', { revision: 'aa0000000001', downRevision: null, message: 'nothing' });
  return p;
}

/** The URL with its password replaced by `***`, as the CLI must print it. */
const maskedUrl = (url: string) => url.replace(/^([a-z]+:\/\/[^:/@]+):[^@/]*@/i, '$1:***@');

/** Checks a failed connection: one line naming the bind and the masked URL, no password anywhere. */
function expectConnectError(out: RunOutput, url: string, password: string, needles: (string | RegExp)[] = []): string {
  expect(`${out.stdout}\n${out.stderr}`).not.toContain(password);
  // `current` goes on past an unreachable bind: it marks it on stdout (`[default] unreachable: …`)
  // and exits 1; other commands fail with one ERROR line naming the bind. Either way, the same reason.
  const mark = /^\[default\] unreachable: (.*)$/m.exec(out.stdout);
  if (!mark) return expectOneLineError(out, ['[default]', maskedUrl(url), ...needles]);
  expect(out.code).toBe(1);
  // The marked line names the bind once, at its start; the reason after it is the ERROR's text.
  const line = mark[0];
  expect(mark[1]).not.toMatch(/^\[default\]/);
  for (const needle of ['[default]', maskedUrl(url), ...needles]) {
    if (typeof needle === 'string') expect(line).toContain(needle);
    else expect(line).toMatch(needle);
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// A revision failing half way

function halfWaySuite(dialect: Dialect, url: () => string) {
  // Made in beforeAll (not while collecting), so a skipped suite leaves no temp folder behind.
  let p: TempProject;
  afterAll(() => p?.remove());
  const opts = { get baseDir() { return p.dir; }, write: true };
  let failing = '';

  beforeAll(() => {
    p = new TempProject([], { config: oneBindConfig(url()) });
    addRevision(p, 'default', {
      revision: 'ff0000000001',
      downRevision: null,
      message: 'create one',
      upgrade: `await op.createTable('one', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.execute('INSERT INTO one (id) VALUES (1)');`,
    });
    failing = addRevision(p, 'default', {
      revision: 'ff0000000002',
      downRevision: 'ff0000000001',
      message: 'half way',
      upgrade:
        `await op.createTable('half', [{ name: 'id', type: 'integer', primaryKey: true }]);\n` +
        `  await op.execute('INSERT INTO half (id) VALUES (1)');\n` +
        `  await op.execute('INSERT INTO missing_table (id) VALUES (1)');`,
    });
  });

  it(`${NAMES[dialect]}: the error names bind, revision, file and statement; the state reported is the database's`, async () => {
    const out = await run(p, 'upgrade');
    expect(lines(out.stderr).filter((l) => l.includes('Running upgrade'))).toEqual([
      '[default] Running upgrade <base> -> ff0000000001, create one',
      '[default] Running upgrade ff0000000001 -> ff0000000002, half way',
    ]);
    const line = expectOneLineError(out, ['[default]', 'ff0000000002', failing, 'INSERT INTO missing_table (id) VALUES (1)', /missing_table/]);

    // The revision before it completed; the version table is there.
    expect(await versionsAt(url(), opts)).toEqual(['ff0000000001']);
    expect(await queryUrl(url(), 'SELECT id FROM one', [], opts)).toEqual([{ id: 1 }]);
    if (dialect === 'mysql') {
      // No transactional DDL: CREATE TABLE half committed, the INSERT after it committed with its
      // record in the progress table. The error says so; the version table stays at ff0000000001.
      expect(line).toMatch(/part of this revision was applied and its progress recorded/);
      expect(line).not.toMatch(/rolled back/);
      expect(await tablesAt(url(), opts)).toEqual(['half', 'multidb_version', 'multidb_version_progress', 'one']);
      expect(await queryUrl(url(), 'SELECT id FROM half', [], opts)).toEqual([{ id: 1 }]);
    } else {
      expect(line).toMatch(/rolled back/);
      expect(line).not.toMatch(/part of this revision/);
      expect(await tablesAt(url(), opts)).toEqual(['multidb_version', 'one']);
    }

    // `current` reports what the version table holds (and, on MariaDB, the revision in flight).
    expect(lines((await ok(p, 'current')).stdout)).toEqual([
      '[default] ff0000000001',
      ...(dialect === 'mysql' ? ['[default] ff0000000002 (in flight: upgrade stopped after 2 write(s), last: execute INSERT INTO half (id) VALUES (1))'] : []),
    ]);
    expect((await ok(p, 'history', '--indicate-current')).stdout).toContain('<base> -> ff0000000001 (default) (current), create one');
  });

  it(`${NAMES[dialect]}: running it again fails again and changes nothing`, async () => {
    const tablesBefore = await tablesAt(url(), opts);
    const out = await run(p, 'upgrade');
    expect(lines(out.stderr).filter((l) => l.includes('Running upgrade'))).toEqual(['[default] Running upgrade ff0000000001 -> ff0000000002, half way']);
    // MariaDB resumes after the writes the first attempt completed (CREATE TABLE half and its
    // INSERT are not sent again), so every dialect stops at the same statement.
    expectOneLineError(out, ['[default]', 'ff0000000002', 'INSERT INTO missing_table (id) VALUES (1)']);
    expect(await tablesAt(url(), opts)).toEqual(tablesBefore);
    expect(await versionsAt(url(), opts)).toEqual(['ff0000000001']);
    if (dialect === 'mysql') expect(await queryUrl(url(), 'SELECT id FROM half', [], opts)).toEqual([{ id: 1 }]);
    expect(lines((await ok(p, 'current')).stdout)[0]).toEqual('[default] ff0000000001');
  });
}

// ---------------------------------------------------------------------------------------------
// A failing query of op.db

/** The INSERT of the revision below as each dialect's Kysely compiles it. */
const SEEDED_INSERT: Record<Dialect, string> = {
  sqlite: 'insert into "seeded" ("id") values (?)',
  postgres: 'insert into "seeded" ("id") values ($1)',
  mysql: 'insert into `seeded` (`id`) values (?)',
};

function opDbSuite(dialect: Dialect, url: () => string) {
  let p: TempProject;
  afterAll(() => p?.remove());
  const opts = { get baseDir() { return p.dir; }, write: true };
  let failing = '';
  const insertAgain = "await op.db.insertInto('seeded').values({ id: 1 }).execute();";

  beforeAll(() => {
    p = new TempProject([], { config: oneBindConfig(url()) });
    addRevision(p, 'default', {
      revision: 'ee0000000001',
      downRevision: null,
      message: 'seed',
      upgrade: `await op.createTable('seeded', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.execute('INSERT INTO seeded (id) VALUES (1)');`,
    });
    failing = addRevision(p, 'default', { revision: 'ee0000000002', downRevision: 'ee0000000001', message: 'seed again', upgrade: insertAgain });
  });

  it(`${NAMES[dialect]}: an op.db insert that violates the primary key is named in the error, as Kysely compiled it`, async () => {
    const out = await run(p, 'upgrade');
    expectOneLineError(out, ['[default]', 'ee0000000002', failing, `statement: ${SEEDED_INSERT[dialect]}`, /duplicate|unique/i]);
    expect(await versionsAt(url(), opts)).toEqual(['ee0000000001']);
    expect(await queryUrl(url(), 'SELECT id FROM seeded', [], opts)).toEqual([{ id: 1 }]);
  });

  it(`${NAMES[dialect]}: a revision that catches that error and throws its own names no statement`, async () => {
    p.write(failing, p.read(failing).replace(insertAgain, `try {\n    ${insertAgain}\n  } catch {\n    throw new Error('mine');\n  }`));
    const out = await run(p, 'upgrade');
    const line = expectOneLineError(out, ['[default]', 'ee0000000002', failing, 'failed: mine']);
    expect(line).not.toContain('statement');
    expect(await versionsAt(url(), opts)).toEqual(['ee0000000001']);
  });
}

describe('a revision failing half way on SQLite', () => {
  halfWaySuite('sqlite', () => 'sqlite:.data/default.db');
});

describe('a failing query of op.db on SQLite', () => {
  opDbSuite('sqlite', () => 'sqlite:.data/default.db');
});

// ---------------------------------------------------------------------------------------------
// Wrong passwords

/** Whether the server lets this role in with a wrong password (pg_hba.conf `trust`). */
function postgresTrusts(role: LoginRole): Promise<boolean> {
  return withPostgres(() => Promise.resolve(true), role.url(`${role.password}_wrong`)).catch(() => false);
}

function wrongPasswordSuite(dialect: 'postgres' | 'mysql', db: () => ServerDatabase) {
  let role: LoginRole;
  let trusts = false;
  beforeAll(async () => {
    role = await createLoginRole(db());
    if (dialect === 'postgres') trusts = await postgresTrusts(role);
  });
  afterAll(async () => {
    await role?.drop();
  });

  it(`${NAMES[dialect]}: the right password connects (the role works); --verbose shows the URL masked`, async () => {
    const p = connectProject(role.url());
    try {
      expect((await ok(p, 'current')).stdout).toBe('[default] <base>\n');
      const verbose = await ok(p, 'current', '--verbose');
      expect(verbose.stdout).toContain(`Current revision(s) for ${maskedUrl(role.url())}`);
      expect(`${verbose.stdout}\n${verbose.stderr}`).not.toContain(role.password);
    } finally {
      p.remove();
    }
  });

  it(`${NAMES[dialect]}: a wrong password gives one line, the password masked, in seconds`, async (ctx) => {
    if (trusts) {
      // The server lets this login in whatever its password (pg_hba.conf `trust` for the address):
      // there is no wrong password to test against it. The stub server below covers the client side.
      ctx.skip(`${NAMES[dialect]} trusts ${role.user} from 127.0.0.1 (pg_hba.conf 'trust'): a wrong password is accepted`);
    }
    const wrong = `${role.password}_wrong`;
    const url = role.url(wrong);
    const p = connectProject(url);
    try {
      for (const args of [['current'], ['upgrade']]) {
        const t0 = Date.now();
        const out = await run(p, ...args);
        expect(Date.now() - t0).toBeLessThan(CONNECT_FAILS_WITHIN_MS);
        // `wrong` starts with the real password: neither may appear.
        expectConnectError(out, url, role.password, [dialect === 'mysql' ? /Access denied/ : /password authentication failed/]);
      }
      const raised = await run(p, 'current', '--raiseerr');
      expect(raised.code).toBe(1);
      expect(`${raised.stdout}\n${raised.stderr}`).not.toContain(role.password);
      expect(`${raised.stdout}\n${raised.stderr}`).toContain(maskedUrl(url));
    } finally {
      p.remove();
    }
  });
}

describeWithServers('faults on PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('faults', { db: 'postgres', opDb: 'postgres', login: 'postgres' });
  describe('a revision failing half way', () => halfWaySuite('postgres', () => dbs.db.url));
  describe('a failing query of op.db', () => opDbSuite('postgres', () => dbs.opDb.url));
  describe('a wrong password', () => wrongPasswordSuite('postgres', () => dbs.login));
});

describeWithServers('faults on MariaDB', ['mysql'], () => {
  const dbs = useDatabases('faults', { db: 'mysql', opDb: 'mysql', login: 'mysql' });
  describe('a revision failing half way', () => halfWaySuite('mysql', () => dbs.db.url));
  describe('a failing query of op.db', () => opDbSuite('mysql', () => dbs.opDb.url));
  describe('a wrong password', () => wrongPasswordSuite('mysql', () => dbs.login));
});

// ---------------------------------------------------------------------------------------------
// Servers that are not there, or that refuse the password, or never answer (no real server needed)


/**
 * Speaks just enough of the PostgreSQL protocol to refuse a password the way a server with
 * `password` authentication does: it answers the startup message with AuthenticationCleartextPassword,
 * reads the PasswordMessage, and replies with FATAL 28P01 `password authentication failed`.
 * The passwords it received are kept, to show what the client sent.
 */
async function postgresPasswordRefuser() {
  const received: string[] = [];
  const server = await tcpServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    let answered = false;
    let user = '';
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const params = buffer.subarray(8, length).toString('utf8').split('\0');
          buffer = buffer.subarray(length);
          if (code === 80877103 || code === 80877104) {
            socket.write('N'); // SSLRequest / GSSENCRequest: not supported, go on in clear
            continue;
          }
          user = params[params.indexOf('user') + 1] ?? '';
          started = true;
          socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
          continue;
        }
        if (answered || buffer.length < 5) return; // after the refusal, only a Terminate may follow
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        received.push(buffer.subarray(5, 1 + length).toString('utf8').replace(/\0$/, ''));
        answered = true;
        const body = Buffer.from(`SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "${user}"\0\0`, 'utf8');
        const header = Buffer.alloc(5);
        header.write('E', 0);
        header.writeInt32BE(4 + body.length, 1);
        socket.end(Buffer.concat([header, body]));
        return;
      }
    });
  });
  return { ...server, received };
}

describe('connection faults without a server (one line, password masked, within seconds)', () => {
  const SECRET = 'pa55-w0rd';

  it.each([
    ['PostgreSQL', `postgres://app:${SECRET}@127.0.0.1:1/db`],
    ['MariaDB', `mysql://app:${SECRET}@127.0.0.1:1/db`],
    ['MariaDB (mariadb://)', `mariadb://app:${SECRET}@127.0.0.1:1/db`],
  ])('%s at an unreachable host (127.0.0.1:1)', async (_name, url) => {
    const p = connectProject(url);
    try {
      for (const args of [['current'], ['upgrade'], ['history', '--indicate-current']]) {
        const t0 = Date.now();
        const out = await run(p, ...args);
        expect(Date.now() - t0).toBeLessThan(CONNECT_FAILS_WITHIN_MS);
        expectConnectError(out, url, SECRET, [/ECONNREFUSED|refused/i]);
      }
    } finally {
      p.remove();
    }
  });

  it('PostgreSQL refusing the password (a protocol stub: the test server trusts local logins)', async () => {
    const stub = await postgresPasswordRefuser();
    const url = `postgres://app:${SECRET}@127.0.0.1:${stub.port}/db`;
    const p = connectProject(url);
    try {
      const t0 = Date.now();
      const out = await run(p, 'current');
      expect(Date.now() - t0).toBeLessThan(CONNECT_FAILS_WITHIN_MS);
      const line = expectConnectError(out, url, SECRET, ['password authentication failed for user "app"']);
      expect(line).toBe(`[default] unreachable: cannot connect to postgres://app:***@127.0.0.1:${stub.port}/db: password authentication failed for user "app"`);
      expect(stub.received).toEqual([SECRET]);
    } finally {
      p.remove();
      await stub.close();
    }
  });

  it('a server that accepts the connection but never answers: the connect timeout ends it (both dialects at once)', async () => {
    const silent = await tcpServer(() => undefined);
    const projects = [`postgres://app:${SECRET}@127.0.0.1:${silent.port}/db`, `mysql://app:${SECRET}@127.0.0.1:${silent.port}/db`].map((url) => ({
      url,
      p: connectProject(url),
    }));
    try {
      const t0 = Date.now();
      // Through the bin, both at once: each process ends once its connect timeout fired (a socket or
      // timer left behind would keep it alive).
      const outs = await Promise.all(projects.map(({ p }) => p.run('current')));
      expect(Date.now() - t0).toBeLessThan(20_000);
      projects.forEach(({ url }, i) => expectConnectError(outs[i]!, url, SECRET, [/tim(ed|e)\s?out|terminated/i]));
    } finally {
      for (const { p } of projects) p.remove();
      await silent.close();
    }
  }, 30_000);

  it("a bind's connectTimeout (seconds) bounds the wait on a silent server, for both dialects", async () => {
    const silent = await tcpServer(() => undefined);
    const projects = [`postgres://app:${SECRET}@127.0.0.1:${silent.port}/db`, `mysql://app:${SECRET}@127.0.0.1:${silent.port}/db`].map((url) => {
      const p = connectProject(url);
      p.write('migrate.config.ts', oneBindConfig(url).replace(`url: ${JSON.stringify(url)} }`, `url: ${JSON.stringify(url)}, connectTimeout: 1.5 }`));
      return { url, p };
    });
    try {
      for (const { url, p } of projects) {
        const t0 = Date.now();
        const out = await run(p, 'current');
        const elapsed = Date.now() - t0;
        expect(elapsed).toBeGreaterThanOrEqual(1_400);
        expect(elapsed).toBeLessThan(7_000); // well under the 10 s default
        expectConnectError(out, url, SECRET, [/tim(ed|e)\s?out|terminated/i]);
      }
    } finally {
      for (const { p } of projects) p.remove();
      await silent.close();
    }
  }, 30_000);
});
