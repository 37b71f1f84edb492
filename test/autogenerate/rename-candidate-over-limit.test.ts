// A table and a column PostgreSQL keeps under names it cut to 63 bytes (created with 70-byte names,
// as an older tool or a hand-written script did), and models that give the 70-byte names. Each
// database object and the models' longer name are a rename candidate, and the names check ran only
// after the renames were decided: `check` and a non-interactive `migrate migrate` failed with
// "rename decision required … --rename orders.<63 bytes>=orders.<70 bytes>" (advice that then fails
// on the length), and `migrate migrate` on a terminal asked about each rename before refusing. The
// new name of a candidate is written either way (renamed or added), so it is now refused before any
// rename is asked or required, with the names check's error (bind, models file, names); a table or
// column the hooks leave out is no candidate and no reason to refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';
import { hasTmux, TmuxSession } from '../tui/tmux.js';

const LONG_TABLE = `archived_orders_${'x'.repeat(54)}`; // 70 bytes
const LONG_COLUMN = `shipping_note_${'y'.repeat(56)}`; // 70 bytes

const config = (url: string, hooks: boolean) => `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'migrations',
${
  hooks
    ? `  autogenerate: {
    includeName: (name, type) => !(type === 'table' && name.startsWith('archived_orders_')),
    includeObject: (o) => !o.name.startsWith('shipping_note_'),
  },
`
    : ''
}  binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } },
});
`;

const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    { name: 'orders', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: '${LONG_COLUMN}', type: 'integer' }] },
    { name: '${LONG_TABLE}', columns: [{ name: 'id', type: 'integer', primaryKey: true }] },
  ],
});
`;

describeWithServers('a rename candidate whose new name is past the limit [postgres]', ['postgres'], () => {
  const dbs = useDatabases('autogenerate_rename_candidate_over_limit', { pg: 'postgres' });
  let p: TempProject;
  const sessions: TmuxSession[] = [];
  const refusal = () =>
    `ERROR: [app] models ${p.dir}/models.ts: 2 names are longer than postgres keeps a name (at most 63 bytes): ` +
    `table '${LONG_TABLE}' (70 bytes), column 'orders'.'${LONG_COLUMN}' (70 bytes). Shorten them in the models (the database would cut a longer name short`;
  beforeAll(async () => {
    p = new TempProject([], { config: config(dbs.pg.url, false) });
    await p.ok('init', '--multidb');
    p.write('models.ts', MODELS);
    // PostgreSQL cuts both names to 63 bytes (with a NOTICE).
    await queryUrl(dbs.pg.url, `CREATE TABLE "${LONG_TABLE}" (id integer PRIMARY KEY)`);
    await queryUrl(dbs.pg.url, `CREATE TABLE orders (id integer PRIMARY KEY, "${LONG_COLUMN}" integer)`);
    const tables = await queryUrl<{ name: string }>(dbs.pg.url, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.name)).toContain(LONG_TABLE.slice(0, 63));
  });
  afterAll(() => {
    sessions.forEach((s) => s.kill());
    p?.remove();
  });

  it('check and migrate refuse the names, with no rename advice, and write nothing', async () => {
    for (const args of [['check'], ['migrate', '-m', 'long names']]) {
      const out = await p.run(...args);
      expect(out.code, out.stdout + out.stderr).toBe(1);
      expect(out.stderr.trim().split('\n').at(-1)).toContain(refusal());
      expect(out.stdout + out.stderr).not.toMatch(/--rename|--no-rename|renamed/);
    }
    expect(p.versions('app')).toEqual([]);
  });

  it('migrate on a terminal refuses them before asking about any rename', async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    const session = TmuxSession.start({
      cwd: p.dir,
      command: [process.execPath, MIGRATE_BIN, 'migrate', '-m', 'long names'].map((arg) => JSON.stringify(arg)).join(' '),
      env: { NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm-256color' },
      columns: 500,
      rows: 40,
    });
    sessions.push(session);
    const screen = await session.waitFor(/EXIT:\d+|\[y\/N\]/);
    expect(screen).not.toContain('[y/N]');
    expect(screen).toContain('EXIT:1');
    expect(screen).toContain(refusal());
    expect(p.versions('app')).toEqual([]);
  });

  it('a table and a column the hooks leave out are no candidates and no reason to refuse', async () => {
    p.write('migrate.config.ts', config(dbs.pg.url, true));
    const check = await p.run('check');
    expect(check.stdout + check.stderr).not.toContain('longer than');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('[app] No changes in schema detected.');
  });
});
