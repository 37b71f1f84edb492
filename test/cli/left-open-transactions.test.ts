// A revision with `export const transaction = false` that begins a transaction of its own and does
// not end it, through the CLI: failing, `migrate upgrade` reports the revision's own error (exit
// 1) with that transaction rolled back, not the hang of a connection op.db still held (SQLite) nor
// a session left in its aborted transaction (PostgreSQL); returning with it open, the revision
// fails and is not recorded (its transaction is not committed by the version write); `current`
// works after each, and the fixed revision then runs. SQLite in-process, and PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { TempProject, revisionSource } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases, versionsAt } from '../support/servers.js';

const [A1, A2] = ['b0b0b0b0b0b1', 'b0b0b0b0b0b2'];

/** A2's upgrade: its own transaction, a row in it, and then `end` (what it does before returning). */
const ownTransaction = (end: string) =>
  [
    'const trx = await op.db.startTransaction().execute();',
    "  await trx.insertInto('item').values({ id: 2 }).execute();",
    // A statement that fails in it, caught: PostgreSQL aborts the transaction, refusing every statement after it until ROLLBACK.
    "  await trx.insertInto('item').values({ id: 1 }).execute().catch(() => undefined);",
    `  ${end}`,
  ].join('\n');

function suite(name: string, url: () => string): void {
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url())} } } });\n` });
    p.write(
      `migrations/versions/app/${A1}_a1.ts`,
      revisionSource({ revision: A1, downRevision: null, branchLabels: ['app'], upgrade: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  await op.bulkInsert('item', [{ id: 1 }]);" }),
    );
  });
  afterAll(() => p.remove());
  const a2 = (upgrade: string) => p.write(`migrations/versions/app/${A2}_a2.ts`, revisionSource({ revision: A2, downRevision: A1, extra: 'export const transaction = false;', upgrade }));
  const rows = async () => (await queryUrl<{ id: number }>(url(), 'SELECT id FROM item ORDER BY id', [], { baseDir: p.dir })).map((r) => Number(r.id));

  it(`${name}: failing, the revision's own error, exit 1; returning with its transaction open, not recorded; current works after each; fixed, it runs`, async () => {
    a2(ownTransaction("throw new Error('a2 gave up');"));
    const failed = await runInProcess(p.dir, ['upgrade']);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^ERROR: \\[app\\] revision ${A2} failed: a2 gave up; `, 'm'));
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([A1]);
    expect(await rows()).toEqual([1]);
    const current = await runInProcess(p.dir, ['current']);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain(A1);

    // Returning with the transaction still open: rolled back, not committed by the version write.
    a2(ownTransaction('// no COMMIT'));
    const leftOpen = await runInProcess(p.dir, ['upgrade']);
    expect(leftOpen.code, leftOpen.stderr).toBe(1);
    expect(leftOpen.stderr).toMatch(new RegExp(`^ERROR: \\[app\\] revision ${A2} failed: revision ${A2} of bind 'app' returned with a transaction of its own still open .*it was rolled back, and the revision is not recorded as applied`, 'm'));
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([A1]);
    expect(await rows()).toEqual([1]);
    expect((await runInProcess(p.dir, ['current'])).code).toBe(0);

    // Fixed: its transaction holds only the new row, and commits.
    a2("await op.db.transaction().execute((trx) => trx.insertInto('item').values({ id: 2 }).execute());");
    const fixed = await runInProcess(p.dir, ['upgrade']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([A2]);
    expect(await rows()).toEqual([1, 2]);
  });
}

describeWithServers('a revision that leaves its own transaction open, through the CLI (SQLite)', [], () => {
  suite('SQLite', () => 'sqlite:.data/app.db');
});

describeWithServers('a revision that leaves its own transaction open, through the CLI (PostgreSQL)', ['postgres'], () => {
  const dbs = useDatabases('left_open', { app: 'postgres' });
  suite('PostgreSQL', () => dbs.app.url);
});
