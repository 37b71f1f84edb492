// Adopting a PostgreSQL index with a sort order (`amount DESC NULLS LAST`): the models keep it
// (they used to say `columns: ['amount']`, check said nothing, and a database built from them got
// an ascending index); a database built from those models has it again; a change of the order in
// the models is detected and made (drop and create the index), and the downgrade restores it.
import { readFileSync } from 'node:fs';
import { autogenerate, check, compareBind, loadModels, modelsFromDatabase } from '@multidb/autogenerate';
import type { MigrationEnvironment } from '@multidb/core';
import { expect, it } from 'vitest';
import { useModelsProjects } from '../support/models-project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const project = useModelsProjects();

const indexes = async (env: MigrationEnvironment) => (await (await env.connection('app')).introspectTable('extras'))!.indexes;

describeWithServers('adopting an index with DESC NULLS LAST [postgres]', ['postgres'], () => {
  const dbs = useDatabases('adopt_ixorder', { adopted: 'postgres', fresh: 'postgres' });

  it('the models keep the order; a database built from them has it; a change of order is detected, made and undone', async () => {
    const { p, env } = await project(dbs.adopted.url);
    for (const sql of [
      'CREATE TABLE extras (id integer PRIMARY KEY, amount numeric(10,2), note text)',
      'CREATE UNIQUE INDEX extras_amt_desc ON extras (amount DESC NULLS LAST)',
      'CREATE INDEX extras_note_lower ON extras (lower(note) DESC, id)',
    ]) {
      await queryUrl(dbs.adopted.url, sql, [], { write: true });
    }
    const before = await indexes(env);
    const written = await modelsFromDatabase(env);
    expect(written.source).toMatch(/name: 'extras_amt_desc',\s*columns: \[\{ name: 'amount', order: 'desc', nulls: 'last' \}\],\s*unique: true/);
    expect(written.source).toMatch(/columns: \[\{ sql: 'lower\(note\)', order: 'desc' \}, 'id'\]/);
    expect((await check(env))[0]).toMatchObject({ outcome: 'match', changes: [] });

    // The same models build the same indexes in an empty database.
    const fresh = await project(dbs.fresh.url);
    fresh.p.write('models/app.ts', written.source);
    expect((await autogenerate(fresh.env, { message: 'from adopted models' }))[0]?.outcome).toBe('written');
    await fresh.env.upgrade(['head']);
    expect(await indexes(fresh.env)).toEqual(before);
    await fresh.env.close();

    // Ascending in the models: detected, the index recreated; the downgrade restores DESC NULLS LAST.
    p.write('models/app.ts', written.source.replace("{ name: 'amount', order: 'desc', nulls: 'last' }", "'amount'"));
    env.invalidate();
    const { comparison } = await compareBind(env, 'app', (await loadModels(env, 'app'))!);
    expect(comparison.changes.map((c) => c.line)).toEqual(["Detected changed index 'extras_amt_desc' on 'extras': (amount desc nulls last) unique to (amount) unique"]);
    const [generated] = await autogenerate(env, { message: 'ascending' });
    const source = readFileSync(generated!.revision!.path, 'utf8');
    expect(source).toMatch(/op\.dropIndex\('extras_amt_desc', \{\s*table: 'extras',[^]*columns: \[\{ name: 'amount', order: 'desc', nulls: 'last' \}\]/);
    env.invalidate();
    await env.upgrade(['head']);
    expect((await indexes(env)).find((ix) => ix.name === 'extras_amt_desc')!.columns).toEqual(['amount']);
    expect((await check(env))[0]).toMatchObject({ outcome: 'match', changes: [] });
    await env.downgrade('base');
    expect(await indexes(env)).toEqual(before);
  });
});

// SQLite: a table-level UNIQUE (a DESC, b) written in CREATE TABLE. Introspection used to report a
// unique constraint on (a, b) without the order, so models declaring the DESC key drifted and
// models written from the database lost it. It reads as a unique index with the order now.
it('SQLite: a table-level UNIQUE with a DESC key is adopted with its order, built again, and changed by a rebuild', async () => {
  const { p, env } = await project('sqlite:.data/app.db');
  const conn = await env.connection('app');
  for (const sql of ['CREATE TABLE extras (id integer PRIMARY KEY, a integer, b integer, UNIQUE (a DESC, b))', 'INSERT INTO extras VALUES (1, 1, 1), (2, 1, 2)']) {
    await conn.execute({ sql, parameters: [] });
  }
  const DESC = { name: 'uq_extras_a_b', columns: [{ name: 'a', order: 'desc' }, 'b'], unique: true };
  expect(await indexes(env)).toEqual([{ ...DESC, tableConstraint: true }]);
  const written = await modelsFromDatabase(env);
  expect(written.source).toMatch(/name: 'uq_extras_a_b',\s*columns: \[\{ name: 'a', order: 'desc' \}, 'b'\],\s*unique: true/);
  expect(written.source).not.toMatch(/tableConstraint|uniqueConstraints/);
  expect((await check(env))[0]).toMatchObject({ outcome: 'match', changes: [] });

  // The same models build a unique index with the order in an empty database.
  const fresh = await project('sqlite:.data/app.db');
  fresh.p.write('models/app.ts', written.source);
  expect((await autogenerate(fresh.env, { message: 'from adopted models' }))[0]?.outcome).toBe('written');
  await fresh.env.upgrade(['head']);
  expect(await indexes(fresh.env)).toEqual([DESC]);

  // Ascending in the models: the constraint's index is dropped (a rebuild), a plain one created; undone by the downgrade.
  p.write('models/app.ts', written.source.replace("{ name: 'a', order: 'desc' }", "'a'"));
  env.invalidate();
  const [generated] = await autogenerate(env, { message: 'ascending' });
  expect(readFileSync(generated!.revision!.path, 'utf8')).toMatch(/batch\.dropIndex\('uq_extras_a_b', \{[^]*tableConstraint: true,[^]*batch\.createIndex\('uq_extras_a_b', \['a', 'b'\], \{ unique: true \}\)/);
  env.invalidate();
  await env.upgrade(['head']);
  expect(await indexes(env)).toEqual([{ ...DESC, columns: ['a', 'b'] }]);
  expect((await check(env))[0]).toMatchObject({ outcome: 'match', changes: [] });
  await env.downgrade('base');
  expect(await indexes(env)).toEqual([DESC]);
  const rows = await (await env.connection('app')).execute({ sql: 'SELECT id, a, b FROM extras ORDER BY id', parameters: [] });
  expect(rows).toEqual([{ id: 1, a: 1, b: 1 }, { id: 2, a: 1, b: 2 }]);
});
