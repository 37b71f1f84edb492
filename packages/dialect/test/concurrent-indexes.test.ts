// Indexes created and dropped `concurrently` (Alembic's postgresql_concurrently): the exact SQL of
// each dialect; PostgreSQL's refusal inside a revision's transaction (online and offline), with
// nothing applied; on PostgreSQL a `transaction = false` revision that builds a valid index and
// drops it again (its statement sent alone, outside any transaction, with the version write after
// it); MariaDB's ALGORITHM/LOCK clauses accepted by the server (and a lock-needing index refused);
// SQLite's refusal; offline scripts applied with psql and mariadb.
import { commands, compileRevision, DEFAULT_NAMING_CONVENTION, MigrationError, NonTransactionalOpError, OfflineError, OperationError, UnsupportedOperationError, type DialectConnection, type MigrationEnvironment, type RevisionModule, type RevisionScript } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, type Flavour } from './support/dialects.js';
import { buildOps, context, q } from './support/op-harness.js';
import { offlineProject, runClient, type RevisionFile } from './support/offline-project.js';
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'createIndex concurrently (unique, IF NOT EXISTS, partial, in a schema where the dialect has them)',
    ops: {
      postgres: (op) => op.createIndex(null, 'Invoice', ['Total'], { unique: true, ifNotExists: true, where: '"Total" > 0', schema: 'sales', concurrently: true }),
      mysql: (op) => op.createIndex(null, 'Invoice', ['Total'], { unique: true, concurrently: true }),
      mariadb: (op) => op.createIndex(null, 'Invoice', ['Total'], { unique: true, ifNotExists: true, concurrently: true }),
    },
    expected: {
      postgres: ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "ix_Invoice_Total" ON "sales"."Invoice" ("Total") WHERE "Total" > 0'],
      mysql: ['CREATE UNIQUE INDEX `ix_Invoice_Total` ON `Invoice` (`Total`) ALGORITHM=INPLACE LOCK=NONE'],
      mariadb: ['CREATE UNIQUE INDEX IF NOT EXISTS `ix_Invoice_Total` ON `Invoice` (`Total`) ALGORITHM=INPLACE LOCK=NONE'],
    },
  },
  {
    name: 'dropIndex concurrently (MySQL/MariaDB as ALTER TABLE: MariaDB takes no ALGORITHM/LOCK on DROP INDEX … ON)',
    ops: (op) => op.dropIndex('ix_Invoice_Total', { table: 'Invoice', schema: 'sales', concurrently: true }),
    expected: {
      postgres: ['DROP INDEX CONCURRENTLY "sales"."ix_Invoice_Total"'],
      mysql: ['ALTER TABLE `sales`.`Invoice` DROP INDEX `ix_Invoice_Total`, ALGORITHM=INPLACE, LOCK=NONE'],
    },
  },
  {
    name: 'concurrently: false compiles as without it',
    ops: (op) => op.dropIndex('ix', { table: 'T', concurrently: false }),
    expected: { sqlite: ['DROP INDEX "ix"'], postgres: ['DROP INDEX "ix"'], mysql: ['DROP INDEX `ix` ON `T`'] },
  },
];

describeCompiles('indexes built and dropped concurrently', cases);

const [SQLITE, POSTGRES, MYSQL] = DIALECTS;

