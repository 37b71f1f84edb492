// Core's runner (loadEnvironment: upgrade, downgrade, version table, lock) on a bind of each
// dialect, with revision files written to a temporary project: what a failing revision leaves
// (nothing where DDL is transactional; on MySQL, the statements before it, reported as partial),
// two binds on one database refused, a failing query of op.db named by the error it threw, with the
// revision's line (every dialect), op.db keeping the plugins of a bind's given Kysely (SQLite,
// MariaDB), SQLite batch mode inside the revision's transaction, SQLite ops' DDL through exec in
// program order with op.db (a failing one named), and PostgreSQL bind schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModuleLoader, DuplicateDatabaseError, loadEnvironment, MigrationError, TransactionLeftOpenError, type MigrationEnvironment, type MultidbConfig, type RunEvent } from '@multidb/core';
import Database from 'better-sqlite3';
import * as kysely from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { expect, it } from 'vitest';
import { dialects } from '../src/registry.js';
import { onCleanup } from './support/cleanup.js';
import { DIALECTS, hasEntry, forDialect, type PerDialect, type TestDatabase, type TestDialect } from './support/dialects.js';
import { serverConnection, serverOptions } from './support/mysql-database.js';
import { q } from './support/op-harness.js';
import { tempDir } from './support/sqlite-file.js';

/** A revision file of a test project: its id, its down revision, the bodies of upgrade and downgrade, extra exports. */
interface Revision {
  readonly id: string;
  readonly down: string | null;
  readonly upgrade: string;
  readonly downgrade?: string;
  readonly extra?: string;
  /** Imports of the revision file besides `Operations` (its prologue, before the headers). */
  readonly imports?: string;
}

/** A temporary project folder (removed after the test) with `revisions` in `migrations/versions/<branch>/`. */
function project(branch: string, revisions: readonly Revision[]): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'migrations', 'versions', branch), { recursive: true });
  for (const r of revisions) writeRevision(dir, branch, r);
  return dir;
}

/** Writes (or rewrites) revision `r` of `branch` in project `dir`. */
function writeRevision(dir: string, branch: string, r: Revision): void {
  writeFileSync(
    join(dir, 'migrations', 'versions', branch, `${r.id}_rev.ts`),
    [
      "import type { Operations } from '@multidb/core';",
      r.imports ?? '',
      '',
      `export const revision = '${r.id}';`,
      `export const downRevision = ${r.down === null ? 'null' : `'${r.down}'`};`,
      `export const branchLabels = ${r.down === null ? `['${branch}']` : '[]'};`,
      'export const dependsOn = [];',
      `export const message = 'rev ${r.id}';`,
      "export const createDate = '2026-11-24T10:00:00Z';",
      r.extra ?? '',
      '',
      `export async function upgrade(op: Operations): Promise<void> {\n${r.upgrade}\n}`,
      '',
      `export async function downgrade(op: Operations): Promise<void> {\n${r.downgrade ?? ''}\n}`,
      '',
    ].join('\n'),
  );
}

/** An environment over the package's registry; closed after the test. `modules`: what revisions import as they are (see `createModuleLoader`). */
async function environment(dir: string, config: MultidbConfig, modules?: Record<string, object>): Promise<MigrationEnvironment> {
  const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', ...config }, baseDir: dir, ...(modules ? { loader: createModuleLoader({ modules }) } : {}) });
  onCleanup(() => env.close());
  return env;
}

// ---------------------------------------------------------------------------------------------
// Every dialect

/** Two binds of one branch whose URLs are two spellings of one database, and how the refusal shows. */
const twoBindsOneDatabase: PerDialect<(database: TestDatabase) => Promise<void>> = {
  postgres: async (database) => {
    const dir = project('db2', [PG_FIRST]);
    const other = new URL(database.url);
    other.hostname = 'localhost'; // another spelling of the same server
    const env = await environment(dir, { binds: { db2: { url: database.url, schema: 'x' }, db3: { url: other.toString(), schema: 'x', branch: 'db2' } } });
    await expect(env.currentHeads()).rejects.toBeInstanceOf(DuplicateDatabaseError);
  },
  // Another URL text for the same server and database: the server identity gives it away.
  mysql: async (database) => {
    const dir = project('db3', [{ id: 'aaaaaaaaaaaa', down: null, upgrade: '' }]);
    const twice = await environment(dir, { binds: { db3: { url: database.url, branch: 'db3' }, db4: { url: `${database.url}?ssl=false`, branch: 'db3' } } });
    const error = await twice.upgrade().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateDatabaseError);
    expect((error as DuplicateDatabaseError).binds).toEqual(['db3', 'db4']);
  },
};

/** Tests of what only one dialect has (functions below). */
const onlyOn: PerDialect<(database: TestDatabase) => void> = { sqlite: sqliteRunner, postgres: postgresRunner, mysql: mysqlRunner };

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: core's runner on a bind`, () => {
    // MySQL: a database for each test, as its cases share revision ids, tables and the default
    // version table, where a failing one leaves its revision in flight. PostgreSQL's cases keep to
    // tables and schemas of their own (a database for each test would cost ~0.5 s a test there).
    const database = d.useDatabase('runner', { perTest: d.name === 'mysql' });

    if (hasEntry(twoBindsOneDatabase, d)) {
      it('refuses two binds on the same database and version table', () => forDialect(d, twoBindsOneDatabase)(database));
    }

    it("a failing query of op.db is named (statement and the message's statement line), also in op.db.transaction(); not when the revision caught its error and threw its own", () =>
      opDbFailures(d, database));

    if (d.name !== 'mysql') {
      // MySQL/MariaDB: op.db's writes are recorded one by one (tracked), with no savepoints.
      it("a failing statement of op.db's own transaction is named as the failing SQL: ROLLBACK TO a savepoint that does not exist; (SQLite) BEGIN inside the revision's transaction; (PostgreSQL) COMMIT refused by a deferred foreign key", () =>
        opDbTransactionStatements(d, database));
    }

    it("a revision with transaction = false that leaves its own transaction open: failing, it is rolled back and the bind's session stays usable (the error is the revision's own); returning, it fails, rolled back, not recorded; fixed, it runs", () =>
      transactionsLeftOpen(d, database));

    it("a bind given the application's Kysely with CamelCasePlugin: multidb's own queries (version table, introspection) read their rows unrenamed, on the pinned session; op.db keeps the plugin; upgrade, heads and downgrade", () =>
      camelCaseBind(d, database));

    onlyOn[d.name]?.(database);
  });
}

// ---------------------------------------------------------------------------------------------
// Every dialect: a failing query of op.db

/** The INSERT into `table` of the cases below, as each dialect compiles it (a builder's and `sql`'s alike). */
const OP_DB_INSERT: PerDialect<(table: string) => string> = {
  sqlite: (t) => `insert into "${t}" ("id") values (?)`,
  postgres: (t) => `insert into "${t}" ("id") values ($1)`,
  mysql: (t) => `insert into \`${t}\` (\`id\`) values (?)`,
};

