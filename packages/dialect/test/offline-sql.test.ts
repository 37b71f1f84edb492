// Offline mode (`migrate upgrade --sql`): the scripts each dialect writes for a small revision set,
// exactly (test/fixtures/offline/<case>.<flavour>.sql, read and checked line by line); the errors of
// ops that need the live schema and of op.db reads; and, on a real database of each dialect, the
// script applied with the dialect's own client (sqlite3, psql, mariadb) leaves the same table,
// rows and version table as an online upgrade.
import { readFileSync } from 'node:fs';
import { commands, OfflineError, OfflineScriptWriter, RevisionError, type DialectConnection, type MigrationEnvironment } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, type Flavour, type TestDialect } from './support/dialects.js';
import { offlineProject, runClient, type RevisionFile } from './support/offline-project.js';

/**
 * aa01 creates a table and inserts rows (a quote, NULLs, a date); aa02 writes through op.db
 * (insert, update, delete with parameters), op.execute with op.inlineLiteral, and changes a column
 * type (a rebuild on SQLite, from what aa01 created); aa03 has `transaction = false` and adds a
 * unique constraint (a rebuild on SQLite, in a transaction of its own) and an index; aa04 inserts
 * rows with different keys and deletes one.
 */
const MAIN: readonly RevisionFile[] = [
  {
    revision: 'aa01',
    down: null,
    message: 'create artist',
    upgrade: `
  await op.createTable('artist', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(20)' },
    { name: 'born', type: 'datetime' },
  ]);
  await op.bulkInsert('artist', [
    { id: 1, name: "O'Reilly", born: new Date('1970-01-31T12:00:00Z') },
    { id: 2, name: null, born: null },
  ]);`,
    downgrade: `  await op.dropTable('artist');`,
  },
  {
    revision: 'aa02',
    down: 'aa01',
    message: 'data and a rebuild',
    upgrade: `
  // Online, op.db on SQLite binds no Date (better-sqlite3 refuses it): the same instant as ISO text there.
  const born = new Date('2001-02-03T04:05:06Z');
  await op.db.insertInto('artist').values({ id: 3, name: "Back\\\\slash 'q'", born: op.dialectName === 'sqlite' ? born.toISOString() : born }).execute();
  await op.db.updateTable('artist').set({ name: 'Zoë' }).where('id', '=', 1).execute();
  await op.db.deleteFrom('artist').where('name', '=', "it's").where('born', 'is', null).execute();
  await op.execute(\`UPDATE artist SET name = \${op.inlineLiteral("D'Arcy")} WHERE id = 2\`);
  await op.alterColumn('artist', 'name', { type: 'varchar(40)' });`,
  },
  {
    revision: 'aa03',
    down: 'aa02',
    message: 'constraints without a transaction',
    extra: 'export const transaction = false;',
    upgrade: `
  await op.createUniqueConstraint(null, 'artist', ['name']);
  await op.createIndex(null, 'artist', ['born']);`,
  },
  {
    revision: 'aa04',
    down: 'aa03',
    message: 'more rows',
    upgrade: `
  await op.bulkInsert('artist', [{ id: 4, name: 'Four', born: null }, { id: 5, name: 'Five' }]);
  await op.db.deleteFrom('artist').where('id', '=', 4).execute();`,
  },
];

/** Parameters as each flavour writes them: a quote, a backslash, NULL, a date, booleans, bytes, JSON. */
const PARAMETERS: readonly unknown[] = ["O'Reilly \\ Co", null, new Date('2024-01-31T12:00:00Z'), true, false, Buffer.from([0, 255]), { tags: ['a'] }, 12.5];

