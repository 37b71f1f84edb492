// multidb on a real 3-node MariaDB Galera cluster (started by the test, see ../support/galera.ts):
// GET_LOCK is node-local there, so the migration lock is a lease row; runs spread over the nodes
// apply every revision exactly once and leave one line of history; a killed holder's lease expires
// and the next run proceeds.
// Rounds: MULTIDB_GALERA_ROUNDS (default 2; the full count, 20, is documented in test/reliability/README.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, LockTimeoutError, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { mysqlDriver, type MysqlConnection } from '@multidb/dialect/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, startMigrate } from '../faults/faults-support.js';
import { GaleraCluster } from '../support/galera.js';
import { TempProject } from '../support/project.js';

const ROUNDS = Number(process.env.MULTIDB_GALERA_ROUNDS ?? 1);
const IDS = ['ga01', 'ga02', 'ga03'] as const;

let cluster: GaleraCluster;
let serial = 0;

beforeAll(async () => {
  cluster = await GaleraCluster.start(3);
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
});

/** A project whose one bind's URL comes from `DB_URL`, so each process can use another node. */
function project(database: string, options: { holdIn?: string } = {}): TempProject {
  const p = new TempProject(['default'], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { default: { url: process.env.DB_URL! } } });\n`,
  });
  const release = join(p.dir, 'release');
  let down: string | null = null;
  for (const id of IDS) {
    const hold =
      options.holdIn === id
        ? `const { existsSync } = await import('node:fs'); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(release)}); i++) await new Promise((r) => setTimeout(r, 50));`
        : '';
    // Rows before and after the DDL, and DDL that does not fail when repeated: a second run of a
    // revision would go unnoticed but for the rows it leaves.
    const create = down === null ? `await op.execute('CREATE TABLE IF NOT EXISTS runs (id int AUTO_INCREMENT PRIMARY KEY, revision varchar(32) NOT NULL, at varchar(8) NOT NULL)');` : '';
    addRevision(p, 'default', {
      revision: id,
      downRevision: down,
      message: `count ${id}`,
      upgrade:
        `${create} await op.execute(\`INSERT INTO runs (revision, at) VALUES ('${id}', 'before')\`); ${hold}` +
        ` await op.execute('CREATE TABLE IF NOT EXISTS t_${id} (id int PRIMARY KEY)');` +
        ` await op.execute(\`INSERT INTO runs (revision, at) VALUES ('${id}', 'after')\`);`,
    });
    down = id;
  }
  p.env.DB_URL = cluster.url(0, database);
  return p;
}

