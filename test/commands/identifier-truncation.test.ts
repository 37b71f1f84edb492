// An existing history with a name over PostgreSQL's limit (63 bytes), written before multidb
// checked names or ported from Alembic: PostgreSQL truncates such a name (with a NOTICE), the same
// way each time, so a later revision that names the same long name reaches the same object. Such a
// history must replay on a new database (CI, a new machine): the op runs as written, with a
// `[bind] WARNING: …` line naming the file, the op, the name, its length, the limit and the name
// PostgreSQL keeps, online and offline (`--sql`). Two different names of one op that would be cut
// to the same one are still refused before anything is sent. (MySQL/MariaDB, which refuse a long
// name, keep refusing it: see identifier-limit-ops.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

/** 70 bytes; PostgreSQL keeps its first 63. */
const LONG_IX = `ix_item_${'c'.repeat(54)}_code_07`;
const KEPT_IX = LONG_IX.slice(0, 63);
/** 35 characters, 70 bytes: cut at 63 bytes on a character boundary, 31 'é' (62 bytes). */
const LONG_COL = 'é'.repeat(35);
const KEPT_COL = 'é'.repeat(31);

const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';
const R3 = 'c3c3c3c3c3c3';

describeWithServers('names over PostgreSQL’s limit in an existing history', ['postgres'], () => {
  const dbs = useDatabases('identifier_truncation', { pg: 'postgres' });
  let p: TempProject;
  const url = () => dbs.pg.url;
  const indexes = async () => (await queryUrl<{ n: string }>(url(), `SELECT indexname AS n FROM pg_indexes WHERE tablename = 'item' ORDER BY 1`)).map((r) => r.n);
  const columns = async () =>
    (await queryUrl<{ n: string }>(url(), `SELECT column_name AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'item' ORDER BY ordinal_position`)).map(
      (r) => r.n,
    );
  const r1File = `migrations/versions/app/${R1}_item.ts`;
  const r2File = `migrations/versions/app/${R2}_drop_ix.ts`;

  beforeAll(() => {
    p = new InProcessProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url())} } } });\n`,
    });
    p.write(
      r1File,
      revisionSource({
        revision: R1,
        downRevision: null,
        branchLabels: ['app'],
        upgrade: `await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'varchar(20)' }, { name: ${JSON.stringify(LONG_COL)}, type: 'integer' }], { indexes: [{ name: ${JSON.stringify(LONG_IX)}, columns: ['code'] }] });`,
        downgrade: `await op.dropTable('item');`,
      }),
    );
    p.write(
      r2File,
      revisionSource({
        revision: R2,
        downRevision: R1,
        upgrade: `await op.dropIndex(${JSON.stringify(LONG_IX)}, { table: 'item' });`,
        downgrade: `await op.createIndex(${JSON.stringify(LONG_IX)}, 'item', ['code']);`,
      }),
    );
  });
  afterAll(() => p?.remove());

  it('upgrade replays it with a warning; the index is created under the name PostgreSQL keeps, and dropped by the long name', async () => {
    const first = await p.run('upgrade', R1);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `[app] WARNING: op.createTable('item') in revision ${R1} of bind 'app' (${p.dir}/${r1File}) names column '${LONG_COL}' of table 'item' (70 bytes): the database will use '${KEPT_COL}'; ` +
        `index '${LONG_IX}' of table 'item' (70 bytes): the database will use '${KEPT_IX}'. postgres keeps at most 63 bytes of a name and truncates a longer one`,
    );
    expect(await indexes()).toEqual([KEPT_IX, 'pk_item']);
    expect(await columns()).toEqual(['id', 'code', KEPT_COL]);
    expect(await versionsAt(url())).toEqual([R1]);

    // The later revision names the same long name: PostgreSQL reaches the index it made.
    const second = await p.run('upgrade');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toContain(`[app] WARNING: op.dropIndex('item') in revision ${R2} of bind 'app' (${p.dir}/${r2File}) names index '${LONG_IX}' of table 'item' (70 bytes): the database will use '${KEPT_IX}'.`);
    expect(await indexes()).toEqual(['pk_item']);
    expect(await versionsAt(url())).toEqual([R2]);

    const down = await p.run('downgrade', 'base');
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stderr).toContain(`[app] WARNING: op.createIndex('item') in revision ${R2}`);
    expect(await tablesAt(url())).not.toContain('item');
    expect(await versionsAt(url())).toEqual([]);
  });

  it('offline (--sql): the script, with the warning on stderr and as a comment before the op; --json carries it', async () => {
    const out = await p.run('upgrade', '--sql', 'base:head');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stderr).toContain(`[app] WARNING: op.dropIndex('item') in revision ${R2} of bind 'app' (${p.dir}/${r2File}) names index '${LONG_IX}' of table 'item' (70 bytes)`);
    expect(out.stdout).toContain(`-- WARNING: op.createTable('item') in revision ${R1}`);
    expect(out.stdout).toContain(`CREATE INDEX "${LONG_IX}"`);
    expect(out.stdout).toContain(`DROP INDEX "${LONG_IX}"`);
    const json = await p.run('upgrade', '--sql', '--json', 'base:head');
    expect(json.code, json.stderr).toBe(0);
    const scripts = (JSON.parse(json.stdout) as { scripts: { bind: string; warnings?: string[] }[] }).scripts;
    expect(scripts.map((s) => s.warnings?.map((w) => w.split(' of bind')[0]))).toEqual([[`op.createTable('item') in revision ${R1}`, `op.dropIndex('item') in revision ${R2}`]]);
  });

  it('two names of one op that PostgreSQL would cut to the same one: refused before anything is sent', async () => {
    // transaction = false: a statement sent would stay (autocommit), so nothing sent means no table.
    const twin = `${'t'.repeat(63)}_a`;
    const other = `${'t'.repeat(63)}_b`;
    p.write(
      `migrations/versions/app/${R3}_twins.ts`,
      revisionSource({
        revision: R3,
        downRevision: R2,
        extra: 'export const transaction = false;\n',
        upgrade: `await op.createTable('pair', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], { indexes: [{ name: ${JSON.stringify(twin)}, columns: ['a'] }, { name: ${JSON.stringify(other)}, columns: ['b'] }] });`,
        downgrade: `await op.dropTable('pair');`,
      }),
    );
    await p.ok('upgrade', R2);
    const out = await p.run('upgrade');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stderr).toContain(
      `op.createTable('pair') names index '${twin}' of table 'pair' and index '${other}' of table 'pair', which postgres would both cut to '${'t'.repeat(63)}' (it keeps at most 63 bytes of a name)`,
    );
    expect(out.stderr).toContain(`Nothing of this op was sent or written. Shorten one of them in revision ${R3} of bind 'app'`);
    expect(out.stderr).not.toContain('WARNING');
    expect(await tablesAt(url())).not.toContain('pair');
    expect(await versionsAt(url())).toEqual([R2]);
    const offline = await p.run('upgrade', '--sql', `${R2}:head`);
    expect(offline.code).toBe(1);
    expect(offline.stdout).not.toContain('CREATE TABLE');
    expect(offline.stderr).toContain(`which postgres would both cut to '${'t'.repeat(63)}'`);
  });
});

describe('names over the limit on SQLite', () => {
  it('has no limit: no warning', async () => {
    const p = new InProcessProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db' } } });\n` });
    try {
      p.write(
        `migrations/versions/app/${R1}_item.ts`,
        revisionSource({ revision: R1, downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }], { indexes: [{ name: ${JSON.stringify(LONG_IX)}, columns: ['id'] }] });` }),
      );
      const out = await p.run('upgrade');
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).not.toContain('WARNING');
    } finally {
      p.remove();
    }
  });
});
