// The version table in offline scripts, as Alembic's offline mode writes it: a script from base
// creates it, one that leaves the bind at base drops it (`downgrade --sql db2@head:base`, `stamp
// --sql db2@head:base`), one that stops above base keeps it. Each script is replayed with the
// dialect's own client (sqlite3 -bail, psql -v ON_ERROR_STOP=1, mariadb) on a fresh database, which
// must end with no object at all: no version table, no progress table, nothing the revisions made.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { applyScript as apply } from '../support/apply-script.js';
import { describeWithServers, dialectOf, queryUrl, sqliteFile, useDatabases, versionsAt, type ServerDatabase } from '../support/servers.js';
import { addRevision } from '../faults/faults-support.js';

/** Every object of the database (its default schema): tables, indexes, sequences, views, as `kind name`, sorted. */
async function objectsAt(url: string, baseDir: string): Promise<string[]> {
  const sql = {
    sqlite: `SELECT type || ' ' || name AS o FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`,
    postgres: `SELECT c.relkind::text || ' ' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`,
    mysql: `SELECT CONCAT(TABLE_TYPE, ' ', TABLE_NAME) AS o FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
            UNION ALL SELECT CONCAT('ROUTINE ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`,
  }[dialectOf(url)];
  return (await queryUrl<{ o: string }>(url, sql, [], { baseDir })).map((r) => r.o).sort();
}

/** The server URL scheme that makes offline scripts of the server's flavour (`mariadb://` for MariaDB). */
async function flavouredUrl(db: ServerDatabase): Promise<string> {
  if (db.kind !== 'mysql') return db.url;
  const [row] = await queryUrl<{ v: string }>(db.url, 'SELECT VERSION() AS v');
  return /mariadb/i.test(String(row?.v)) ? db.url.replace(/^mysql:/, 'mariadb:') : db.url;
}

describeWithServers('offline scripts create the version table from base and drop it at base', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('offline_version_table', { db2: 'postgres', db3: 'mysql' });
  const BINDS = ['default', 'db2', 'db3'] as const;
  let p: TempProject;
  let urls: Record<(typeof BINDS)[number], string>;

  beforeAll(async () => {
    urls = { default: 'sqlite:.data/default.db', db2: await flavouredUrl(dbs.db2), db3: await flavouredUrl(dbs.db3) };
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: { ${BINDS.map((b) => `${b}: { url: process.env.URL_${b.toUpperCase()}! }`).join(', ')} } });\n`,
      env: Object.fromEntries(BINDS.map((b) => [`URL_${b.toUpperCase()}`, urls[b]])),
    });
    for (const [i, bind] of BINDS.entries()) {
      const r = (n: number) => `${'abc'[i]!.repeat(2)}0${n}`;
      addRevision(p, bind, {
        revision: r(1),
        downRevision: null,
        message: 'create item',
        upgrade: `  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'label', type: 'varchar(20)' }]);\n  await op.createIndex('ix_item_label', 'item', ['label']);`,
        downgrade: `  await op.dropIndex('ix_item_label', { table: 'item' });\n  await op.dropTable('item');`,
      });
      addRevision(p, bind, {
        revision: r(2),
        downRevision: r(1),
        message: 'create note',
        upgrade: `  await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `  await op.dropTable('note');`,
      });
    }
  });
  afterAll(() => p?.remove());

  for (const bind of BINDS) {
    it(`[${bind}] upgrade --sql from base, then downgrade --sql to base: the database ends with no object; a downgrade above base keeps the table`, async () => {
      const url = urls[bind];
      const r = (n: number) => `${'abc'[BINDS.indexOf(bind)]!.repeat(2)}0${n}`;
      expect(await objectsAt(url, p.dir).catch(() => [])).toEqual([]);

      const up = (await p.ok('upgrade', '--sql', `${bind}@head`)).stdout;
      expect(up).toMatch(/create table if not exists .multidb_version./);
      expect(up).not.toMatch(/drop table .multidb_version./i);
      apply(url, up, p.dir);
      expect(await versionsAt(url, { baseDir: p.dir })).toEqual([r(2)]);

      // Down one revision: above base, the version table stays.
      const one = (await p.ok('downgrade', '--sql', `${bind}@head:${r(1)}`)).stdout;
      expect(one).not.toMatch(/drop table .multidb_version./i);
      apply(url, one, p.dir);
      expect(await versionsAt(url, { baseDir: p.dir })).toEqual([r(1)]);

      // Down to base: the last statement drops the version table, after the row's DELETE.
      const down = (await p.ok('downgrade', '--sql', `${bind}@${r(1)}:base`)).stdout;
      const statements = down.split('\n').filter((l) => l && !l.startsWith('--'));
      const deleteRow = statements.findIndex((l) => /^delete from .multidb_version. where/.test(l));
      expect(deleteRow, down).toBeGreaterThan(-1);
      // Right after it: where DDL is transactional, in the same transaction (SQLite's foreign-key check
      // and COMMIT follow); on MariaDB, where each DDL statement commits, alone.
      expect(statements[deleteRow + 1], down).toMatch(/^drop table .multidb_version.;$/);
      expect(statements.slice(deleteRow + 2).filter((l) => /multidb_version[`"]/.test(l)), down).toEqual([]);
      apply(url, down, p.dir);
      expect(await objectsAt(url, p.dir)).toEqual([]);

      // The same round trip in one go, head to base.
      apply(url, (await p.ok('upgrade', '--sql', `${bind}@head`)).stdout, p.dir);
      apply(url, (await p.ok('downgrade', '--sql', `${bind}@head:base`)).stdout, p.dir);
      expect(await objectsAt(url, p.dir)).toEqual([]);

      // A stamp to base drops it too (as Alembic's offline stamp does); a stamp above base keeps it.
      apply(url, (await p.ok('stamp', '--sql', `${bind}@head`)).stdout, p.dir);
      expect(await versionsAt(url, { baseDir: p.dir })).toEqual([r(2)]);
      const unstamp = (await p.ok('stamp', '--sql', `${bind}@head:base`)).stdout;
      expect(unstamp).toMatch(/drop table .multidb_version.;\n/);
      apply(url, unstamp, p.dir);
      expect(await objectsAt(url, p.dir)).toEqual([]);
    });
  }
});
