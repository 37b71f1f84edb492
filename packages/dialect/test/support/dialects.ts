// The three dialects every feature file loops over (as Kysely's tests do):
//
//   for (const d of DIALECTS) {
//     describe(d.name, () => {
//       itCompiles(d, cases);                                   // exact SQL, no database
//       d.describeOnDatabase('on a real database', () => {
//         const database = d.useDatabase('create_table');       // SQLite file, PostgreSQL or MariaDB database
//         it('…', async () => { const conn = await database.connect(); … });
//       });
//     });
//   }
//
// A server that cannot be reached skips its tests locally (the reason is in the suite's title) and
// fails them under CI=true. Servers: MULTIDB_TEST_POSTGRES_URL, MULTIDB_TEST_MYSQL_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectOptions, Dialect, DialectConnection, DialectDriver } from '@multidb/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';
import { onCleanup } from './cleanup.js';
import * as mysqlServer from './mysql-database.js';
import * as postgresServer from './postgres-database.js';

/** The dialects of `@multidb/dialect`. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/** What SQL is compiled for: a dialect, or `mariadb`, the MariaDB flavour of the mysql dialect. */
export type Flavour = DialectName | 'mariadb';

/**
 * Something per dialect (expected SQL, a revision body, a setup step). A dialect without an entry
 * has no such case. `mariadb` is for the mysql dialect compiled as MariaDB, where it differs.
 */
export type PerDialect<T> = { readonly [K in Flavour]?: T };

/** Whether this is a CI run: a test that cannot reach its server then fails instead of skipping. */
export const UNDER_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** A database for the tests of one file (one `describeOnDatabase` block). */
export interface TestDatabase {
  /** Its URL (SQLite: `sqlite:///<temporary folder>/<prefix>.db`). Valid inside tests. */
  readonly url: string;
  /** Its name (SQLite: the file's path). Valid inside tests. */
  readonly name: string;
  /** Connects to it (bind `test` unless `options.bind` says otherwise); closed after the test. */
  connect(options?: Partial<ConnectOptions>): Promise<DialectConnection>;
}

/** Options of {@link TestDialect.useDatabase}. */
export interface UseDatabaseOptions {
  /** A new database for each test on a server too (SQLite always has one). Default `false`. */
  readonly perTest?: boolean;
}

/** One dialect under test, with what a feature file needs of it. */
export interface TestDialect {
  readonly name: DialectName;
  /** How people call its database: `SQLite`, `PostgreSQL`, `MariaDB/MySQL`. */
  readonly title: string;
  /** Its pure dialect (the mysql flavour for MySQL/MariaDB). */
  readonly dialect: Dialect;
  /** Its driver. */
  readonly driver: DialectDriver;
  /** The flavours its SQL is compiled for, with their dialects (`mysql` also has `mariadb`). */
  readonly flavours: readonly (readonly [Flavour, Dialect])[];
  /** Why its database cannot be reached here; `undefined` when it can (always, for SQLite). */
  readonly unavailable: string | undefined;
  /**
   * `describe` for tests that need its database: skipped with the reason when the server cannot be
   * reached, except under `CI=true`, where the suite fails instead.
   */
  describeOnDatabase(name: string, fn: () => void): void;
  /**
   * A database for the calling `describe` block (call it inside {@link describeOnDatabase}):
   * on a server, one database created before the block's tests and dropped after; on SQLite, a
   * new file in a new temporary folder for each test. Connections are closed after each test.
   * @param prefix - part of the database's name (letters, digits, `_`).
   * @param options - `perTest`: on a server too, a new database for each test (created before
   *   it, dropped after), for tests that need the database to themselves whatever ran before
   *   them (the default version table, a list of every table); default `false`.
   */
  useDatabase(prefix: string, options?: UseDatabaseOptions): TestDatabase;
  /** Connects to any URL of this dialect (bind `test` unless given); closed after the test. */
  connect(url: string, options?: Partial<ConnectOptions>): Promise<DialectConnection>;
}

const [postgresReason, mysqlReason] = await Promise.all([postgresServer.postgresUnavailable(), mysqlServer.mysqlUnavailable()]);

function gate(title: string, reason: string | undefined): (name: string, fn: () => void) => void {
  return (name, fn) => {
    if (reason === undefined) describe(name, fn);
    else if (UNDER_CI) {
      describe(name, () => {
        it(`reaches the ${title} server (CI=true: a test that cannot reach its server fails)`, () => {
          throw new Error(reason);
        });
      });
    } else {
      console.warn(`skipping '${name}': ${reason}`);
      describe.skip(`${name} (skipped: ${reason})`, fn);
    }
  };
}

function connector(driver: DialectDriver): (url: string, options?: Partial<ConnectOptions>) => Promise<DialectConnection> {
  return async (url, options = {}) => {
    const conn = await driver.connect({ bind: 'test', url, baseDir: '/', ...options });
    onCleanup(() => conn.close().catch(() => undefined));
    return conn;
  };
}

/**
 * A database per `describe` block on a server (per test with `perTest`); its connections are
 * closed after each test.
 */
