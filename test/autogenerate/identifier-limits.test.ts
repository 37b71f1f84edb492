// Models with names at and past the databases' identifier limits, through the CLI on SQLite,
// PostgreSQL and MariaDB. PostgreSQL keeps 63 bytes of a name (it truncated a longer one without a
// word, so the models never matched the database again: `check` found the table missing after
// every upgrade, and the next `migrate` asked whether it was a rename); MySQL/MariaDB refuse a name
// of more than 64 characters (the upgrade failed). Autogenerate and `check` now refuse such models
// up front, naming the bind, the models file and each name with its length, and write nothing;
// names at the limit (63 bytes, 64 characters) go through and `check` is then clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, dialectOf, useDatabases } from '../support/servers.js';

const AT_PG_LIMIT = `${'é'.repeat(30)}abc`; // 33 characters, 63 bytes
const PAST_PG_LIMIT = `${'é'.repeat(30)}abcd`; // 34 characters, 64 bytes
const AT_MY_LIMIT = 'T'.repeat(64);
const PAST_MY_LIMIT = 'c'.repeat(65);

const models = (tables: readonly { table: string; column: string }[]) => `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
${tables.map(({ table, column }) => `    { name: '${table}', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: '${column}', type: 'integer' }] },`).join('\n')}
  ],
});
`;

function identifierLimitsE2e(name: string, url: () => string): void {
  describe(name, () => {
    let p: TempProject;
    const dialect = () => dialectOf(url());
    beforeAll(async () => {
      p = new InProcessProject([], {
        config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { 'app-1': { url: ${JSON.stringify(url())}, models: './models/app.ts' } } });\n`,
      });
      await p.ok('init', '--multidb');
    });
    afterAll(() => p?.remove());

    it('refuses names past the limit before writing anything (SQLite: no limit, written)', async () => {
      p.write('models/app.ts', models([{ table: PAST_PG_LIMIT, column: 'x' }, { table: AT_MY_LIMIT, column: PAST_MY_LIMIT }]));
      const out = await p.run('migrate', '-m', 'too long');
      if (dialect() === 'sqlite') {
        expect(out.code, out.stderr).toBe(0);
        expect(p.versions('app-1')).toHaveLength(1);
        return;
      }
      expect(out.code, out.stdout + out.stderr).toBe(1);
      const error = out.stderr.trim().split('\n').at(-1)!;
      expect(error).toContain(`ERROR: [app-1] models ${p.dir}/models/app.ts: `);
      if (dialect() === 'postgres') {
        expect(error).toContain(
          `3 names are longer than postgres keeps a name (at most 63 bytes): table '${PAST_PG_LIMIT}' (64 bytes), table '${AT_MY_LIMIT}' (64 bytes), ` +
            `column '${AT_MY_LIMIT}'.'${PAST_MY_LIMIT}' (65 bytes). Shorten them in the models (the database would cut a longer name short`,
        );
      } else {
        expect(error).toContain(
          `a name is longer than mysql keeps a name (at most 64 characters): column '${AT_MY_LIMIT}'.'${PAST_MY_LIMIT}' (65 characters). ` +
            'Shorten it in the models (the database refuses a longer name).',
        );
      }
      expect(p.versions('app-1')).toEqual([]);
      const check = await p.run('check');
      expect(check.code).toBe(1);
      expect(check.stdout + check.stderr).toContain('longer than');
    });

    it('takes names at the limit: upgrade, then check is clean', async () => {
      const tables = dialect() === 'mysql' ? [{ table: AT_PG_LIMIT, column: 'x' }, { table: AT_MY_LIMIT, column: 'c'.repeat(64) }] : [{ table: AT_PG_LIMIT, column: 'c'.repeat(63) }];
      p.write('models/app.ts', models(tables));
      if (dialect() === 'sqlite') await p.ok('upgrade');
      const written = await p.run('migrate', '-m', 'at the limit');
      expect(written.code, written.stderr).toBe(0);
      await p.ok('upgrade');
      const check = await p.run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('[app-1] No changes in schema detected.');
    });
  });
}

identifierLimitsE2e('identifier limits on SQLite (none)', () => 'sqlite:.data/app.db');

describeWithServers('identifier limits on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_identifier_limits', { pg: 'postgres', my: 'mysql' });
  identifierLimitsE2e('PostgreSQL', () => dbs.pg.url);
  identifierLimitsE2e('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'));
});
