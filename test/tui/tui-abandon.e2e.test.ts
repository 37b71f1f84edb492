// `migrate tui`, a second ctrl+c during a run while a statement runs on the server (the real built
// CLI in tmux): the run is abandoned as `migrate upgrade`'s second Ctrl-C abandons one, the
// statement cancelled on the server (PostgreSQL's cancel request, MariaDB's KILL QUERY) instead of
// running on, its locks held, after the TUI has gone; the TUI exits 130 saying so. The gate is
// the server itself (the statement shows running there), so no timing decides what is tested.
import { afterAll, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, tablesAt, useDatabases, versionsAt } from '../support/servers.js';
import { holdRow, STUCK, stuck, within } from '../support/stuck-statements.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

const R1 = 'ab0000000001';

for (const kind of ['postgres', 'mysql'] as const) {
  const server = kind === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  describeWithServers(`migrate tui (tmux): a second ctrl+c on ${server} while a statement runs there`, [kind], () => {
    const dbs = useDatabases('tui-abandon', { db: kind });
    let tmux: TmuxSession | undefined;
    afterAll(() => tmux?.kill());

    it(`exits 130 saying the run was abandoned; no session is left running ${STUCK[kind].sql}; nothing is recorded`, async () => {
      expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
      const url = dbs.db.url;
      const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
      const release = kind === 'mysql' ? await holdRow(url) : async () => undefined;
      try {
        const table = (t: string) => `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
        p.write(
          `migrations/versions/app/${R1}_t1.ts`,
          revisionSource({ revision: R1, downRevision: null, branchLabels: ['app'], upgrade: `${table('t1')} await op.execute(${JSON.stringify(STUCK[kind].sql)}); ${table('t1b')}` }),
        );
        tmux = startMigrateTui(p.dir);
        await tmux.waitFor(/app +\w+ +base +\w{12} +1 pending/);
        await tmux.press('Enter', '[ Upgrade: 1 revision on 1 bind ]');
        tmux.send('u');
        await within(20_000, `a session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) > 0);
        await tmux.press('C-c', 'Stopping after the revisions in progress');
        const end = await tmux.press('C-c', 'EXIT:');
        expect(end).toMatch(/^EXIT:130$/m);
        expect(end.replace(/\n/g, '')).toContain("Upgrade abandoned (ctrl+c twice): what was running was cancelled");
        // Not cancelled, the statement would stay on the server for 30 s (50 s) after the TUI ended.
        await within(10_000, `no session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) === 0);
        await release();
        expect(await versionsAt(url)).toEqual([]);
        // PostgreSQL rolled the revision back; MariaDB kept t1 (DDL commits at once).
        expect((await tablesAt(url)).filter((t) => /^t\d/.test(t))).toEqual(kind === 'postgres' ? [] : ['t1']);
      } finally {
        await release();
        p.remove();
      }
    });
  });
}
