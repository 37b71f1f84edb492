// The TUI's revision viewer on a MariaDB revision that stopped part way: the statements it marks
// "applied, skipped on resume" are those the database has, whatever the ops compile to. A run
// counts its progress per write (an op, whatever number of statements it compiles to, none for
// an enum op on MariaDB; an `op.db` write), and records how many statements of an op of several
// completed: the marks follow that record (core's preview), not a count of statements.
import { commands, createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { EnvironmentBackend, previewLines, type PreviewLine } from '@multidb/tui';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { columnsAt, createDatabase, describeWithServers, queryUrl, tablesAt, type ServerDatabase } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const REVISION = 'ab00000000f1';
const config = (url: string) => `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  directory: 'migrations',\n  binds: {\n    default: { url: ${JSON.stringify(url)} },\n  },\n});\n`;
const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

/** The viewer's statements (their first SQL line, the number cut off), each with its mark. */
function marks(lines: readonly PreviewLine[]): { sql: string; mark: string }[] {
  const out: { sql: string; mark: string }[] = [];
  for (const line of lines) {
    const start = line.style === 'sql' ? /^ *\d+ {2}(.*)$/.exec(line.text) : null;
    if (start) out.push({ sql: start[1]!, mark: '' });
    else if (line.style === 'dim' && out.length > 0 && /applied|sent/.test(line.text)) out.at(-1)!.mark = line.text.trim();
  }
  return out;
}

describeWithServers("the TUI's revision viewer on a MariaDB revision stopped part way", ['mysql'], () => {
  let db: ServerDatabase;
  let p: TempProject;

  beforeEach(async () => {
    db = await createDatabase('mysql', 'tui_in_flight_preview');
    p = new TempProject([], { config: config(db.url) });
  });
  afterEach(async () => {
    p.remove();
    await db.drop();
  });

  /** Upgrades in-process (it must fail part way), then opens the viewer on the revision as the TUI does. */
  async function stoppedRevision(upgrade: string): Promise<{ sql: string; mark: string }[]> {
    addRevision(p, 'default', { revision: REVISION, downRevision: null, message: 'stops part way', upgrade });
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS, moduleCache: false, fsCache: false }) });
    try {
      await expect(commands.upgrade(env)).rejects.toThrow();
    } finally {
      await env.close();
    }
    return viewer();
  }

  /** The viewer's statements on the revision in flight, with their marks, as the TUI opens it. */
  async function viewer(): Promise<{ sql: string; mark: string }[]> {
    const backend = await EnvironmentBackend.open({ cwd: p.dir });
    try {
      const row = await backend.loadBind('default');
      expect(row.inFlight?.revision).toBe(REVISION);
      const preview = await backend.preview('default', REVISION, 'up');
      return marks(previewLines(preview, 200, p.dir, row.inFlight));
    } finally {
      await backend.close();
    }
  }

  it('an op of several statements that completed, then one more write: every statement of both is marked applied, the failed one is not', async () => {
    await queryUrl(db.url, 'CREATE TABLE s1 (id integer PRIMARY KEY, a integer)');
    const shown = await stoppedRevision(
      `await op.batchAlterTable('s1', (b) => {\n    b.addColumn({ name: 'x', type: 'integer' });\n    b.renameColumn('a', 'c');\n  });\n  ${table('s0')}\n  await op.execute('ALTER TABLE s_missing ADD COLUMN z integer');`,
    );
    // What the database has: the batch's two statements and s0 took effect; the ALTER failed.
    expect(await columnsAt(db.url, 's1')).toEqual(['id', 'c', 'x']);
    expect(await tablesAt(db.url)).toEqual(['multidb_version', 'multidb_version_progress', 's0', 's1']);
    expect(shown.map((s) => [s.sql.split(' (')[0], s.mark])).toEqual([
      ['ALTER TABLE `s1` ADD COLUMN `x` int NULL', 'applied, skipped on resume'],
      ['ALTER TABLE `s1` RENAME COLUMN `a` TO `c`', 'applied, skipped on resume'],
      ['CREATE TABLE `s0`', 'applied, skipped on resume'],
      ['ALTER TABLE s_missing ADD COLUMN z integer', ''],
    ]);
  });

  it('an op that compiles to no statement (createEnum) counts as a write: the statement that failed after it is not marked applied', async () => {
    const shown = await stoppedRevision(`await op.createEnum('mood', ['sad', 'ok']);\n  ${table('n1')}\n  await op.execute('ALTER TABLE n_missing ADD COLUMN z integer');`);
    expect(await tablesAt(db.url)).toEqual(['multidb_version', 'multidb_version_progress', 'n1']);
    expect(shown.map((s) => [s.sql.split(' (')[0], s.mark])).toEqual([
      ['CREATE TABLE `n1`', 'applied, skipped on resume'],
      ['ALTER TABLE n_missing ADD COLUMN z integer', ''],
    ]);
  });

  it('an op of several statements whose 2nd failed: its 1st is marked applied, the 2nd and the ops after it are not', async () => {
    await queryUrl(db.url, 'CREATE TABLE s1 (id integer PRIMARY KEY, a integer, b integer)'); // b: in the way of the rename
    await queryUrl(db.url, 'CREATE TABLE s2 (id integer PRIMARY KEY, a integer)');
    const shown = await stoppedRevision(
      `await op.batchAlterTable('s2', (b) => {\n    b.addColumn({ name: 'x', type: 'integer' });\n    b.renameColumn('a', 'c');\n  });\n` +
        `  await op.batchAlterTable('s1', (b) => {\n    b.addColumn({ name: 'x', type: 'integer' });\n    b.renameColumn('a', 'b');\n  });\n  ${table('s0')}`,
    );
    expect(await columnsAt(db.url, 's2')).toEqual(['id', 'c', 'x']);
    expect(await columnsAt(db.url, 's1')).toEqual(['id', 'a', 'b', 'x']);
    expect(await tablesAt(db.url)).toEqual(['multidb_version', 'multidb_version_progress', 's1', 's2']);
    expect(shown.map((s) => [s.sql.split(' (')[0], s.mark])).toEqual([
      ['ALTER TABLE `s2` ADD COLUMN `x` int NULL', 'applied, skipped on resume'],
      ['ALTER TABLE `s2` RENAME COLUMN `a` TO `c`', 'applied, skipped on resume'],
      ['ALTER TABLE `s1` ADD COLUMN `x` int NULL', 'applied, skipped on resume'],
      ['ALTER TABLE `s1` RENAME COLUMN `a` TO `b`', ''],
      ['CREATE TABLE `s0`', ''],
    ]);
  });

  it("an op of several statements killed while its 2nd was sent: the 1st is marked applied, the 2nd as sent (judged on resume), the rest not", async () => {
    await queryUrl(db.url, 'CREATE TABLE s1 (id integer PRIMARY KEY, a integer, b integer)');
    await stoppedRevision(`${table('s0')}\n  await op.batchAlterTable('s1', (b) => {\n    b.addColumn({ name: 'x', type: 'integer' });\n    b.renameColumn('a', 'b');\n    b.addColumn({ name: 'y', type: 'integer' });\n  });`);
    // What a kill between sending the 2nd statement and recording its completion leaves (the
    // failure above recorded it as failed, 'partial').
    expect(await queryUrl(db.url, 'SELECT step, state, statements_done FROM multidb_version_progress WHERE step = 2')).toEqual([{ step: 2, state: 'partial', statements_done: 1 }]);
    await queryUrl(db.url, "UPDATE multidb_version_progress SET state = 'pending' WHERE step = 2");
    expect((await viewer()).map((s) => [s.sql.split(' (')[0], s.mark])).toEqual([
      ['CREATE TABLE `s0`', 'applied, skipped on resume'],
      ['ALTER TABLE `s1` ADD COLUMN `x` int NULL', 'applied, skipped on resume'],
      ['ALTER TABLE `s1` RENAME COLUMN `a` TO `b`', 'sent, completion not recorded: judged on resume'],
      ['ALTER TABLE `s1` ADD COLUMN `y` int NULL', ''],
    ]);
  });

  // What a kill leaves when the header was recorded ahead (by the step before's version write) and
  // the first write had no record of its own (an earlier multidb's; see InFlightRevision.preRecorded):
  // a resume judges that write only when it is a DDL op whose effect can be told, and sends any other again.
  it.each([
    ['a DDL op: it is marked as sent (judged on resume)', `${table('h0')}`, [['CREATE TABLE `h0`', 'sent, completion not recorded: judged on resume']]],
    ["an op.db insert: it is not marked (sent again on resume)", "await op.db.insertInto('h1').values({ id: 1 }).execute();", [['insert into `h1`', '']]],
  ])('a header recorded ahead with no write, the first write %s', async (_, first, expected) => {
    await queryUrl(db.url, 'CREATE TABLE h1 (id integer PRIMARY KEY)');
    await stoppedRevision(`${first}\n  await op.execute('ALTER TABLE h_missing ADD COLUMN z integer');`);
    await queryUrl(db.url, 'DELETE FROM multidb_version_progress WHERE step > 0');
    await queryUrl(db.url, "UPDATE multidb_version_progress SET state = 'ahead' WHERE step = 0");
    expect((await viewer()).map((s) => [s.sql.split(' (')[0], s.mark])).toEqual([...expected, ['ALTER TABLE h_missing ADD COLUMN z integer', '']]);
  });
});
