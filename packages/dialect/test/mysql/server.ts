import type { DialectConnection } from '@multidb/core';
import { afterAll, beforeAll, describe } from 'vitest';
import type { MysqlConnection } from '../../src/mysql/mysql-connection.js';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { createTestDatabase, mysqlUnavailable, type TestDatabase } from '../support/mysql-database.js';

/** Why the server cannot be used (the tests then skip; under CI=true this module throws instead). */
export const unavailable = await mysqlUnavailable();

/** `describe` for tests that need the server: skipped, with the reason in its title, when it is unreachable. */
export function describeMysql(name: string, fn: () => void): void {
  describe.skipIf(unavailable !== undefined)(unavailable ? `${name} (skipped: ${unavailable})` : name, fn);
}

/** One database for a test file: created before its tests, dropped (and every connection closed) after. */
export interface FileDatabase {
  /** The database's URL (valid inside tests). */
  readonly url: string;
  /** The database's name (valid inside tests). */
  readonly name: string;
  /** Connects a bind to the database; closed after the file's tests. */
  connect(bind?: string): Promise<MysqlConnection>;
}

/**
 * Creates one database for the calling test file (call it inside a `describeMysql` block).
 * @param prefix - part of the database name.
 */
export function useTestDatabase(prefix: string): FileDatabase {
  let db: TestDatabase | undefined;
  const connections: DialectConnection[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    for (const c of connections.splice(0)) await c.close().catch(() => undefined);
    await db?.drop();
  });
  return {
    get url() {
      return db!.url;
    },
    get name() {
      return db!.name;
    },
    async connect(bind = 'test') {
      const conn = (await mysqlDriver.connect({ bind, url: db!.url, baseDir: '/' })) as MysqlConnection;
      connections.push(conn);
      return conn;
    },
  };
}

