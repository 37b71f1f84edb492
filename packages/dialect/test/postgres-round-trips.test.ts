// PostgreSQL round trips of a whole run (loadEnvironment → upgrade / downgrade), counted, not
// timed: the wall time of an upgrade is mostly waiting on the server, so the number of queries the
// pinned session sends per revision and per bind is what must not grow back (issue #13). pg's
// Client#query is wrapped to record each query text; every query still runs on the real server.
// Each revision costs two: `BEGIN;<its DDL>` and the guarded version-table write with `;COMMIT`.
import { loadEnvironment, MigrationError, VersionTableConflictError, type MigrationEnvironment } from '@multidb/core';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { dialects } from '../src/registry.js';
import { onCleanup } from './support/cleanup.js';
import { POSTGRES } from './support/dialects.js';
import { revisionId, tableRevisionsProject } from './support/table-revisions.js';

const id = revisionId;
const project = tableRevisionsProject;

POSTGRES.describeOnDatabase('PostgreSQL round trips of a run (counted)', () => {
  const database = POSTGRES.useDatabase('pgtrips');
  let sent: string[] = [];
  const query = pg.Client.prototype.query;
  beforeEach(() => {
    sent = [];
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      sent.push(typeof config === 'string' ? config : String(config?.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  afterEach(() => {
    pg.Client.prototype.query = query;
  });

  async function environment(dir: string, schema: string): Promise<MigrationEnvironment> {
    const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', binds: { main: { url: database.url, schema } } }, baseDir: dir });
    onCleanup(() => env.close());
    return env;
  }

  /** How many queries a run of `steps` revisions sent per revision after the bind's setup (`setup`: those before the first revision's). */
  function perRevision(steps: number): { setup: number; revisions: number; after: number } {
    const first = sent.findIndex((s) => s.startsWith('BEGIN;'));
    const lastCommit = sent.findLastIndex((s) => s.endsWith(';COMMIT'));
    return { setup: first, revisions: (lastCommit + 1 - first) / steps, after: sent.length - lastCommit - 1 };
  }

  it('an upgrade: four queries for the bind, two per revision (BEGIN with the DDL, the version write with COMMIT)', async () => {
    const dir = project(6);
    const first = await environment(dir, 'trips_up');
    await first.upgrade(['+1']); // creates the schema and the version table: not counted below
    await first.close();
    sent = [];
    const env = await environment(dir, 'trips_up');
    await env.upgrade(['head']);
    const counts = perRevision(5);
    expect(sent.filter((s) => s.startsWith('BEGIN;CREATE TABLE'))).toHaveLength(5);
    expect(sent.filter((s) => /^WITH u AS \(UPDATE .*;COMMIT$/s.test(s))).toHaveLength(5);
    expect(counts.revisions).toBe(2);
    // The schema on the search_path, the server's identity, the lock, the version table's rows.
    expect(sent.slice(0, counts.setup).map((s) => s.slice(0, 30))).toEqual([
      'SET search_path TO "trips_up",',
      'SELECT current_database() AS d',
      'SELECT pg_try_advisory_lock($1',
      'SELECT "version_num" FROM "tri',
    ]);
    expect(counts.after).toBe(1); // pg_advisory_unlock
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(5)]]]));
  });

  it('a bind never upgraded: the identity query tells its version table is missing, a look-up under the lock confirms it, the first revision creates it; no statement fails', async () => {
    const env = await environment(project(2), 'trips_new');
    await env.upgrade(['head']);
    const first = sent.findIndex((s) => s.startsWith('BEGIN;'));
    expect(sent.slice(2, first).map((s) => s.replace(/^SELECT current_database\(\).*(to_regclass\([^)]*\) IS NOT NULL AS version_table).*$/s, 'identity: $1'))).toEqual([
      // sent[0], sent[1]: the schema on the search_path, and created (the connection's)
      `identity: to_regclass(E'"trips_new"."multidb_version"') IS NOT NULL AS version_table`,
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      `SELECT to_regclass(E'"trips_new"."multidb_version"') IS NOT NULL AS present`,
    ]);
    // The version table is created in the first revision's transaction (no commit of its own).
    const prefixes = ['BEGIN;create schema if not exists "trips_new"', 'create table if not exists "trips_new"."multidb_version"', 'CREATE TABLE "t0"', 'INSERT INTO "trips_new"."multidb_version"'];
    expect(sent.slice(first, first + 4).map((s, i) => (s.startsWith(prefixes[i]!) ? prefixes[i] : s))).toEqual(prefixes);
    expect(sent[first + 3]).toMatch(/;COMMIT$/);
    expect(sent.filter((s) => s.startsWith('SELECT "version_num"'))).toEqual([]);
    expect(sent.filter((s) => s.includes('COMMIT'))).toHaveLength(2);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(1)]]]));
  });

  it('a bind never upgraded whose first revision fails: rolled back with it, the version table is not left behind', async () => {
    const env = await environment(project(1, { 0: "await op.execute('SELECT 1/0');" }), 'trips_newfail');
    const error = await env.upgrade(['head']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const conn = await env.connection('main');
    expect(await conn.readVersionTable?.({ name: 'multidb_version', schema: 'trips_newfail' })).toBeUndefined();
    expect(await env.currentHeads()).toEqual(new Map([['main', []]]));
  });

  it('a downgrade to base and an upgrade from base: two queries per revision too', async () => {
    const env = await environment(project(3), 'trips_base');
    await env.upgrade(['head']);
    sent = [];
    await env.downgrade('base');
    expect(perRevision(3).revisions).toBe(2);
    expect(sent.filter((s) => /^WITH u AS \(DELETE .*;COMMIT$/s.test(s))).toHaveLength(1);
    sent = [];
    await env.upgrade(['head']);
    expect(perRevision(3).revisions).toBe(2);
    expect(sent.filter((s) => /^INSERT INTO "trips_base"."multidb_version" .*;COMMIT$/s.test(s))).toHaveLength(1);
  });

  it('a revision that changes the version table itself is a conflict: it rolls back, nothing is recorded', async () => {
    const env = await environment(project(2, { 1: "await op.execute(`UPDATE multidb_version SET version_num = 'elsewhere'`);" }), 'trips_conflict');
    await env.upgrade(['+1']);
    const error = await env.upgrade(['head']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).bind).toBe('main');
    expect((error as MigrationError).cause).toBeInstanceOf(VersionTableConflictError);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
    const conn = await env.connection('main');
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'trips_conflict' AND relname = 't1'", parameters: [] })).toEqual([{ n: 0 }]);
  });
});
