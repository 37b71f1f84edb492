import { parseColumnType, type TableSnapshot } from '@multidb/core';
import { expect, it } from 'vitest';
import { MysqlIntrospector } from '../../src/mysql/mysql-introspector.js';
import { context, q, runOps } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

const t = (s: string) => parseColumnType(s);

describeMysql('mysql introspection', () => {
  const database = useTestDatabase('introspect');

  it('reads a hand-written table: types, MariaDB-quoted defaults, JSON, generated columns, keys, foreign keys, checks, indexes, comments', async () => {
    const conn = await database.connect();
    await q(conn, 'CREATE TABLE `Label` (a int, b int, PRIMARY KEY (a, b))');
    await q(conn, 'CREATE TABLE `Artist` (id int AUTO_INCREMENT PRIMARY KEY, name varchar(10))');
    await q(
      conn,
      `CREATE TABLE \`Album\` (
        \`AlbumId\` int(11) NOT NULL AUTO_INCREMENT,
        \`Title\` varchar(160) NOT NULL DEFAULT 'it''s \\\\ "x"' COMMENT 'the ''title''',
        \`ArtistId\` int NULL,
        \`Code\` varchar(10) COLLATE utf8mb4_bin UNIQUE,
        \`Price\` decimal(10,2) DEFAULT 0.99,
        \`Paid\` tinyint(1) NOT NULL DEFAULT 1,
        \`Created\` datetime DEFAULT CURRENT_TIMESTAMP,
        \`Nul\` varchar(10) DEFAULT 'NULL',
        \`NoDefault\` int DEFAULT NULL,
        \`Expr\` int DEFAULT (1 + 2),
        \`Big\` bigint unsigned DEFAULT 18446744073709551615,
        \`Meta\` json,
        \`Kind\` enum('a','b''c') NOT NULL DEFAULT 'a',
        \`Double\` decimal(12,2) AS (\`Price\` * 2) STORED,
        \`Half\` decimal(12,2) AS (\`Price\` / 2) VIRTUAL,
        \`Positive\` int CHECK (\`Positive\` > 0),
        \`LabelA\` int, \`LabelB\` int,
        PRIMARY KEY (\`AlbumId\`),
        CONSTRAINT \`uq_title_artist\` UNIQUE (\`Title\`, \`ArtistId\`),
        CONSTRAINT \`ck_title\` CHECK (char_length(\`Title\`) > 0),
        CONSTRAINT \`fk_artist\` FOREIGN KEY (\`ArtistId\`) REFERENCES \`Artist\` (id) ON DELETE SET NULL ON UPDATE CASCADE,
        CONSTRAINT \`fk_label\` FOREIGN KEY (\`LabelA\`, \`LabelB\`) REFERENCES \`Label\` (a, b) ON DELETE RESTRICT,
        INDEX \`ix_prefix\` (\`Title\`(20), \`Paid\`),
        INDEX \`ix_price\` (\`Price\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='albums'`,
    );
    const expected: TableSnapshot = {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: t('int'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'Title', type: t('varchar(160)'), nullable: false, default: `it's \\ "x"`, comment: "the 'title'" },
        { name: 'ArtistId', type: t('int'), nullable: true },
        { name: 'Code', type: t('varchar(10)'), nullable: true, unique: true, collation: 'utf8mb4_bin' },
        { name: 'Price', type: t('decimal(10,2)'), nullable: true, default: 0.99 },
        { name: 'Paid', type: t('boolean'), nullable: false, default: true },
        { name: 'Created', type: t('datetime'), nullable: true, default: { sql: 'current_timestamp()' } },
        { name: 'Nul', type: t('varchar(10)'), nullable: true, default: 'NULL' },
        { name: 'NoDefault', type: t('int'), nullable: true },
        { name: 'Expr', type: t('int'), nullable: true, default: { sql: '1 + 2' } },
        { name: 'Big', type: t('bigint unsigned'), nullable: true, default: { sql: '18446744073709551615' } },
        { name: 'Meta', type: t('json'), nullable: true },
        { name: 'Kind', type: t("enum('a','b''c')"), nullable: false, default: 'a' },
        { name: 'Double', type: t('decimal(12,2)'), nullable: true, generated: { sql: '`Price` * 2', stored: true } },
        { name: 'Half', type: t('decimal(12,2)'), nullable: true, generated: { sql: '`Price` / 2', stored: false } },
        { name: 'Positive', type: t('int'), nullable: true },
        { name: 'LabelA', type: t('int'), nullable: true },
        { name: 'LabelB', type: t('int'), nullable: true },
      ],
      foreignKeys: [
        { name: 'fk_artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['id'], onDelete: 'set null', onUpdate: 'cascade' },
        { name: 'fk_label', columns: ['LabelA', 'LabelB'], referredTable: 'Label', referredColumns: ['a', 'b'] },
      ],
      uniqueConstraints: [{ name: 'uq_title_artist', columns: ['Title', 'ArtistId'] }],
      checkConstraints: [
        { name: 'Positive', expression: '`Positive` > 0' },
        { name: 'ck_title', expression: 'char_length(`Title`) > 0' },
      ],
      indexes: [
        { name: 'ix_prefix', columns: [{ sql: '`Title`(20)' }, 'Paid'], unique: false },
        { name: 'ix_price', columns: ['Price'], unique: false },
      ],
      comment: 'albums',
    };
    expect(await conn.introspectTable('Album')).toEqual(expected);
    expect(await conn.introspectTable('Label')).toEqual({
      name: 'Label',
      columns: [
        { name: 'a', type: t('int'), nullable: false },
        { name: 'b', type: t('int'), nullable: false },
      ],
      primaryKey: { columns: ['a', 'b'] },
      foreignKeys: [],
      uniqueConstraints: [],
      checkConstraints: [],
      indexes: [],
    });
    expect(await conn.introspectTable('Nothing')).toBeUndefined();
    await q(conn, 'CREATE VIEW `AlbumView` AS SELECT 1 AS x');
    expect(await conn.introspectTable('AlbumView')).toBeUndefined();
    // Another database, by name.
    expect(await conn.introspectTable('Label', database.name)).toMatchObject({ name: 'Label', schema: database.name });
  });

  it('createTable → introspect gives back the table; compiling the snapshot again gives the same table', async () => {
    const conn = await database.connect();
    await runOps(conn, async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }]);
      await op.createTable(
        'Track',
        [
          { name: 'TrackId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'Name', type: 'nvarchar(200)', nullable: false, comment: 'title' },
          { name: 'GenreId', type: 'integer' },
          { name: 'Milliseconds', type: 'integer', nullable: false, default: 0 },
          { name: 'UnitPrice', type: 'numeric(10,2)', nullable: false, default: 0.99 },
          { name: 'Explicit', type: 'boolean', nullable: false, default: false },
          { name: 'Added', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Born', type: 'datetime' },
          { name: 'Tags', type: 'json' },
          { name: 'Isrc', type: 'varchar(12)', unique: true, collation: 'utf8mb4_bin' },
          { name: 'Note', type: 'text', default: "n/a 'quoted' \\ slash" },
        ],
        {
          foreignKeys: [{ columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'], onDelete: 'set null' }],
          uniqueConstraints: [['Name', 'GenreId']],
          checkConstraints: [{ name: 'ck_ms', expression: '`Milliseconds` >= 0' }],
          indexes: [{ columns: ['Milliseconds'] }],
          comment: 'tracks',
        },
      );
    });
    const snapshot = await conn.introspectTable('Track');
    expect(snapshot).toEqual({
      name: 'Track',
      columns: [
        { name: 'TrackId', type: t('int'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'Name', type: t('varchar(200)'), nullable: false, comment: 'title' },
        { name: 'GenreId', type: t('int'), nullable: true },
        { name: 'Milliseconds', type: t('int'), nullable: false, default: 0 },
        { name: 'UnitPrice', type: t('decimal(10,2)'), nullable: false, default: 0.99 },
        { name: 'Explicit', type: t('boolean'), nullable: false, default: false },
        { name: 'Added', type: t('datetime'), nullable: true, default: { sql: 'current_timestamp()' } },
        { name: 'Born', type: t('datetime'), nullable: true },
        { name: 'Tags', type: t('json'), nullable: true },
        { name: 'Isrc', type: t('varchar(12)'), nullable: true, unique: true, collation: 'utf8mb4_bin' },
        { name: 'Note', type: t('text'), nullable: true, default: "n/a 'quoted' \\ slash" },
      ],
      foreignKeys: [{ name: 'fk_Track_GenreId_Genre', columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'], onDelete: 'set null' }],
      uniqueConstraints: [{ name: 'uq_Track_Name_GenreId', columns: ['Name', 'GenreId'] }],
      checkConstraints: [{ name: 'ck_ms', expression: '`Milliseconds` >= 0' }],
      indexes: [{ name: 'ix_Track_Milliseconds', columns: ['Milliseconds'], unique: false }],
      comment: 'tracks',
    });
    // The snapshot compiles back to the same table (constraint names are per table on MariaDB).
    const again = { ...snapshot!, name: 'Track2', checkConstraints: [{ name: 'ck_ms2', expression: '`Milliseconds` >= 0' }], foreignKeys: snapshot!.foreignKeys.map((fk) => ({ ...fk, name: 'fk_track2' })) };
    for (const s of conn.dialect.compile({ kind: 'CreateTable', table: again }, context())) await conn.execute(s);
    expect(await conn.introspectTable('Track2')).toEqual(again);
  });

  it('reads defaults the MySQL way (bare literals, DEFAULT_GENERATED) when the flavour is mysql', () => {
    const mysql = new MysqlIntrospector(async () => [], 'mysql');
    expect(mysql.parseDefault('USD', t('varchar(3)'), '')).toBe('USD');
    expect(mysql.parseDefault('NULL', t('varchar(4)'), '')).toBe('NULL');
    expect(mysql.parseDefault('0.99', t('decimal(10,2)'), '')).toBe(0.99);
    expect(mysql.parseDefault('1', t('boolean'), '')).toBe(true);
    expect(mysql.parseDefault('CURRENT_TIMESTAMP', t('datetime'), 'DEFAULT_GENERATED')).toEqual({ sql: 'CURRENT_TIMESTAMP' });
    expect(mysql.parseDefault('(uuid())', t('char(36)'), 'DEFAULT_GENERATED')).toEqual({ sql: 'uuid()' });
    expect(mysql.parseDefault(null, t('int'), '')).toBeUndefined();
    const mariadb = new MysqlIntrospector(async () => [], 'mariadb');
    expect(mariadb.parseDefault("'USD'", t('varchar(3)'), '')).toBe('USD');
    expect(mariadb.parseDefault('NULL', t('varchar(4)'), '')).toBeUndefined();
    expect(mariadb.parseDefault("'NULL'", t('varchar(4)'), '')).toBe('NULL');
    expect(mariadb.parseDefault("'a\\nb'", t('text'), '')).toBe('a\nb');
  });
});