/**
 * Revisions whose op.db query violates the primary key of a table the revision before filled
 * (row 1), each on its own version table and data table, so that a MySQL revision left in flight
 * does not stop the next case.
 */
async function opDbFailures(d: TestDialect, database: TestDatabase): Promise<void> {
  const insert = forDialect(d, OP_DB_INSERT);
  const cases: { readonly name: string; readonly body: (t: string) => string; readonly imports?: string; readonly extra?: string; readonly message: RegExp; readonly named: boolean; readonly line?: number }[] = [
    { name: 'a builder', body: (t) => `  await op.db.insertInto('${t}').values({ id: 1 }).execute();`, message: /duplicate|unique/i, named: true, line: 13 },
    {
      name: "sql`…`.execute(op.db)",
      imports: "import { sql } from 'kysely';",
      body: (t) => `  await sql\`insert into \${sql.table('${t}')} (\${sql.ref('id')}) values (\${1})\`.execute(op.db);`,
      message: /duplicate|unique/i,
      named: true,
      line: 13,
    },
    {
      name: 'op.db.transaction()',
      extra: 'export const transaction = false;',
      body: (t) => `  await op.db.transaction().execute(async (trx) => {\n    await trx.insertInto('${t}').values({ id: 2 }).execute();\n    await trx.insertInto('${t}').values({ id: 1 }).execute();\n  });`,
      message: /duplicate|unique/i,
      named: true,
    },
    {
      name: 'caught, then wrapped as the cause of its own error',
      body: (t) => `  try {\n    await op.db.insertInto('${t}').values({ id: 1 }).execute();\n  } catch (e) {\n    throw new Error('seeding failed', { cause: e });\n  }`,
      message: /seeding failed/,
      named: true,
    },
    { name: 'caught, then an error of its own', body: (t) => `  try {\n    await op.db.insertInto('${t}').values({ id: 1 }).execute();\n  } catch {\n    throw new Error('mine');\n  }`, message: /mine/, named: false },
  ];
  for (const [i, c] of cases.entries()) {
    const t = `opdb_${i}`;
    const dir = project('main', [
      { id: `0000000000${i}1`, down: null, upgrade: `  await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.bulkInsert('${t}', [{ id: 1 }]);` },
      { id: `0000000000${i}2`, down: `0000000000${i}1`, upgrade: c.body(t), ...(c.extra ? { extra: c.extra } : {}), ...(c.imports ? { imports: c.imports } : {}) },
    ]);
    // The revision's `import { sql } from 'kysely'`: this test's kysely (the sources run unbuilt, with no alias to the bundled one).
    const env = await environment(dir, { versionTable: `opdb_version_${i}`, binds: { main: { url: database.url } } }, { kysely });
    const error = await env.upgrade().catch((e: unknown) => e);
    expect(error, `${c.name}: ${String(error)}`).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.revision, c.name).toBe(`0000000000${i}2`);
    expect(failure.message, c.name).toMatch(c.message);
    if (c.named) {
      expect(failure.statement, c.name).toBe(insert(t));
      expect(failure.message, c.name).toContain(`\n  statement: ${insert(t)}\n`);
    } else {
      expect(failure.statement, c.name).toBeUndefined();
      expect(failure.message, c.name).not.toContain('statement:');
    }
    // The revision's line that awaited the query is in the driver error's stack (on MySQL/MariaDB, appended by op.db).
    if (c.line !== undefined) expect(failure.line, c.name).toBe(c.line);
    // The error the revision saw is the cause, unchanged: the driver's (or the revision's own).
    expect(failure.cause, c.name).toBeInstanceOf(Error);
    expect(await env.currentHeads(), c.name).toEqual(new Map([['main', [`0000000000${i}1`]]]));
    // The transaction rolled back its first insert (on every dialect: it is the revision's own).
    const conn = await env.connection('main');
    expect((await q(conn, `SELECT id FROM ${d.name === 'mysql' ? `\`${t}\`` : `"${t}"`} ORDER BY id`)).map((r) => Number(r.id)), c.name).toEqual([1]);
  }
}

/**
 * Revisions whose op.db transaction fails at one of its own statements, which Kysely's driver
 * sends (not a query of the revision's): each is named by the SQL sent, as a failing query is.
 * Each case on a version table and tables of its own.
 */
async function opDbTransactionStatements(d: TestDialect, database: TestDatabase): Promise<void> {
  const cases: { readonly name: string; readonly on: readonly string[]; readonly setup?: (t: string) => string; readonly body: (t: string) => string; readonly transactional: boolean; readonly statement: string; readonly message: RegExp }[] = [
    {
      name: 'ROLLBACK TO a savepoint that does not exist',
      on: ['sqlite', 'postgres'],
      transactional: false,
      body: (t) =>
        `  const trx = await op.db.startTransaction().execute();\n  try {\n    await trx.insertInto('${t}').values({ id: 2 }).execute();\n    await trx.rollbackToSavepoint('nowhere' as never).execute();\n    await trx.commit().execute();\n  } catch (e) {\n    await trx.rollback().execute();\n    throw e;\n  }`,
      statement: 'rollback to "nowhere"',
      message: /nowhere/,
    },
    {
      name: "BEGIN inside the revision's transaction",
      on: ['sqlite'],
      transactional: true,
      body: (t) => `  await op.db.transaction().execute((trx) => trx.insertInto('${t}').values({ id: 2 }).execute());`,
      statement: 'begin',
      message: /cannot start a transaction within a transaction/,
    },
    {
      name: 'COMMIT refused by a DEFERRABLE INITIALLY DEFERRED foreign key',
      on: ['postgres'],
      transactional: false,
      setup: (t) => `  await op.execute('CREATE TABLE "${t}_child" (id int PRIMARY KEY, parent int REFERENCES "${t}" (id) DEFERRABLE INITIALLY DEFERRED)');`,
      body: (t) => `  await op.db.transaction().execute((trx) => trx.insertInto('${t}_child').values({ id: 1, parent: 42 }).execute());`,
      statement: 'commit',
      message: /violates foreign key constraint/,
    },
  ];
  for (const [i, c] of cases.entries()) {
    if (!c.on.includes(d.name)) continue;
    const t = `optrx_${i}`;
    const dir = project('main', [
      { id: `0000000001${i}1`, down: null, upgrade: `  await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.bulkInsert('${t}', [{ id: 1 }]);\n${c.setup?.(t) ?? ''}` },
      { id: `0000000001${i}2`, down: `0000000001${i}1`, upgrade: c.body(t), ...(c.transactional ? {} : { extra: 'export const transaction = false;' }) },
    ]);
    const env = await environment(dir, { versionTable: `optrx_version_${i}`, binds: { main: { url: database.url } } });
    const error = await env.upgrade().catch((e: unknown) => e);
    expect(error, `${c.name}: ${String(error)}`).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.revision, c.name).toBe(`0000000001${i}2`);
    expect(failure.message, c.name).toMatch(c.message);
    expect(failure.statement, c.name).toBe(c.statement);
    expect(failure.message, c.name).toContain(`\n  statement: ${c.statement}\n`);
    expect(await env.currentHeads(), c.name).toEqual(new Map([['main', [`0000000001${i}1`]]]));
    // Nothing of the failed revision remains: its transaction was rolled back.
    const conn = await env.connection('main');
    expect((await q(conn, `SELECT id FROM "${t}" ORDER BY id`)).map((r) => Number(r.id)), c.name).toEqual([1]);
  }
}

// ---------------------------------------------------------------------------------------------
// Every dialect: a transaction a revision began itself and left open

/**
 * Revisions with `transaction = false` that begin a transaction of their own (op.db's
 * `startTransaction()`, a BEGIN through `op.execute` or `sql`) and fail or return before ending
 * it. Each time: the revision's own error (or, returning, `TransactionLeftOpenError`), its
 * transaction rolled back, and the environment's next commands work on the bind (without the
 * rollback: SQLite's next query waited forever on the connection op.db held, PostgreSQL's session
 * refused every statement in its aborted transaction, or the version write committed the
 * revision's transaction as if it had completed). Fixed, the revision then runs. Each case on a
 * version table and table of its own.
 */
async function transactionsLeftOpen(d: TestDialect, database: TestDatabase): Promise<void> {
  const insert = forDialect(d, OP_DB_INSERT);
  const quoted = (t: string) => (d.name === 'mysql' ? `\`${t}\`` : `"${t}"`);
  const cases: { readonly name: string; readonly body: (t: string) => string; readonly message: RegExp; readonly statement?: (t: string) => string; readonly leftOpen?: true }[] = [
    {
      name: 'op.db.startTransaction(), a failing insert caught (PostgreSQL aborts the transaction), then a throw',
      body: (t) =>
        `  const trx = await op.db.startTransaction().execute();\n  await trx.insertInto('${t}').values({ id: 2 }).execute();\n  await trx.insertInto('${t}').values({ id: 1 }).execute().catch(() => undefined);\n  throw new Error('boom');`,
      message: /failed: boom\n/,
    },
    {
      name: 'a BEGIN through op.execute, an insert, then a throw',
      body: (t) => `  await op.execute('BEGIN');\n  await op.db.insertInto('${t}').values({ id: 2 }).execute();\n  throw new Error('boom');`,
      message: /failed: boom\n/,
    },
    {
      name: 'sql`begin` through op.db, an insert, then a failing insert',
      body: (t) => `  await sql\`begin\`.execute(op.db);\n  await op.db.insertInto('${t}').values({ id: 2 }).execute();\n  await op.db.insertInto('${t}').values({ id: 1 }).execute();`,
      message: /duplicate|unique/i,
      statement: insert,
    },
    {
      name: 'op.db.startTransaction() never ended',
      body: (t) => `  const trx = await op.db.startTransaction().execute();\n  await trx.insertInto('${t}').values({ id: 2 }).execute();`,
      message: /returned with a transaction of its own still open/,
      leftOpen: true,
    },
    {
      name: 'a BEGIN through op.execute never ended',
      body: (t) => `  await op.execute('BEGIN');\n  await op.db.insertInto('${t}').values({ id: 2 }).execute();`,
      message: /returned with a transaction of its own still open/,
      leftOpen: true,
    },
  ];
  for (const [i, c] of cases.entries()) {
    const t = `left_open_${i}`;
    const first: Revision = {
      id: `0000000002${i}1`,
      down: null,
      upgrade: `  await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.bulkInsert('${t}', [{ id: 1 }]);`,
      downgrade: `  await op.dropTable('${t}');`,
    };
    const failing: Revision = { id: `0000000002${i}2`, down: first.id, upgrade: c.body(t), extra: 'export const transaction = false;', imports: "import { sql } from 'kysely';" };
    const dir = project('main', [first, failing]);
    const config: MultidbConfig = { versionTable: `left_open_version_${i}`, binds: { main: { url: database.url } } };
    const env = await environment(dir, config, { kysely });
    const error = await env.upgrade().catch((e: unknown) => e);
    expect(error, `${c.name}: ${String(error)}`).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.revision, c.name).toBe(failing.id);
    expect(failure.message, c.name).toMatch(c.message);
    expect(failure.statement, c.name).toBe(c.statement?.(t));
    if (c.leftOpen) expect(failure.cause, c.name).toEqual(new TransactionLeftOpenError({ bind: 'main', revision: failing.id, file: failure.file! }));
    // The same environment goes on with the bind: it reads it, the revision's transaction rolled back, and writes it.
    expect(await env.currentHeads(), c.name).toEqual(new Map([['main', [first.id]]]));
    const conn = await env.connection('main');
    expect((await q(conn, `SELECT id FROM ${quoted(t)} ORDER BY id`)).map((r) => Number(r.id)), c.name).toEqual([1]);
    await env.downgrade('main@base');
    expect(await env.currentHeads(), c.name).toEqual(new Map([['main', []]]));
    // Fixed, it runs (on MySQL/MariaDB, nothing of the failed run is left to resume).
    writeRevision(dir, 'main', { ...failing, upgrade: `  await op.db.transaction().execute((trx) => trx.insertInto('${t}').values({ id: 2 }).execute());` });
    const fixed = await environment(dir, config, { kysely });
    await fixed.upgrade();
    expect(await fixed.currentHeads(), c.name).toEqual(new Map([['main', [failing.id]]]));
    expect((await q(await fixed.connection('main'), `SELECT id FROM ${quoted(t)} ORDER BY id`)).map((r) => Number(r.id)), c.name).toEqual([1, 2]);
    await fixed.close();
    await env.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Every dialect: a bind given the application's Kysely, with a plugin that renames result keys

/** The application's Kysely on the test database, with `CamelCasePlugin` (`line_id` read as `lineId`); destroyed after the test. */
const CAMEL_CASE_KYSELY: PerDialect<(database: TestDatabase) => kysely.Kysely<any>> = {
  sqlite: (database) => new kysely.Kysely<any>({ dialect: new kysely.SqliteDialect({ database: new Database(database.name) }), plugins: [new kysely.CamelCasePlugin()] }),
  postgres: (database) =>
    new kysely.Kysely<any>({ dialect: new kysely.PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }), plugins: [new kysely.CamelCasePlugin()] }),
  mysql: (database) =>
    new kysely.Kysely<any>({
      dialect: new kysely.MysqlDialect({ pool: createPool({ ...serverOptions(), database: database.name, connectionLimit: 2 }) }),
      plugins: [new kysely.CamelCasePlugin()],
    }),
};

