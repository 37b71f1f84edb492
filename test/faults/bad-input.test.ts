// Bad input: broken revisions, broken graphs, unknown binds, broken configs, bad URLs, usage errors.
// Each gives one `ERROR:` line naming the file where one is involved, a non-zero exit, and leaves
// every database exactly as it was. `migrate` runs in-process (`main`): what is checked is what the
// CLI prints and exits with, which main gives as the bin does.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject } from '../support/project.js';
import { addRevision, cloneProject, dbState, expectOneLineError, lineOf, type BindState } from './faults-support.js';

const createTable = (name: string) =>
  `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]); await op.execute('INSERT INTO ${name} VALUES (1)');`;

const sqliteConfig = (binds: Record<string, string>, extra = '') =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n${extra}  binds: {\n` +
  Object.entries(binds)
    .map(([name, url]) => `    ${JSON.stringify(name)}: { url: ${JSON.stringify(url)} },\n`)
    .join('') +
  `  },\n});\n`;

describe('bad input leaves every database untouched', () => {
  let template: TempProject;
  let p: TempProject;
  let before: Record<string, BindState>;
  /** `migrate ARGS` in the test's project, in-process. */
  const run = (...args: string[]) => runInProcess(p.dir, args);
  const ok = (...args: string[]) => okInProcess(p.dir, args);

  // Both binds at a first revision, with a table and a row each; every test gets a copy.
  beforeAll(async () => {
    template = new TempProject();
    addRevision(template, 'default', { revision: 'aa01', downRevision: null, message: 'create one', upgrade: createTable('one') });
    addRevision(template, 'db2', { revision: 'bb01', downRevision: null, message: 'create uno', upgrade: createTable('uno') });
    await okInProcess(template.dir, ['upgrade']);
  });
  afterAll(() => template.remove());
  beforeEach(() => {
    p = cloneProject(template);
    before = dbState(p);
    expect(before['default']!.versions).toEqual(['aa01']);
    expect(before['db2']!.versions).toEqual(['bb01']);
    expect(before['default']!.rows['one']).toEqual([{ id: 1 }]);
  });
  afterEach(() => p.remove());

  it('a syntax error in a revision: upgrade names file and line, and runs nothing, not even the valid revisions planned before it', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: createTable('two') });
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', message: 'create dos', upgrade: createTable('dos') });
    const broken = addRevision(p, 'default', {
      revision: 'aa03',
      downRevision: 'aa02',
      message: 'broken',
      upgrade: `await op.createTable('three', [{ name: 'id', type: 'integer' ;`,
    });

    const out = await run('upgrade');
    expectOneLineError(out, [`${broken}:${lineOf(p, broken, "op.createTable('three'")}`, /syntax error/i]);
    expect(out.stderr).not.toContain('Running upgrade');
    expect(dbState(p)).toEqual(before);

    // The same for a single bind's target that reaches the broken file.
    expectOneLineError(await run('upgrade', 'default'), [broken]);
    expect(dbState(p)).toEqual(before);

    // A plan that does not reach the broken file runs: only the plan's modules are imported.
    await ok('upgrade', 'aa02');
    expect(p.versionsApplied('default')).toEqual(['aa02']);
    expect(p.versionsApplied('db2')).toEqual(['bb01']);
  });

  it('a revision without a downgrade export: upgrade names the file and the export, and runs nothing', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: createTable('two') });
    const broken = addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'no downgrade', upgrade: createTable('three') }, (s) =>
      s.slice(0, s.indexOf('export async function downgrade')),
    );

    const out = await run('upgrade');
    expectOneLineError(out, [broken, "'downgrade'"]);
    expect(out.stderr).not.toContain('Running upgrade');
    expect(dbState(p)).toEqual(before);
  });

  it('a revision whose upgrade is not a function: named, nothing runs', async () => {
    const broken = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'bad upgrade' }, (s) =>
      s.replace(/export async function upgrade[^]*?\n\}\n/, "export const upgrade = 'CREATE TABLE x (id int)';\n"),
    );
    expectOneLineError(await run('upgrade'), [broken, "'upgrade'"]);
    expect(dbState(p)).toEqual(before);
  });

  it('a header that breaks the grammar: file:line, for upgrade and for the reading commands', async () => {
    const broken = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'variable header', upgrade: createTable('two') }, (s) =>
      s.replace("export const downRevision = 'aa01';", "const someVariable = 'aa01';\nexport const downRevision = someVariable;"),
    );
    const where = `${broken}:${lineOf(p, broken, 'export const downRevision = someVariable;')}`;

    for (const args of [['upgrade'], ['history'], ['heads'], ['show', 'aa01'], ['current']]) {
      const out = await run(...args);
      expectOneLineError(out, [where, 'downRevision']);
    }
    expect(dbState(p)).toEqual(before);
  });

  it('a header that is missing its revision: named', async () => {
    const broken = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'no id', upgrade: createTable('two') }, (s) =>
      s.replace("export const revision = 'aa02';\n", ''),
    );
    expectOneLineError(await run('upgrade'), [broken, 'revision']);
    expect(dbState(p)).toEqual(before);
  });

  it('a cycle between revisions: named with its revisions, for upgrade and history', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa03', message: 'left', upgrade: createTable('two') });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa02', message: 'right', upgrade: createTable('three') });
    for (const args of [['upgrade'], ['history']]) {
      expectOneLineError(await run(...args), [/cycle/i, 'aa02', 'aa03']);
    }
    expect(dbState(p)).toEqual(before);
  });

  it('a cycle through depends-on across two branches: named', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', dependsOn: ['bb02'], message: 'needs dos', upgrade: createTable('two') });
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', dependsOn: ['aa02'], message: 'needs two', upgrade: createTable('dos') });
    expectOneLineError(await run('upgrade'), [/cycle/i, 'aa02', 'bb02']);
    expect(dbState(p)).toEqual(before);
  });

  it('a duplicate revision id: both files named', async () => {
    const first = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'first', upgrade: createTable('two') });
    const second = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'second', upgrade: createTable('three') });
    for (const args of [['upgrade'], ['history']]) {
      expectOneLineError(await run(...args), ['aa02', first, second]);
    }
    expect(dbState(p)).toEqual(before);
  });

  it('a down revision that does not exist: named with its file', async () => {
    const orphan = addRevision(p, 'default', { revision: 'aa02', downRevision: 'ffff', message: 'orphan', upgrade: createTable('two') });
    expectOneLineError(await run('upgrade'), ['aa02', 'ffff', orphan]);
    expect(dbState(p)).toEqual(before);
  });

  it('an unknown bind: named, with the configured binds', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: createTable('two') });
    for (const args of [
      ['upgrade', 'nosuch@head'],
      ['current', 'nosuch'],
      ['downgrade', 'nosuch@-1'],
      ['history', 'nosuch'],
      ['stamp', 'nosuch@head'],
    ]) {
      expectOneLineError(await run(...args), ["'nosuch'", /default, db2/]);
    }
    expectOneLineError(await run('upgrade', 'nosuch'), ["'nosuch'"]);
    expect(dbState(p)).toEqual(before);
  });

  it('a config that does not parse: the config file and line are named', async () => {
    addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'create two', upgrade: createTable('two') });
    p.write('migrate.config.ts', sqliteConfig({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' }).replace('binds: {', 'binds: {{'));
    const where = `migrate.config.ts:${lineOf(p, 'migrate.config.ts', 'binds: {{')}`;
    for (const args of [['upgrade'], ['current'], ['history']]) {
      expectOneLineError(await run(...args), [where, /syntax error/i]);
    }
    expect(dbState(p)).toEqual(before);
  });

  it('a config that throws while it loads: named', async () => {
    p.write('migrate.config.ts', `throw new Error('config exploded');\nexport default {};\n`);
    expectOneLineError(await run('upgrade'), ['migrate.config.ts', 'config exploded']);
    expect(dbState(p)).toEqual(before);
  });

  it('a config with no binds, or whose default export is not an object: named', async () => {
    p.write('migrate.config.ts', sqliteConfig({}));
    for (const args of [['upgrade'], ['current'], ['history']]) {
      expectOneLineError(await run(...args), ['migrate.config.ts', 'binds']);
    }
    p.write('migrate.config.ts', `export default 42;\n`);
    expectOneLineError(await run('upgrade'), ['migrate.config.ts', 'export default']);
    expect(dbState(p)).toEqual(before);
  });

  it('an invalid bind name or transaction mode in the config: named', async () => {
    p.write('migrate.config.ts', sqliteConfig({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' }, `  transactionMode: 'sometimes',\n`));
    expectOneLineError(await run('upgrade'), ['migrate.config.ts', 'transactionMode']);
    p.write('migrate.config.ts', sqliteConfig({ default: 'sqlite:.data/default.db', 'bad name': 'sqlite:.data/db2.db' }));
    expectOneLineError(await run('upgrade'), ['migrate.config.ts', 'bad name']);
    expect(dbState(p)).toEqual(before);
  });

  it('no config: points to init; --config to a missing file: named', async () => {
    const empty = new TempProject([], { config: false });
    try {
      expectOneLineError(await runInProcess(empty.dir, ['upgrade']), ['migrate.config.ts', 'migrate init']);
      expect(empty.files()).toEqual([]);
    } finally {
      empty.remove();
    }
    expectOneLineError(await run('--config', 'nothere.config.ts', 'upgrade'), ['nothere.config.ts']);
    expect(dbState(p)).toEqual(before);
  });

  it('a URL with an unknown scheme, or none: names the bind and the URL; the other bind is untouched', async () => {
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', message: 'create dos', upgrade: createTable('dos') });
    p.write('migrate.config.ts', sqliteConfig({ db2: 'sqlite:.data/db2.db', default: 'foo://x' }));
    for (const args of [['upgrade'], ['upgrade', 'default']]) {
      expectOneLineError(await run(...args), ["'default'", 'foo://x']);
    }
    // current marks the bind misconfigured (as status does: nothing was tried on the network) and still shows db2, then exits 1.
    const current = await run('current');
    expect(current.code).toBe(1);
    expect(current.stdout).toMatch(/^\[default\] misconfigured: no dialect for URL 'foo:\/\/x'/m);
    expect(current.stdout).toMatch(/^\[db2\] /m);
    expect((await run('current', 'default')).stdout).toMatch(/^\[default\] misconfigured: .*foo:\/\/x/m);
    p.write('migrate.config.ts', sqliteConfig({ db2: 'sqlite:.data/db2.db', default: 'just-a-file.db' }));
    expectOneLineError(await run('upgrade'), ['just-a-file.db', /scheme/]);
    expect(dbState(p)).toEqual(before);
    expect(p.exists('just-a-file.db')).toBe(false);
  });

  it('two binds on the same database file (through another path): refused, naming both', async () => {
    addRevision(p, 'db2', { revision: 'bb02', downRevision: 'bb01', message: 'create dos', upgrade: createTable('dos') });
    p.write('migrate.config.ts', sqliteConfig({ default: 'sqlite:.data/default.db', db2: 'sqlite:./.data/../.data/default.db' }));
    for (const args of [['upgrade'], ['current'], ['stamp', 'heads']]) {
      expectOneLineError(await run(...args), ["'default'", "'db2'", /same database/]);
    }
    expect(dbState(p)).toEqual(before);
  });

  it('--raiseerr adds the stack trace to the error line', async () => {
    const broken = addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'broken', upgrade: 'await op.execute(' });
    const plain = await run('upgrade');
    expectOneLineError(plain, [broken]);

    const raised = await run('upgrade', '--raiseerr');
    expect(raised.code).toBe(1);
    expect(raised.stderr).toMatch(/^ERROR: .*syntax error/im);
    expect(raised.stderr).toContain(broken);
    expect(raised.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(raised.stderr.split('\n').length).toBeGreaterThan(3);

    // The global option works before the command too.
    const first = await run('--raiseerr', 'upgrade');
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^\s+at /m);
    expect(dbState(p)).toEqual(before);
  });

  it('usage errors exit 2 with one line', async () => {
    for (const [args, needle] of [
      [['upgrade', '--bogus'], '--bogus'],
      [['--bogus', 'upgrade'], '--bogus'],
      [['bogus'], 'bogus'],
      [['show'], 'rev'],
      [['upgrade', '--lock-timeout', 'soon'], 'soon'],
      [['stamp'], 'targets'],
    ] as const) {
      const out = await run(...args);
      expectOneLineError(out, [needle], 2);
    }
    expect(dbState(p)).toEqual(before);
  });
});
