// `migrate tui` end to end on real servers (tmux, 80x24): a PostgreSQL bind whose revision makes a
// unique index over duplicate rows, and a MariaDB bind whose revision fails half way (a table
// created, then an INSERT into a misspelt table). The run screen says what `migrate upgrade` says:
// PostgreSQL's DETAIL names the duplicated key, and the MariaDB revision is partly applied with its
// progress recorded, so upgrading again resumes it (was: no DETAIL, and "part of this revision may
// have been applied (no transactional DDL)" with nothing on how to go on). Fixed, it resumes from
// the TUI.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

/** The screen's rows joined, each trimmed, runs of spaces as one: wrapped text reads as one line. */
const oneLine = (screen: string) => screen.split('\n').map((r) => r.trim()).join(' ').replace(/ +/g, ' ');

describeWithServers('migrate tui: failures on PostgreSQL and MariaDB (tmux, 80x24)', ['postgres', 'mysql'], () => {
  const BROKEN = 'migrations/versions/my/b10000000002_daily.ts';
  const dbs = useDatabases('tui_server_failures', { pg: 'postgres', my: 'mysql' });
  let p: TempProject;
  let tmux: TmuxSession | undefined;

  beforeAll(() => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        `    pg: { url: ${JSON.stringify(dbs.pg.url)} },\n    my: { url: ${JSON.stringify(dbs.my.url)} },\n  },\n});\n`,
    });
    p.write(
      'migrations/versions/pg/a10000000001_users.ts',
      revisionSource({
        revision: 'a10000000001',
        downRevision: null,
        branchLabels: ['pg'],
        message: 'users',
        upgrade: [
          `await op.createTable('member', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(120)', nullable: false }]);`,
          `  await op.bulkInsert('member', [{ id: 1, email: 'ann@example.org' }, { id: 2, email: 'ann@example.org' }]);`,
        ].join('\n'),
        downgrade: `await op.dropTable('member');`,
      }),
    );
    p.write(
      'migrations/versions/pg/a10000000002_email_unique.ts',
      revisionSource({
        revision: 'a10000000002',
        downRevision: 'a10000000001',
        message: 'email unique',
        upgrade: `await op.createIndex('ix_member_email', 'member', ['email'], { unique: true });`,
        downgrade: `await op.dropIndex('ix_member_email', { table: 'member' });`,
      }),
    );
    p.write(
      'migrations/versions/my/b10000000001_events.ts',
      revisionSource({
        revision: 'b10000000001',
        downRevision: null,
        branchLabels: ['my'],
        message: 'events',
        upgrade: `await op.createTable('event', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `await op.dropTable('event');`,
      }),
    );
    p.write(
      BROKEN,
      revisionSource({
        revision: 'b10000000002',
        downRevision: 'b10000000001',
        message: 'daily',
        upgrade: [
          `await op.createTable('daily', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'n', type: 'integer' }]);`,
          `  await op.execute('INSERT INTO daily_typo (id, n) VALUES (1, 2)');`,
        ].join('\n'),
        downgrade: `await op.dropTable('daily');`,
      }),
    );
  });

  afterAll(() => {
    tmux?.kill();
    p?.remove();
  });

  it('shows the server DETAIL and a resumable partial revision as `migrate upgrade` does; upgrading again resumes it', { timeout: 120_000 }, async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    tmux = startMigrateTui(p.dir);
    await tmux.waitFor(/my +mariadb +base +b10000000002 +2 pending/);
    await tmux.press('a', '2 of 2 selected');
    await tmux.press('Enter', '[ Upgrade: 4 revisions on 2 binds ]');
    tmux.send('u');
    const failed = await tmux.waitFor(/^Upgrade finished in [\s\S]*stays at b10000000001/m);
    const rows = failed.replace(/\n$/, '').split('\n');
    expect(rows.every((r) => r.length <= 80)).toBe(true);
    const screen = oneLine(failed);
    expect(screen).toContain('✘ pg failed at revision 2 of 2: a10000000002 email unique');
    expect(screen).toContain('detail: Key (email)=(ann@example.org) is duplicated.');
    expect(screen).toContain('rolled back; pg stays at a10000000001');
    expect(screen).toContain('✘ my failed at revision 2 of 2: b10000000002 daily');
    expect(screen).toContain('statement: INSERT INTO daily_typo (id, n) VALUES (1, 2)');
    // Fix first, as core's message says (run again as it is, it fails the same way).
    expect(screen).toContain(
      'part of this revision was applied and its progress recorded; my stays at b10000000001 with it in flight. Fix what failed (the revision may change from the write that failed on, not before it), then run the upgrade again to resume after the last completed write.',
    );
    expect(screen).not.toContain('may have been applied');
    expect(screen).toContain('my failed at b10000000002, stays at b10000000001 with it partly applied (fix what failed, then run the upgrade again to resume)');
    expect(await queryUrl(dbs.my.url, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: 'b10000000001' }]);

    // The binds screen agrees, and says how to go on with a command that runs (was: 'migrate
    // resolve my', which exits 2 asking for --applied or --not-applied).
    await tmux.press('Enter', /my +mariadb +b10000000001 +b10000000002 +1 in flight/);
    const binds = await tmux.press('End', /^› \[.\] my /m);
    expect(oneLine(binds)).toContain(
      "my: Revision b10000000002 is in flight (upgrade stopped after 1 write(s), last: createTable daily): once what made it stop is fixed (the revision may change from the write that failed on), upgrading my again resumes it; after a repair by hand, 'migrate resolve my --applied' or '--not-applied' records it.",
    );
    // A downgrade is refused up front, saying why and how to go on (was: targets offered, then a
    // run failing with the refusal cut off before its way out).
    const refused = oneLine(await tmux.press('d', 'Downgrade my: refused'));
    expect(refused).toContain('Revision b10000000002 is partly applied (its upgrade stopped after 1 write(s), last: createTable daily): my cannot be downgraded while it is in flight.');
    expect(refused).toContain(
      "If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it); then upgrade my again to resume it (enter, then u), or repair the database by hand and record it with 'migrate resolve my --applied' or 'migrate resolve my --not-applied'.",
    );
    await tmux.press('q', /^› \[.\] my /m);

    // Fixed, the revision resumes from the TUI.
    p.write(BROKEN, p.read(BROKEN).replace('daily_typo', 'daily'));
    await tmux.press('a', '0 of 2 selected');
    await tmux.press(['Down', 'Space'], '1 of 2 selected');
    await tmux.press('Enter', /1\/1 +b10000000002 +daily · in flight: resumes after 1 write/);
    tmux.send('u');
    const resumed = await tmux.waitFor('Upgrade · finished');
    expect(resumed).toMatch(/^✔ my +done: 1 revision in \d+\.\d s, now at b10000000002$/m);
    expect(await queryUrl(dbs.my.url, 'SELECT id, n FROM daily')).toEqual([{ id: 1, n: 2 }]);
    await tmux.press('Enter', /my +mariadb +b10000000002 +b10000000002 +0 up to date/);
    await tmux.press('q', /EXIT:0/); // the last run's outcome
  });
});