function serverDatabase(
  driver: DialectDriver,
  create: (prefix: string) => Promise<{ readonly name: string; readonly url: string; drop(): Promise<void> }>,
): (prefix: string, options?: UseDatabaseOptions) => TestDatabase {
  return (prefix, { perTest = false } = {}) => {
    let database: { readonly name: string; readonly url: string; drop(): Promise<void> } | undefined;
    const open: DialectConnection[] = [];
    if (perTest) {
      beforeEach(async () => {
        const made = await create(prefix);
        database = made;
        // A cleanup registered before the test's own: it runs after them (after the environments it opened are closed).
        onCleanup(async () => {
          if (database === made) database = undefined;
          await made.drop();
        });
      });
    } else {
      beforeAll(async () => {
        database = await create(prefix);
      });
      afterAll(async () => {
        await database?.drop();
      });
    }
    afterEach(async () => {
      for (const c of open.splice(0)) await c.close().catch(() => undefined);
    });
    const made = () => {
      if (!database) throw new Error('The test database is not created yet (use it inside a test).');
      return database;
    };
    return {
      get url() {
        return made().url;
      },
      get name() {
        return made().name;
      },
      async connect(options = {}) {
        const conn = await driver.connect({ bind: 'test', url: made().url, baseDir: '/', ...options });
        open.push(conn);
        return conn;
      },
    };
  };
}

/** A new SQLite file for each test, in a temporary folder removed after the test. */
function sqliteDatabase(prefix: string): TestDatabase {
  let path: string | undefined;
  const open: DialectConnection[] = [];
  beforeEach(() => {
    path = join(mkdtempSync(join(tmpdir(), 'multidb-dialect-')), `${prefix}.db`);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => undefined);
    if (path) rmSync(join(path, '..'), { recursive: true, force: true });
    path = undefined;
  });
  const file = () => {
    if (!path) throw new Error('The test database is made for each test (use it inside a test).');
    return path;
  };
  return {
    get url() {
      return `sqlite://${file()}`;
    },
    get name() {
      return file();
    },
    async connect(options = {}) {
      const conn = await sqliteDriver.connect({ bind: 'test', url: `sqlite://${file()}`, baseDir: '/', ...options });
      open.push(conn);
      return conn;
    },
  };
}

/** SQLite: files and in-memory databases, no server. */
export const SQLITE: TestDialect = {
  name: 'sqlite',
  title: 'SQLite',
  dialect: sqliteDialect,
  driver: sqliteDriver,
  flavours: [['sqlite', sqliteDialect]],
  unavailable: undefined,
  describeOnDatabase: (name, fn) => describe(name, fn),
  useDatabase: sqliteDatabase,
  connect: connector(sqliteDriver),
};

/** PostgreSQL, on the server at `MULTIDB_TEST_POSTGRES_URL`. */
export const POSTGRES: TestDialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  dialect: postgresDialect,
  driver: postgresDriver,
  flavours: [['postgres', postgresDialect]],
  unavailable: postgresReason,
  describeOnDatabase: gate('PostgreSQL', postgresReason),
  useDatabase: serverDatabase(postgresDriver, postgresServer.createTestDatabase),
  connect: connector(postgresDriver),
};

/** MySQL/MariaDB, on the server at `MULTIDB_TEST_MYSQL_URL`; SQL is compiled for both flavours. */
export const MYSQL: TestDialect = {
  name: 'mysql',
  title: 'MariaDB/MySQL',
  dialect: mysqlDialect,
  driver: mysqlDriver,
  flavours: [
    ['mysql', mysqlDialect],
    ['mariadb', mariadbDialect],
  ],
  unavailable: mysqlReason,
  describeOnDatabase: gate('MariaDB/MySQL', mysqlReason),
  useDatabase: serverDatabase(mysqlDriver, mysqlServer.createTestDatabase),
  connect: connector(mysqlDriver),
};

/** Every dialect, in the order the feature files loop over them. */
export const DIALECTS: readonly TestDialect[] = [SQLITE, POSTGRES, MYSQL];

/**
 * The flavours of `d` that `table` has an entry for, each with the dialect it compiles with.
 * @example
 * ```ts
 * for (const [flavour, dialect, expected] of flavoursIn(MYSQL, { mysql: 'DROP CHECK', mariadb: 'DROP CONSTRAINT' })) …
 * ```
 */
export function flavoursIn<T>(d: TestDialect, table: PerDialect<T>): [Flavour, Dialect, T][] {
  return d.flavours.filter(([f]) => table[f] !== undefined).map(([f, dialect]) => [f, dialect, table[f]!]);
}

/**
 * The entry of `table` for dialect `d`.
 * @throws when the table has none (a per-dialect table must cover every dialect it is used for).
 */
export function forDialect<T>(d: TestDialect, table: PerDialect<T>): T {
  const value = table[d.name];
  if (value === undefined) throw new Error(`no ${d.name} entry in this per-dialect table`);
  return value;
}

/** Whether `table` has an entry for dialect `d` (not counting the `mariadb` flavour). */
export function hasEntry(table: PerDialect<unknown>, d: TestDialect): boolean {
  return table[d.name] !== undefined;
}

/** The dialects `table` has an entry for (for loops over the dialects a case is written for). */
export function dialectsIn(table: PerDialect<unknown>): readonly TestDialect[] {
  return DIALECTS.filter((d) => d.flavours.some(([f]) => table[f] !== undefined));
}
