// Wrong passwords against a PostgreSQL server that really checks them. The test servers trust
// 127.0.0.1, so this file starts a cluster of its own: initdb into a temporary folder with
// `--auth=scram-sha-256 --pwfile`, `pg_ctl start` on a free port (socket in the same folder),
// stopped and removed after the file. One cluster for the whole file keeps it fast.
//
// Each connecting command with a wrong password (plain, and one with URL-escaped characters), a
// wrong user, and an unknown database: non-zero exit, one `ERROR:` line naming the bind and the
// masked URL, no stack, the password nowhere in the output (with `--raiseerr` too), and the
// database exactly as it was. The right password then works.
//
// Needs PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin, or MULTIDB_TEST_PG_BIN);
// without them the file skips locally and fails under CI=true. As root, the cluster runs as the
// `postgres` user (initdb refuses root).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { pgBin, ScramPostgres } from '../support/pg-cluster.js';
import { TempProject } from '../support/project.js';
import { UNDER_CI, withPostgres } from '../support/servers.js';
import { oneBindConfig } from './support.js';

const PASSWORD = 'scram-Secret_42';

const bin = pgBin();
const reason = bin ? undefined : 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql; set MULTIDB_TEST_PG_BIN';
const suite = reason && !UNDER_CI ? describe.skip : describe;

suite(`wrong passwords on a PostgreSQL that checks them (scram-sha-256)${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let cluster: ScramPostgres;
  let p: TempProject;
  const versions = () => withPostgres(async (c) => (await c.query('SELECT version_num FROM multidb_version ORDER BY 1')).rows.map((r) => r.version_num as string), cluster.url());

  beforeAll(async () => {
    if (reason) throw new Error(reason);
    cluster = await ScramPostgres.start(PASSWORD);
    p = new TempProject([], { config: oneBindConfig(cluster.url()) });
    addRevision(p, 'default', { revision: 'c1a000000001', downRevision: null, message: 'one', upgrade: `await op.createTable('one', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    addRevision(p, 'default', { revision: 'c1a000000002', downRevision: 'c1a000000001', message: 'two', upgrade: `await op.createTable('two', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    // The right password works: the bind is at the first revision.
    await p.ok('upgrade', 'c1a000000001');
  }, 180_000);
  afterAll(() => {
    p?.remove();
    cluster?.stop();
  });

  /** `current` on an unreachable bind: exit 1, one line on stdout marking it with the masked reason, nothing on stderr. */
  /** `current` prints only the mark; `history -i` prints the revisions, then the mark. */
  const expectUnreachableMark = (out: { code: number; stdout: string; stderr: string }, cause: RegExp, after: readonly RegExp[] = []) => {
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toBe('');
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(after.length + 1);
    after.forEach((line, i) => expect(lines[i]).toMatch(line));
    expect(lines.at(-1)).toMatch(/^\[default\] unreachable: /);
    expect(lines.at(-1)).toMatch(cause);
  };

  it('the cluster really refuses a wrong password (not trust)', async () => {
    await expect(withPostgres(() => Promise.resolve(1), cluster.url('postgres', 'nope'))).rejects.toThrow(/password authentication failed/);
  });

  const wrongUrls: [string, () => string, string, RegExp][] = [
    ['a wrong password', () => cluster.url('postgres', `${PASSWORD}x`), `${PASSWORD}x`, /password authentication failed for user "postgres"/],
    ['a wrong password with characters a URL escapes', () => cluster.url('postgres', 'p@ss:w/rd%?#'), 'p@ss:w/rd%?#', /password authentication failed/],
    ['a wrong user', () => cluster.url('nobody', PASSWORD), PASSWORD, /password authentication failed for user "nobody"/],
  ];
  // Every connecting command with the first; the others with `upgrade`.
  const all = [['current'], ['upgrade'], ['downgrade', 'base'], ['stamp', 'head'], ['history', '--indicate-current'], ['current', '--raiseerr']];
  const cases = wrongUrls.flatMap(([name, url, secret, cause], i) =>
    (i === 0 ? all : [['upgrade']]).map((args) => [`${name}: migrate ${args.join(' ')}`, url, secret, cause, args] as const),
  );

  it.each(cases)('%s: one line, the password masked, nothing changed', async (_name, url, secret, cause, args) => {
    const q = new TempProject([], { config: oneBindConfig(url()) });
    try {
      q.copyIn(join(p.dir, 'migrations'), 'migrations');
      const out = await q.run(...args);
      const all = `${out.stdout}\n${out.stderr}`;
      expect(all).not.toContain(secret);
      expect(all).not.toContain(encodeURIComponent(secret));
      if (args[0] === 'current') {
        // `current` reports every bind it can read and marks this one (with or without --raiseerr).
        expectUnreachableMark(out, cause);
      } else if (args[0] === 'history') {
        // So does `history -i`, after the revisions (not marked current: the bind could not be read).
        expectUnreachableMark(out, cause, [/^\[default\] c1a000000001 -> c1a000000002 \(default\) \(head\), two$/, /^\[default\] <base> -> c1a000000001 \(default\), one$/]);
      } else {
        expectOneLineError(out, ['[default]', `127.0.0.1:${cluster.port}`, '***', cause]);
      }
      expect(await versions()).toEqual(['c1a000000001']);
    } finally {
      q.remove();
    }
  });

  it('an unknown database: one line naming it, nothing changed', async () => {
    const q = new TempProject([], { config: oneBindConfig(cluster.url('postgres', PASSWORD, 'no_such_db')) });
    try {
      q.copyIn(join(p.dir, 'migrations'), 'migrations');
      const out = await q.run('current');
      expectUnreachableMark(out, /no_such_db/);
      expect(`${out.stdout}\n${out.stderr}`).not.toContain(PASSWORD);
    } finally {
      q.remove();
    }
  });

  it('the right password then upgrades to head', async () => {
    await p.ok('upgrade');
    expect(await versions()).toEqual(['c1a000000002']);
  });
});
