// kill -9 at random points of multi-revision upgrades and downgrades, on each dialect, through the
// built `migrate`. Four revisions k1..k4; revision i creates table t<i>, inserts 400 rows, records
// itself in the side table `runs` (made by the test, owned by no revision), adds a column and an
// index; its downgrade deletes its `runs` row and drops t<i>.
//
// The runs alternate: an upgrade to head is killed, then re-run to head; a downgrade to base is
// killed, then re-run to base. The kill lands a random time (seeded) after the run's first
// `Running …` line, within the time a whole run took when measured first. After each kill:
// - SQLite, PostgreSQL: the version table matches the schema exactly (t1..tk with all rows and
//   their column and index, nothing of k+1..), and `runs` holds k1..kk once each;
// - MariaDB: everything of the revisions the version table records is there, once; the revision in
//   flight may be partly applied (no transactional DDL). The re-run either completes or fails with
//   one line naming the bind and that revision.
//   The in-flight revision is recorded in the progress table and the re-run resumes it; only a kill
//   inside a raw `op.execute` DDL's window (sent, completion not recorded) is refused, by design,
//   and then the test undoes the partial revision by hand and resolves it, as a user would.
// After every re-run the bind is at head (or base) with every revision's rows exactly once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, expectOneLineError, startMigrate } from '../faults/faults-support.js';
import type { TempProject } from '../support/project.js';
import { columnsAt, queryUrl, tablesAt, versionsAt } from '../support/servers.js';
import { DIALECT_NAMES, forEachDialect, KILLS, random, SEED, sleep, useOneBindProject, type Dialect } from './support.js';

const N = 4;
const ROWS = 400;
const ids = Array.from({ length: N }, (_, i) => `ka00000000${String(i + 1).padStart(2, '0')}`);
const idOf = (k: number) => ids[k - 1]!;

function writeRevisions(p: TempProject): void {
  ids.forEach((id, i) => {
    const t = `t${i + 1}`;
    addRevision(p, 'default', {
      revision: id,
      downRevision: i === 0 ? null : ids[i - 1]!,
      message: `table ${t}`,
      upgrade: [
        `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'v', type: 'varchar(40)' }]);`,
        `await op.bulkInsert('${t}', Array.from({ length: ${ROWS} }, (_, j) => ({ id: j + 1, v: 'row ' + j })));`,
        `await op.execute("INSERT INTO runs (revision) VALUES ('${id}')");`,
        `await op.addColumn('${t}', { name: 'extra', type: 'integer' });`,
        `await op.createIndex('ix_${t}_v', '${t}', ['v']);`,
      ].join('\n  '),
      downgrade: [`await op.execute("DELETE FROM runs WHERE revision = '${id}'");`, `await op.dropTable('${t}');`].join('\n  '),
    });
  });
}

/** What one bind holds: its version, the revision tables and their row counts, the `runs` rows. */
interface KillState {
  readonly versions: string[];
  readonly tables: string[];
  readonly rowCounts: Record<string, number>;
  readonly columns: Record<string, string[]>;
  readonly runs: string[];
}

async function killState(url: string, baseDir: string): Promise<KillState> {
  // write: a SQLite file a killed writer left a hot journal in is rolled back on this open.
  const opts = { baseDir, write: true };
  const tables = (await tablesAt(url, opts)).filter((t) => /^t\d+$/.test(t));
  const rowCounts: Record<string, number> = {};
  const columns: Record<string, string[]> = {};
  for (const t of tables) {
    rowCounts[t] = Number((await queryUrl<{ n: unknown }>(url, `SELECT COUNT(*) AS n FROM "${t}"`, [], opts))[0]!.n);
    columns[t] = await columnsAt(url, t, opts);
  }
  const runs = (await queryUrl<{ r: string }>(url, 'SELECT revision AS r FROM runs ORDER BY 1', [], opts)).map((r) => r.r);
  return { versions: await versionsAt(url, opts), tables: tables.sort(), rowCounts, columns, runs };
}

/**
 * Waits until the killed run's database sessions have ended. A server finishes the query a killed
 * client sent last (a COMMIT among them) before it notices the client is gone: read before that,
 * the state can change under the reader (a table listed, then dropped by that COMMIT).
 */