describe('which dialect refuses a concurrent index op in a transaction block (Dialect.forbidsTransaction)', () => {
  it('postgres: CREATE and DROP INDEX CONCURRENTLY, alone or in a batch block built by hand; nothing else', async () => {
    const [create, drop, plain] = await buildOps(POSTGRES!.dialect, async (op) => {
      await op.createIndex('ix', 'T', ['a'], { concurrently: true });
      await op.dropIndex('ix', { concurrently: true });
      await op.createIndex('ix', 'T', ['a']);
    });
    expect(POSTGRES!.dialect.forbidsTransaction?.(create!)).toBe('PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block');
    expect(POSTGRES!.dialect.forbidsTransaction?.(drop!)).toBe('PostgreSQL refuses DROP INDEX CONCURRENTLY in a transaction block');
    expect(POSTGRES!.dialect.forbidsTransaction?.(plain!)).toBeUndefined();
    expect(POSTGRES!.dialect.forbidsTransaction?.({ kind: 'BatchAlterTable', table: 'T', ops: [{ kind: 'DropIndex', table: 'T', name: 'ix', concurrently: true }], options: {} })).toMatch(/DROP INDEX CONCURRENTLY/);
  });

  it('sqlite and mysql: none (SQLite refuses the op itself; MySQL/MariaDB DDL is not transactional)', async () => {
    for (const d of [SQLITE!, MYSQL!]) {
      const [create] = await buildOps(d.dialect, (op) => op.createIndex('ix', 'T', ['a'], { concurrently: true }));
      expect(d.dialect.forbidsTransaction?.(create!)).toBeUndefined();
    }
  });
});

describe('compileRevision (the SQL preview, offline mode): as a run', () => {
  const module = (transaction: boolean): RevisionModule => ({
    transaction,
    script: { revision: 'c2', path: '/repo/migrations/versions/main/c2_ix.ts' } as RevisionScript,
    upgrade: (op) => op.createIndex(null, 'account', ['email'], { concurrently: true }),
    downgrade: async () => undefined,
  });
  const options = { bind: 'main', dialect: POSTGRES!.dialect, namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: { snapshot: async () => undefined } };

  it('postgres, in a revision with a transaction: no statement, a note saying it would be refused and why', async () => {
    const compiled = await compileRevision(module(true), 'up', options);
    expect(compiled.statements).toEqual([]);
    expect(compiled.notes).toEqual([expect.stringMatching(/^CreateIndex on 'account' would be refused when run: op\.createIndex\('ix_account_email'\) on 'account' with concurrently: true cannot run inside a transaction .*revision c2 of bind 'main' runs in one\. Add `export const transaction = false;` to the revision \(\/repo\/migrations\/versions\/main\/c2_ix\.ts\)/)]);
    await expect(compileRevision(module(true), 'up', { ...options, onError: 'throw' })).rejects.toThrow(NonTransactionalOpError);
  });

  it('postgres with transaction = false, and MySQL either way: the statement', async () => {
    expect((await compileRevision(module(false), 'up', options)).statements.map((st) => st.sql)).toEqual(['CREATE INDEX CONCURRENTLY "ix_account_email" ON "account" ("email")']);
    expect((await compileRevision(module(true), 'up', { ...options, dialect: MYSQL!.dialect })).statements.map((st) => st.sql)).toEqual(['CREATE INDEX `ix_account_email` ON `account` (`email`) ALGORITHM=INPLACE LOCK=NONE']);
  });
});

describe('sqlite: concurrently is refused (every index build holds the write lock)', () => {
  it.each([
    ['createIndex', "create the index \"ix_T_a\" concurrently (without blocking writers)"] as const,
    ['dropIndex', 'drop the index "ix_T_a" concurrently (without blocking writers)'] as const,
  ])('%s', async (call, operation) => {
    const [op] = await buildOps(SQLITE!.dialect, (o) => (call === 'createIndex' ? o.createIndex(null, 'T', ['a'], { concurrently: true }) : o.dropIndex('ix_T_a', { concurrently: true })));
    let error: unknown;
    try {
      SQLITE!.dialect.compile(op!, context());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ dialect: 'sqlite', operation });
    expect((error as Error).message).toMatch(/Leave concurrently out on a SQLite bind \(for a revision several dialects share: \{ concurrently: op\.dialectName !== 'sqlite' \}\)\.$/);
  });

  it('also inside a batch block built by hand (the batch builder has no such option)', () => {
    expect(() =>
      SQLITE!.dialect.compile({ kind: 'BatchAlterTable', table: 'T', ops: [{ kind: 'CreateIndex', table: 'T', index: { name: 'ix', columns: ['a'], unique: false }, concurrently: true }], options: {} }, context()),
    ).toThrow(UnsupportedOperationError);
  });
});

