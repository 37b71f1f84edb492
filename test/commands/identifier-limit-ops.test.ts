// Names in hand-written ops past the databases' identifier limits, through the `migrate` binary on
// SQLite, PostgreSQL and MariaDB, online and offline (`--sql`). MariaDB refuses a name of more than
// 64 characters, in the middle of a revision whose DDL before it is committed: such an op is
// refused before anything of it is sent (IdentifierTooLongError), naming the bind, the file, the
// op, the name, its length and the limit: the table does not exist and the version table is
// unchanged; offline, no script is written. PostgreSQL keeps 63 bytes of a name and truncates a
// longer one (with a NOTICE), the same way each time: such an op runs as written, as an existing
// history (written before the check, or ported from Alembic) needs, with a `[bind] WARNING: …` line
// naming the name PostgreSQL keeps (identifier-truncation.test.ts has the rest). SQLite has no
// limit: the same revision applies. Names at the limit go through, kept exactly, and the names the
// naming convention makes for a hand-written op's constraints and indexes on long tables and
// columns are cut to fit (checked on the servers' catalogs).
import { conventionalName, DEFAULT_NAMING_CONVENTION } from '@multidb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, dialectOf, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

const PAST_PG = `${'é'.repeat(30)}abcd`; // 34 characters, 64 bytes
const AT_PG = `${'é'.repeat(30)}abc`; // 33 characters, 63 bytes
const PAST_MY = `${'t'.repeat(60)}_long`; // 65 characters
const AT_MY = 't'.repeat(64);

/** A table and two columns of 60 characters: every conventional name on them is over 63 bytes before it is cut. */
const LONG_TABLE = `${'l'.repeat(56)}_tab`;
const LONG_A = `${'a'.repeat(56)}_col`;
const LONG_B = `${'b'.repeat(56)}_col`;

const BASE = 'a1a1a1a1a1a1';
const LONG = 'b2b2b2b2b2b2';

