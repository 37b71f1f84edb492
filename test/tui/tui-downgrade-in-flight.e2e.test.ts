// `migrate tui` end to end on MariaDB (tmux, 80x24) with a downgrade stopped part way (its second
// statement failed after its first, a DROP TABLE, committed): the review says the downgrade is in
// flight, that upgrading is refused while it is and that downgrading again resumes it (was:
// "Nothing to upgrade: the selected binds are at their heads."); the downgrade confirmation says
// the downgrade resumes after the write it completed (was: nothing); fixed, it resumes from the TUI.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { revisionSource, runMigrate, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases } from '../support/servers.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

/** The screen's rows joined, each trimmed, runs of spaces as one: wrapped text reads as one line. */
const oneLine = (screen: string) => screen.split('\n').map((r) => r.trim()).join(' ').replace(/ +/g, ' ');

describeWithServers('migrate tui: a downgrade in flight on MariaDB (tmux, 80x24)', ['mysql'], () => {
  const BROKEN = 'migrations/versions/my/c10000000002_two.ts';
  const dbs = useDatabases('tui_downgrade_in_flight', { my: 'mysql' });
  let p: TempProject;
  let tmux: TmuxSession | undefined;
  const downgrade = (bad: string) => `await op.dropTable('g2');\n  ${bad}await op.dropTable('g1');`;
  const two = (bad: string) =>
    revisionSource({
      revision: 'c10000000002',
      downRevision: 'c10000000001',
      message: 'two',
      upgrade: `await op.createTable('g1', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.createTable('g2', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      downgrade: downgrade(bad),
    });

  beforeAll(async () => {
    p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  directory: 'migrations',\n  binds: {\n    my: { url: ${JSON.stringify(dbs.my.url)} },\n  },\n});\n`,
    });
    p.write(
      'migrations/versions/my/c10000000001_one.ts',
      revisionSource({ revision: 'c10000000001', downRevision: null, branchLabels: ['my'], message: 'one', upgrade: `await op.createTable('e1', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('e1');` }),
    );
    p.write(BROKEN, two(`await op.execute('DROP TABLE nope');\n  `));
    expect((await runMigrate(p.dir, ['upgrade'])).code).toBe(0);
    const failed = await runMigrate(p.dir, ['downgrade', 'my@-1']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('DROP TABLE nope');
    expect(await tablesAt(dbs.my.url)).toEqual(['e1', 'g1', 'multidb_version', 'multidb_version_progress']);
  });

  afterAll(() => {
    tmux?.kill();
    p?.remove();
  });

  it('the review says the downgrade is in flight and how to go on; the confirmation says it resumes; it resumes', { timeout: 120_000 }, async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    tmux = startMigrateTui(p.dir);
    await tmux.waitFor(/my +mariadb +c10000000002 +c10000000002 +0 in flight/);
    const review = oneLine(await tmux.press('Enter', 'Review · upgrade my'));
    expect(review).toContain(
      'Nothing to upgrade, but the downgrade of c10000000002 on my is in flight (stopped after 1 write(s), last: dropTable g2): upgrading is refused while a downgrade is in flight; once what made it stop is fixed, downgrading my one step again resumes it (q, then d on the binds screen).',
    );
    expect(review).not.toContain('at their heads');

    // Fixed, the downgrade one step back resumes it, after the DROP TABLE g2 it completed.
    p.write(BROKEN, two(''));
    await tmux.press('q', /^› \[.\] my /m);
    await tmux.press('d', /^› c10000000001 one \(one step back\) +my@-1$/m);
    const confirm = oneLine(await tmux.press('Enter', 'Run it? y / n'));
    expect(confirm).toContain('This runs 1 downgrade on my, in this order: › my downgrade c10000000002 two · in flight');
    expect(confirm).toContain('The downgrade of c10000000002 on my is in flight (stopped after 1 write(s), last: dropTable g2): it resumes after the writes it completed rather than running whole.');
    tmux.send('y');
    const done = await tmux.waitFor('Downgrade · finished');
    expect(done).toMatch(/^✔ my +done: 1 revision in \d+\.\d s, now at c10000000001$/m);
    expect(await queryUrl(dbs.my.url, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: 'c10000000001' }]);
    expect(await tablesAt(dbs.my.url)).toEqual(['e1', 'multidb_version', 'multidb_version_progress']);
    await tmux.press('Enter', /my +mariadb +c10000000001 +c10000000002 +1 pending/);
    await tmux.press('q', /EXIT:0/);
  });
});
