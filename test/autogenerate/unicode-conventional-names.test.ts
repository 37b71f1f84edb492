// Names the naming convention makes from non-ASCII table and column names (Japanese: three bytes a
// character) fit PostgreSQL's identifier limit, 63 bytes: `ix_<10 characters>_<10 characters>` is
// 24 characters but 64 bytes, which PostgreSQL would truncate, so that the models' name never
// matched the database's and `check` found a renamed index after every upgrade. Through the CLI,
// on SQLite, PostgreSQL and MariaDB: autogenerate, upgrade, then `check` is clean, a second
// `migrate` writes nothing, and the database holds the models' names.
import { conventionalName, DEFAULT_NAMING_CONVENTION } from '@multidb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, dialectOf, queryUrl, useDatabases } from '../support/servers.js';

const ORDERS = '注文明細テーブル一覧';
const CUSTOMERS = '顧客マスターテーブル';
const CUSTOMER_NO = '顧客番号の列ですよね';

const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    { name: '${CUSTOMERS}', columns: [{ name: '${CUSTOMER_NO}', type: 'integer', primaryKey: true }] },
    {
      name: '${ORDERS}',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: '${CUSTOMER_NO}', type: 'integer', references: '${CUSTOMERS}.${CUSTOMER_NO}' },
      ],
      indexes: [{ columns: ['${CUSTOMER_NO}'] }],
      uniqueConstraints: [['id', '${CUSTOMER_NO}']],
    },
  ],
});
`;

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** The names of the indexes and named constraints on the orders table, sorted. */
async function names(url: string, baseDir: string): Promise<string[]> {
  const sql = {
    sqlite: `SELECT name FROM pragma_index_list('${ORDERS}') WHERE origin = 'c'`,
    postgres: `SELECT relname AS name FROM pg_class WHERE oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '"${ORDERS}"'::regclass)
               UNION SELECT conname FROM pg_constraint WHERE conrelid = '"${ORDERS}"'::regclass AND contype = 'f'`,
    mysql: `SELECT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${ORDERS}' AND INDEX_NAME <> 'PRIMARY'
            UNION SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${ORDERS}' AND CONSTRAINT_TYPE = 'FOREIGN KEY'`,
  }[dialectOf(url)];
  const rows = await queryUrl<{ name: string }>(url, sql, [], { baseDir });
  return [...new Set(rows.map((r) => r.name))].sort();
}

function unicodeNamesE2e(name: string, url: () => string): void {
  describe(name, () => {
    let p: TempProject;
    beforeAll(async () => {
      p = new InProcessProject([], {
        config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url())}, models: './models.ts' } } });\n`,
      });
      p.write('models.ts', MODELS);
      await p.ok('init', '--multidb');
    });
    afterAll(() => p?.remove());

    it('autogenerate writes names of at most 63 bytes; after the upgrade check is clean and the database holds those names', async () => {
      const ix = conventionalName(DEFAULT_NAMING_CONVENTION, 'ix', { table: ORDERS, columns: [CUSTOMER_NO] });
      const uq = conventionalName(DEFAULT_NAMING_CONVENTION, 'uq', { table: ORDERS, columns: ['id', CUSTOMER_NO] });
      const fk = conventionalName(DEFAULT_NAMING_CONVENTION, 'fk', { table: ORDERS, columns: [CUSTOMER_NO], referredTable: CUSTOMERS });
      expect(ix).toBe('ix_注文明細テーブル一覧_顧客番号の列_0b6d07e5');
      for (const n of [ix, uq, fk]) expect(bytes(n), n).toBeLessThanOrEqual(63);

      const { file } = await p.revision('--autogenerate', '-m', '注文 テーブル');
      expect(file).toMatch(/^migrations\/versions\/app\/[0-9a-f]{12}\.ts$/); // no ASCII letter in the message: the id alone
      const source = p.read(file);
      expect(source).toContain(`'${ix}'`); // the fk's and uq's names are the convention's: not written

      await p.ok('upgrade');
      const inDatabase = await names(url(), p.dir);
      // SQLite's catalog lists the index; its constraints' names are in the table's SQL only.
      // PostgreSQL lists the primary key's index too; MariaDB calls it PRIMARY (left out).
      const pk = conventionalName(DEFAULT_NAMING_CONVENTION, 'pk', { table: ORDERS });
      const expected = { sqlite: [ix], postgres: [fk, ix, pk, uq], mysql: [fk, ix, uq] }[dialectOf(url())];
      expect(inDatabase).toEqual(expected.sort());

      const check = await p.run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('[app] No changes in schema detected.');
      const again = await p.run('migrate', '-m', 'nothing');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toContain('Generating');
    });
  });
}

unicodeNamesE2e('conventional names from Japanese names on SQLite', () => 'sqlite:.data/app.db');

describeWithServers('conventional names from Japanese names on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_unicode_names', { pg: 'postgres', my: 'mysql' });
  unicodeNamesE2e('PostgreSQL', () => dbs.pg.url);
  unicodeNamesE2e('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'));
});