const RENDERED: Readonly<Record<Flavour, { sql: string; rendered: string }>> = {
  sqlite: {
    sql: "insert into \"t\" values (?, ?, ?, ?, ?, ?, ?, ?) -- a '?' in a comment stays\n/* and ? here */ ",
    rendered: "insert into \"t\" values ('O''Reilly \\ Co', NULL, '2024-01-31T12:00:00.000Z', 1, 0, X'00ff', '{\"tags\":[\"a\"]}', 12.5) -- a '?' in a comment stays\n/* and ? here */;",
  },
  postgres: {
    sql: "insert into \"t\" values ($1, $2, $3, $4, $5, $6, $7, $8) -- $9 in a comment stays\n",
    // Numbers and booleans quoted as pg sends them: text of unknown type, read as the column's type.
    rendered: "insert into \"t\" values ('O''Reilly \\ Co', NULL, '2024-01-31T12:00:00.000Z', 'true', 'false', '\\x00ff'::bytea, '{\"tags\":[\"a\"]}', '12.5') -- $9 in a comment stays\n;",
  },
  mysql: {
    sql: "insert into `t` values (?, ?, ?, ?, ?, ?, ?, ?) # a ? in a comment stays",
    rendered: "insert into `t` values ('O''Reilly \\\\ Co', NULL, '2024-01-31 12:00:00.000', 1, 0, X'00ff', '{\"tags\":[\"a\"]}', 12.5) # a ? in a comment stays\n;",
  },
  mariadb: {
    sql: "insert into `t` values (?, ?, ?, ?, ?, ?, ?, ?);",
    rendered: "insert into `t` values ('O''Reilly \\\\ Co', NULL, '2024-01-31 12:00:00.000', 1, 0, X'00ff', '{\"tags\":[\"a\"]}', 12.5);",
  },
};

/** A URL per flavour: offline, only its scheme matters (nothing connects). */
const URLS: Readonly<Record<Flavour, string>> = {
  sqlite: 'sqlite:.data/main.db',
  postgres: 'postgres://app@db.example/main',
  mysql: 'mysql://app@db.example/main',
  mariadb: 'mariadb://app@db.example/main',
};

/** The expected script of a case for a flavour; MySQL's differs from MariaDB's only in its header. */
function expected(name: string, flavour: Flavour): string {
  if (flavour === 'mysql') {
    return expected(name, 'mariadb').replace("bind 'main' (mariadb)", "bind 'main' (mysql)").replace('run it with: mariadb ', 'run it with: mysql ');
  }
  return readFileSync(new URL(`./fixtures/offline/${name}.${flavour}.sql`, import.meta.url), 'utf8');
}

/** A name quoted as the dialect quotes it. */
const q = (dialect: { quoteIdentifier(name: string): string }, name: string) => dialect.quoteIdentifier(name);

/** Compares line by line, so a difference names its line. */
function expectScript(actual: string, want: string): void {
  expect(actual.split('\n')).toEqual(want.split('\n'));
}

async function project(flavour: Flavour): Promise<MigrationEnvironment> {
  return (await offlineProject({ main: URLS[flavour] }, { main: MAIN })).env;
}

async function offlineError(promise: Promise<unknown>): Promise<OfflineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OfflineError);
  return error as OfflineError;
}

