import { VersionTable } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

describeEachDialect('introspect({ exclude }) leaves multidb’s own tables out', 'exclude', (db) => {
  it('the version table is in the snapshot unless excluded; the rest is unchanged', async () => {
    const conn = await db.fresh();
    await new VersionTable('multidb_version').ensure(conn);
    await runOps(conn, (op) => op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'varchar(120)' }]));

    const all = await conn.introspect();
    expect(all.tables.map((t) => t.name)).toEqual(['Genre', 'multidb_version']);
    const without = await conn.introspect({ exclude: ['multidb_version'] });
    expect(without.tables.map((t) => t.name)).toEqual(['Genre']);
    expect(without.tables[0]).toEqual(all.tables[0]);
    // introspectTable still finds it (the runner checks the version table that way).
    expect(await conn.introspectTable('multidb_version')).toMatchObject({ name: 'multidb_version' });
  });
});
