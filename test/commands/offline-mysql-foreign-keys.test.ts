// Dropping a foreign key on MariaDB/MySQL, online and offline (`--sql` piped into `mariadb`), must
// leave the same schema. InnoDB makes an index (named as the key) for a foreign key that no index
// serves, and `DROP FOREIGN KEY` leaves it behind; the online run drops it with the key (it reads
// the table first), so the offline script must too, also for a table whose shape it cannot know
// (made by `op.execute` here, or by anything before the script, as in an adopted database).
//
// One repository: r1 makes tables with raw SQL (Album's key has an index InnoDB made, Track's is
// served by an index of its own), then Review with op.createTable (offline mode knows it: one key
// with an index InnoDB made, one served by the column's unique index); r2 is what autogenerate
// writes after the keys leave the models (dropConstraint…foreignkey, reversed by createForeignKey);
// r3, by hand, creates Album's key again and its downgrade drops it. Upgraded and round-tripped
// (upgrade → downgrade → upgrade) online and through offline scripts of both flavours, each
// database ends at each revision with the same introspected tables and the same raw index list as
// a fresh online upgrade, and `migrate check` finds no drift.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipeInto, schemaOf, type MysqlSchema } from '../support/mysql-offline.js';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const TIMEOUT = 240_000;

/** The config, with the bind's URL written in (runs are in this process: no environment of their own). */
const config = (url: string) => `import { defineConfig } from '@multidb/core';
export default defineConfig({ directory: 'migrations', binds: { my: { url: ${JSON.stringify(url)}, models: './models/my.ts' } } });
`;

const [R1, R2, R3] = ['f0000000000a', 'f0000000000b', 'f0000000000c'];

/** The first revision: tables made with raw SQL, so offline mode does not know their shape. */
const FIRST = revisionSource({
  revision: R1,
  downRevision: null,
  branchLabels: ['my'],
  message: 'tables',
  upgrade: [
    "await op.execute('CREATE TABLE `Artist` (`ArtistId` int NOT NULL PRIMARY KEY, `Name` varchar(120) NULL)');",
    "await op.execute('CREATE TABLE `Album` (`AlbumId` int NOT NULL PRIMARY KEY, `ArtistId` int NOT NULL, CONSTRAINT `fk_Album_ArtistId_Artist` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`))');",
    "await op.execute('CREATE TABLE `Track` (`TrackId` int NOT NULL PRIMARY KEY, `AlbumId` int NULL, KEY `ix_Track_AlbumId` (`AlbumId`), CONSTRAINT `fk_Track_AlbumId_Album` FOREIGN KEY (`AlbumId`) REFERENCES `Album` (`AlbumId`))');",
    // Made by the script, so offline mode knows its shape: keys on the columns, one served by a unique index.
    "await op.createTable('Review', [{ name: 'ReviewId', type: 'integer', primaryKey: true }, { name: 'AlbumId', type: 'integer', references: { table: 'Album', column: 'AlbumId' } }, { name: 'ArtistId', type: 'integer', unique: true, references: { table: 'Artist', column: 'ArtistId' } }]);",
  ].join('\n  '),
  downgrade: "await op.dropTable('Review');\n  await op.dropTable('Track');\n  await op.dropTable('Album');\n  await op.dropTable('Artist');",
});

/** The third revision, written by hand as in Alembic: a key created, and dropped by the downgrade. */
const THIRD = revisionSource({
  revision: R3,
  downRevision: R2,
  message: 'album key',
  upgrade: "await op.createForeignKey(null, 'Album', 'Artist', ['ArtistId'], ['ArtistId']);",
  downgrade: "await op.dropConstraint('fk_Album_ArtistId_Artist', 'Album', { type: 'foreignkey' });",
});

