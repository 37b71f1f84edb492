// Helpers of the reliability suite (test/reliability/): iteration counts from the environment, a
// seeded random source (every failure names its seed, so a run can be replayed), one-bind projects
// on any dialect, and the dialects to loop over.
//
// Counts (see README.md in this folder):
//   MULTIDB_RELIABILITY_KILLS   kills per dialect and scenario      (npm test: 3; full: 100)
//   MULTIDB_RELIABILITY_ROUNDS  rounds of concurrent processes      (npm test: 1; full: 20)
//   MULTIDB_RELIABILITY_PROCS   processes per concurrency round     (npm test: 6; full: 8)
//   MULTIDB_RELIABILITY_RACE_PROCS processes in each upgrade/downgrade/stamp race (npm test: 4; full: 8)
//   MULTIDB_RELIABILITY_PASSES  upgrade+downgrade passes of quoted identifiers (npm test: 1; full: 3)
//   MULTIDB_RELIABILITY_SEED    seed of the random choices          (default: a new one per run)
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases, type ServerDatabase } from '../support/servers.js';

/** A whole number from the environment, or `fallback`. */
export function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1, got ${JSON.stringify(raw)}`);
  return n;
}

export const KILLS = countFromEnv('MULTIDB_RELIABILITY_KILLS', 3);
export const ROUNDS = countFromEnv('MULTIDB_RELIABILITY_ROUNDS', 1);
export const PROCS = countFromEnv('MULTIDB_RELIABILITY_PROCS', 6);
export const RACE_PROCS = countFromEnv('MULTIDB_RELIABILITY_RACE_PROCS', 4);
export const PASSES = countFromEnv('MULTIDB_RELIABILITY_PASSES', 1);
export const SEED = process.env['MULTIDB_RELIABILITY_SEED'] ? countFromEnv('MULTIDB_RELIABILITY_SEED', 1) : randomInt(1, 2 ** 31 - 1);

/** A seeded random source (mulberry32): `next()` in [0, 1). */
export function random(seed: number): { next(): number; int(max: number): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max: number) => Math.floor(next() * max) };
}

export { sleep };

export type Dialect = 'sqlite' | 'postgres' | 'mysql';
export const DIALECT_NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' };

/** The config of a project with one bind `default` at `url`. */
export function oneBindConfig(url: string): string {
  return (
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n    default: { url: ${JSON.stringify(url)} },\n  },\n});\n`
  );
}

/** A one-bind project at `url`, made in `beforeAll` and removed in `afterAll`. */
export function useOneBindProject(url: () => string): { readonly p: TempProject } {
  const holder: { p?: TempProject } = {};
  beforeAll(() => {
    holder.p = new TempProject([], { config: oneBindConfig(url()) });
  });
  afterAll(() => holder.p?.remove());
  return {
    get p() {
      if (!holder.p) throw new Error('the project is made in beforeAll');
      return holder.p;
    },
  };
}

/**
 * Runs `suite` once per dialect: SQLite in a file of the project, PostgreSQL and MariaDB in a fresh
 * database of the test servers (dropped after; a server that cannot be reached skips locally and
 * fails under CI=true). `file` names the databases.
 */
export function forEachDialect(
  title: string,
  file: string,
  suite: (dialect: Dialect, url: () => string) => void,
  dialects: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'],
): void {
  if (dialects.includes('sqlite')) describe(`${title} on SQLite`, () => suite('sqlite', () => 'sqlite:.data/default.db'));
  for (const dialect of ['postgres', 'mysql'] as const) {
    if (!dialects.includes(dialect)) continue;
    describeWithServers(`${title} on ${DIALECT_NAMES[dialect]}`, [dialect], () => {
      const dbs: { db: ServerDatabase } = useDatabases(file, { db: dialect });
      suite(dialect, () => dbs.db.url);
    });
  }
}
