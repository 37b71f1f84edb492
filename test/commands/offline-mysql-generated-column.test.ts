// MySQL's MODIFY COLUMN restates the whole column. Online the dialect reads the column first and
// restates its generation expression; offline it has only the op's `existing` fields, and a STORED
// generated column restated without its expression silently becomes a plain column on MariaDB. So
// autogenerate writes `existing.generated`, and the offline script (`upgrade --sql`, piped into
// `mariadb`) leaves the same table as the online run: r1 makes the table with raw SQL (offline mode
// does not know it), r2 is what autogenerate writes when the generated column is widened.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateAt, pipeInto, schemaOf, type MysqlSchema } from '../support/mysql-offline.js';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const TIMEOUT = 240_000;

const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({ directory: 'migrations', binds: { my: { url: process.env.MY_URL!, models: './models/my.ts' } } });
`;

const [R1, R2] = ['e0000000000a', 'e0000000000b'];

/** The first revision: the table made with raw SQL, so offline mode does not know its shape. */
const FIRST = revisionSource({
  revision: R1,
  downRevision: null,
  branchLabels: ['my'],
  message: 'line',
  upgrade: "await op.execute('CREATE TABLE `Line` (`LineId` int NOT NULL PRIMARY KEY, `Qty` int NOT NULL, `Total` int AS (`Qty` * 2) STORED)');",
  downgrade: "await op.dropTable('Line');",
});

/** The models: Total widened to bigint, still generated. */
const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: 'Line',
      columns: [
        { name: 'LineId', type: 'int', primaryKey: true },
        { name: 'Qty', type: 'int', nullable: false },
        { name: 'Total', type: 'bigint', generated: { sql: '\`Qty\` * 2', stored: true } },
      ],
    },
  ],
});
`;

/** How information_schema describes Line.Total. */
async function total(url: string) {
  const [row] = await queryUrl(
    url,
    `SELECT COLUMN_TYPE AS type, EXTRA AS extra, GENERATION_EXPRESSION AS expression FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Line' AND COLUMN_NAME = 'Total'`,
  );
  return row;
}

describeWithServers('MariaDB/MySQL: alterColumn of a generated column online and offline leaves the same table', ['mysql'], () => {
  const dbs = useDatabases('offline_mysql_generated', { online: 'mysql', offline: 'mysql' });
  const p = new TempProject([], { config: CONFIG });
  afterAll(() => p.remove());

  /** `migrate` against a database URL (see migrateAt). */
  const migrate = (url: string, ...args: string[]) => migrateAt(p, url, ...args);

  let atR1: MysqlSchema;
  let atHead: MysqlSchema;

  beforeAll(async () => {
    await migrate(dbs.online.url, 'init', '--multidb');
    p.write(`migrations/versions/my/${R1}_line.ts`, FIRST);
    p.write('models/my.ts', MODELS);
    await migrate(dbs.online.url, 'upgrade');
    atR1 = await schemaOf(dbs.online.url);
    const generated = await migrate(dbs.online.url, 'migrate', '-m', 'widen total', '--rev-id', R2);
    expect(generated.stderr).toMatch(/Detected type change from int to bigint on 'Line\.Total'/);
    const source = p.read(`migrations/versions/my/${p.versions('my').find((f) => f.startsWith(R2))!}`);
    expect(source).toMatch(/generated: \{ sql: '`Qty` \* 2', stored: true \}/);
    await migrate(dbs.online.url, 'upgrade');
    atHead = await schemaOf(dbs.online.url);
    expect(await total(dbs.online.url)).toMatchObject({ type: 'bigint(20)', extra: 'STORED GENERATED', expression: expect.stringMatching(/Qty. \* 2/) });
  }, TIMEOUT);

  // MariaDB scripts only: the MySQL flavour writes NULL after the generated clause, which MariaDB refuses.
  it(
    'offline (mariadb scripts): upgrade, downgrade, upgrade piped into the server leave the column generated, as online',
    async () => {
      const url = dbs.offline.url.replace(/^mysql:/, 'mariadb:');
      pipeInto(url, (await migrate(url, 'upgrade', '--sql')).stdout);
      expect(await total(url)).toMatchObject({ type: 'bigint(20)', extra: 'STORED GENERATED' });
      expect(await schemaOf(url)).toEqual(atHead);
      pipeInto(url, (await migrate(url, 'downgrade', '--sql', `${R2}:${R1}`)).stdout);
      expect(await schemaOf(url)).toEqual(atR1);
      pipeInto(url, (await migrate(url, 'upgrade', '--sql', `${R1}:${R2}`)).stdout);
      expect(await schemaOf(url)).toEqual(atHead);
      expect((await migrate(url, 'check')).stdout).toMatch(/No changes in schema detected/);
    },
    TIMEOUT,
  );
});
