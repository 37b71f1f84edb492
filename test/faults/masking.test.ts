// A URL's password is never printed: not by commands that fail on that bind (the server is not
// there, or refuses), not with --raiseerr, not by the commands that only read scripts, which must
// work whatever the URLs are, and not by `current -v` or `status`, which print the URL. Every form:
// the user info, query parameters named like a password or secret, percent-encoded passwords with
// `@ : / %`, and raw ones that break the URL (then no part of the URL is printed).
//
// `migrate` runs in-process (`main`, its output captured), which prints through the same masking
// output as the bin. The bin's own process is run once per real-server variant (`upgrade
// --raiseerr`, below): there, anything that reaches stderr outside main's output (a driver's or
// Node's warning) is checked too. The tests run one after the other: a variable a project's config
// reads (DEFAULT_URL) is set only while its own runs go (see `withEnv`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { createLoginRole, describeWithServers, useDatabases, withMysql, withPostgres, type LoginRole } from '../support/servers.js';
import { addRevision, expectOneLineError } from './faults-support.js';

const SECRET = 's3cret';

const configWith = (url: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
  `    default: { url: process.env.DEFAULT_URL ?? ${JSON.stringify(url)} },\n` +
  `    db2: { url: 'sqlite:.data/db2.db' },\n  },\n});\n`;

/**
 * Runs `fn` with `vars` set in process.env (a config reads them while it loads, during a run), then
 * puts back what was there. Only for tests that run one at a time, as this file's do.
 */
async function withEnv<T>(vars: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = Object.entries(vars).map(([key]) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

function expectNoSecret(out: RunOutput, secrets: readonly string[] = [SECRET]): void {
  for (const secret of secrets) {
    expect(out.stdout, `stdout:\n${out.stdout}`).not.toContain(secret);
    expect(out.stderr, `stderr:\n${out.stderr}`).not.toContain(secret);
  }
}

/** Commands that need the bind `default`, hence its dialect and a connection. */
const TOUCHING_DEFAULT: string[][] = [
  ['current'],
  ['current', 'default'],
  ['current', '--verbose'],
  ['upgrade'],
  ['upgrade', 'default'],
  ['upgrade', 'aa01'],
  ['downgrade', 'default'],
  ['stamp', 'default@head'],
  ['history', '--indicate-current'],
];

/** Commands that read scripts only. */
const READING: string[][] = [['history'], ['history', '--verbose'], ['history', 'default'], ['heads'], ['branches'], ['show', 'aa01']];

/** A few of each, for the variants below the first. */
const SOME_TOUCHING: string[][] = [['current', '--verbose'], ['upgrade'], ['history', '--indicate-current']];
const SOME_READING: string[][] = [['history', '--verbose'], ['show', 'aa01']];

describe.each([
  { name: 'in the config', url: `postgres://app:${SECRET}@127.0.0.1:1/db`, masked: 'postgres://app:***@127.0.0.1:1/db', env: {}, touching: TOUCHING_DEFAULT, reading: READING },
  {
    name: 'from the environment',
    url: 'sqlite:.data/default.db',
    masked: 'postgresql://app:***@127.0.0.1:1/db',
    env: { DEFAULT_URL: `postgresql://app:${SECRET}@127.0.0.1:1/db` },
    touching: SOME_TOUCHING,
    reading: SOME_READING,
  },
  {
    name: 'with an unencoded @ in it',
    url: `postgres://app:pa@${SECRET}@127.0.0.1:1/db`,
    masked: 'postgres://app:***@127.0.0.1:1/db',
    env: {},
    touching: SOME_TOUCHING,
    reading: SOME_READING,
  },
])('a password $name', ({ url, masked, env, touching, reading }) => {
  let p: TempProject;
  /** `migrate ARGS` in-process, with the variant's environment. */
  const run = (...args: string[]) => withEnv(env, () => runInProcess(p.dir, args));
  const ok = (...args: string[]) => withEnv(env, () => okInProcess(p.dir, args));

  beforeAll(() => {
    p = new TempProject(['default', 'db2'], { config: configWith(url) });
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one' });
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'create uno' });
  });
  afterAll(() => p.remove());

  it('the reading commands work and do not print it', async () => {
    for (const args of reading) expectNoSecret(await ok(...args));
    expectNoSecret(await ok('history', '--raiseerr'));
    expect((await ok('history')).stdout).toMatch(/aa01[^]*bb01|bb01[^]*aa01/);
  });

  it('commands that touch the bind fail with one line naming the bind and the masked URL, never the password', async () => {
    for (const args of touching) {
      const out = await run(...args);
      expectNoSecret(out);
      if (args[0] === 'current' || args[0] === 'history') {
        // current and history -i go on past an unreachable bind: they mark it on stdout and exit 1.
        expect(out.code).toBe(1);
        expect(out.stdout).toMatch(/^\[default\] unreachable: /m);
        expect(out.stdout).toContain(masked);
        continue;
      }
      const line = expectOneLineError(out, [/\[default\]|'default'/]);
      expect(line).toContain(masked);
    }
  });

  it('--raiseerr adds a stack that does not print it either', async () => {
    for (const args of touching) {
      const out = await run(...args, '--raiseerr');
      expect(out.code).not.toBe(0);
      if (args[0] !== 'current' && args[0] !== 'history') expect(out.stderr).toMatch(/^\s+at /m); // they throw nothing: they mark the bind
      expectNoSecret(out);
    }
  });

  it('the other bind still upgrades, without printing it', async () => {
    const out = await ok('upgrade', 'db2');
    expectNoSecret(out);
    expect(p.versionsApplied('db2')).toEqual(['bb01']);
    expectNoSecret(await ok('current', 'db2', '--verbose'));
  });
});

describe('other places a password could leak', () => {
  it('a sqlite URL cannot carry a password: refused without printing it', async () => {
    const p = new TempProject(['default', 'db2'], { config: configWith(`sqlite://app:${SECRET}@localhost/x.db`) });
    try {
      addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one' });
      for (const args of [['upgrade'], ['current'], ['upgrade', '--raiseerr']]) {
        const out = await runInProcess(p.dir, args);
        expect(out.code).toBe(1);
        expectNoSecret(out);
      }
      expectOneLineError(await runInProcess(p.dir, ['upgrade']), ["'default'"]);
      expectNoSecret(await okInProcess(p.dir, ['history']));
      expect(p.files().filter((f) => f.includes(SECRET))).toEqual([]);
    } finally {
      p.remove();
    }
  });

  it('a config whose loading throws an error quoting the URL: masked, also with --raiseerr', async () => {
    const p = new TempProject(['default'], {
      config: `const url = 'postgres://app:${SECRET}@127.0.0.1:1/db';\nthrow new Error('cannot use ' + url);\nexport default {};\n`,
    });
    try {
      for (const args of [['upgrade'], ['history'], ['upgrade', '--raiseerr']]) {
        const out = await runInProcess(p.dir, args);
        expect(out.code).toBe(1);
        expect(out.stderr).toContain('postgres://app:***@127.0.0.1:1/db');
        expectNoSecret(out);
      }
    } finally {
      p.remove();
    }
  });

  it('a libpq connection string given as the url (host=… password=…): refused, its password masked everywhere', async () => {
    const conninfo = `host=127.0.0.1 port=1 user=app password=${SECRET} dbname=db`;
    const p = new TempProject(['default', 'db2'], { config: configWith('sqlite:.data/default.db') });
    const run = (...args: string[]) => withEnv({ DEFAULT_URL: conninfo }, () => runInProcess(p.dir, args));
    try {
      addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one' });
      for (const args of [['current'], ['current', '--verbose'], ['status', '--json'], ['history', '-i', '--json'], ['upgrade', '--json'], ['upgrade', '--raiseerr'], ['stamp', 'default@head']]) {
        const out = await run(...args);
        expect(out.code, args.join(' ')).toBe(1);
        expectNoSecret(out);
      }
      const line = expectOneLineError(await run('upgrade'), ["'default'"]);
      expect(line).toContain('host=127.0.0.1 port=1 user=app password=*** dbname=db');
      expect(line).toContain('write postgres://user:<password>@host:5432/database');
      expectNoSecret(await withEnv({ DEFAULT_URL: conninfo }, () => okInProcess(p.dir, ['history'])));
    } finally {
      p.remove();
    }
  });

  it('a config with an invalid url value quoting the password: masked', async () => {
    const p = new TempProject(['default'], {
      config: `export default { directory: 'migrations', binds: { default: { url: ['postgres://app:${SECRET}@127.0.0.1:1/db'] } } };\n`,
    });
    try {
      const out = await runInProcess(p.dir, ['upgrade']);
      expectOneLineError(out, ["'default'"]);
      expectNoSecret(out);
    } finally {
      p.remove();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real servers: errors that come from the server, and the commands that print URLs

/**
 * The login's password: `@`, `:`, `/` and a literal `%40` in it, and distinctive pieces (`Qx7`,
 * `Vy8`, `Kz9`) so that any part of it that leaks is found.
 */
const RAW = 'Qx7@p:Vy8/w%40Kz9';
const ENCODED = encodeURIComponent(RAW); // Qx7%40p%3AVy8%2Fw%2540Kz9
/** Every piece of the password that must never show, in any form. */
const PIECES = [RAW, ENCODED, 'Qx7', 'Vy8', 'Kz9'];
/** The value of the secret query parameters (not the login's password). */
const PARAM_SECRET = 'Prm5ecret0';

const oneBind = (url: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({ directory: 'migrations', binds: { default: { url: ${JSON.stringify(url)} } } });\n`;

/** Sets a login's password to {@link RAW}. */
async function setRawPassword(kind: 'postgres' | 'mysql', role: LoginRole): Promise<void> {
  const quoted = RAW.replace(/'/g, "''");
  if (kind === 'postgres') await withPostgres((c) => c.query(`ALTER ROLE "${role.user}" PASSWORD '${quoted}'`));
  else await withMysql((c) => c.query(`ALTER USER '${role.user}'@'%' IDENTIFIED BY '${quoted}'`));
}

interface Variant {
  readonly kind: 'PostgreSQL' | 'MariaDB';
  /** What the URL shows. */
  readonly name: string;
  readonly url: string;
  /** How `current -v`, `status` and errors must print it. */
  readonly masked: string;
  /** Whether the bind can be read (`current` succeeds). */
  readonly reads: boolean;
  /** The URL itself is refused (`misconfigured`: nothing was tried on the network), not the server's answer (`unreachable`). */
  readonly refused?: boolean;
  /** A needle of the one-line error of `upgrade` (from the server, or the URL parser); none: it succeeds. */
  readonly upgradeError?: RegExp;
}

/** Commands run on every variant; each output is checked for every piece of the secrets. */
const COMMANDS: string[][] = [['current', '-v'], ['status'], ['upgrade'], ['history', '--indicate-current'], ['current', '-v', '--raiseerr'], ['upgrade', '--raiseerr']];

function expectNothingOf(out: RunOutput, pieces: readonly string[], context: string): void {
  for (const piece of pieces) {
    expect(out.stdout, `${context}: stdout\n${out.stdout}`).not.toContain(piece);
    expect(out.stderr, `${context}: stderr\n${out.stderr}`).not.toContain(piece);
  }
}

/** What the variants are built from, once the databases and logins exist. */
interface Servers {
  readonly pg: string;
  readonly my: string;
  readonly pgUser: string;
  readonly myUser: string;
}

// PostgreSQL trusts local logins, so a login connects with any password; its role has no CREATE on
// public, so `upgrade` fails on the server creating the version table.
const VARIANTS: readonly ((s: Servers) => Variant)[] = [
  (s) => ({
    kind: 'PostgreSQL',
    name: 'a percent-encoded password with @ : / %40 in the user info',
    url: `postgres://${s.pgUser}:${ENCODED}@${s.pg}`,
    masked: `postgres://${s.pgUser}:***@${s.pg}`,
    reads: true,
    upgradeError: /permission denied for schema public/,
  }),
  (s) => ({
    kind: 'PostgreSQL',
    name: '?password= (percent-encoded)',
    url: `postgres://${s.pgUser}@${s.pg}?password=${ENCODED}&application_name=masking`,
    masked: `postgres://${s.pgUser}@${s.pg}?password=***&application_name=masking`,
    reads: true,
    upgradeError: /permission denied for schema public/,
  }),
  (s) => ({
    kind: 'PostgreSQL',
    name: '?sslpassword= and ?secret=, a database that does not exist',
    url: `postgres://${s.pgUser}:${ENCODED}@${s.pg}_missing?sslmode=disable&sslpassword=${PARAM_SECRET}&secret=${PARAM_SECRET}`,
    masked: `postgres://${s.pgUser}:***@${s.pg}_missing?sslmode=disable&sslpassword=***&secret=***`,
    reads: false,
    upgradeError: /database "[^"]+_missing" does not exist/,
  }),
  (s) => ({
    kind: 'PostgreSQL',
    name: 'the raw password (unencoded @ : /), which breaks the URL',
    url: `postgres://${s.pgUser}:${RAW}@${s.pg}`,
    masked: '<unparsable postgres URL>',
    reads: false,
    refused: true,
    upgradeError: /Invalid PostgreSQL URL '<unparsable postgres URL>': it does not parse as a URL \(percent-encode/,
  }),
  (s) => ({
    kind: 'MariaDB',
    name: 'a percent-encoded password with @ : / %40 in the user info',
    url: `mysql://${s.myUser}:${ENCODED}@${s.my}`,
    masked: `mysql://${s.myUser}:***@${s.my}`,
    reads: true,
  }),
  (s) => ({
    kind: 'MariaDB',
    name: 'a wrong password, refused by the server',
    url: `mysql://${s.myUser}:${ENCODED}x@${s.my}`,
    masked: `mysql://${s.myUser}:***@${s.my}`,
    reads: false,
    upgradeError: /Access denied for user/,
  }),
  (s) => ({
    kind: 'MariaDB',
    name: '?password= and ?secret=',
    url: `mariadb://${s.myUser}@${s.my}?password=${ENCODED}&secret=${PARAM_SECRET}`,
    masked: `mariadb://${s.myUser}@${s.my}?password=***&secret=***`,
    reads: false,
    refused: true,
    upgradeError: /unknown option 'password'/,
  }),
  (s) => ({
    kind: 'MariaDB',
    name: 'the raw password (unencoded @ : /), which breaks the URL',
    url: `mysql://${s.myUser}:${RAW}@${s.my}`,
    masked: '<unparsable mysql URL>',
    reads: false,
    refused: true,
    upgradeError: /Invalid MySQL URL '<unparsable mysql URL>'/,
  }),
];

describeWithServers('every form of password, against the real servers', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('masking', { pg: 'postgres', my: 'mysql' });
  const roles: LoginRole[] = [];
  let servers: Servers;

  beforeAll(async () => {
    const pgRole = await createLoginRole(dbs.pg);
    roles.push(pgRole);
    const myRole = await createLoginRole(dbs.my);
    roles.push(myRole);
    await setRawPassword('postgres', pgRole);
    await setRawPassword('mysql', myRole);
    /** `host:port/db` of a test database. */
    const at = (db: { url: string }) => {
      const u = new URL(db.url);
      return `${u.host}${u.pathname}`;
    };
    servers = { pg: at(dbs.pg), my: at(dbs.my), pgUser: pgRole.user, myUser: myRole.user };
  });
  afterAll(async () => {
    for (const role of roles.splice(0)) await role.drop();
  });

  for (const make of VARIANTS) {
    const { kind, name } = make({ pg: '', my: '', pgUser: '', myUser: '' });
    it(`${kind}, ${name}: no command prints any part of the secrets; current -v, status and errors print the masked URL`, async () => {
      const v = make(servers);
      const context = `${v.kind}, ${v.name}`;
      const p = new TempProject([], { config: oneBind(v.url) });
      try {
        addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'nothing' });
        const outs = new Map<string, RunOutput>();
        for (const args of COMMANDS) {
          // `upgrade --raiseerr` through the bin: its process's whole output, stack included, is
          // checked once per variant (a driver's or Node's warning would not go through main's output).
          const out = args.join(' ') === 'upgrade --raiseerr' ? await p.run(...args) : await runInProcess(p.dir, args);
          expectNothingOf(out, [...PIECES, PARAM_SECRET], `${context}: migrate ${args.join(' ')}`);
          outs.set(args.join(' '), out);
        }
        const [current, status, upgrade] = [outs.get('current -v')!, outs.get('status')!, outs.get('upgrade')!];
        expect(status.stdout, context).toContain(`[default] ${v.kind === 'PostgreSQL' ? 'postgres' : v.reads ? 'mariadb' : 'mysql'} ${v.masked}: `);
        if (v.reads) {
          expect(current.code, `${context}\n${current.stderr}`).toBe(0);
          expect(current.stdout, context).toContain(`[default] Current revision(s) for ${v.masked}:`);
        } else {
          // current marks the unreachable (or misconfigured) bind on stdout and exits 1.
          expect(current.code, context).toBe(1);
          expect(current.stdout, context).toMatch(v.refused ? /^\[default\] misconfigured: /m : /^\[default\] unreachable: /m);
          expect(current.stdout, context).toContain(v.masked);
        }
        if (v.upgradeError === undefined) {
          expect(upgrade.code, `${context}\n${upgrade.stderr}`).toBe(0);
          expect((await okInProcess(p.dir, ['current', '-v'])).stdout).toContain('Rev: aa01 (head)\n');
        } else {
          expect(expectOneLineError(upgrade, [/\[default\]|'default'/, v.upgradeError]), context).toContain(v.masked);
        }
      } finally {
        p.remove();
      }
    });
  }
});
