// A URL's password is never printed: not by commands that fail on that bind (PostgreSQL is not
// supported yet, or the server is not there), not with --raiseerr, and not by the commands that
// only read scripts, which must work whatever the URLs are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, type RunOutput } from '../support/project.js';
import { addRevision, expectOneLineError } from './faults-support.js';

const SECRET = 's3cret';

const configWith = (url: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
  `    default: { url: process.env.DEFAULT_URL ?? ${JSON.stringify(url)} },\n` +
  `    db2: { url: 'sqlite:.data/db2.db' },\n  },\n});\n`;

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

  beforeAll(() => {
    p = new TempProject(['default', 'db2'], { config: configWith(url), env });
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one' });
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'create uno' });
  });
  afterAll(() => p.remove());

  it('the reading commands work and do not print it', async () => {
    for (const args of reading) expectNoSecret(await p.ok(...args));
    expectNoSecret(await p.ok('history', '--raiseerr'));
    expect((await p.ok('history')).stdout).toMatch(/aa01[^]*bb01|bb01[^]*aa01/);
  });

  it('commands that touch the bind fail with one line naming the bind and the masked URL, never the password', async () => {
    for (const args of touching) {
      const out = await p.run(...args);
      expectNoSecret(out);
      const line = expectOneLineError(out, [/\[default\]|'default'/]);
      expect(line).toContain(masked);
    }
  });

  it('--raiseerr adds a stack that does not print it either', async () => {
    for (const args of touching) {
      const out = await p.run(...args, '--raiseerr');
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(/^\s+at /m);
      expectNoSecret(out);
    }
  });

  it('the other bind still upgrades, without printing it', async () => {
    const out = await p.ok('upgrade', 'db2');
    expectNoSecret(out);
    expect(p.versionsApplied('db2')).toEqual(['bb01']);
    expectNoSecret(await p.ok('current', 'db2', '--verbose'));
  });
});

describe('other places a password could leak', () => {
  it('a sqlite URL cannot carry a password: refused without printing it', async () => {
    const p = new TempProject(['default', 'db2'], { config: configWith(`sqlite://app:${SECRET}@localhost/x.db`) });
    try {
      addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one' });
      for (const args of [['upgrade'], ['current'], ['upgrade', '--raiseerr']]) {
        const out = await p.run(...args);
        expect(out.code).toBe(1);
        expectNoSecret(out);
      }
      expectOneLineError(await p.run('upgrade'), ["'default'"]);
      expectNoSecret(await p.ok('history'));
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
        const out = await p.run(...args);
        expect(out.code).toBe(1);
        expect(out.stderr).toContain('postgres://app:***@127.0.0.1:1/db');
        expectNoSecret(out);
      }
    } finally {
      p.remove();
    }
  });

  it('a config with an invalid url value quoting the password: masked', async () => {
    const p = new TempProject(['default'], {
      config: `export default { directory: 'migrations', binds: { default: { url: ['postgres://app:${SECRET}@127.0.0.1:1/db'] } } };\n`,
    });
    try {
      const out = await p.run('upgrade');
      expectOneLineError(out, ["'default'"]);
      expectNoSecret(out);
    } finally {
      p.remove();
    }
  });
});