for (const d of DIALECTS) {
  describe(`${d.name}: offline scripts`, () => {
    for (const [flavour, dialect] of d.flavours) {
      describe(flavour, () => {
        it('renderStatement writes parameters as literals (not in strings or comments) and ends with ;', () => {
          const { sql, rendered } = RENDERED[flavour];
          expect(dialect.offline.renderStatement({ sql, parameters: PARAMETERS })).toBe(rendered);
          const one = flavour === 'postgres' ? 'select $1' : 'select ?';
          expect(dialect.offline.renderStatement({ sql: `${one} as "x"`.replace(/"/g, flavour === 'postgres' || flavour === 'sqlite' ? '"' : '`'), parameters: ["it's ?"] })).toMatch(/^select 'it''s \?' as .x.;$/);
          // Without parameters the text is left as it is (mysql2 too sends a statement without values unchanged).
          expect(dialect.offline.renderStatement({ sql: one, parameters: [] })).toBe(`${one};`);
          const two = flavour === 'postgres' ? 'select $1, $2' : 'select ?, ?';
          expect(() => dialect.offline.renderStatement({ sql: two, parameters: [1] })).toThrow(/placeholder for parameter 2 but 1 parameter/);
          expect(() => dialect.offline.renderStatement({ sql: one, parameters: [1, 2] })).toThrow(/2 parameter\(s\) but placeholders for 1/);
          expect(() => dialect.offline.renderStatement({ sql: one, parameters: [Number.NaN] })).toThrow(/Cannot write NaN/);
        });

        it('upgrade from base: prologue, version table first, each revision in the transactions of an online run, data as literals', async () => {
          const scripts = await commands.upgradeSql(await project(flavour));
          expect(scripts.map((s) => [s.bind, s.dialect, s.from, s.to])).toEqual([['main', flavour, [], ['aa04']]]);
          expectScript(scripts[0]!.sql, expected('upgrade', flavour));
        });

        it("transactionMode 'per-run': one transaction across revisions where DDL rolls back (a transaction = false revision ends it)", async () => {
          const begins = (sql: string) => sql.split('\n').filter((l) => /^BEGIN( IMMEDIATE)?;$/.test(l)).length;
          const commits = (sql: string) => sql.split('\n').filter((l) => l === 'COMMIT;').length;
          const [perRevision] = await commands.upgradeSql(await project(flavour));
          const { env } = await offlineProject({ main: URLS[flavour] }, { main: MAIN }, { transactionMode: 'per-run' });
          const [perRun] = await commands.upgradeSql(env);
          // per revision: aa01, aa02, aa03's version update (and on SQLite its rebuild), aa04.
          // MySQL: none (each DDL statement commits; every statement commits on its own).
          expect(begins(perRevision!.sql)).toBe(dialect.capabilities.transactionalDdl ? (flavour === 'sqlite' ? 5 : 4) : 0);
          // per run: aa01 and aa02 together, then aa03's own, then aa04 (MySQL: as per revision).
          expect(begins(perRun!.sql)).toBe(dialect.capabilities.transactionalDdl ? (flavour === 'sqlite' ? 4 : 3) : 0);
          expect(commits(perRun!.sql)).toBe(begins(perRun!.sql));
          if (dialect.capabilities.transactionalDdl) {
            const aa02 = perRun!.sql.indexOf('-- Running upgrade aa01 -> aa02');
            expect(perRun!.sql.slice(aa02 - 40, aa02)).not.toContain('COMMIT;');
          }
        });

        it('a revision without ops is its version-table update, never an empty transaction; a merge changes the rows in one transaction', async () => {
          const { env } = await offlineProject(
            { main: URLS[flavour] },
            {
              main: [
                { revision: 'bb01', down: null, message: 'root', upgrade: '' },
                { revision: 'bb2a', down: 'bb01', message: 'left', upgrade: '' },
                { revision: 'bb2b', down: 'bb01', message: 'right', upgrade: '' },
                { revision: 'bb03', down: ['bb2a', 'bb2b'], message: 'merge', upgrade: '' },
              ],
            },
          );
          const [script] = await commands.upgradeSql(env, ['main@bb01:heads']);
          const sql = script!.sql;
          const lines = sql.split('\n');
          // No BEGIN directly followed by COMMIT (SQLite's BEGIN IMMEDIATE and its pragmas too).
          lines.forEach((line, i) => expect(/^BEGIN( IMMEDIATE)?;$/.test(line) && lines[i + 1] === 'COMMIT;', `line ${i + 1}`).toBe(false));
          if (dialect.capabilities.transactionalDdl) {
            const begin = flavour === 'sqlite' ? 'BEGIN IMMEDIATE;' : 'BEGIN;';
            expect(sql).toContain(`\n${begin}\nupdate ${q(dialect, 'multidb_version')} set`);
            return;
          }
          const body = sql.slice(sql.indexOf('-- Running upgrade'));
          expectScript(
            body,
            [
              '-- Running upgrade bb01 -> bb2a, left',
              "update `multidb_version` set `version_num` = 'bb2a' where `version_num` = 'bb01';",
              '',
              '-- Running upgrade bb01 -> bb2b, right',
              "insert into `multidb_version` (`version_num`) values ('bb2b');",
              '',
              '-- Running upgrade bb2a, bb2b -> bb03, merge',
              'BEGIN;',
              "delete from `multidb_version` where `version_num` in ('bb2a', 'bb2b');",
              "insert into `multidb_version` (`version_num`) values ('bb03');",
              'COMMIT;',
              '',
            ].join('\n'),
          );
        });

        it('a range from a revision: no version table creation, the version row updated', async () => {
          const [script] = await commands.upgradeSql(await project(flavour), ['main@aa03:aa04']);
          expectScript(script!.sql, expected('range', flavour));
        });

        it('a revision range without the bind means the same', async () => {
          const env = await project(flavour);
          const [script] = await commands.upgradeSql(env, ['aa03:head']);
          expectScript(script!.sql, expected('range', flavour));
        });

        it('stamp from base creates the version table and inserts the head', async () => {
          const scripts = await commands.stampSql(await project(flavour), ['main@head']);
          expect(scripts).toHaveLength(1);
          expectScript(scripts[0]!.sql, expected('stamp', flavour));
        });

        it('a writer used again (stamp, then stamp) leaves the script it returned first as it was', async () => {
          const env = await project(flavour);
          const writer = new OfflineScriptWriter({ bind: 'main', dialect: await env.dialect('main'), versionTable: env.versionTable('main'), namingConvention: env.namingConvention, transactionMode: 'per-revision' });
          const first = writer.stamp({ bind: 'main', from: ['aa01'], to: ['aa02'] });
          const second = writer.stamp({ bind: 'main', from: ['aa02'], to: ['aa03'] });
          expect(first.sql).toContain("'aa02'");
          expect(first.sql).not.toContain("'aa03'");
          expect(second.sql).toContain("'aa03'");
        });

        it('stamp between revisions updates the row; --purge is refused offline, as Alembic', async () => {
          const env = await project(flavour);
          const dialect = await env.dialect('main');
          const render = (sql: string) => dialect.offline.renderStatement({ sql, parameters: [] });
          const q = (name: string) => dialect.quoteIdentifier(name);
          const [between] = await commands.stampSql(env, ['main@aa01:aa03']);
          expect(between!.sql).toContain(`\n${render(`update ${q('multidb_version')} set ${q('version_num')} = 'aa03' where ${q('version_num')} = 'aa01'`)}\n`);
          expect(between!.sql).not.toContain('create table');
          await expect(commands.stampSql(env, ['main@aa01:aa03'], { purge: true })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/purge cannot be used offline/) });
          expect(await commands.stampSql(env, ['main@aa03:aa03'])).toEqual([]);
        });

        it('downgrade from a revision to base, and a downgrade without FROM is refused', async () => {
          const env = await project(flavour);
          const [script] = await commands.downgradeSql(env, 'main@aa01:base');
          expectScript(script!.sql, expected('downgrade', flavour));
          await expect(commands.downgradeSql(env, 'main@-1')).rejects.toThrow(RevisionError);
          await expect(commands.downgradeSql(env, 'main@-1')).rejects.toThrow(/needs a range FROM:TO.*'main@head:base'/);
        });
      });
    }

    if (d.name === 'mysql') {
      it('mysql: a statement with ; inside (a trigger body) is wrapped in DELIMITER lines for the client', () => {
        const body = 'CREATE TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = ?; SET NEW.b = \';\'; END';
        expect(d.dialect.offline.renderStatement({ sql: body, parameters: ['x'] })).toBe(
          "DELIMITER //\nCREATE TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = 'x'; SET NEW.b = ';'; END\n//\nDELIMITER ;",
        );
        expect(d.dialect.offline.renderStatement({ sql: "select ';'", parameters: [] })).toBe("select ';';");
      });
    }
    if (d.name === 'postgres') {
      it('postgres: an array parameter as array text (as pg binds it); $n inside $$ quotes stays', () => {
        expect(d.dialect.offline.renderStatement({ sql: 'select $1::text[], $$ $1 $$, $tag$ $2 $tag$, E\'\\\' $2\'', parameters: [['a', 'b"c\\', null]] })).toBe(
          "select '{\"a\",\"b\\\"c\\\\\",NULL}'::text[], $$ $1 $$, $tag$ $2 $tag$, E'\\' $2';",
        );
      });
    }

    describe('what offline mode cannot know', () => {
      /** One branch per case, each a single revision on a table the script did not create. */
      const errorCases = (flavour: Flavour) =>
        offlineProject(
          { alter: URLS[flavour], alterexisting: URLS[flavour], reads: URLS[flavour], rebuild: URLS[flavour], copyfrom: URLS[flavour] },
          {
            alter: [{ revision: 'e1', down: null, message: 'alter', upgrade: `  await op.alterColumn('invoice', 'total', { nullable: false });` }],
            alterexisting: [
              { revision: 'e2', down: null, message: 'alter', upgrade: `  await op.alterColumn('invoice', 'total', { nullable: false, existing: { type: 'numeric(10,2)' } });` },
            ],
            reads: [{ revision: 'e3', down: null, message: 'reads', upgrade: `  const rows = await op.db.selectFrom('invoice').selectAll().execute();` }],
            rebuild: [{ revision: 'e4', down: null, message: 'rebuild', upgrade: `  await op.batchAlterTable('invoice', (b) => b.dropColumn('note'), { recreate: 'always' });` }],
            copyfrom: [
              {
                revision: 'e5',
                down: null,
                message: 'rebuild with copyFrom',
                upgrade: `
  const copyFrom = { name: 'invoice', columns: [{ name: 'id', type: { name: 'integer', args: [], modifiers: [], array: false }, nullable: false, primaryKey: true }, { name: 'note', type: { name: 'text', args: [], modifiers: [], array: false }, nullable: true }], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] };
  await op.batchAlterTable('invoice', (b) => b.dropColumn('note'), { recreate: 'always', copyFrom });`,
              },
            ],
          },
        ).then((p) => p.env);

      for (const [flavour] of d.flavours) {
        it(`${flavour}: an op.db read fails, naming the bind, revision, file and op.db`, async () => {
          const env = await errorCases(flavour);
          const error = await offlineError(commands.upgradeSql(env, ['reads@head']));
          expect(error).toMatchObject({ bind: 'reads', revision: 'e3', op: 'op.db', code: 'OFFLINE' });
          expect(error.file).toMatch(/e3_rev\.ts$/);
          expect(error.message).toMatch(/^\[reads\] revision e3 cannot be written offline: op\.db: the query reads rows \(select \* from .invoice.\), and offline there is no database to read/);
        });
      }

      const alter: Partial<Record<Flavour, 'compiles' | string>> = { sqlite: 'copyFrom', postgres: 'compiles', mysql: 'existing.type', mariadb: 'existing.type' };
      for (const [flavour] of d.flavours) {
        it(`${flavour}: an alterColumn without its existing… fields on a table the script did not create`, async () => {
          const env = await errorCases(flavour);
          if (alter[flavour] === 'compiles') {
            // PostgreSQL alters one attribute at a time: the live shape is not needed.
            const [script] = await commands.upgradeSql(env, ['alter@head']);
            expect(script!.sql).toContain('\nALTER TABLE "invoice" ALTER COLUMN "total" SET NOT NULL;\n');
            return;
          }
          const error = await offlineError(commands.upgradeSql(env, ['alter@head']));
          expect(error).toMatchObject({ bind: 'alter', revision: 'e1', op: "op.alterColumn('invoice', 'total')", table: 'invoice', field: alter[flavour] });
          expect(error.message).toContain("it needs the current shape of table 'invoice', which offline mode cannot read (no revision up to this one created it)");
          expect(error.message).toContain(flavour === 'sqlite' ? 'pass it as copyFrom' : "pass existing: { type: '…' }");
        });
      }

      for (const [flavour] of d.flavours) {
        it(`${flavour}: a batch rebuild of a table the script did not create needs copyFrom (SQLite); with copyFrom it compiles`, async () => {
          const env = await errorCases(flavour);
          if (flavour === 'sqlite') {
            const error = await offlineError(commands.upgradeSql(env, ['rebuild@head']));
            expect(error).toMatchObject({ bind: 'rebuild', revision: 'e4', op: "op.batchAlterTable('invoice')", table: 'invoice', field: 'copyFrom' });
            const [script] = await commands.upgradeSql(env, ['copyfrom@head']);
            expect(script!.sql).toContain('\nINSERT INTO "_multidb_tmp_invoice" ("id") SELECT "id" FROM "invoice";\nDROP TABLE "invoice";\n');
          } else {
            // Elsewhere a batch is plain ALTERs: nothing to rebuild.
            const [script] = await commands.upgradeSql(env, ['rebuild@head']);
            expect(script!.sql).toContain(`\nALTER TABLE ${d.dialect.quoteIdentifier('invoice')} DROP COLUMN ${d.dialect.quoteIdentifier('note')};\n`);
          }
        });
      }

      if (d.name === 'mysql') {
        it('mysql: with existing.type the MODIFY COLUMN is written', async () => {
          const [script] = await commands.upgradeSql(await errorCases('mariadb'), ['alterexisting@head']);
          expect(script!.sql).toContain('\nALTER TABLE `invoice` MODIFY COLUMN `total` decimal(10,2) NOT NULL;\n');
        });
      }
    });

    onDatabase(d);
  });
}

/** The URL a project of this dialect uses for `url`: the server's flavour decides MySQL's scheme. */
function projectUrl(url: string, flavour: string | undefined): string {
  return flavour === 'mariadb' ? url.replace(/^mysql:/, 'mariadb:') : url;
}

function onDatabase(d: TestDialect): void {
  d.describeOnDatabase('applied with the command-line client, the script equals an online upgrade', () => {
    const offline = d.useDatabase('offline_sql_applied');
    const online = d.useDatabase('offline_sql_online');

    it('same table, rows and version table', async () => {
      const check = await online.connect();
      const flavour = check.dialect.flavour;
      const { env: onlineEnv } = await offlineProject({ main: projectUrl(online.url, flavour) }, { main: MAIN });
      await commands.upgrade(onlineEnv);
      await onlineEnv.close();

      const { env } = await offlineProject({ main: projectUrl(offline.url, flavour) }, { main: MAIN });
      const [script] = await commands.upgradeSql(env);
      const applied = await offline.connect();
      expect(await applied.introspectTable('artist')).toBeUndefined(); // the offline command touched nothing
      const run = runClient(offline.url, script!.sql);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe('');

      const state = async (conn: typeof check) => ({
        table: await conn.introspectTable('artist'),
        rows: await conn.execute({ sql: `SELECT * FROM ${d.dialect.quoteIdentifier('artist')} ORDER BY 1`, parameters: [] }),
        versions: await conn.execute({ sql: `SELECT version_num FROM multidb_version`, parameters: [] }),
      });
      const want = await state(check);
      expect(want.rows).toHaveLength(4);
      expect(want.rows.map((r) => r.name)).toEqual(['Zoë', "D'Arcy", "Back\\slash 'q'", 'Five']);
      expect(await state(await offline.connect())).toEqual(want);
    });

    if (d.name === 'sqlite') {
      it('sqlite: a foreign-key violation fails the script at COMMIT, as online, and nothing of the revision stays', async () => {
        const { env } = await offlineProject(
          { main: offline.url },
          {
            main: [
              {
                revision: 'fk01',
                down: null,
                message: 'orphan',
                upgrade: `
  await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', references: 'parent.id' }]);
  await op.bulkInsert('child', [{ id: 1, parent_id: 42 }]);`,
              },
            ],
          },
        );
        const [script] = await commands.upgradeSql(env);
        const run = runClient(offline.url, script!.sql);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain('CHECK constraint failed: foreign_key_check');
        const conn = await offline.connect();
        expect(await conn.introspectTable('child')).toBeUndefined();
        expect(await conn.execute({ sql: 'SELECT version_num FROM multidb_version', parameters: [] })).toEqual([]);
      });

      it('sqlite: a script that only creates tables and indexes is short: no temporary check tables, one statement that reads the foreign keys before each COMMIT', async () => {
        const { env } = await offlineProject(
          { main: offline.url },
          {
            main: [
              {
                revision: 'ct01',
                down: null,
                message: 'tables',
                upgrade: `
  await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', references: 'parent.id' }]);
  await op.createIndex('ix_child_parent_id', 'child', ['parent_id']);`,
              },
            ],
          },
        );
        const [script] = await commands.upgradeSql(env);
        expectScript(
          script!.sql,
          [
            "-- multidb offline script: bind 'main' (sqlite), upgrade <base> -> ct01",
            '-- Written without connecting; run it with: sqlite3 -bail DATABASE < FILE',
            'PRAGMA foreign_keys = ON;',
            '',
            'create table if not exists "multidb_version" ("version_num" varchar(32) not null primary key) without rowid;',
            '',
            '-- Running upgrade <base> -> ct01, tables',
            'PRAGMA foreign_keys = OFF;',
            'BEGIN IMMEDIATE;',
            'CREATE TABLE "parent" (',
            '  "id" integer NOT NULL CONSTRAINT "pk_parent" PRIMARY KEY',
            ');',
            'CREATE TABLE "child" (',
            '  "id" integer NOT NULL CONSTRAINT "pk_child" PRIMARY KEY,',
            '  "parent_id" integer CONSTRAINT "fk_child_parent_id_parent" REFERENCES "parent" ("id")',
            ');',
            'CREATE INDEX "ix_child_parent_id" ON "child" ("parent_id");',
            `insert into "multidb_version" ("version_num") values ('ct01');`,
            'SELECT 1 FROM (SELECT count(*) AS "rows" FROM pragma_foreign_key_check) WHERE "rows" < 0;',
            'COMMIT;',
            'PRAGMA foreign_keys = ON;',
            '',
          ].join('\n'),
        );
        const run = runClient(offline.url, script!.sql);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toBe('');
        const conn = await offline.connect();
        expect(await conn.introspectTable('child')).toBeDefined();
      });

      it('sqlite: a table created with a foreign key to columns that are no key fails the script with foreign key mismatch, as online, and nothing of it stays', async () => {
        const { env } = await offlineProject(
          { main: offline.url },
          {
            main: [
              {
                revision: 'mm01',
                down: null,
                message: 'no key',
                upgrade: `
  await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'text' }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'text', references: 'parent.code' }]);`,
              },
            ],
          },
        );
        const [script] = await commands.upgradeSql(env);
        expect(script!.sql).not.toContain('multidb_foreign_key_');
        const run = runClient(offline.url, script!.sql);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain('foreign key mismatch - "child" referencing "parent"');
        const conn = await offline.connect();
        expect(await conn.introspectTable('child')).toBeUndefined();
        expect(await conn.execute({ sql: 'SELECT version_num FROM multidb_version', parameters: [] })).toEqual([]);
      });

      for (const transactionMode of ['per-revision', 'per-run'] as const) {
        it(`sqlite (${transactionMode}): after revisions that only create tables, one that drops a referred table still fails the script at COMMIT`, async () => {
          const revisions: readonly RevisionFile[] = [
            {
              revision: 'dr01',
              down: null,
              message: 'tables',
              upgrade: `
  await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', references: 'parent.id' }]);`,
            },
            { revision: 'dr02', down: 'dr01', message: 'index', upgrade: `\n  await op.createIndex('ix_child_parent_id', 'child', ['parent_id']);` },
            {
              revision: 'dr03',
              down: 'dr02',
              message: 'rows, then the parent dropped',
              upgrade: `
  await op.bulkInsert('parent', [{ id: 1 }]);
  await op.bulkInsert('child', [{ id: 1, parent_id: 1 }]);
  await op.dropTable('parent');`,
            },
          ];
          const { env } = await offlineProject({ main: offline.url }, { main: revisions }, { transactionMode });
          const [script] = await commands.upgradeSql(env);
          const sql = script!.sql;
          // The check's tables are made once, right before the first revision that may break a row.
          expect(sql.split('\n').filter((l) => l.startsWith('CREATE TEMP VIEW IF NOT EXISTS temp."multidb_foreign_key_counts"'))).toHaveLength(1);
          expect(sql.indexOf('multidb_foreign_key_counts')).toBeGreaterThan(sql.indexOf('ix_child_parent_id'));
          const run = runClient(offline.url, sql);
          expect(run.status).not.toBe(0);
          expect(run.stderr).toContain('CHECK constraint failed: foreign_key_check');
          const conn = await offline.connect();
          // Per revision, dr01 and dr02 committed and dr03 did not; per run, the one transaction did not.
          if (transactionMode === 'per-run') expect(await conn.introspectTable('parent')).toBeUndefined();
          else {
            expect(await conn.execute({ sql: 'SELECT id FROM "parent"', parameters: [] })).toEqual([]);
            expect(await conn.execute({ sql: 'SELECT version_num FROM multidb_version', parameters: [] })).toEqual([{ version_num: 'dr02' }]);
          }
        });
      }

      it('sqlite: rows that broke a foreign key before the script are not blamed on it; a revision that adds one still fails it', async () => {
        const conn = await offline.connect();
        const sql = (text: string) => conn.execute({ sql: text, parameters: [] });
        // An orphan written with foreign keys off (SQLite's default elsewhere), before any revision.
        await sql('PRAGMA foreign_keys = OFF');
        await sql('CREATE TABLE "parent" ("id" integer PRIMARY KEY)');
        await sql('CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))');
        await sql('INSERT INTO "child" VALUES (1, 42)');
        await sql('PRAGMA foreign_keys = ON');
        const { env } = await offlineProject(
          { main: offline.url },
          {
            main: [
              { revision: 'lg01', down: null, message: 'unrelated', upgrade: `\n  await op.createTable('fresh', [{ name: 'id', type: 'integer', primaryKey: true }]);` },
              { revision: 'lg02', down: 'lg01', message: 'another orphan', upgrade: `\n  await op.bulkInsert('child', [{ id: 2, parent_id: 43 }]);` },
            ],
          },
        );
        const [first] = await commands.upgradeSql(env, ['lg01']);
        const ran = runClient(offline.url, first!.sql);
        expect(ran.status, ran.stderr).toBe(0);
        expect(await conn.introspectTable('fresh')).toBeDefined();
        const [second] = await commands.upgradeSql(env, ['lg01:lg02']);
        const failed = runClient(offline.url, second!.sql);
        expect(failed.status).not.toBe(0);
        expect(failed.stderr).toContain('CHECK constraint failed: foreign_key_check');
        expect(await sql('SELECT "id", "parent_id" FROM "child" ORDER BY "id"')).toEqual([{ id: 1, parent_id: 42 }]);
        expect(await sql('SELECT version_num FROM multidb_version')).toEqual([{ version_num: 'lg01' }]);
      });
    }
  });

  if (d.name === 'postgres') {
    d.describeOnDatabase('postgres: numbers and booleans are written as pg binds them, so the script runs where an online upgrade does', () => {
      const offline = d.useDatabase('offline_sql_typed_applied');
      const online = d.useDatabase('offline_sql_typed_online');

      it('a number goes into a boolean column and compares with a varchar one; a boolean compares with a text one', async () => {
        // pg sends every parameter as text of unknown type, which PostgreSQL reads as the column's
        // type: rows exported from SQLite or MySQL (flags as 0/1) and codes compared as numbers work.
        const revisions: readonly RevisionFile[] = [
          {
            revision: 'ty01',
            down: null,
            message: 'typed by the column',
            upgrade: `
  await op.createTable('flag', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'enabled', type: 'boolean' },
    { name: 'code', type: 'varchar(10)' },
    { name: 'note', type: 'text' },
  ]);
  await op.bulkInsert('flag', [{ id: 1, enabled: 1, code: '1001', note: 'true' }, { id: 2, enabled: 0, code: '1002', note: 'false' }]);
  await op.db.updateTable('flag').set({ enabled: 1 }).where('code', '=', 1002).execute();
  await op.db.updateTable('flag').set({ code: 7 }).where('note', '=', true).execute();
  await op.execute('UPDATE flag SET note = $1 WHERE id = $2', [12.5, 2n]);`,
          },
        ];
        const { env: onlineEnv } = await offlineProject({ main: online.url }, { main: revisions });
        await commands.upgrade(onlineEnv);
        await onlineEnv.close();

        const { env } = await offlineProject({ main: offline.url }, { main: revisions });
        const [script] = await commands.upgradeSql(env);
        expect(script!.sql).toContain(`insert into "flag" ("code", "enabled", "id", "note") values ('1001', '1', '1', 'true'), ('1002', '0', '2', 'false');`);
        const run = runClient(offline.url, script!.sql);
        expect(run.status, run.stderr).toBe(0);

        const rows = async (conn: DialectConnection) => conn.execute({ sql: 'SELECT * FROM "flag" ORDER BY "id"', parameters: [] });
        const want = await rows(await online.connect());
        expect(want).toEqual([
          { id: 1, enabled: true, code: '7', note: 'true' },
          { id: 2, enabled: true, code: '1002', note: '12.5' },
        ]);
        expect(await rows(await offline.connect())).toEqual(want);
      });
    });
  }
}