async function freshDatabase(): Promise<string> {
  const name = `multidb_galera_${process.pid}_${++serial}`;
  await cluster.query(0, `CREATE DATABASE \`${name}\``);
  // The other nodes apply the CREATE DATABASE on their own time: a causal read on each (the
  // helper's wsrep_sync_wait) waits until it has, so a test's first connection to it finds the
  // database (without it, a connection to node 2 right away once failed with "Unknown database").
  for (let i = 0; i < cluster.nodes.length; i++) {
    const found = await cluster.query(i, 'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    if (found.length !== 1) throw new Error(`node ${i + 1} does not have database ${name} after a causal read`);
  }
  return name;
}

/** Every node's view of the runs and the version table (causal reads, so each sees every commit). */
async function stateOnEveryNode(database: string, nodes: readonly number[] = cluster.nodes.map((_, i) => i)) {
  return Promise.all(
    nodes.map(async (i) => {
      const runs = await cluster.query<{ revision: string; at: string; n: number }>(
        i,
        'SELECT revision, at, COUNT(*) AS n FROM runs GROUP BY revision, at ORDER BY revision, at',
        [],
        database,
      );
      const versions = await cluster.query<{ version_num: string }>(i, 'SELECT version_num FROM multidb_version', [], database);
      return { runs: runs.map((r) => ({ ...r, n: Number(r.n) })), versions: versions.map((v) => v.version_num) };
    }),
  );
}

const EXPECTED_RUNS = IDS.flatMap((revision) => [
  { revision, at: 'after', n: 1 },
  { revision, at: 'before', n: 1 },
]);

describe('a MariaDB Galera cluster', () => {
  it('the migration lock holds across nodes (GET_LOCK would not): a second node cannot take it until the first releases it', async () => {
    const database = await freshDatabase();
    const connect = (i: number) => mysqlDriver.connect({ bind: `n${i + 1}`, url: cluster.url(i, database), baseDir: process.cwd() }) as Promise<MysqlConnection>;
    const [a, b] = await Promise.all([connect(0), connect(1)]);
    try {
      expect(await a.isGalera()).toBe(true);
      const lock = { name: 'multidb::multidb_version', table: { name: 'multidb_version_lock' } };
      await a.acquireLock(lock);
      await expect(b.acquireLock({ ...lock, timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
      const holder = await b.lockHolder(lock);
      expect(holder?.holder).toMatch(new RegExp(`:${process.pid}:`));
      expect(holder?.expired).toBe(false);
      await a.releaseLock();
      await b.acquireLock({ ...lock, timeoutMs: 5000 });
      expect(await a.lockHolder(lock)).toMatchObject({ holder: expect.not.stringMatching(holder!.holder) });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is detected, and an upgrade through one node reaches every node: schema and the version row', async () => {
    const database = await freshDatabase();
    const p = project(database);
    const out = await startMigrate(p, ['upgrade']).done;
    expect(out.code, out.stderr).toBe(0);
    for (const state of await stateOnEveryNode(database)) {
      expect(state.runs).toEqual(EXPECTED_RUNS);
      expect(state.versions).toEqual(['ga03']);
    }
    // The lease row is gone once the run ends.
    expect(await cluster.query(1, 'SELECT * FROM multidb_version_lock', [], database)).toEqual([]);
  });

  it(`eight upgrades spread over the three nodes, at once (${ROUNDS} rounds): each revision once, one line of history, every process exits 0`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const database = await freshDatabase();
      const p = project(database);
      const runs = Array.from({ length: 8 }, (_, i) => startMigrate(p, ['upgrade', '--lock-timeout', '120'], { DB_URL: cluster.url(i % 3, database) }));
      const outs = await Promise.all(runs.map((r) => r.done));
      for (const out of outs) expect(out.code, `round ${round}\n${out.stdout}\n${out.stderr}`).toBe(0);
      for (const state of await stateOnEveryNode(database)) {
        expect(state.runs, `round ${round}`).toEqual(EXPECTED_RUNS);
        expect(state.versions, `round ${round}`).toEqual(['ga03']);
      }
    }
  }, 300_000);

  it('a run that times out waiting for the lease: its LockTimeoutError says another run holds it and names the holder', async () => {
    const database = await freshDatabase();
    const p = project(database);
    const holding = (await mysqlDriver.connect({ bind: 'holder', url: cluster.url(0, database), baseDir: process.cwd() })) as MysqlConnection;
    const env = await loadEnvironment({ dialects, baseDir: p.dir, configObject: { directory: 'migrations', binds: { default: { url: cluster.url(1, database) } } } });
    try {
      await holding.acquireLock({ name: 'multidb::multidb_version', table: { name: 'multidb_version_lock' } });
      const error = await commands.upgrade(env, [], { lockTimeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(LockTimeoutError);
      const holder = (error as LockTimeoutError).holder;
      expect(holder?.holder).toMatch(new RegExp(`:${process.pid}:`));
      expect((error as Error).message).toBe(
        `Timed out after ${(error as Error).message.match(/after (\d+ m?s)/)?.[1]} waiting for the migration lock on default: another run holds it (${holder!.holder}, since ${holder!.acquiredAt!.toISOString()}).`,
      );
    } finally {
      await env.close();
      await holding.close();
      p.remove();
    }
  });

  it('a killed lock holder (mid-revision, after its first write): its lease expires, and the next run, through another node, takes over, resumes the revision and reaches head', async () => {
    const database = await freshDatabase();
    const p = project(database, { holdIn: 'ga02' });
    const holder = startMigrate(p, ['upgrade'], { DB_URL: cluster.url(0, database, 'lock_lease=2') });
    await holder.waitForStderr(/Running upgrade ga01 -> ga02/, 60_000);
    const [lease] = await cluster.query<{ holder: string }>(1, 'SELECT holder FROM multidb_version_lock', [], database);
    expect(lease?.holder).toMatch(new RegExp(`:${holder.child.pid}:`));
    // `migrate current`, through another node, says who holds the lock.
    const current = await startMigrate(p, ['current'], { DB_URL: cluster.url(2, database) }).done;
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toMatch(new RegExp(`\\[default\\] migration lock held by \\S+:${holder.child.pid}:\\S+ since \\S+, until \\S+ unless renewed`));
    holder.child.kill('SIGKILL');
    await holder.done;
    // Unlike GET_LOCK, the lease is not released with the killed session: it stays until it expires.
    expect(await cluster.query(2, 'SELECT holder FROM multidb_version_lock', [], database)).toEqual([lease]);
    writeFileSync(join(p.dir, 'release'), ''); // the next run's ga02 does not wait

    const next = startMigrate(p, ['upgrade', '--lock-timeout', '60'], { DB_URL: cluster.url(1, database, 'lock_lease=2') });
    const out = await next.done;
    expect(out.code, out.stderr).toBe(0);
    for (const state of await stateOnEveryNode(database)) {
      expect(state.runs).toEqual(EXPECTED_RUNS);
      expect(state.versions).toEqual(['ga03']);
    }
  }, 120_000);
  // Last: it leaves node 3 down.
  it("a node's server killed mid-upgrade: a clear error naming the bind and the revision, and the run completes through another node", async () => {
    const database = await freshDatabase();
    const p = project(database, { holdIn: 'ga02' });
    const run = startMigrate(p, ['upgrade'], { DB_URL: cluster.url(2, database, 'lock_lease=2') });
    await run.waitForStderr(/Running upgrade ga01 -> ga02/, 60_000);
    cluster.kill(2);
    writeFileSync(join(p.dir, 'release'), '');
    const failed = await run.done;
    expect(failed.code).toBe(1);
    const errors = failed.stderr.split('\n').filter((l) => l.startsWith('ERROR'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/\[default\]/);
    expect(errors[0]).toMatch(/ga02/);

    const next = await startMigrate(p, ['upgrade', '--lock-timeout', '60'], { DB_URL: cluster.url(0, database) }).done;
    expect(next.code, next.stderr).toBe(0);
    for (const state of (await stateOnEveryNode(database, [0, 1]))) {
      expect(state.runs).toEqual(EXPECTED_RUNS);
      expect(state.versions).toEqual(['ga03']);
    }
  }, 120_000);
});
