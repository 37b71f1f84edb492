// The TUI's in-process run driver (used where core's worker module is not built), stop() (the
// second ctrl+c) while a statement runs on a server: as the worker driver's stop(), it cancels the
// statement there (PostgreSQL's cancel request, MariaDB's KILL QUERY) and ends the run at a
// revision boundary, the revision it was in never recorded as applied, none started after it.
// The gate is the server itself (the statement shows running there), so no timing decides what is tested.
import { defaultModuleAlias, inProcessRunDriver, type RunMessage } from '@multidb/tui';
import { expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, tablesAt, useDatabases, versionsAt } from '../support/servers.js';
import { holdRow, STUCK, stuck, within } from '../support/stuck-statements.js';

const [R1, R2] = ['ab0000000001', 'ab0000000002'];
const table = (t: string) => `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

for (const kind of ['postgres', 'mysql'] as const) {
  const server = kind === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  describeWithServers(`the TUI's in-process run driver: stop() while a statement runs on ${server}`, [kind], () => {
    const dbs = useDatabases('tui_in_process_stop', { db: kind });

    it(`cancels ${STUCK[kind].sql} there and resolves once the run has ended; the revision is not recorded, the next never starts; nothing is delivered after it`, async () => {
      const url = dbs.db.url;
      const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
      const release = kind === 'mysql' ? await holdRow(url) : async () => undefined;
      try {
        p.write(`migrations/versions/app/${R1}_t1.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['app'], upgrade: `${table('t1')} await op.execute(${JSON.stringify(STUCK[kind].sql)}); ${table('t1b')}` }));
        p.write(`migrations/versions/app/${R2}_t2.ts`, revisionSource({ revision: R2, downRevision: R1, upgrade: table('t2') }));
        const messages: RunMessage[] = [];
        const job = inProcessRunDriver.start({ cwd: p.dir, moduleAlias: defaultModuleAlias(), direction: 'up', targets: ['app@head'] }, (m) => messages.push(m));
        await within(20_000, `a session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) > 0);
        const delivered = messages.length;
        await job.stop();
        // Not cancelled, the statement would still be running (30 s; MariaDB's lock wait 50 s).
        expect(await stuck(kind, url)).toBe(0);
        await release();
        expect(await versionsAt(url)).toEqual([]);
        // PostgreSQL rolled the revision back; MariaDB kept t1 (DDL commits at once), recorded as progress only.
        expect((await tablesAt(url)).filter((t) => /^t\d/.test(t))).toEqual(kind === 'postgres' ? [] : ['t1']);
        expect(messages).toHaveLength(delivered);
      } finally {
        await release();
        p.remove();
      }
    });
  });
}
