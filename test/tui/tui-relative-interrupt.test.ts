// The TUI's downgrade targets count revisions from where the bind stands (the downgrade screen's
// choices are `app@-1`, `app@-2`, …). A downgrade stopped by ctrl+c part way said "run the
// downgrade again to go on", which from where the bind stopped steps back further than the choice
// meant; its summary (also printed to the terminal when the TUI closes) now gives the command
// that finishes just what it meant (core's InterruptedError.retry, across the worker thread).
// A real SQLite database on the TUI's worker run driver; the revision in progress waits at a gate
// (a file the test creates), so the ctrl+c lands while it runs, without any timing.
import { join } from 'node:path';
import { defaultModuleAlias, describeRun, initialRunState, runReducer, workerRunDriver, type RunMessage } from '@multidb/tui';
import { afterAll, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const R = ['ad0000000001', 'ad0000000002', 'ad0000000003'] as const;

const p = new TempProject(['app']);
afterAll(() => p.remove());
const gate = join(p.dir, 'gate');
R.forEach((revision, i) =>
  p.write(
    `migrations/versions/app/${revision}_t${i + 1}.ts`,
    revisionSource({
      revision,
      downRevision: i === 0 ? null : R[i - 1]!,
      ...(i === 0 ? { branchLabels: ['app'] } : {}),
      upgrade: `await op.createTable('t${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      // The downgrade of the last revision waits at the gate.
      downgrade: `${i === 2 ? `{ const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(`${gate}.started`)}, ''); while (!fs.existsSync(${JSON.stringify(`${gate}.go`)})) await new Promise((r) => setTimeout(r, 20)); }` : ''} await op.dropTable('t${i + 1}');`,
    }),
  ),
);

it("a TUI downgrade to app@-2 stopped by ctrl+c after its first step: the summary gives 'migrate downgrade app@<R1>', which ends where app@-2 meant", async () => {
  await p.ok('upgrade');
  const messages: RunMessage[] = [];
  const job = workerRunDriver().start({ cwd: p.dir, moduleAlias: defaultModuleAlias(), direction: 'down', targets: ['app@-2'] }, (m) => messages.push(m));
  while (!p.exists('gate.started')) await new Promise((r) => setTimeout(r, 20));
  job.interrupt();
  p.write('gate.go', '');
  await job.done;

  const failed = messages.at(-1);
  expect(failed).toMatchObject({ type: 'failed', error: { code: 'INTERRUPTED', retry: [`app@${R[0]}`] } });
  const state = messages.reduce((s, message, i) => runReducer(s, { type: 'message', group: 0, message, now: i }), initialRunState('down', [{ binds: ['app'] }], 0));
  expect(describeRun(state)).toMatch(new RegExp(`: app interrupted\\. Running the downgrade again would step again the binds that ran; to finish just what it meant, run instead: migrate downgrade app@${R[0]}\\.$`));
  expect(p.versionsApplied('app')).toEqual([R[1]]);

  // The command it gives ends at R1, where app@-2 meant; app@-2 again would go to base.
  await p.ok('downgrade', `app@${R[0]}`);
  expect(p.versionsApplied('app')).toEqual([R[0]]);
});