/** A query naming the server session it runs on (SQLite: one connection, nothing to tell). */
const SESSION_ID: PerDialect<string> = { postgres: 'SELECT pg_backend_pid() AS session_id', mysql: 'SELECT CONNECTION_ID() AS session_id' };

/** Three revisions on snake_case names; op.db writes and reads them by their camelCase names, as the application does. */
const CAMEL_CASE_REVISIONS: readonly Revision[] = [
  {
    id: 'cc0000000001',
    down: null,
    upgrade: `
  await op.createTable('order_line', [{ name: 'line_id', type: 'integer', primaryKey: true }, { name: 'unit_price', type: 'integer', nullable: false }]);
  await op.db.insertInto('orderLine').values({ lineId: 1, unitPrice: 5 }).execute();
  const rows = await op.db.selectFrom('orderLine').selectAll().execute();
  if (JSON.stringify(rows) !== '[{"lineId":1,"unitPrice":5}]') throw new Error('op.db read ' + JSON.stringify(rows));`,
    downgrade: "  await op.dropTable('order_line');",
  },
  {
    id: 'cc0000000002',
    down: 'cc0000000001',
    upgrade: "  await op.addColumn('order_line', { name: 'tax_rate', type: 'integer' });\n  await op.createIndex(null, 'order_line', ['unit_price']);",
    downgrade: "  await op.dropIndex('ix_order_line_unit_price', { table: 'order_line' });\n  await op.dropColumn('order_line', 'tax_rate');",
  },
  {
    id: 'cc0000000003',
    down: 'cc0000000002',
    upgrade: "  await op.db.updateTable('orderLine').set({ taxRate: 2 }).where('lineId', '=', 1).execute();",
    downgrade: "  await op.db.updateTable('orderLine').set({ taxRate: null }).execute();",
  },
];

