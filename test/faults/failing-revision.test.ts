// A revision that fails while it runs: the error names bind, revision, file (and the failing
// statement); the failed revision leaves nothing behind; completed revisions of the same run stay
// (one transaction per revision), or the whole bind's run rolls back with transactionMode 'per-run'.
// `migrate` runs in-process (`main`): what is checked is the CLI's output and the databases.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject } from '../support/project.js';
import { addRevision, cloneProject, dbState, expectOneLineError, type BindState } from './faults-support.js';

const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
const insert = (name: string, id: number) => `await op.execute('INSERT INTO ${name} VALUES (${id})');`;

/** Body of a revision that creates a table, inserts a row, then throws. */
const THROWS_HALF_WAY = `${table('half')} ${insert('half', 1)} throw new Error('boom');`;
/** Body of a revision whose third statement fails. */
const STATEMENT_FAILS = `${table('half')} ${insert('half', 1)} await op.execute('INSERT INTO missing_table VALUES (1)');`;

const config = (extra: string) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n${extra}  binds: {\n` +
  `    default: { url: 'sqlite:.data/default.db' },\n    db2: { url: 'sqlite:.data/db2.db' },\n  },\n});\n`;

describe('a failing revision, per-revision transactions (the default)', () => {
  let template: TempProject;
  let p: TempProject;
  let atFirst: BindState;

  // default: aa01 applied. db2: bb01 applied. Every test gets a copy.
  beforeAll(async () => {
    template = new InProcessProject();
    addRevision(template, 'default', { revision: 'aa01', downRevision: null, message: 'one', upgrade: `${table('one')} ${insert('one', 1)}` });
    addRevision(template, 'db2', { revision: 'bb01', downRevision: null, message: 'uno', upgrade: table('uno') });
    await template.ok('upgrade');
  });
  afterAll(() => template.remove());
  beforeEach(() => {
    p = cloneProject(template);
    atFirst = dbState(p, ['default'])['default']!;
    expect(atFirst.versions).toEqual(['aa01']);
  });
  afterEach(() => p.remove());

  it('throws half way: the error names bind, revision and file; its table and row are gone; the revision before it in the run stays applied', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: `${table('two')} ${insert('two', 2)}` });
    const failing = addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'half way', upgrade: THROWS_HALF_WAY });
    const db2Before = dbState(p, ['db2']);

    const out = await runInProcess(p.dir, ['upgrade', 'default']);
    const line = expectOneLineError(out, ['[default]', 'aa03', failing, 'boom']);
    expect(line).not.toContain('statement');
    expect(out.stderr).toContain('Running upgrade aa01 -> aa02');
    expect(out.stderr).toContain('Running upgrade aa02 -> aa03');

    // aa02 completed in its own transaction; aa03 left nothing.
    expect(p.versionsApplied('default')).toEqual(['aa02']);
    expect(p.tables('default')).toEqual(['multidb_version', 'one', 'two']);
    expect(p.query('default', 'SELECT id FROM two')).toEqual([{ id: 2 }]);
    expect(dbState(p, ['db2'])).toEqual(db2Before);

    // Running it again fails the same way and changes nothing.
    const atSecond = dbState(p);
    expectOneLineError(await runInProcess(p.dir, ['upgrade']), ['[default]', 'aa03', failing, 'boom']);
    expect(dbState(p)).toEqual(atSecond);
  });

  it('a failing statement: the error names bind, revision, file and the statement; the database stays at the previous revision', async () => {
    const failing = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'bad insert', upgrade: STATEMENT_FAILS });

    const out = await runInProcess(p.dir, ['upgrade', 'default']);
    expectOneLineError(out, ['[default]', 'aa02', failing, 'INSERT INTO missing_table VALUES (1)', /no such table/i, "rolled back; 'default' stays at aa01."]);
    expect(dbState(p, ['default'])['default']).toEqual(atFirst);
    expect(p.tables('default')).not.toContain('half');
  });

  it('a failing revision on one bind does not undo the other bind (its run completed first)', async () => {
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', message: 'dos', upgrade: table('dos') });
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'bad', upgrade: THROWS_HALF_WAY });

    await okInProcess(p.dir, ['upgrade', 'db2']);
    expectOneLineError(await runInProcess(p.dir, ['upgrade']), ['[default]', 'aa02', 'boom']);
    expect(p.versionsApplied('db2')).toEqual(['bb02']);
    expect(p.tables('db2')).toContain('dos');
    expect(dbState(p, ['default'])['default']).toEqual(atFirst);
  });

  it('a failing downgrade: named, and the bind stays where it was', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: table('two'), downgrade: `await op.dropTable('two'); throw new Error('cannot go back');` });
    await okInProcess(p.dir, ['upgrade', 'default']);
    const atHead = dbState(p);
    const out = await runInProcess(p.dir, ['downgrade', 'default']);
    expectOneLineError(out, ['[default]', 'aa02', 'cannot go back']);
    expect(dbState(p)).toEqual(atHead);
  });
});

describe("transactionMode: 'per-run'", () => {
  let template: TempProject;
  let p: TempProject;
  let atFirst: BindState;

  beforeAll(async () => {
    template = new InProcessProject(['default', 'db2'], { config: config("  transactionMode: 'per-run',\n") });
    addRevision(template, 'default', { revision: 'aa01', downRevision: null, message: 'one', upgrade: `${table('one')} ${insert('one', 1)}` });
    await template.ok('upgrade');
  });
  afterAll(() => template.remove());
  beforeEach(() => {
    p = cloneProject(template);
    atFirst = dbState(p, ['default'])['default']!;
    expect(atFirst.versions).toEqual(['aa01']);
  });
  afterEach(() => p.remove());

  it.each([
    { variant: 'a throw', body: THROWS_HALF_WAY, needles: ['boom'] },
    { variant: 'a failing statement', body: STATEMENT_FAILS, needles: ['INSERT INTO missing_table VALUES (1)'] },
  ])('$variant rolls back the whole run of the bind, also its completed revisions', async ({ body, needles }) => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: `${table('two')} ${insert('two', 2)}` });
    const failing = addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'fails', upgrade: body });

    const out = await runInProcess(p.dir, ['upgrade', 'default']);
    expectOneLineError(out, ['[default]', 'aa03', failing, ...needles, "rolled back; 'default' stays at aa01."]);
    expect(out.stderr).toContain('Running upgrade aa01 -> aa02');
    expect(dbState(p, ['default'])['default']).toEqual(atFirst);
  });

  it('a run that succeeds commits every revision', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: table('two') });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'three', upgrade: table('three') });
    await okInProcess(p.dir, ['upgrade', 'default']);
    expect(p.versionsApplied('default')).toEqual(['aa03']);
    expect(p.tables('default')).toEqual(['multidb_version', 'one', 'three', 'two']);
  });
});

describe('export const transaction = false', () => {
  let template: TempProject;
  let p: TempProject;

  beforeAll(async () => {
    template = new InProcessProject();
    addRevision(template, 'default', { revision: 'aa01', downRevision: null, message: 'one', upgrade: table('one') });
    await template.ok('upgrade');
  });
  afterAll(() => template.remove());
  beforeEach(() => {
    p = cloneProject(template);
  });
  afterEach(() => p.remove());

  it('a non-transactional revision runs and is recorded, between transactional ones', async () => {
    addRevision(p, 'default', {
      revision: 'aa02',
      downRevision: 'aa01',
      message: 'outside a transaction',
      extra: 'export const transaction = false;\n',
      upgrade: `${table('two')} ${insert('two', 2)}`,
    });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'three', upgrade: table('three') });
    const out = await okInProcess(p.dir, ['upgrade', 'default']);
    expect(out.stderr).toContain('Running upgrade aa01 -> aa02, outside a transaction');
    expect(p.versionsApplied('default')).toEqual(['aa03']);
    expect(p.tables('default')).toEqual(['multidb_version', 'one', 'three', 'two']);
    expect(p.query('default', 'SELECT id FROM two')).toEqual([{ id: 2 }]);
  });

  it('runs under per-run too, and is recorded', async () => {
    p.write('migrate.config.ts', config("  transactionMode: 'per-run',\n"));
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: table('two') });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'plain', extra: 'export const transaction = false;\n', upgrade: table('three') });
    addRevision(p, 'default', { revision: 'aa04', downRevision: 'aa03', message: 'four', upgrade: table('four') });
    await okInProcess(p.dir, ['upgrade', 'default']);
    expect(p.versionsApplied('default')).toEqual(['aa04']);
    expect(p.tables('default')).toEqual(['four', 'multidb_version', 'one', 'three', 'two']);
  });

  it('when it fails, the version table stays at the previous revision and the message says part of it may remain', async () => {
    const failing = addRevision(p, 'default', {
      revision: 'aa02',
      downRevision: 'aa01',
      message: 'partial',
      extra: 'export const transaction = false;\n',
      upgrade: THROWS_HALF_WAY,
    });
    const out = await runInProcess(p.dir, ['upgrade', 'default']);
    expectOneLineError(out, ['[default]', 'aa02', failing, 'boom', /may have been applied/]);
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    // Without a transaction, what ran before the throw stays (the message says so).
    expect(p.tables('default')).toEqual(['half', 'multidb_version', 'one']);
  });

  it("a 'transaction' export that is not a boolean is refused before anything runs", async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'two', upgrade: table('two') });
    const bad = addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'bad flag', extra: "export const transaction = 'no';\n", upgrade: table('three') });
    const before = dbState(p);
    expectOneLineError(await runInProcess(p.dir, ['upgrade']), [bad, 'transaction']);
    expect(dbState(p)).toEqual(before);
  });
});