async function killedSessionsGone(dialect: Dialect, url: string): Promise<void> {
  if (dialect === 'sqlite') return;
  const others =
    dialect === 'postgres'
      ? 'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'
      : 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()';
  for (let i = 0; i < 300; i++) {
    if (Number((await queryUrl<{ n: unknown }>(url, others))[0]!.n) === 0) return;
    await sleep(100);
  }
  throw new Error(`the killed run's sessions on ${dialect} did not end within 30 s`);
}

/** The exact state of a bind whose version table says revision `k` (0: base). */
function expectedAt(k: number): Omit<KillState, 'versions'> {
  const tables = Array.from({ length: k }, (_, i) => `t${i + 1}`).sort();
  return {
    tables,
    rowCounts: Object.fromEntries(tables.map((t) => [t, ROWS])),
    columns: Object.fromEntries(tables.map((t) => [t, ['id', 'v', 'extra']])),
    runs: ids.slice(0, k),
  };
}

const levelOf = (versions: readonly string[]) => {
  expect(versions.length).toBeLessThanOrEqual(1);
  return versions[0] ? ids.indexOf(versions[0]) + 1 : 0;
};

function killSuite(dialect: Dialect, url: () => string) {
  const project = useOneBindProject(url);
  const rng = random(SEED + dialect.length);
  /** ms from a run's first `Running` line to its exit, measured on a clean run per direction. */
  const span = { up: 0, down: 0 };
  let landed = 0;
  let attempts = 0;
  /**
   * MariaDB: kills that left a revision in flight (progress rows), and of those how many left only
   * a header (recorded ahead: with --concurrency above 1 only, so none here).
   */
  let inFlightKills = 0;
  let headerOnly = 0;
  const rerunFailures: string[] = [];

  beforeAll(async () => {
    const p = project.p;
    writeRevisions(p);
    // `runs` belongs to no revision: made by the test, it survives downgrades to base.
    const create = 'CREATE TABLE runs (revision varchar(32) NOT NULL)';
    if (dialect === 'sqlite') {
      mkdirSync(join(p.dir, '.data'), { recursive: true });
      new Database(join(p.dir, '.data', 'default.db')).exec(create).close();
    } else {
      await queryUrl(url(), create);
    }
  });

  afterAll(() => {
    const ahead = dialect === 'mysql' ? `; ${inFlightKills} left a revision in flight (${headerOnly} with only its header)` : '';
    console.log(`[reliability] kill -9 on ${DIALECT_NAMES[dialect]}: ${landed} kills landed in ${attempts} runs (seed ${SEED})${ahead}${rerunFailures.length ? `; re-runs that failed and were repaired by hand: ${rerunFailures.length}` : ''}`);
  });

  /** Runs `migrate ARGS` to the end, measuring the time from its first `Running` line. */
  async function timedRun(args: string[]): Promise<number> {
    const run = startMigrate(project.p, args);
    await run.waitForStderr(/Running (upgrade|downgrade)/, 60_000);
    const t0 = Date.now();
    const out = await run.done;
    expect(out.code, out.stderr).toBe(0);
    return Date.now() - t0;
  }

  it(`a clean upgrade to head and downgrade to base (measures where kills can land)`, async () => {
    span.up = await timedRun(['upgrade', 'head']);
    expect(await killState(url(), project.p.dir)).toEqual({ versions: [idOf(N)], ...expectedAt(N) });
    span.down = await timedRun(['downgrade', 'base']);
    expect(await killState(url(), project.p.dir)).toEqual({ versions: [], ...expectedAt(0) });
  });

  /** MariaDB today: undo by hand what the revision in flight left behind (see the file's TODO). */
  async function repairByHand(direction: 'up' | 'down', k: number): Promise<void> {
    const opts = { baseDir: project.p.dir, write: true };
    const inFlight = direction === 'up' ? k + 1 : k;
    await queryUrl(url(), `DROP TABLE IF EXISTS "t${inFlight}"`, [], opts);
    await queryUrl(url(), `DELETE FROM runs WHERE revision = '${idOf(inFlight)}'`, [], opts);
    if (direction === 'down') {
      // The downgrade of k was under way: finish it by hand and record it.
      const stamp = await project.p.run('stamp', k === 1 ? 'base' : idOf(k - 1), '--purge');
      expect(stamp.code, stamp.stderr).toBe(0);
    }
  }

  it(`kill -9 at ${KILLS} random points of upgrades and downgrades; every re-run reaches its target with each revision's rows once`, async () => {
    // A run that finishes before its kill also tells how long runs take now (they vary with the
    // machine's load): the window the next kill is drawn from shrinks to it. A few extra attempts
    // cover runs faster than the clean one that measured the window.
    const maxAttempts = KILLS * 4 + 8;
    while (landed < KILLS && attempts < maxAttempts) {
      const direction = attempts % 2 === 0 ? 'up' : 'down';
      attempts++;
      const args = direction === 'up' ? ['upgrade', 'head'] : ['downgrade', 'base'];
      const target = direction === 'up' ? N : 0;
      const delay = Math.floor(rng.next() * (direction === 'up' ? span.up : span.down));
      const context = `seed ${SEED}, ${direction} run ${attempts}, kill ${delay} ms after its first step started`;

      const run = startMigrate(project.p, args);
      await run.waitForStderr(/Running (upgrade|downgrade)/, 60_000);
      const started = Date.now();
      await sleep(delay);
      if (!run.exited) run.child.kill('SIGKILL');
      const killed = await run.done;
      if (killed.code === 0) {
        span[direction] = Math.max(20, Math.min(span[direction], Date.now() - started));
        // The run finished before the kill: it must have reached its target.
        expect(await killState(url(), project.p.dir), context).toEqual({ versions: target ? [idOf(target)] : [], ...expectedAt(target) });
        continue;
      }
      landed++;
      expect(killed.stderr, context).not.toMatch(/^ERROR/m);

      await killedSessionsGone(dialect, url());
      const after = await killState(url(), project.p.dir);
      const k = levelOf(after.versions);
      if (dialect === 'mysql') {
        const progress = await queryUrl<{ step: unknown; state: string }>(url(), 'SELECT step, state FROM multidb_version_progress ORDER BY step');
        if (progress.length > 0) inFlightKills++;
        if (progress.length === 1) headerOnly++;
        // What the version table records is all there, once; nothing beyond the revision in flight.
        // Up: k+1 was in flight. Down: k's downgrade was (none at base: the run had finished).
        const inFlight = direction === 'up' ? k + 1 : k;
        const done = expectedAt(direction === 'up' ? k : Math.max(k - 1, 0));
        for (const t of done.tables) expect(after.rowCounts[t], `${context}: ${t}`).toBe(ROWS);
        expect(after.tables.filter((t) => !done.tables.includes(t)), context).toEqual(expect.arrayContaining([]));
        expect(after.tables.every((t) => done.tables.includes(t) || t === `t${inFlight}`), `${context}: ${after.tables}`).toBe(true);
        expect(after.runs.filter((r) => r !== idOf(inFlight)), context).toEqual(done.runs);
      } else {
        expect(after, context).toEqual({ versions: after.versions, ...expectedAt(k) });
      }

      let rerun = await project.p.run(...args);
      if (rerun.code !== 0 && dialect === 'mysql') {
        const inFlight = direction === 'up' ? k + 1 : k;
        expectOneLineError(rerun, ['[default]', idOf(inFlight)]);
        rerunFailures.push(`${context}: ${rerun.stderr.trim().split('\n').at(-1)}`);
        await repairByHand(direction, k);
        rerun = await project.p.run(...args);
      }
      expect(rerun.code, `${context}\n${rerun.stderr}`).toBe(0);
      expect(await killState(url(), project.p.dir), context).toEqual({ versions: target ? [idOf(target)] : [], ...expectedAt(target) });
    }
    expect(landed, `only ${landed} of ${attempts} runs were killed before they finished`).toBe(KILLS);
  }, 60_000 + KILLS * 30_000);
}

describe('kill -9 during upgrades and downgrades', () => {
  forEachDialect('kill -9', 'rel_kill', killSuite);
});
