// A revision that calls an op with an object where it takes an array (`op.createTable('account',
// { id: { type: 'integer' } })`, as other tools write columns; nothing stops it in a revision
// written in plain JavaScript, or one whose types are not checked) fails before any SQL is sent,
// on every dialect, with a message that says what was wrong and what to write instead, and names
// the revision's file and line: it said "createTable('account') needs at least one column." before.
// Online and offline (--sql); `migrate` runs in the test's process, but for one case through the
// built binary (below).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject, runMigrate } from '../support/project.js';
import { describeWithServers, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

const MESSAGE =
  "createTable('account') takes its columns as an array of { name, type, ... }, not an object keyed by name: " +
  "write [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(255)', nullable: false }].";

const BINDS = ['default', 'db2', 'analytics'] as const;

/** The config of the three binds: default on SQLite, db2 on PostgreSQL, analytics on MariaDB. */
const threeBinds = (dbs: { readonly db2: { readonly url: string }; readonly analytics: { readonly url: string } }) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
  `    default: { url: 'sqlite:.data/default.db' },\n` +
  `    db2: { url: ${JSON.stringify(dbs.db2.url)} },\n` +
  `    analytics: { url: ${JSON.stringify(dbs.analytics.url)} },\n` +
  `  },\n});\n`;

/** What {@link threeBindProject} made: the project, each bind's revision, and a bind's URL. */
interface ThreeBindProject {
  readonly p: TempProject;
  readonly files: Readonly<Record<string, { id: string; file: string }>>;
  url(bind: (typeof BINDS)[number]): string;
}

/**
 * Inside a {@link describeWithServers} block: databases `<database>` on PostgreSQL (db2) and
 * MariaDB (analytics), and a project of the three binds with one revision on each, whose bodies
 * are `body`'s; made before the block's tests, removed after.
 */
function threeBindProject(database: string, body: { readonly upgrade: string; readonly downgrade: string }): ThreeBindProject {
  const dbs = useDatabases(database, { db2: 'postgres', analytics: 'mysql' });
  let p: TempProject | undefined;
  const files: Record<string, { id: string; file: string }> = {};
  beforeAll(async () => {
    p = new InProcessProject([], { config: threeBinds(dbs) });
    await p.ok('init', '--multidb');
    for (const bind of BINDS) {
      files[bind] = await p.revision('-m', 'create account', '--bind', bind);
      p.fill(files[bind].file, body);
    }
  });
  afterAll(() => p?.remove());
  return {
    get p() {
      if (!p) throw new Error('the project is made in beforeAll (use it inside a test)');
      return p;
    },
    files,
    url: (bind) => (bind === 'default' ? `sqlite:${p!.dir}/.data/default.db` : dbs[bind].url),
  };
}

describeWithServers('an op given an object where it takes an array, on SQLite, PostgreSQL and MySQL', ['postgres', 'mysql'], () => {
  const project = threeBindProject('op_array_arguments', {
    upgrade: "await op.createTable('account', {\n    id: { type: 'integer', primaryKey: true },\n    email: { type: 'varchar(255)', nullable: false },\n  });",
    downgrade: "await op.dropTable('account');",
  });

  it.each(BINDS)('%s: upgrade fails before any SQL, saying what to write, with the revision file and line; the bind stays at base', async (bind) => {
    const { id, file } = project.files[bind]!;
    const line = project.p.read(file).split('\n').findIndex((l) => l.includes("op.createTable('account'")) + 1;
    const out = await project.p.run('upgrade', bind);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    const error = out.stderr.split('\n').find((l) => l.startsWith('ERROR: '));
    expect(error).toBe(`ERROR: [${bind}] revision ${id} failed: ${MESSAGE} file: ${project.p.dir}/${file}:${line}; ${bind === 'analytics' ? 'nothing of it was applied (it failed before its first write)' : 'rolled back'}; '${bind}' stays at <base>.`);
    expect(await versionsAt(project.url(bind))).toEqual([]);
    expect(await tablesAt(project.url(bind))).not.toContain('account');
  });

  it.each(BINDS)('%s: upgrade --sql refuses the revision with the same message and its file', async (bind) => {
    const { id, file } = project.files[bind]!;
    const out = await project.p.run('upgrade', '--sql', `${bind}@base:head`);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stderr.split('\n').find((l) => l.startsWith('ERROR: '))).toBe(
      `ERROR: [${bind}] revision ${id} cannot be written offline: the revision failed while it was compiled: ${MESSAGE} file: ${project.p.dir}/${file}`,
    );
  });
});

// A revision written before these checks that gave a table option no value with `null` (or the
// composite primary key `false`), in plain JavaScript or a TypeScript revision whose types are not
// checked (the loader strips them), created its table: createTable read a missing list as none.
// Such a revision still runs on a database it has not run on yet (a new tenant, a fresh CI
// database): the checks take `null` as none, as before, and refuse only what is not an array.
describeWithServers('a revision that gives createTable options null, on SQLite, PostgreSQL and MySQL', ['postgres', 'mysql'], () => {
  const project = threeBindProject('op_array_arguments_null', {
    upgrade:
          "await op.createTable('account', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(255)' }],\n" +
          '    { primaryKey: null, foreignKeys: null, uniqueConstraints: null, checkConstraints: null, indexes: null } as any);\n' +
          "  await op.createTable('tag', [{ name: 'id', type: 'integer', primaryKey: true }], { primaryKey: false } as any);",
    downgrade: "await op.dropTable('tag');\n  await op.dropTable('account');",
  });

  it.each(BINDS)('%s: upgrade creates the tables, as before the checks', async (bind) => {
    const out = await project.p.run('upgrade', bind);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(await versionsAt(project.url(bind))).toEqual([project.files[bind]!.id]);
    expect(await tablesAt(project.url(bind))).toEqual(expect.arrayContaining(['account', 'tag']));
  });
});