async function camelCaseBind(d: TestDialect, database: TestDatabase): Promise<void> {
  const db = forDialect(d, CAMEL_CASE_KYSELY)(database);
  onCleanup(() => db.destroy());
  const dir = project('app', CAMEL_CASE_REVISIONS);
  const env = await environment(dir, { versionTable: 'camel_version', binds: { app: { kysely: db, dialect: d.name } } });
  const own = await database.connect({ bind: 'own' });

  await env.upgrade();
  expect(await env.currentHeads()).toEqual(new Map([['app', ['cc0000000003']]]));

  const conn = await env.connection('app');
  // What `check` and autogenerate read: the snake_case names as they are.
  const table = await conn.introspectTable('order_line');
  expect(table?.columns.map((c) => [c.name, c.nullable, c.primaryKey === true])).toEqual([
    ['line_id', false, true],
    ['unit_price', false, false],
    ['tax_rate', true, false],
  ]);
  expect(table?.indexes).toEqual([{ name: 'ix_order_line_unit_price', columns: ['unit_price'], unique: false }]);
  // The connection's own queries (unrenamed) and op.db's Kysely (renamed): one pinned session.
  const sessionId = hasEntry(SESSION_ID, d) ? forDialect(d, SESSION_ID) : undefined;
  if (sessionId !== undefined) {
    const [viaDb] = (await conn.db.executeQuery<Record<string, unknown>>(kysely.CompiledQuery.raw(sessionId))).rows;
    expect(await q(conn, sessionId)).toEqual([{ session_id: viaDb?.sessionId }]);
  }

  await env.downgrade('app');
  expect(await env.currentHeads()).toEqual(new Map([['app', ['cc0000000002']]]));
  expect(await q(own, 'SELECT line_id, unit_price, tax_rate FROM order_line')).toEqual([{ line_id: 1, unit_price: 5, tax_rate: null }]);
  await env.downgrade('app@base');
  expect(await env.currentHeads()).toEqual(new Map([['app', []]]));
  expect(await conn.introspectTable('order_line')).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// SQLite: batch mode through the runner

const SETUP = `
  await op.createTable('Parent', [
    { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
    { name: 'name', type: 'text' },
    { name: 'note', type: 'text' },
  ], { indexes: [{ columns: ['note'] }] });
  await op.createTable('Child', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'parentId', type: 'integer', references: { table: 'Parent', column: 'id', onDelete: 'cascade' } },
  ]);
  await op.bulkInsert('Parent', [1, 2, 3, 4].map((i) => ({ id: i, name: 'p' + i, note: i % 2 ? 'odd' : null })));
  await op.bulkInsert('Child', [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, parentId: (i % 4) + 1 })));
`;

/** A project of the `default` branch on `sqlite:app.db`: its folder, config and database file. */
function sqliteProject(revisions: readonly Revision[], config: Partial<MultidbConfig> = {}) {
  const dir = project('default', revisions);
  return { dir, config: { binds: { default: { url: 'sqlite:app.db' } }, ...config } as MultidbConfig, file: join(dir, 'app.db') };
}

async function upgrade(p: ReturnType<typeof sqliteProject>) {
  return (await environment(p.dir, p.config)).upgrade();
}

function read(file: string, sql: string) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function sqliteRunner(): void {
  it("op.db of a bind given the application's Kysely runs that Kysely's plugins: names written and rows read as the application's Kysely does (CamelCasePlugin)", async () => {
    const dir = project('default', [
      {
        id: '000000000001',
        down: null,
        upgrade: `
  await op.createTable('line_item', [{ name: 'item_id', type: 'integer', primaryKey: true }, { name: 'unit_price', type: 'integer' }]);
  await op.db.insertInto('lineItem').values({ itemId: 1, unitPrice: 5 }).execute();
  const rows = await op.db.selectFrom('lineItem').selectAll().execute();
  if (JSON.stringify(rows) !== '[{"itemId":1,"unitPrice":5}]') throw new Error('op.db read ' + JSON.stringify(rows));`,
      },
    ]);
    const file = join(dir, 'app.db');
    const db = new kysely.Kysely<any>({ dialect: new kysely.SqliteDialect({ database: new Database(file) }), plugins: [new kysely.CamelCasePlugin()] });
    onCleanup(() => db.destroy());
    await (await environment(dir, { binds: { default: { kysely: db, dialect: 'sqlite' } } })).upgrade();
    expect(read(file, 'SELECT item_id, unit_price FROM line_item')).toEqual([{ item_id: 1, unit_price: 5 }]);
  });

  it('rebuilds inside the revision’s transaction (per-revision and per-run)', async () => {
    for (const transactionMode of ['per-revision', 'per-run'] as const) {
      const p = sqliteProject(
        [
          { id: '000000000001', down: null, upgrade: SETUP },
          { id: '000000000002', down: '000000000001', upgrade: `  await op.batchAlterTable('Parent', (b) => { b.dropColumn('note'); b.alterColumn('name', { type: 'varchar(20)', nullable: false }); });` },
        ],
        { transactionMode },
      );
      const result = await upgrade(p);
      expect(result.steps.map((s) => s.revision)).toEqual(['000000000001', '000000000002']);
      expect(read(p.file, `SELECT name FROM pragma_table_xinfo('Parent')`)).toEqual([{ name: 'id' }, { name: 'name' }]);
      expect(read(p.file, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 6 }]);
      expect(read(p.file, `SELECT seq FROM sqlite_sequence WHERE name = 'Parent'`)).toEqual([{ seq: 4 }]);
      expect(read(p.file, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: '000000000002' }]);
    }
  });

  it('gives a rebuild its own transaction in a revision with transaction = false: children survive', async () => {
    const p = sqliteProject([
      { id: '000000000001', down: null, upgrade: SETUP },
      {
        id: '000000000002',
        down: '000000000001',
        upgrade: `  await op.alterColumn('Parent', 'name', { type: 'varchar(20)' });\n  await op.dropColumn('Parent', 'note');`,
        extra: 'export const transaction = false;',
      },
    ]);
    await upgrade(p);
    expect(read(p.file, `SELECT name, type FROM pragma_table_xinfo('Parent')`)).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'varchar(20)' },
    ]);
    // Had the rebuild run with foreign keys on and no transaction, DROP TABLE "Parent" would have cascaded.
    expect(read(p.file, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 6 }]);
    expect(read(p.file, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it('a failing rebuild in a transaction = false revision rolls back that op and names the statement', async () => {
    const p = sqliteProject([
      { id: '000000000001', down: null, upgrade: SETUP },
      { id: '000000000002', down: '000000000001', upgrade: `  await op.alterColumn('Parent', 'note', { nullable: false });`, extra: 'export const transaction = false;' },
    ]);
    const error = await upgrade(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/NOT NULL constraint failed: _multidb_tmp_Parent\.note/);
    expect((error as MigrationError).statement).toMatch(/^INSERT INTO "_multidb_tmp_Parent"/);
    expect(read(p.file, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).toEqual([
      { name: 'Child' },
      { name: 'Parent' },
      { name: 'multidb_version' },
      { name: 'sqlite_sequence' },
    ]);
    expect(read(p.file, `SELECT "notnull" FROM pragma_table_xinfo('Parent') WHERE name = 'note'`)).toEqual([{ notnull: 0 }]);
    expect(read(p.file, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 4 }]);
    expect(read(p.file, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: '000000000001' }]);
  });

  it("ops' DDL through better-sqlite3's exec runs in program order with op.db and bulkInsert; one that fails is named and the revision leaves nothing (per-revision and per-run)", async () => {
    const exec = Database.prototype.exec;
    const execd: string[] = [];
    Database.prototype.exec = function (this: Database.Database, sql: string) {
      execd.push(sql);
      return exec.call(this, sql);
    };
    onCleanup(() => {
      Database.prototype.exec = exec;
    });
    const failing: Revision = {
      id: '000000000002',
      down: '000000000001',
      upgrade: `
  await op.createTable('Tag', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.db.insertInto('Tag').values({ id: 1 }).execute();
  await op.createTable('Label', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'tagId', type: 'integer', references: 'Tag.id' }]);
  await op.bulkInsert('Label', [{ id: 1, tagId: 1 }, { id: 2, tagId: 1 }]);
  const { n } = await op.db.selectFrom('Label').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  if (Number(n) !== 2) throw new Error('op.db sees ' + String(n) + ' rows of Label');
  await op.createTable('Parent', [{ name: 'x', type: 'text' }]);
  await op.createTable('Never', [{ name: 'id', type: 'integer' }]);`,
    };
    for (const transactionMode of ['per-revision', 'per-run'] as const) {
      execd.length = 0;
      const p = sqliteProject([{ id: '000000000001', down: null, upgrade: SETUP }, failing], { transactionMode });
      const error = await upgrade(p).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ revision: '000000000002', partial: false, statement: 'CREATE TABLE "Parent" (\n  "x" text\n)' });
      expect((error as MigrationError).message).toMatch(/table "Parent" already exists/);
      // The second revision's DDL went through exec, in order, up to the failing statement and not past it.
      const second = execd.slice(execd.findIndex((s) => s.startsWith('CREATE TABLE "Tag"')));
      expect(second.filter((s) => s.startsWith('CREATE TABLE')).map((s) => s.slice(0, s.indexOf(' ('))), transactionMode).toEqual(['CREATE TABLE "Tag"', 'CREATE TABLE "Label"', 'CREATE TABLE "Parent"']);
      const tables = read(p.file, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map((r) => (r as { name: string }).name);
      if (transactionMode === 'per-revision') {
        expect(tables).toEqual(['Child', 'Parent', 'multidb_version', 'sqlite_sequence']);
        expect(read(p.file, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: '000000000001' }]);
      } else {
        // The run's one transaction rolls back the first revision too (and the version table made in it).
        expect(tables).toEqual([]);
      }
    }
  });

  it('a statement whose error the revision caught is not named when the revision then fails another way; a later failing statement is named itself', async () => {
    // The revision catches a failing op, then fails for a reason of its own.
    const caughtThen = (then: string, extra = ''): Revision => ({
      id: '000000000002',
      down: '000000000001',
      extra,
      upgrade: `
  try {
    await op.createTable('Parent', [{ name: 'x', type: 'text' }]);
  } catch {
    // already there: fine
  }
${then}`,
    });
    const cases: { readonly then: string; readonly extra?: string; readonly message: RegExp; readonly statement: string | undefined }[] = [
      { then: "  throw new Error('boom');", message: /boom/, statement: undefined },
      // A Kysely query of op.db that fails: named itself, as Kysely compiled it.
      { then: "  await op.db.selectFrom('NoSuchTable').selectAll().execute();", message: /no such table: NoSuchTable/, statement: 'select * from "NoSuchTable"' },
      // The foreign-key check at commit: a dangling reference left by the revision. The check is what failed.
      { then: "  await op.execute('INSERT INTO \"Child\" (\"id\", \"parentId\") VALUES (7, 99)');", message: /Foreign key check failed: 1 row refers to missing parent rows \(Child rowid 7 -> Parent\)/, statement: 'PRAGMA foreign_key_check' },
      { then: "  await op.execute('INSERT INTO \"Child\" (\"id\", \"parentId\") VALUES (7, 99)');", extra: 'export const transaction = false;', message: /FOREIGN KEY constraint failed/, statement: 'INSERT INTO "Child" ("id", "parentId") VALUES (7, 99)' },
      { then: "  await op.createTable('Child', [{ name: 'id', type: 'integer' }]);", message: /table "Child" already exists/, statement: 'CREATE TABLE "Child" (\n  "id" integer\n)' },
      { then: "  await op.execute('INSERT INTO \"NoSuchTable\" VALUES (1)');", message: /no such table: NoSuchTable/, statement: 'INSERT INTO "NoSuchTable" VALUES (1)' },
      // The revision's own error wrapping a statement's (its cause): that statement is named.
      {
        then: "  try {\n    await op.execute('INSERT INTO \"NoSuchTable\" VALUES (1)');\n  } catch (e) {\n    throw new Error('seeding failed', { cause: e });\n  }",
        message: /seeding failed/,
        statement: 'INSERT INTO "NoSuchTable" VALUES (1)',
      },
    ];
    for (const c of cases) {
      const p = sqliteProject([{ id: '000000000001', down: null, upgrade: SETUP }, caughtThen(c.then, c.extra)]);
      const error = await upgrade(p).catch((e: unknown) => e);
      expect(error, c.then).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message, c.then).toMatch(c.message);
      expect((error as MigrationError).statement, c.then).toBe(c.statement);
      expect(read(p.file, 'SELECT version_num FROM multidb_version'), c.then).toEqual([{ version_num: '000000000001' }]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: bind schemas, transactional DDL

const PG_FIRST: Revision = {
  id: 'aaaaaaaaaaa1',
  down: null,
  upgrade: `  await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true, autoincrement: true }, { name: 'Name', type: 'nvarchar(120)' }]);
  await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2, Name: 'Jazz' }]);`,
  downgrade: "  await op.dropTable('Genre');",
};
const PG_SECOND: Revision = {
  id: 'aaaaaaaaaaa2',
  down: 'aaaaaaaaaaa1',
  upgrade: `  await op.addColumn('Genre', { name: 'Code', type: 'varchar(3)' });
  await op.createIndex(null, 'Genre', ['Code']);`,
  downgrade: `  await op.dropIndex('ix_Genre_Code');
  await op.dropColumn('Genre', 'Code');`,
};
const PG_FAILING: Revision = {
  id: 'aaaaaaaaaaa3',
  down: 'aaaaaaaaaaa2',
  upgrade: `  await op.createTable('Half', [{ name: 'a', type: 'integer' }]);
  await op.addColumn('Genre', { name: 'Mood', type: 'text' });
  await op.execute('INSERT INTO "Genre" ("GenreId") VALUES (1)');`,
  downgrade: "  await op.dropTable('Half');",
};

function postgresRunner(database: TestDatabase): void {
  it('upgrade with a bind schema: tables and version table there; a failing revision leaves nothing; downgrade to base', async () => {
    const dir = project('db2', [PG_FIRST, PG_SECOND, PG_FAILING]);
    const env = await environment(dir, { binds: { db2: { url: database.url, schema: 'sales' } } });
    const conn = await database.connect();
    const events: string[] = [];
    const error = await env.upgrade([], { onEvent: (e) => events.push(e.type) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ bind: 'db2', revision: 'aaaaaaaaaaa3', partial: false, statement: 'INSERT INTO "Genre" ("GenreId") VALUES (1)' });
    expect(events).toContain('lock-acquired');
    expect(await q(conn, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`)).toEqual([
      { table_name: 'Genre' },
      { table_name: 'multidb_version' },
    ]);
    expect(await q(conn, 'SELECT version_num FROM sales.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa2' }]);
    expect((await q(conn, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'sales' AND table_name = 'Genre' ORDER BY ordinal_position`)).map((r) => r.column_name)).toEqual([
      'GenreId',
      'Name',
      'Code',
    ]);
    expect(await q(conn, 'SELECT count(*)::int AS n FROM sales."Genre"')).toEqual([{ n: 2 }]);
    // The lock was released although the run failed: another connection can take it at once.
    const other = await database.connect({ schema: 'sales' });
    await other.acquireLock({ name: 'multidb:sales:multidb_version', timeoutMs: 0 });
    await other.releaseLock();

    await env.downgrade('db2@base');
    expect(await q(conn, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`)).toEqual([{ table_name: 'multidb_version' }]);
    expect(await q(conn, 'SELECT count(*)::int AS n FROM sales.multidb_version')).toEqual([{ n: 0 }]);
  });

  it("a revision whose inserts break a DEFERRABLE INITIALLY DEFERRED foreign key fails at the run's COMMIT, which is named: alone (sent with the version write) and pipelined (the next revision never starts); the version table is not updated", async () => {
    const dir = project('db2', [
      {
        id: 'dddddddddd01',
        down: null,
        upgrade: `  await op.execute('CREATE TABLE parent (id int PRIMARY KEY)');\n  await op.execute('CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');`,
      },
      { id: 'dddddddddd02', down: 'dddddddddd01', upgrade: "  await op.db.insertInto('child').values({ id: 1, parent_id: 42 }).execute();" },
      { id: 'dddddddddd03', down: 'dddddddddd02', upgrade: "  await op.createTable('after', [{ name: 'id', type: 'integer' }]);" },
    ]);
    const env = await environment(dir, { binds: { db2: { url: database.url, schema: 'deferred_commit' } } });
    await env.upgrade(['dddddddddd01']);
    const conn = await database.connect();
    // dddddddddd02 alone: its version write and COMMIT in one query; then with dddddddddd03 after it, which runs behind that COMMIT.
    for (const target of ['dddddddddd02', 'head']) {
      const started: string[] = [];
      const error = await env.upgrade([target], { onEvent: (e) => e.type === 'step-start' && started.push(e.revision) }).catch((e: unknown) => e);
      expect(error, target).toBeInstanceOf(MigrationError);
      expect(error, target).toMatchObject({ bind: 'db2', revision: 'dddddddddd02', statement: 'COMMIT', at: ['dddddddddd01'], partial: false, detail: 'Key (parent_id)=(42) is not present in table "parent".' });
      expect((error as Error).message, target).toMatch(/^\[db2\] revision dddddddddd02 failed: insert or update on table "child" violates foreign key constraint "child_parent_id_fkey"\n  detail: Key \(parent_id\)=\(42\) is not present in table "parent"\.\n  statement: COMMIT\n/);
      expect(started, target).toEqual(['dddddddddd02']);
      expect(await env.currentHeads(), target).toEqual(new Map([['db2', ['dddddddddd01']]]));
      expect(await q(conn, 'SELECT version_num FROM deferred_commit.multidb_version'), target).toEqual([{ version_num: 'dddddddddd01' }]);
      expect(await q(conn, 'SELECT count(*)::int AS n FROM deferred_commit.child'), target).toEqual([{ n: 0 }]);
      expect(await q(conn, `SELECT to_regclass('deferred_commit.after') IS NULL AS gone`), target).toEqual([{ gone: true }]);
    }
  });

  it("a revision in the runner's transaction that leaves op.db.startTransaction() open (PostgreSQL only warns at its BEGIN) fails too: nothing of it committed", async () => {
    const dir = project('db2', [
      PG_FIRST,
      { id: 'aaaaaaaaaab2', down: 'aaaaaaaaaaa1', upgrade: `  const trx = await op.db.startTransaction().execute();\n  await trx.insertInto('Genre').values({ GenreId: 3, Name: 'Blues' }).execute();` },
    ]);
    const env = await environment(dir, { binds: { db2: { url: database.url, schema: 'own_trx' } } });
    const error = await env.upgrade().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ revision: 'aaaaaaaaaab2', partial: false, cause: { code: 'TRANSACTION_LEFT_OPEN' } });
    expect(await env.currentHeads()).toEqual(new Map([['db2', ['aaaaaaaaaaa1']]]));
    expect(await q(await database.connect(), 'SELECT count(*)::int AS n FROM own_trx."Genre"')).toEqual([{ n: 2 }]);
  });

  it('versionTableSchema puts only the version table in its own schema; the tables stay in the bind schema', async () => {
    const dir = project('db2', [PG_FIRST, PG_SECOND]);
    const env = await environment(dir, { binds: { db2: { url: database.url, schema: 'shop', versionTableSchema: 'meta' } } });
    const conn = await database.connect();
    await env.upgrade();
    const tablesIn = async (schema: string) =>
      (await q(conn, 'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', schema)).map((r) => r.table_name);
    expect(await tablesIn('shop')).toEqual(['Genre']);
    expect(await tablesIn('meta')).toEqual(['multidb_version']);
    expect(await q(conn, 'SELECT version_num FROM meta.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa2' }]);
    expect(await env.currentHeads()).toEqual(new Map([['db2', ['aaaaaaaaaaa2']]]));
    await env.downgrade('db2');
    expect(await q(conn, 'SELECT version_num FROM meta.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa1' }]);
  });
}

// ---------------------------------------------------------------------------------------------
// MySQL: no transactional DDL; a branch `db3`

function mysqlRunner(database: TestDatabase): void {
  const env = (dir: string, binds: Record<string, string>) =>
    environment(dir, { binds: Object.fromEntries(Object.entries(binds).map(([k, url]) => [k, { url, branch: 'db3' }])) });

  it('upgrade, lock events, version table, downgrade', async () => {
    const dir = project('db3', [
      { id: 'aaaaaaaaaaaa', down: null, upgrade: "await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }]);\nawait op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]);", downgrade: "await op.dropTable('Genre');" },
      { id: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa', upgrade: "await op.addColumn('Genre', { name: 'Slug', type: 'varchar(20)' });\nawait op.alterColumn('Genre', 'Name', { nullable: false });", downgrade: "await op.alterColumn('Genre', 'Name', { nullable: true });\nawait op.dropColumn('Genre', 'Slug');" },
    ]);
    const run = await env(dir, { db3: database.url });
    const events: RunEvent[] = [];
    await run.upgrade([], { onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(['lock-acquired', 'plan', 'step-start', 'step-done', 'step-start', 'step-done', 'bind-done', 'run-done']);
    expect(await run.currentHeads()).toEqual(new Map([['db3', ['bbbbbbbbbbbb']]]));
    const conn = await run.connection('db3');
    expect(await conn.introspectTable('Genre')).toMatchObject({
      columns: [{ name: 'GenreId' }, { name: 'Name', nullable: false }, { name: 'Slug' }],
    });
    await run.downgrade('db3');
    expect(await run.currentHeads()).toEqual(new Map([['db3', ['aaaaaaaaaaaa']]]));
    expect((await conn.introspectTable('Genre'))!.columns.map((c) => [c.name, c.nullable])).toEqual([
      ['GenreId', false],
      ['Name', true],
    ]);
  });

  it('a revision failing half way reports partial and keeps the last completed revision; its first statement stays (no transactional DDL)', async () => {
    const failing = project('db3', [
      { id: 'aaaaaaaaaaaa', down: null, upgrade: '' },
      { id: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa', upgrade: '' },
      { id: 'cccccccccccc', down: 'bbbbbbbbbbbb', upgrade: "await op.createTable('Album', [{ name: 'AlbumId', type: 'integer', primaryKey: true }]);\nawait op.addColumn('NoSuchTable', { name: 'x', type: 'integer' });", downgrade: "await op.dropTable('Album');" },
    ]);
    const env2 = await env(failing, { db3: database.url });
    const error = await env2.upgrade(['bbbbbbbbbbbb']).then(() => env2.upgrade()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).partial).toBe(true);
    expect((error as MigrationError).statement).toBe('ALTER TABLE `NoSuchTable` ADD COLUMN `x` int NULL');
    expect((error as MigrationError).resumable).toBe(true);
    expect((error as Error).message).toMatch(/part of this revision was applied and its progress recorded; the version table is at the last completed revision \(bbbbbbbbbbbb\)\. Fix what failed \(the revision may change from the write that failed on, not before it\), then run the command again to resume/);
    expect(await env2.currentHeads()).toEqual(new Map([['db3', ['bbbbbbbbbbbb']]]));
    const conn = await env2.connection('db3');
    expect(await conn.introspectTable('Album')).toBeDefined(); // what the report says may remain, remains
  });

  it('a revision failing at its first write says nothing of it was applied (its progress shows no write), not that part may remain', async () => {
    const failing = project('db3', [
      { id: 'aaaaaaaaaaaa', down: null, upgrade: '' },
      { id: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa', upgrade: "await op.addColumn('NoSuchTable', { name: 'x', type: 'integer' });\nawait op.createTable('Album', [{ name: 'AlbumId', type: 'integer', primaryKey: true }]);" },
    ]);
    const env2 = await env(failing, { db3: database.url });
    const error = await env2.upgrade(['aaaaaaaaaaaa']).then(() => env2.upgrade()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ partial: false, nothingApplied: true, resumable: false, statement: 'ALTER TABLE `NoSuchTable` ADD COLUMN `x` int NULL' });
    expect((error as Error).message).toMatch(/\n  nothing of it was applied \(it failed before its first write\); 'db3' stays at aaaaaaaaaaaa\.$/);
    expect(await env2.currentHeads()).toEqual(new Map([['db3', ['aaaaaaaaaaaa']]]));
    expect(await (await env2.connection('db3')).introspectTable('Album')).toBeUndefined();
  });

  it("op.db of a bind given the application's Kysely runs that Kysely's plugins: names written and rows read as the application's Kysely does (CamelCasePlugin), in op.db.transaction() too", async () => {
    const dir = project('db3', [
      {
        id: 'aaaaaaaaaaaa',
        down: null,
        upgrade: `
  await op.createTable('line_item', [{ name: 'item_id', type: 'integer', primaryKey: true }, { name: 'unit_price', type: 'integer' }]);
  await op.db.insertInto('lineItem').values({ itemId: 1, unitPrice: 5 }).execute();
  await op.db.transaction().execute((trx) => trx.insertInto('lineItem').values({ itemId: 2, unitPrice: 7 }).execute());
  const rows = await op.db.selectFrom('lineItem').selectAll().orderBy('itemId').execute();
  if (JSON.stringify(rows) !== '[{"itemId":1,"unitPrice":5},{"itemId":2,"unitPrice":7}]') throw new Error('op.db read ' + JSON.stringify(rows));`,
      },
    ]);
    const pool = createPool({ ...serverOptions(), database: database.name, connectionLimit: 2 });
    const db = new kysely.Kysely<any>({ dialect: new kysely.MysqlDialect({ pool }), plugins: [new kysely.CamelCasePlugin()] });
    onCleanup(() => db.destroy());
    const admin = await database.connect({ bind: 'admin' });
    const run = await environment(dir, { binds: { db3: { kysely: db, dialect: 'mysql', branch: 'db3' } } });
    await run.upgrade();
    expect(await q(admin, 'SELECT item_id, unit_price FROM line_item ORDER BY item_id')).toEqual([
      { item_id: 1, unit_price: 5 },
      { item_id: 2, unit_price: 7 },
    ]);
  });

  it("a bind given the application's Kysely with CamelCasePlugin: a revision stopped in the middle of a batch resumes at the batch's next statement, each write once", async () => {
    const admin = await database.connect({ bind: 'admin' });
    await q(admin, 'CREATE TABLE camel_batch (batch_id int PRIMARY KEY, old_name int, new_name int)'); // new_name: in the way of the rename
    const dir = project('db3', [
      {
        id: 'dd0000000001',
        down: null,
        upgrade: `
  await op.createTable('camel_first', [{ name: 'first_id', type: 'integer', primaryKey: true }]);
  await op.db.insertInto('camelFirst').values({ firstId: 1 }).execute();
  await op.batchAlterTable('camel_batch', (b) => {
    b.addColumn({ name: 'added_x', type: 'integer' });
    b.renameColumn('old_name', 'new_name');
    b.addColumn({ name: 'added_y', type: 'integer' });
  });`,
      },
    ]);
    const pool = createPool({ ...serverOptions(), database: database.name, connectionLimit: 2 });
    const db = new kysely.Kysely<any>({ dialect: new kysely.MysqlDialect({ pool }), plugins: [new kysely.CamelCasePlugin()] });
    onCleanup(() => db.destroy());
    const config: MultidbConfig = { versionTable: 'camel_resume_version', binds: { db3: { kysely: db, dialect: 'mysql', branch: 'db3' } } };
    const first = await environment(dir, config);
    const error = await first.upgrade().catch((e: unknown) => e);
    // The batch's 1st statement completed, its 2nd failed (the scenario, as the test expects it to start).
    expect(error).toMatchObject({ resumable: true, statement: 'ALTER TABLE `camel_batch` RENAME COLUMN `old_name` TO `new_name`' });
    await first.close();

    await q(admin, 'ALTER TABLE camel_batch DROP COLUMN new_name'); // the fix
    // Re-sending ADD COLUMN added_x would fail (duplicate column): the re-run must read statements_done and start at the rename.
    const second = await environment(dir, config);
    await second.upgrade();
    expect((await q(admin, `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'camel_batch' ORDER BY ORDINAL_POSITION`)).map((r) => r.name)).toEqual([
      'batch_id',
      'new_name',
      'added_x',
      'added_y',
    ]);
    expect(await q(admin, 'SELECT first_id FROM camel_first')).toEqual([{ first_id: 1 }]); // the insert ran once
    expect(await second.currentHeads()).toEqual(new Map([['db3', ['dd0000000001']]]));
    expect(await q(admin, 'SELECT count(*) AS n FROM camel_resume_version_progress')).toEqual([{ n: 0 }]);
  });

  it("op.db's own BEGIN and COMMIT (op.db.transaction(), startTransaction()) are named as the failing SQL when they fail: the session killed just before each", async () => {
    /** Kills the session `db` runs on, from another connection. */
    const killSession = async (db: kysely.Kysely<any>): Promise<void> => {
      const { rows } = await kysely.sql<{ id: number }>`SELECT CONNECTION_ID() AS id`.execute(db);
      const admin = await serverConnection();
      try {
        await admin.query(`KILL ${Number(rows[0]!.id)}`);
      } finally {
        await admin.end();
      }
    };
    const cases = [
      {
        statement: 'BEGIN',
        body: (t: string) =>
          `  await op.db.insertInto('${t}').values({ id: 2 }).execute();\n  await killSession(op.db);\n  await op.db.transaction().execute((trx) => trx.insertInto('${t}').values({ id: 3 }).execute());`,
      },
      {
        statement: 'COMMIT',
        body: (t: string) =>
          `  const trx = await op.db.startTransaction().execute();\n  await trx.insertInto('${t}').values({ id: 2 }).execute();\n  await killSession(op.db);\n  await trx.commit().execute();`,
      },
    ];
    const admin = await database.connect({ bind: 'admin' });
    for (const [i, c] of cases.entries()) {
      const t = `killed_${i}`;
      const dir = project('db3', [
        { id: `ee000000000${i}`, down: null, upgrade: `  await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);` },
        { id: `ee100000000${i}`, down: `ee000000000${i}`, upgrade: c.body(t), imports: "import { killSession } from 'kill-session';" },
      ]);
      const env = await environment(dir, { versionTable: `killed_version_${i}`, binds: { db3: { url: database.url, branch: 'db3' } } }, { 'kill-session': { killSession } });
      const error = await env.upgrade().catch((e: unknown) => e);
      expect(error, `${c.statement}: ${String(error)}`).toBeInstanceOf(MigrationError);
      expect(error, c.statement).toMatchObject({ bind: 'db3', revision: `ee100000000${i}`, statement: c.statement });
      expect((error as Error).message, c.statement).toContain(`\n  statement: ${c.statement}\n`);
      expect(await q(admin, `SELECT version_num FROM killed_version_${i}`), c.statement).toEqual([{ version_num: `ee000000000${i}` }]);
      await env.close();
    }
  });

  it('a BEGIN of a revision that a DDL statement then commits implicitly leaves no transaction open: applied, its row and its table there', async () => {
    const dir = project('db3', [
      {
        id: 'ef0000000001',
        down: null,
        upgrade: "  await op.createTable('implicit', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.execute('BEGIN');\n  await op.db.insertInto('implicit').values({ id: 1 }).execute();\n  await op.createTable('implicit_after', [{ name: 'id', type: 'integer' }]);",
      },
    ]);
    const run = await env(dir, { db3: database.url });
    await run.upgrade();
    expect(await run.currentHeads()).toEqual(new Map([['db3', ['ef0000000001']]]));
    const admin = await database.connect({ bind: 'admin' });
    expect(await q(admin, 'SELECT id FROM implicit')).toEqual([{ id: 1 }]);
    expect(await q(admin, 'SELECT count(*) AS n FROM implicit_after')).toEqual([{ n: 0 }]);
  });

  it('a second run waits for the lock', async () => {
    const dir = project('db3', [{ id: 'aaaaaaaaaaaa', down: null, upgrade: '' }]);
    const first = await env(dir, { db3: database.url });
    const other = await env(dir, { db3: database.url });
    const holder = await first.connection('db3');
    await holder.acquireLock({ name: 'multidb::multidb_version' });
    const events: string[] = [];
    const error = await other.upgrade([], { lockTimeoutMs: 300, onEvent: (e) => events.push(e.type) }).catch((e: unknown) => e);
    expect(events).toEqual(['lock-wait', 'run-done']);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'db3' });
    await holder.releaseLock();
    await other.upgrade([], { lockTimeoutMs: 2_000 });
    expect(await (await other.connection('db3')).execute({ sql: 'SELECT version_num FROM multidb_version', parameters: [] })).toEqual([
      { version_num: 'aaaaaaaaaaaa' },
    ]);
  });
}