function opsE2e(name: string, url: () => string): void {
  describe(name, () => {
    let p: TempProject;
    const dialect = () => dialectOf(url());
    const tooLong = () => (dialect() === 'mysql' ? PAST_MY : PAST_PG);
    const file = `migrations/versions/app/${LONG}_long.ts`;
    const writeLong = (table: string) =>
      p.write(
        file,
        revisionSource({
          revision: LONG,
          downRevision: BASE,
          upgrade: `await op.createTable(${JSON.stringify(table)}, [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable(${JSON.stringify(table)});`,
        }),
      );
    beforeAll(async () => {
      p = new InProcessProject([], {
        config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url())} } } });\n`,
      });
      p.write(
        `migrations/versions/app/${BASE}_base.ts`,
        revisionSource({
          revision: BASE,
          downRevision: null,
          branchLabels: ['app'],
          // Long names, left to the naming convention: the column's unique constraint and
          // reference (named when compiled), a unique constraint, an index, a foreign key.
          upgrade:
            `await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);\n` +
            `  await op.createTable(${JSON.stringify(LONG_TABLE)}, [{ name: 'id', type: 'integer', primaryKey: true }, { name: ${JSON.stringify(LONG_A)}, type: 'integer', unique: true, references: 'parent.id' }, { name: ${JSON.stringify(LONG_B)}, type: 'integer' }]);\n` +
            `  await op.createUniqueConstraint(null, ${JSON.stringify(LONG_TABLE)}, [${JSON.stringify(LONG_A)}, ${JSON.stringify(LONG_B)}]);\n` +
            `  await op.createIndex(null, ${JSON.stringify(LONG_TABLE)}, [${JSON.stringify(LONG_B)}, ${JSON.stringify(LONG_A)}]);\n` +
            `  await op.createForeignKey(null, ${JSON.stringify(LONG_TABLE)}, 'parent', [${JSON.stringify(LONG_B)}], ['id']);`,
        }),
      );
    });
    afterAll(() => p?.remove());

    it('applies the conventional names of a hand-written op cut to fit (at most 63 bytes, as the models path cuts them)', async () => {
      await p.ok('upgrade', BASE);
      const names = (await constraintAndIndexNames(url(), LONG_TABLE, p.dir)).filter((n) => n !== 'PRIMARY' && !/pkey$|^sqlite_autoindex/.test(n));
      const convention = (kind: 'uq' | 'ix' | 'fk', columns: string[], referredTable?: string) =>
        conventionalName(DEFAULT_NAMING_CONVENTION, kind, { table: LONG_TABLE, columns, ...(referredTable ? { referredTable } : {}) });
      const expected = [
        convention('uq', [LONG_A]),
        convention('uq', [LONG_A, LONG_B]),
        convention('ix', [LONG_B, LONG_A]),
        ...(dialect() === 'sqlite' ? [] : [convention('fk', [LONG_A], 'parent'), convention('fk', [LONG_B], 'parent')]),
      ];
      for (const n of expected) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
      expect(names).toEqual(expect.arrayContaining(expected));
      expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([BASE]);
    });

    it('createTable with a name past the limit: MariaDB refused before anything is sent; PostgreSQL applied with a warning (truncated); SQLite applied', async () => {
      const name = tooLong();
      writeLong(name);
      const tablesBefore = await tablesAt(url(), { baseDir: p.dir });
      const out = await p.run('upgrade');
      if (dialect() !== 'mysql') {
        expect(out.code, out.stderr).toBe(0);
        if (dialect() === 'postgres') {
          expect(out.stderr).toContain(
            `[app] WARNING: op.createTable('${name}') in revision ${LONG} of bind 'app' (${p.dir}/${file}) names table '${name}' (64 bytes): the database will use '${AT_PG}'. ` +
              'postgres keeps at most 63 bytes of a name and truncates a longer one',
          );
        } else expect(out.stderr).not.toContain('WARNING');
        expect(await tablesAt(url(), { baseDir: p.dir })).toContain(dialect() === 'postgres' ? AT_PG : name);
        await p.ok('downgrade', 'app@-1');
        expect(await tablesAt(url(), { baseDir: p.dir })).toEqual(tablesBefore);
        return;
      }
      expect(out.code, out.stdout + out.stderr).toBe(1);
      const error = out.stderr;
      expect(error).toContain(`[app] revision ${LONG} failed: op.createTable('${name}') names table '${name}' (`);
      expect(error).toContain(`(65 characters), longer than mysql keeps a name (at most 64 characters). The database refuses a longer name.`);
      expect(error).toContain(`Nothing of this op was sent or written. Shorten it in revision ${LONG} of bind 'app' (${p.dir}/${file})`);
      expect(error).toContain(`file: ${p.dir}/${file}`);
      expect(error).toContain(`nothing of it was applied (it failed before its first write); 'app' stays at ${BASE}.`);
      // Nothing ran: no table (under the name or a cut one), the version table as it was.
      expect(await tablesAt(url(), { baseDir: p.dir })).toEqual(tablesBefore);
      expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([BASE]);
    });

    it('offline (--sql): the same refusal, and no script (PostgreSQL: the script, with the warning)', async () => {
      const name = tooLong();
      writeLong(name);
      const out = await p.run('upgrade', '--sql', `${BASE}:head`);
      if (dialect() !== 'mysql') {
        expect(out.code, out.stderr).toBe(0);
        expect(out.stdout).toContain(`CREATE TABLE "${name}"`);
        if (dialect() === 'postgres') expect(out.stderr).toContain(`[app] WARNING: op.createTable('${name}') in revision ${LONG} of bind 'app' (${p.dir}/${file}) names table '${name}' (64 bytes)`);
        return;
      }
      expect(out.code, out.stdout + out.stderr).toBe(1);
      expect(out.stdout).not.toContain('CREATE TABLE');
      expect(out.stderr).toContain(`op.createTable('${name}') names table '${name}' (65 characters`);
      expect(out.stderr).toContain(`revision ${LONG} of bind 'app'`);
    });

    it('names at the limit go through and are kept exactly', async () => {
      const name = dialect() === 'mysql' ? AT_MY : AT_PG;
      writeLong(name);
      await p.ok('upgrade');
      expect(await tablesAt(url(), { baseDir: p.dir })).toContain(name);
      expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([LONG]);
    });
  });
}

/** The names of a table's indexes and constraints, from the database's catalog. */
async function constraintAndIndexNames(url: string, table: string, baseDir: string): Promise<string[]> {
  switch (dialectOf(url)) {
    case 'sqlite': {
      // Constraint names live in the CREATE TABLE text.
      const rows = await queryUrl<{ name: string; sql: string | null; type: string }>(url, 'SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?', [table], { baseDir });
      return rows.flatMap((r) => (r.type === 'index' ? [r.name] : [...(r.sql ?? '').matchAll(/CONSTRAINT "([^"]+)"/g)].map((m) => m[1]!)));
    }
    case 'postgres':
      return (
        await queryUrl<{ n: string }>(
          url,
          `SELECT conname AS n FROM pg_constraint WHERE conrelid = $1::regclass UNION SELECT indexname FROM pg_indexes WHERE tablename = $2`,
          [`"${table}"`, table],
        )
      ).map((r) => r.n);
    case 'mysql':
      return (
        await queryUrl<{ n: string }>(
          url,
          `SELECT CONSTRAINT_NAME AS n FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? UNION SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
          [table, table],
        )
      ).map((r) => r.n);
  }
}

opsE2e('identifier limits of hand-written ops on SQLite (none)', () => 'sqlite:.data/app.db');

describeWithServers('identifier limits of hand-written ops on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('ops_identifier_limits', { pg: 'postgres', my: 'mysql' });
  opsE2e('PostgreSQL', () => dbs.pg.url);
  opsE2e('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'));
});