/** The models after r2: the same tables without their foreign keys (r3 gives Album its key back). */
const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    { name: 'Artist', columns: [{ name: 'ArtistId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'varchar(120)' }] },
    { name: 'Album', columns: [{ name: 'AlbumId', type: 'integer', primaryKey: true }, { name: 'ArtistId', type: 'integer', nullable: false }] },
    { name: 'Track', columns: [{ name: 'TrackId', type: 'integer', primaryKey: true }, { name: 'AlbumId', type: 'integer' }], indexes: [{ name: 'ix_Track_AlbumId', columns: ['AlbumId'] }] },
    { name: 'Review', columns: [{ name: 'ReviewId', type: 'integer', primaryKey: true }, { name: 'AlbumId', type: 'integer' }, { name: 'ArtistId', type: 'integer', unique: true }] },
  ],
});
`;

describeWithServers('MariaDB/MySQL: dropping a foreign key online and offline leaves the same schema', ['mysql'], () => {
  const dbs = useDatabases('offline_mysql_fk', { fresh: 'mysql', roundTrip: 'mysql', offMariadb: 'mysql', offMysql: 'mysql' });
  const p = new InProcessProject([], { config: false });
  afterAll(() => p.remove());

  /** `migrate ARGS` (in this process) against a database URL: the config names it; fails unless it exits 0. */
  const migrate = (url: string, ...args: string[]) => {
    p.write('migrate.config.ts', config(url));
    return p.ok(...args);
  };

  /** The URL of a test database with a scheme that names the flavour of offline scripts. */
  const as = (scheme: 'mariadb' | 'mysql', url: string) => url.replace(/^mysql:/, `${scheme}:`);

  let atR1: MysqlSchema;
  let atR2: MysqlSchema;
  let atHead: MysqlSchema;

  beforeAll(async () => {
    await migrate(dbs.fresh.url, 'init', '--multidb');
    p.write(`migrations/versions/my/${R1}_tables.ts`, FIRST);
    p.write('models/my.ts', MODELS);
    await migrate(dbs.fresh.url, 'upgrade');
    atR1 = await schemaOf(dbs.fresh.url);
    // autogenerate: the keys left the models.
    const generated = await migrate(dbs.fresh.url, 'migrate', '-m', 'drop keys', '--rev-id', R2);
    expect(generated.stderr).toMatch(/Detected removed foreign key/);
    const source = p.read(`migrations/versions/my/${p.versions('my').find((f) => f.startsWith(R2))!}`);
    expect(source).toMatch(/op\.dropConstraint\('fk_Album_ArtistId_Artist', 'Album', \{\s+type: 'foreignkey'/);
    expect(source).toMatch(/op\.createForeignKey\(\s*'fk_Album_ArtistId_Artist'/);
    await migrate(dbs.fresh.url, 'upgrade');
    atR2 = await schemaOf(dbs.fresh.url);
    // The reverse, written by hand: a key created again, dropped by the downgrade.
    p.write(`migrations/versions/my/${R3}_album_key.ts`, THIRD);
    p.write('models/my.ts', MODELS.replace("{ name: 'ArtistId', type: 'integer', nullable: false }] }", "{ name: 'ArtistId', type: 'integer', nullable: false }], foreignKeys: [{ columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }] }"));
    await migrate(dbs.fresh.url, 'upgrade');
    atHead = await schemaOf(dbs.fresh.url);
  }, TIMEOUT);

  /** The names of a table's indexes, as the server lists them. */
  const indexNames = (schema: MysqlSchema, table: string) => [
    ...new Set(schema.indexes.filter((ix) => (ix as { t: string }).t === table).map((ix) => (ix as { name: string }).name)),
  ];

  it(
    'a fresh online upgrade drops the index InnoDB made for a key (and keeps one made by hand); check finds no drift',
    async () => {
      expect(indexNames(atR1, 'Album')).toEqual(['fk_Album_ArtistId_Artist', 'PRIMARY']);
      expect(indexNames(atR2, 'Album')).toEqual(['PRIMARY']);
      expect(indexNames(atHead, 'Album')).toEqual(['fk_Album_ArtistId_Artist', 'PRIMARY']);
      expect(indexNames(atR2, 'Track')).toEqual(['ix_Track_AlbumId', 'PRIMARY']);
      expect(indexNames(atR1, 'Review')).toEqual(['fk_Review_AlbumId_Album', 'PRIMARY', 'uq_Review_ArtistId']);
      expect(indexNames(atR2, 'Review')).toEqual(['PRIMARY', 'uq_Review_ArtistId']);
      expect((await migrate(dbs.fresh.url, 'check')).stdout).toMatch(/No changes in schema detected/);
    },
    TIMEOUT,
  );

  it(
    'online: upgrade → downgrade → upgrade leaves what a fresh upgrade leaves',
    async () => {
      const url = dbs.roundTrip.url;
      await migrate(url, 'upgrade');
      await migrate(url, 'downgrade', `my@${R2}`);
      expect(await schemaOf(url)).toEqual(atR2);
      await migrate(url, 'downgrade', `my@${R1}`);
      expect(await schemaOf(url)).toEqual(atR1);
      await migrate(url, 'upgrade');
      expect(await schemaOf(url)).toEqual(atHead);
      expect((await migrate(url, 'check')).stdout).toMatch(/No changes in schema detected/);
    },
    TIMEOUT,
  );

  for (const flavour of ['mariadb', 'mysql'] as const) {
    it(
      `offline (${flavour} scripts): upgrade → downgrade → upgrade piped into the server leave what the online runs leave`,
      async () => {
        const url = as(flavour, (flavour === 'mariadb' ? dbs.offMariadb : dbs.offMysql).url);
        const up = await migrate(url, 'upgrade', '--sql');
        pipeInto(url, up.stdout);
        expect(await schemaOf(url)).toEqual(atHead);

        pipeInto(url, (await migrate(url, 'downgrade', '--sql', `${R3}:${R2}`)).stdout);
        expect(await schemaOf(url)).toEqual(atR2);
        pipeInto(url, (await migrate(url, 'downgrade', '--sql', `${R2}:${R1}`)).stdout);
        expect(await schemaOf(url)).toEqual(atR1);
        pipeInto(url, (await migrate(url, 'upgrade', '--sql', `${R1}:head`)).stdout);
        expect(await schemaOf(url)).toEqual(atHead);
        expect((await migrate(url, 'check')).stdout).toMatch(/No changes in schema detected/);
        // The script does not know Album (op.execute made it): it drops the key's index only if there is one.
        expect(up.stdout).toMatch(/^-- The shape of `Album` is not known here\. InnoDB made an index named `fk_Album_ArtistId_Artist`/m);
      },
      TIMEOUT,
    );
  }
});