// A scalar where execute() takes its parameters, an index or an `existing` definition written the
// wrong way: each failed with a TypeError or a message that did not say what to write
// ('(op.parameters ?? []) is not iterable', "Cannot read properties of undefined (reading 'map')",
// "The definition of table 'account' needs a columns array."). On SQLite, one bind per mistake.
describe('an op given a value, a string or an object where it takes an array or objects, on SQLite', () => {
  const CASES = {
    params: {
      upgrade: "await op.createTable('account', [{ name: 'id', type: 'integer' }]);\n  await op.execute('INSERT INTO account (id) VALUES (?)', 1 as never);",
      line: 'op.execute(',
      message: 'execute() takes its parameters as an array, one value per placeholder, not a number (1): write [1].',
    },
    indexes: {
      upgrade: "await op.createTable('account', [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }], { indexes: ['email'] as never });",
      line: 'op.createTable(',
      message: "createTable('account') takes each index as an object { columns, name?, unique?, ... }, not a string ('email'): write indexes: [{ columns: ['email'] }].",
    },
    existing: {
      upgrade: "await op.createTable('account', [{ name: 'id', type: 'integer' }]);\n  await op.dropTable('account', { existing: { columns: { id: { type: 'integer' } } } as never });",
      line: 'op.dropTable(',
      message: "dropTable('account') takes the columns of existing as an array of { name, type, ... }, not an object keyed by name: write columns: [{ name: 'id', type: 'integer' }].",
    },
  } as const;
  const binds = Object.keys(CASES) as (keyof typeof CASES)[];
  let p: TempProject;
  const files: Record<string, { id: string; file: string }> = {};

  beforeAll(async () => {
    p = new InProcessProject(binds);
    await p.ok('init', '--multidb');
    for (const bind of binds) {
      files[bind] = await p.revision('-m', 'create account', '--bind', bind);
      p.fill(files[bind].file, { upgrade: CASES[bind].upgrade });
    }
  });
  afterAll(() => p?.remove());

  it.each(binds)('%s: upgrade fails saying what to write, with the revision file and line; nothing stays applied', async (bind) => {
    const { id, file } = files[bind]!;
    const line = p.read(file).split('\n').findIndex((l) => l.includes(CASES[bind].line)) + 1;
    // One case through the built binary (a subprocess), which loads core from its own script
    // bundle: the revision's file and line in its error are checked there too.
    const out = bind === 'params' ? await runMigrate(p.dir, ['upgrade', bind]) : await p.run('upgrade', bind);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stderr.split('\n').find((l) => l.startsWith('ERROR: '))).toBe(`ERROR: [${bind}] revision ${id} failed: ${CASES[bind].message} file: ${p.dir}/${file}:${line}; rolled back; '${bind}' stays at <base>.`);
    expect(p.versionsApplied(bind)).toEqual([]);
    expect(p.tables(bind)).not.toContain('account');
  });
});

// A table's definition given to dropTable (`existing`) or batchAlterTable (`copyFrom`) with a
// constraint or index list `null` was read as none (`?? []`) before these checks; the checks
// refused it ("dropTable('tag') takes the foreignKeys of existing as an array, not null: ..."),
// while createTable's options given `null` still run (above). Such a revision still runs. SQLite.
describe('dropTable existing and batchAlterTable copyFrom with lists given null, on SQLite', () => {
  const NULL_LISTS = 'foreignKeys: null, uniqueConstraints: null, checkConstraints: null, indexes: null';
  let p: TempProject;
  let revision: { id: string; file: string };

  beforeAll(async () => {
    p = new InProcessProject(['app']);
    await p.ok('init', '--multidb');
    revision = await p.revision('-m', 'tables', '--bind', 'app');
    p.fill(revision.file, {
      upgrade:
        "await op.createTable('account', [{ name: 'id', type: 'integer', primaryKey: true }]);\n" +
        "  await op.batchAlterTable('account', (batch) => {\n    batch.addColumn({ name: 'email', type: 'text' });\n" +
        `  }, { copyFrom: { columns: [{ name: 'id', type: 'integer', primaryKey: true }], ${NULL_LISTS} } as never });\n` +
        "  await op.createTable('tag', [{ name: 'id', type: 'integer', primaryKey: true }]);\n" +
        `  await op.dropTable('tag', { existing: { columns: [{ name: 'id', type: 'integer', primaryKey: true }], ${NULL_LISTS} } as never });`,
    });
  });
  afterAll(() => p?.remove());

  it('upgrade runs the revision, as before the checks', async () => {
    const out = await p.run('upgrade', 'app');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(p.versionsApplied('app')).toEqual([revision.id]);
    expect(p.tables('app')).toContain('account');
    expect(p.tables('app')).not.toContain('tag');
    expect(p.query('app', 'SELECT name FROM pragma_table_info(\'account\') ORDER BY cid')).toEqual([{ name: 'id' }, { name: 'email' }]);
  });
});