// ---------------------------------------------------------------------------------------------
// Through core's runner and offline mode

const INDEX = { name: 'ix_account_email', columns: ['email'], unique: true };

/**
 * c1 creates a table with rows; c2 builds a unique index on it concurrently (its last op: the
 * version write follows it) and drops it concurrently in its downgrade. `transaction`: whether c2
 * keeps its transaction (default: `transaction = false`).
 */
function revisions(options: { transaction?: boolean; method?: string; duplicate?: boolean } = {}): RevisionFile[] {
  const method = options.method ? `, method: '${options.method}'` : '';
  const duplicate = options.duplicate ? `, { id: 4, email: 'a@x' }` : '';
  return [
    {
      revision: 'c1',
      down: null,
      message: 'account',
      upgrade: `
  await op.createTable('account', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(40)', nullable: false }]);
  await op.bulkInsert('account', [{ id: 1, email: 'a@x' }, { id: 2, email: 'b@x' }, { id: 3, email: 'c@x' }${duplicate}]);`,
      downgrade: `  await op.dropTable('account');`,
    },
    {
      revision: 'c2',
      down: 'c1',
      message: 'index concurrently',
      extra: options.transaction ? '' : 'export const transaction = false;',
      upgrade: `
  await op.createTable('audit', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createIndex(null, 'account', ['email'], { unique: ${!options.method}, concurrently: true${method} });`,
      downgrade: `
  await op.dropIndex('ix_account_email', { table: 'account', concurrently: true, existing: ${JSON.stringify(INDEX)} });
  await op.dropTable('audit');`,
    },
  ];
}

async function versions(conn: DialectConnection): Promise<unknown[]> {
  return (await q(conn, 'SELECT version_num FROM multidb_version')).map((r) => r.version_num);
}

