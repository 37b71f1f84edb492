// PostgreSQL round trips of a whole run (loadEnvironment → upgrade / downgrade), counted, not
// timed: the wall time of an upgrade is mostly waiting on the server, so the number of queries the
// pinned session sends per revision and per bind is what must not grow back (issue #13). pg's
// Client#query is wrapped to record each query text; every query still runs on the real server.
// A revision that ends in DDL costs one: `BEGIN;<its DDL>;<guarded version-table write>;COMMIT`
// (the op's last statement is held back until the version write; were five, then three, then two).
// Statements are recorded at Client#query, so a held statement is seen once, in the query that carried it.
import { loadEnvironment, MigrationError, VersionTableConflictError, type MigrationEnvironment, type RunEvent } from '@multidb/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Each query as it is sent (`sent: <text>`) and answered (`answered: <text>`), and what revisions log (`globalThis.__pipelineLog`). */
  let log: string[] = [];
  const query = pg.Client.prototype.query;
  beforeEach(() => {
    sent = [];
    log = [];
    (globalThis as { __pipelineLog?: string[] }).__pipelineLog = log;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string; callback?: (...a: unknown[]) => void };
      const text = typeof config === 'string' ? config : String(config?.text);
      sent.push(text);
      log.push(`sent: ${text}`);
      const answered = () => log.push(`answered: ${text}`);
      if (typeof config === 'object' && typeof config.callback === 'function') {
        const callback = config.callback;
        config.callback = (...a: unknown[]) => {
          answered();
          callback.apply(config, a);
        };
      }
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) result.then(answered, answered);
      return result;
    } as typeof query;
  });
  afterEach(() => {
    pg.Client.prototype.query = query;
  });

  async function environment(dir: string, schema: string, transactionMode?: 'per-run'): Promise<MigrationEnvironment> {
    const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', binds: { main: { url: database.url, schema } }, ...(transactionMode ? { transactionMode } : {}) }, baseDir: dir });
    onCleanup(() => env.close());
    return env;
  }

  /** How many queries a run of `steps` revisions sent per revision after the bind's setup (`setup`: those before the first revision's). */
  function perRevision(steps: number): { setup: number; revisions: number; after: number } {
    const first = sent.findIndex((s) => s.startsWith('BEGIN;'));
    const lastCommit = sent.findLastIndex((s) => s.endsWith(';COMMIT'));
    return { setup: first, revisions: (lastCommit + 1 - first) / steps, after: sent.length - lastCommit - 1 };
  }

  it('an upgrade: four queries for the bind, one per revision (BEGIN, the DDL, the version write and COMMIT)', async () => {
    const dir = project(6);
    const first = await environment(dir, 'trips_up');
    await first.upgrade(['+1']); // creates the schema and the version table: not counted below
    await first.close();
    sent = [];
    const env = await environment(dir, 'trips_up');
    await env.upgrade(['head']);
    const counts = perRevision(5);
    expect(sent.filter((s) => /^BEGIN;CREATE TABLE "t\d" \(.*\);WITH u AS \(UPDATE .*;COMMIT$/s.test(s))).toHaveLength(5);
    expect(counts.revisions).toBe(1);
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
    // The version table is created in the first revision's transaction (no commit of its own);
    // the revision's DDL travels with the version write and COMMIT.
    const prefixes = ['BEGIN;create schema if not exists "trips_new"', 'create table if not exists "trips_new"."multidb_version"', 'CREATE TABLE "t0"'];
    expect(sent.slice(first, first + 3).map((s, i) => (s.startsWith(prefixes[i]!) ? prefixes[i] : s))).toEqual(prefixes);
    expect(sent[first + 2]).toMatch(/^CREATE TABLE "t0" \(.*\);INSERT INTO "trips_new"."multidb_version" .*;COMMIT$/s);
    expect(sent[first + 3]).toMatch(/^BEGIN;CREATE TABLE "t1" \(.*\);WITH u AS \(UPDATE .*;COMMIT$/s);
    expect(sent).toHaveLength(first + 5); // and the unlock
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

  it('a downgrade to base and an upgrade from base: one query per revision too', async () => {
    const env = await environment(project(3), 'trips_base');
    await env.upgrade(['head']);
    sent = [];
    await env.downgrade('base');
    expect(perRevision(3).revisions).toBe(1);
    expect(sent.filter((s) => /^BEGIN;DROP TABLE "t\d";WITH u AS \(DELETE .*;COMMIT$/s.test(s))).toHaveLength(1);
    sent = [];
    await env.upgrade(['head']);
    expect(perRevision(3).revisions).toBe(1);
    expect(sent.filter((s) => /^BEGIN;CREATE TABLE "t0" \(.*\);INSERT INTO "trips_base"."multidb_version" .*;COMMIT$/s.test(s))).toHaveLength(1);
  });

  it('a revision of two ops: the first goes with BEGIN, the second with the version write and COMMIT', async () => {
    const env = await environment(project(2, { 1: "await op.addColumn('t1', { name: 'note', type: 'text' });" }), 'trips_two');
    await env.upgrade(['+1']);
    sent = [];
    await env.upgrade(['head']);
    const first = sent.findIndex((s) => s.startsWith('BEGIN;'));
    expect(sent.slice(first, -1)).toHaveLength(2);
    expect(sent[first]).toMatch(/^BEGIN;CREATE TABLE "t1" \(.*\)$/s);
    expect(sent[first + 1]).toMatch(/^ALTER TABLE "t1" ADD COLUMN "note" text;WITH u AS \(UPDATE .*;COMMIT$/s);
  });

  it('a held-back DDL that fails at COMMIT: the revision fails naming it, is rolled back, nothing is recorded; a run after the cause is gone applies it', async () => {
    // Revision 1 creates t1, then "clash", which a person created by hand meanwhile.
    const dir = project(3, { 1: "await op.createTable('clash', [{ name: 'id', type: 'integer' }]);" });
    const env = await environment(dir, 'trips_fail');
    await env.upgrade(['+1']);
    const conn = await env.connection('main');
    await conn.execute({ sql: 'CREATE TABLE "trips_fail"."clash" (id integer)', parameters: [] });
    sent = [];
    const error = await env.upgrade(['head']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.bind).toBe('main');
    expect(failure.revision).toBe(id(1));
    expect(failure.statement).toMatch(/^CREATE TABLE "clash" \(/);
    expect((failure.cause as { code?: string }).code).toBe('42P07');
    expect(failure.message).toMatch(/^\[main\] revision 000000000002 failed: relation "clash" already exists\n {2}statement: CREATE TABLE "clash"/);
    expect(failure.message).toContain("rolled back; 'main' stays at 000000000001");
    expect(failure.message).not.toContain('postgres://');
    // It failed in the query that carried the version write and COMMIT, which PostgreSQL did not run.
    expect(sent.filter((s) => /^CREATE TABLE "clash" \(.*\);WITH u AS \(UPDATE .*;COMMIT$/s.test(s))).toHaveLength(1);
    expect(sent.at(-2)).toBe('ROLLBACK');
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'trips_fail' AND relname = 't1'", parameters: [] })).toEqual([{ n: 0 }]);
    // The cause removed, the same run applies the revision and the next.
    await conn.execute({ sql: 'DROP TABLE "trips_fail"."clash"', parameters: [] });
    await env.upgrade(['head']);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(2)]]]));
  });

  it("a held-back DDL's error points into its own statement (position), sent after BEGIN with the version write and COMMIT", async () => {
    const dir = project(2);
    // Revision 1's only op is the failing one: BEGIN;CREATE TABLE "typo" …;<version write>;COMMIT.
    const file = join(dir, 'migrations', 'versions', 'main', `${id(1)}_rev.ts`);
    writeFileSync(file, readFileSync(file, 'utf8').replace("op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }])", "op.createTable('typo', [{ name: 'id', type: 'no_such_type' }])"));
    const env = await environment(dir, 'trips_pos');
    await env.upgrade(['+1']);
    sent = [];
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(sent.filter((s) => /^BEGIN;CREATE TABLE "typo" \(.*\);WITH u AS \(UPDATE .*;COMMIT$/s.test(s))).toHaveLength(1);
    expect(error.statement).toMatch(/^CREATE TABLE "typo" \(/);
    const cause = error.cause as { code?: string; position?: string };
    expect(cause.code).toBe('42704');
    expect(Number(cause.position)).toBe(error.statement!.indexOf('no_such_type') + 1);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
  });

  // CREATE TABLE "typo" goes out on its own when the next statement (an op's, or an op.db query) comes; that one is never sent.
  it.each([
    ['op', "await op.createTable('after', [{ name: 'id', type: 'integer' }]);", 'trips_next', (s: string) => s.includes('"after"')],
    ['op.db query', "await op.db.selectFrom('t0').selectAll().execute();", 'trips_query', (s: string) => s.startsWith('select')],
  ])('a held-back DDL sent by the next %s fails the revision naming the held statement, not the next (which was never sent)', async (_next, next, schema, isNext) => {
    const env = await environment(project(2, { 1: `await op.createTable('typo', [{ name: 'id', type: 'no_such_type' }]);\n  ${next}` }), schema);
    await env.upgrade(['+1']);
    sent = [];
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statement).toMatch(/^CREATE TABLE "typo" \(/);
    expect((error.cause as { code?: string }).code).toBe('42704');
    expect(sent.filter((s) => s.startsWith('CREATE TABLE "typo"'))).toHaveLength(1);
    expect(sent.some(isNext)).toBe(false);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
  });

  // Revision 1's file: line 10 holds the failing op, line 11 (when there is one) the op that sends it.
  it.each([
    ['the next op', "\n  await op.createTable('after', [{ name: 'id', type: 'integer' }]);", 'trips_line_next'],
    ['COMMIT', '', 'trips_line_commit'],
  ])("a held-back DDL sent by %s names the held op's own line, not the line of what sent it", async (_by, next, schema) => {
    const dir = project(2, { 1: `await op.createTable('typo', [{ name: 'id', type: 'no_such_type' }]);${next}` });
    const file = join(dir, 'migrations', 'versions', 'main', `${id(1)}_rev.ts`);
    expect(readFileSync(file, 'utf8').split('\n')[9]).toContain("op.createTable('typo'");
    const env = await environment(dir, schema);
    await env.upgrade(['+1']);
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statement).toMatch(/^CREATE TABLE "typo" \(/);
    expect(error.line).toBe(10);
    expect(error.message).toContain(`${file}:10`);
  });

  it('a held-back DDL whose error the revision caught (around the next op) is still the cause named, not the later statement refused for it', async () => {
    const body = [
      "await op.createTable('typo', [{ name: 'id', type: 'no_such_type' }]);",
      "  try { await op.createTable('caught', [{ name: 'id', type: 'integer' }]); } catch { /* an 'if it exists' pattern */ }",
      "  await op.createTable('after', [{ name: 'id', type: 'integer' }]);",
    ].join('\n');
    const env = await environment(project(2, { 1: body }), 'trips_caught');
    await env.upgrade(['+1']);
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    // Not CREATE TABLE "after" with 25P02 ("current transaction is aborted"): the held statement and its own error.
    expect(error.statement).toMatch(/^CREATE TABLE "typo" \(/);
    expect((error.cause as { code?: string }).code).toBe('42704');
    expect(error.message).toMatch(/no_such_type/);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
  });

  it("transactionMode 'per-run': a held DDL goes out before its revision's version UPDATE, the last with the write and COMMIT; one that fails names its revision and statement, and the run rolls back", async () => {
    const dir = project(3, { 1: "await op.createTable('clash', [{ name: 'id', type: 'integer' }]);" });
    const env = await environment(dir, 'trips_perrun', 'per-run');
    const conn = await env.connection('main');
    await conn.execute({ sql: 'CREATE SCHEMA IF NOT EXISTS "trips_perrun"', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "trips_perrun"."clash" (id integer)', parameters: [] });
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.revision).toBe(id(1));
    expect(error.statement).toMatch(/^CREATE TABLE "clash" \(/);
    expect((error.cause as { code?: string }).code).toBe('42P07');
    expect(await env.currentHeads()).toEqual(new Map([['main', []]]));
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'trips_perrun' AND relname IN ('t0', 't1')", parameters: [] })).toEqual([{ n: 0 }]);
    await conn.execute({ sql: 'DROP TABLE "trips_perrun"."clash"', parameters: [] });
    sent = [];
    await env.upgrade(['head']);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(2)]]]));
    // t0 and t1 go out before their revisions' version writes (Kysely queries, whose row counts are read).
    expect(sent.map((s) => s.slice(0, 18))).toContain('CREATE TABLE "t1" ');
    const commits = sent.filter((s) => s.includes('COMMIT'));
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatch(/^CREATE TABLE "t2" \(.*\);WITH u AS \(UPDATE .*;COMMIT$/s);
  });

  /** Revision 1 creates "clash" behind a SAVEPOINT and rolls back to it when that fails, then runs `after`. */
  const clashBehindSavepoint = (after?: string) =>
    [
      "await op.execute('SAVEPOINT before_clash');",
      'try {',
      "    await op.createTable('clash', [{ name: 'id', type: 'integer' }]);",
      '  } catch {',
      "    await op.execute('ROLLBACK TO SAVEPOINT before_clash');",
      '  }',
      ...(after === undefined ? [] : [after]),
    ].join('\n');

  /** A two-revision project with revision 1's `body`, upgraded to revision 0, its schema already holding "clash". */
  async function atClash(body: string, schema: string) {
    const env = await environment(project(2, { 1: body }), schema);
    await env.upgrade(['+1']);
    const conn = await env.connection('main');
    await conn.execute({ sql: `CREATE TABLE "${schema}"."clash" (id integer)`, parameters: [] });
    return env;
  }

  it('a revision that catches a DDL error behind a SAVEPOINT goes on as before: after a savepoint nothing is held back', async () => {
    const env = await atClash(clashBehindSavepoint(), 'trips_savepoint');
    sent = [];
    await env.upgrade(['head']);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(1)]]]));
    const first = sent.findIndex((s) => s.startsWith('BEGIN;'));
    expect(sent.slice(first, first + 4).map((s) => s.slice(0, 30))).toEqual(['BEGIN;CREATE TABLE "t1" (\n  "i', 'SAVEPOINT before_clash', 'CREATE TABLE "clash" (\n  "id" ', 'ROLLBACK TO SAVEPOINT before_c']);
    expect(sent[first + 4]).toMatch(/^WITH u AS \(UPDATE .*;COMMIT$/s);
  });

  it('a DDL error caught behind a SAVEPOINT (sent at once) is not named when the revision then fails another way (its own throw)', async () => {
    const env = await atClash(clashBehindSavepoint("  throw new Error('boom');"), 'trips_caught_then');
    const error = (await env.upgrade(['head']).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toMatch(/boom/);
    expect(error.statement).toBeUndefined();
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
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

  it('a revision runs its code while the COMMIT of the one before is on the server; its events follow that step-done', async () => {
    const dir = project(4, { 1: "(globalThis as any).__pipelineLog.push('end 1');", 2: "(globalThis as any).__pipelineLog.push('end 2');", 3: "(globalThis as any).__pipelineLog.push('end 3');" });
    for (const i of [1, 2, 3]) {
      // Logged as the revision's code begins, before its first op.
      const file = join(dir, 'migrations', 'versions', 'main', `${id(i)}_rev.ts`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('Promise<void> {\n', `Promise<void> {\n  (globalThis as any).__pipelineLog.push('upgrade ${i}');\n`));
    }
    const events: RunEvent[] = [];
    const env = await environment(dir, 'trips_pipe');
    await env.upgrade(['+1']);
    log.length = 0;
    await env.upgrade(['head'], { onEvent: (e) => (events.push(e), log.push(`${e.type} ${(e as { revision?: string }).revision}`)) });
    const commitOf = (i: number) => log.findIndex((l) => l.startsWith('answered: BEGIN;CREATE TABLE "t' + i + '"'));
    // Revision 2's code ran before revision 1's COMMIT was answered, and 3's before 2's.
    expect(log.indexOf('upgrade 2')).toBeGreaterThan(log.indexOf('upgrade 1'));
    expect(log.indexOf('upgrade 2')).toBeLessThan(commitOf(1));
    expect(log.indexOf('upgrade 3')).toBeLessThan(commitOf(2));
    // Each step's COMMIT went out once the one before was answered, not before.
    for (const i of [2, 3]) expect(log.findIndex((l) => l.startsWith('sent: BEGIN;CREATE TABLE "t' + i + '"'))).toBeGreaterThan(commitOf(i - 1));
    // A revision is reported started as soon as the one before committed, while its code runs.
    for (const i of [2, 3]) {
      expect(log.indexOf(`step-done ${id(i - 1)}`)).toBe(commitOf(i - 1) + 1);
      expect(log.indexOf(`step-start ${id(i)}`)).toBe(commitOf(i - 1) + 2);
      expect(log.indexOf(`step-start ${id(i)}`)).toBeLessThan(log.indexOf(`end ${i}`));
    }
    expect(events.filter((e) => e.type.startsWith('step-')).map((e) => `${e.type} ${(e as { revision: string }).revision}`)).toEqual(
      [1, 2, 3].flatMap((i) => [`step-start ${id(i)}`, `step-done ${id(i)}`]),
    );
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(3)]]]));
  });

  it.each([
    ['a deferred foreign key fails at COMMIT', "await op.execute('INSERT INTO child VALUES (1, 99)');", '23503', undefined],
    ['its held DDL fails with the version write and COMMIT', "await op.createTable('t0', [{ name: 'id', type: 'integer' }]);", '42P07', /^CREATE TABLE "t0" \(/],
  ])('a revision whose COMMIT fails (%s): the next one, begun behind it, sends nothing and never starts; the run stops there; a re-run after the fix applies both', async (_case, failing, code, statement) => {
    const schema = `trips_pf_${code}`;
    const dir = project(4, {
      0: "await op.execute('CREATE TABLE parent (id int PRIMARY KEY)');\n  await op.execute('CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)');",
      1: failing,
      2: "await op.db.selectFrom('t1').selectAll().execute();\n  await op.createTable('t2b', [{ name: 'id', type: 'integer' }]);",
    });
    const env = await environment(dir, schema);
    await env.upgrade(['+1']);
    sent = [];
    const events: RunEvent[] = [];
    const error = (await env.upgrade(['head'], { onEvent: (e) => events.push(e) }).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.revision).toBe(id(1));
    expect((error.cause as { code?: string }).code).toBe(code);
    if (statement) expect(error.statement).toMatch(statement);
    expect(error.message).toContain("rolled back; 'main' stays at 000000000001");
    // Nothing of revision 2 reached the server: not its DDL, its query, nor its COMMIT.
    expect(sent.some((s) => /"t2"|"t2b"|from "t1"/.test(s))).toBe(false);
    expect(events.filter((e) => e.type.startsWith('step-') || e.type === 'bind-done').map((e) => `${e.type} ${(e as { revision?: string }).revision ?? (e as { ok: boolean }).ok}`)).toEqual([
      `step-start ${id(1)}`,
      `step-failed ${id(1)}`,
      'bind-done false',
    ]);
    const conn = await env.connection('main');
    const tables = await conn.execute({ sql: `SELECT relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = '${schema}' AND relkind = 'r' ORDER BY relname`, parameters: [] });
    expect(tables.map((r) => r.relname)).toEqual(['child', 'multidb_version', 'parent', 't0']);
    expect(await env.currentHeads()).toEqual(new Map([['main', [id(0)]]]));
    // The revision fixed, a new run applies it and the rest.
    const file = join(dir, 'migrations', 'versions', 'main', `${id(1)}_rev.ts`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(failing, ''));
    await env.close();
    const again = await environment(dir, schema);
    await again.upgrade(['head']);
    expect(await again.currentHeads()).toEqual(new Map([['main', [id(3)]]]));
  });
});
