// `migrate tui` end to end: the real built CLI in a tmux session of 80x24, on a copy of the
// repository's Chinook example with one pending revision on each of its two binds.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

const REPO = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('migrate tui (tmux, 80x24)', () => {
  // The example's config reads these to point a bind at a server: keep both binds on SQLite.
  const p = new TempProject([], { config: false, env: { MULTIDB_DEFAULT_URL: undefined, MULTIDB_DB2_URL: undefined } });
  let tmux: TmuxSession | undefined;
  const columns = (bind: string, table: string) => p.query<{ name: string }>(bind, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).map((r) => r.name);

  beforeAll(async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    p.copyIn(REPO('migrate.config.ts'), 'migrate.config.ts');
    p.copyIn(REPO('migrations'), 'migrations');
    p.copyIn(REPO('models'), 'models');
    await p.ok('upgrade');
    const artist = await p.revision('-m', 'add artist country', '-b', 'default');
    p.fill(artist.file, {
      upgrade: `await op.addColumn('Artist', { name: 'Country', type: 'varchar(40)', nullable: true });`,
      downgrade: `await op.dropColumn('Artist', 'Country', { existing: { type: 'varchar(40)', nullable: true } });`,
    });
    // A data migration that keeps SQLite busy for a while (about 2 s): the screen must keep
    // drawing meanwhile, which it can only do if the run is off the UI's thread.
    const tier = await p.revision('-m', 'add customer tier', '-b', 'db2');
    p.fill(tier.file, {
      upgrade: [
        `await op.addColumn('Customer', { name: 'Tier', type: 'varchar(10)', nullable: true });`,
        `  await op.execute('CREATE TEMP TABLE busy AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT x FROM c');`,
        `  await op.db.updateTable('Customer').set({ Tier: 'gold' }).execute();`,
      ].join('\n'),
      downgrade: `await op.dropColumn('Customer', 'Tier', { existing: { type: 'varchar(10)', nullable: true } });`,
    });
  });

  afterAll(() => {
    tmux?.kill();
    p.remove();
  });

  it('selects both binds, reviews, upgrades both, and both databases have the new columns', async () => {
    tmux = startMigrateTui(p.dir, [], { MULTIDB_DEFAULT_URL: undefined, MULTIDB_DB2_URL: undefined });
    const binds = await tmux.waitFor(/db2 +sqlite +fd2415b8acac +\w{12} +1 pending/);
    expect(binds).toMatch(/^multidb · migrate\.config\.ts +0 of 2 selected · \? keys$/m);
    expect(binds).toMatch(/^› \[ \] default +sqlite +e00861d9f40d +\w{12} +1 pending$/m);
    expect(binds).toMatch(/^ +sqlite:\.data\/default\.db$/m);
    // NO_COLOR: no colour or attribute sequences on the screen.
    expect(tmux.screen(true)).not.toMatch(/\u001B\[[0-9;]*m/);

    await tmux.press('a', '2 of 2 selected');
    const review = await tmux.press('Enter', '[ Upgrade: 2 revisions on 2 binds ]');
    expect(review).toMatch(/^› +1\/1 +\w{12} +add artist country$/m);
    expect(review).toMatch(/^ +1\/1 +\w{12} +add customer tier$/m);

    const sql = await tmux.press(['Down', 'Enter'], 'SQL of the upgrade on db2 (sqlite)');
    expect(sql).toContain('ALTER TABLE "Customer" ADD COLUMN "Tier" varchar(10)');
    expect(sql).toContain('update "Customer" set "Tier" = ?');
    await tmux.press('Escape', '[ Upgrade: 2 revisions on 2 binds ]');

    tmux.send('u');
    const first = await tmux.waitFor(/db2 +revision 1 of 1: \w{12} add customer tier · \d+\.\d s/);
    const firstElapsed = /running (\d+\.\d) s/.exec(first)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = tmux.screen();
    if (!second.includes('finished')) expect(/running (\d+\.\d) s/.exec(second)?.[1]).not.toBe(firstElapsed);

    const final = await tmux.waitFor('Upgrade · finished');
    const rows = final.replace(/\n$/, '').split('\n');
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.length <= 80)).toBe(true);
    expect(final).toMatch(/^✔ default +done: 1 revision in \d+\.\d s, now at \w{12}$/m);
    expect(final).toMatch(/^✔ db2 +done: 1 revision in \d+\.\d s, now at \w{12}$/m);
    expect(final).toMatch(/^Upgrade finished in \d+\.\d s: default, db2 upgraded \(2 revisions\)\.$/m);

    expect(columns('default', 'Artist')).toContain('Country');
    expect(columns('db2', 'Customer')).toContain('Tier');
    expect(p.query('db2', `SELECT count(*) AS n FROM "Customer" WHERE "Tier" = 'gold'`)).toEqual([{ n: 59 }]);
    expect(p.versionsApplied('default')).not.toContain('e00861d9f40d');
    expect(p.versionsApplied('db2')).not.toContain('fd2415b8acac');

    const after = await tmux.press('Enter', /db2 +sqlite +(\w{12}) +\1 +0 up to date/);
    expect(after).toMatch(/default +sqlite +(\w{12}) +\1 +0 up to date/);
    const closed = await tmux.press('q', /EXIT:\d+/);
    expect(closed).toMatch(/^Upgrade finished in \d+\.\d s: default, db2 upgraded \(2 revisions\)\.\nEXIT:0$/m);
  });

  it('refuses without a terminal and names the plain commands', async () => {
    const out = await p.run('tui');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('needs an interactive terminal');
    expect(out.stderr).toContain('migrate upgrade');
  });
});