async function failure(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

async function project(url: string, options?: { transaction?: boolean; method?: string; duplicate?: boolean }): Promise<MigrationEnvironment> {
  return (await offlineProject({ main: url }, { main: revisions(options) })).env;
}

POSTGRES!.describeOnDatabase('postgres: concurrently through the runner', () => {
  const database = POSTGRES!.useDatabase('cc_concurrent');
  const refused = POSTGRES!.useDatabase('cc_concurrent_refused');
  const invalid = POSTGRES!.useDatabase('cc_concurrent_invalid');
  const offline = POSTGRES!.useDatabase('cc_concurrent_offline');

  /** The index's pg_index flags, or undefined when it does not exist. */
  const indexFlags = async (conn: DialectConnection) =>
    (await q(conn, `SELECT i.indisvalid, i.indisready, i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'ix_account_email'`))[0];

  it('a transaction = false revision builds a valid unique index and its downgrade drops it, both CONCURRENTLY', async () => {
    const env = await project(database.url);
    await commands.upgrade(env);
    const conn = await database.connect();
    expect(await indexFlags(conn)).toEqual({ indisvalid: true, indisready: true, indisunique: true });
    expect(await versions(conn)).toEqual(['c2']);
    // A unique index that PostgreSQL checks: a duplicate is refused.
    await expect(q(conn, `INSERT INTO account (id, email) VALUES (4, 'a@x')`)).rejects.toThrow(/duplicate key value violates unique constraint "ix_account_email"/);

    await commands.downgrade(env, 'main@-1');
    expect(await indexFlags(conn)).toBeUndefined();
    expect(await versions(conn)).toEqual(['c1']);
  });

  it('a concurrent build that fails leaves an invalid index (what only CONCURRENTLY, outside a transaction, does); dropping it concurrently clears the way', async () => {
    const env = await project(invalid.url, { duplicate: true });
    const error = await failure(commands.upgrade(env));
    expect(error).toMatchObject({ revision: 'c2', partial: true, statement: 'CREATE UNIQUE INDEX CONCURRENTLY "ix_account_email" ON "account" ("email")' });
    expect(error.message).toMatch(/could not create unique index "ix_account_email"/);
    const conn = await invalid.connect();
    expect(await indexFlags(conn)).toEqual({ indisvalid: false, indisready: false, indisunique: true });
    expect(await versions(conn)).toEqual(['c1']);
    // The recovery the docs give: drop the invalid index (concurrently), fix the data (and undo
    // what the revision's earlier ops did: it ran without a transaction), run it again.
    await q(conn, 'DROP INDEX CONCURRENTLY "ix_account_email"');
    await q(conn, `DELETE FROM account WHERE id = 4`);
    await q(conn, 'DROP TABLE audit');
    await commands.upgrade(env);
    expect(await indexFlags(conn)).toEqual({ indisvalid: true, indisready: true, indisunique: true });
  });

  it('in a revision that runs in a transaction: NonTransactionalOpError before anything of the op is sent; the revision is rolled back', async () => {
    const env = await project(refused.url, { transaction: true });
    const error = await failure(commands.upgrade(env));
    expect(error).toMatchObject({ bind: 'main', revision: 'c2', partial: false, statement: undefined });
    expect(error.cause).toBeInstanceOf(NonTransactionalOpError);
    expect(error.cause).toBeInstanceOf(OperationError);
    expect(error.cause).toMatchObject({ code: 'NON_TRANSACTIONAL_OP', bind: 'main', revision: 'c2', op: "op.createIndex('ix_account_email') on 'account' with concurrently: true" });
    expect(error.message).toMatch(
      /^\[main\] revision c2 failed: op\.createIndex\('ix_account_email'\) on 'account' with concurrently: true cannot run inside a transaction \(PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block\), and revision c2 of bind 'main' runs in one\. Add `export const transaction = false;` to the revision \(.*c2_rev\.ts\): /,
    );
    expect(error.message).toMatch(/\n {2}rolled back; 'main' stays at c1\.$/);
    const conn = await refused.connect();
    expect(await indexFlags(conn)).toBeUndefined();
    expect(await conn.introspectTable('audit')).toBeUndefined(); // the op before it is rolled back too
    expect(await versions(conn)).toEqual(['c1']);
  });

  it('offline: the statements of a transaction = false revision outside BEGIN/COMMIT, applied with psql; a transactional one refused', async () => {
    const { env } = await offlineProject({ main: 'postgres://app@db.example/main' }, { main: revisions() });
    const [script] = await commands.upgradeSql(env);
    // Not in BEGIN/COMMIT, and the version table's update after it, in a transaction of its own.
    expect(script!.sql).toMatch(
      new RegExp(
        '\\n-- Running upgrade c1 -> c2, index concurrently\\n-- transaction = false: no transaction around this revision\\nCREATE TABLE "audit" \\([^;]*\\);\\n' +
          'CREATE UNIQUE INDEX CONCURRENTLY "ix_account_email" ON "account" \\("email"\\);\\n' +
          'BEGIN;\\nupdate "multidb_version" set "version_num" = \'c2\' where "version_num" = \'c1\';\\nCOMMIT;\\n',
      ),
    );
    const run = runClient(offline.url, script!.sql);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const conn = await offline.connect();
    expect(await indexFlags(conn)).toEqual({ indisvalid: true, indisready: true, indisunique: true });

    const [down] = await commands.downgradeSql(env, 'main@c2:c1');
    expect(down!.sql).toMatch(/\nDROP INDEX CONCURRENTLY "ix_account_email";\nDROP TABLE "audit";\nBEGIN;\n/);
    expect(runClient(offline.url, down!.sql).status).toBe(0);
    expect(await indexFlags(conn)).toBeUndefined();

    const { env: transactional } = await offlineProject({ main: 'postgres://app@db.example/main' }, { main: revisions({ transaction: true }) });
    const error = await commands.upgradeSql(transactional).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OfflineError);
    expect(error).toMatchObject({ bind: 'main', revision: 'c2', op: "op.createIndex('account')" });
    expect((error as OfflineError).cause).toBeInstanceOf(NonTransactionalOpError);
    expect((error as Error).message).toMatch(/cannot run inside a transaction \(PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block\).*Add `export const transaction = false;` to the revision/);
  });
});

MYSQL!.describeOnDatabase('mysql: concurrently through the runner (ALGORITHM=INPLACE, LOCK=NONE)', () => {
  const database = MYSQL!.useDatabase('cc_concurrent');
  const fulltext = MYSQL!.useDatabase('cc_concurrent_fulltext');
  const offline = MYSQL!.useDatabase('cc_concurrent_offline');

  const indexes = async (conn: DialectConnection) =>
    (await q(conn, `SELECT DISTINCT INDEX_NAME AS name, NON_UNIQUE AS nonUnique FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'account' ORDER BY 1`)).map((r) => ({
      name: r.name,
      unique: Number(r.nonUnique) === 0,
    }));

  it('the server takes the clauses: the index is built online and dropped online (transaction = false or not)', async () => {
    for (const transaction of [false, true]) {
      const env = await project(database.url, { transaction });
      await commands.upgrade(env);
      const conn = await database.connect();
      expect(await indexes(conn)).toEqual([{ name: 'ix_account_email', unique: true }, { name: 'PRIMARY', unique: true }]);
      await commands.downgrade(env, 'main@base');
      expect(await indexes(conn)).toEqual([]);
      await env.close();
    }
  });

  it('an index InnoDB cannot build without a lock (FULLTEXT) is refused by the server, not built with one', async () => {
    const env = await project(fulltext.url, { method: 'fulltext' });
    const error = await failure(commands.upgrade(env));
    expect(error).toMatchObject({ revision: 'c2', statement: 'CREATE FULLTEXT INDEX `ix_account_email` ON `account` (`email`) ALGORITHM=INPLACE LOCK=NONE' });
    expect(error.message).toMatch(/LOCK=NONE is not supported/);
    expect(await indexes(await fulltext.connect())).toEqual([{ name: 'PRIMARY', unique: true }]);
  });

  it('offline: the statements written as online, applied with the mariadb client', async () => {
    const check = await offline.connect();
    const flavour: Flavour = check.dialect.flavour === 'mariadb' ? 'mariadb' : 'mysql';
    const { env } = await offlineProject({ main: `${flavour}://app@db.example/main` }, { main: revisions() });
    const [script] = await commands.upgradeSql(env);
    expect(script!.sql).toContain('\nCREATE UNIQUE INDEX `ix_account_email` ON `account` (`email`) ALGORITHM=INPLACE LOCK=NONE;\n');
    expect(runClient(offline.url, script!.sql)).toMatchObject({ status: 0, stderr: '' });
    expect(await indexes(check)).toEqual([{ name: 'ix_account_email', unique: true }, { name: 'PRIMARY', unique: true }]);
    const [down] = await commands.downgradeSql(env, 'main@c2:c1');
    expect(down!.sql).toContain('\nALTER TABLE `account` DROP INDEX `ix_account_email`, ALGORITHM=INPLACE, LOCK=NONE;\n');
    expect(runClient(offline.url, down!.sql)).toMatchObject({ status: 0, stderr: '' });
    expect(await indexes(check)).toEqual([{ name: 'PRIMARY', unique: true }]);
  });
});

SQLITE!.describeOnDatabase('sqlite: concurrently through the runner', () => {
  const database = SQLITE!.useDatabase('cc_concurrent');

  it('the revision fails with UnsupportedOperationError; the revision before it stays', async () => {
    const env = await project(database.url);
    const error = await failure(commands.upgrade(env));
    expect(error).toMatchObject({ bind: 'main', revision: 'c2' });
    expect(error.cause).toBeInstanceOf(UnsupportedOperationError);
    expect(error.message).toMatch(/^\[main\] revision c2 failed: sqlite cannot create the index "ix_account_email" concurrently \(without blocking writers\) natively\./);
    const conn = await database.connect();
    expect(await versions(conn)).toEqual(['c1']);
    expect((await conn.introspectTable('account'))?.indexes).toEqual([]);
  });
});
