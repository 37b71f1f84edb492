// A corpus of bad input — command line, config, revision files, database URLs — run in process
// through the CLI's `main(argv)` (one process for all of them, so the corpus stays cheap). Each
// case: a non-zero exit, exactly one `ERROR:` line (the last), naming the file, bind or value at
// fault; no stack trace (no `--raiseerr`); no password anywhere; and both binds' schema, rows and
// version tables exactly as before.
//
// The scenario tests of the same kind live in test/faults/ (bad-input, bind-errors, masking) and
// here in wrong-password.test.ts (a server that checks passwords) and quoted-identifiers.test.ts.
import { main } from '@multidb/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, cloneProject, dbState, expectOneLineError } from '../faults/faults-support.js';
import { TempProject, type RunOutput } from '../support/project.js';

const SECRET = 'corpus-Pa55';
const createTable = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]); await op.execute('INSERT INTO ${name} VALUES (1)');`;

/** A config of the two SQLite binds plus `extra` top-level fields and `binds` overrides (source text). */
const config = (options: { extra?: string; binds?: string; head?: string } = {}) =>
  `${options.head ?? ''}import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n${options.extra ?? ''}  binds: ${options.binds ?? `{\n    default: { url: 'sqlite:.data/default.db' },\n    db2: { url: 'sqlite:.data/db2.db' },\n  }`},\n});\n`;

interface Case {
  readonly name: string;
  /** Changes to a copy of the template project (both binds at their first revision). */
  readonly setup?: (p: TempProject) => void;
  readonly argv: readonly string[];
  /** What the error line must contain (the file, bind or value at fault). */
  readonly needles: readonly (string | RegExp)[];
  /** Expected exit code (default 1; usage errors 2). */
  readonly code?: number;
}

const rev = (p: TempProject, branch: string, id: string, down: string | null, transform?: (s: string) => string, extra: Partial<Parameters<typeof addRevision>[2]> = {}) =>
  addRevision(p, branch, { revision: id, downRevision: down, message: `rev ${id}`, upgrade: createTable(`t_${id}`), ...extra }, transform);

const COMMAND_LINE: Case[] = [
  { name: 'an unknown command', argv: ['upgrad'], needles: ['upgrad'], code: 2 },
  { name: 'an unknown option', argv: ['upgrade', '--frobnicate'], needles: ['--frobnicate'], code: 2 },
  { name: 'an unknown bind', argv: ['upgrade', 'nosuch@head'], needles: ['nosuch'] },
  { name: 'an unknown revision', argv: ['upgrade', 'ffff9999'], needles: ['ffff9999'] },
  { name: 'an unknown revision to downgrade to', argv: ['downgrade', 'ffff9999'], needles: ['ffff9999'] },
  { name: 'an unknown revision to stamp', argv: ['stamp', 'ffff9999'], needles: ['ffff9999'] },
  { name: 'an unknown revision to show', argv: ['show', 'ffff9999'], needles: ['ffff9999'] },
  { name: 'a relative step that is not a number', argv: ['upgrade', '+x'], needles: ['+x'] },
  { name: 'a bind step that is not a number', argv: ['upgrade', 'db2@+x'], needles: ['db2@+x'] },
  { name: 'a bare downgrade with two binds', argv: ['downgrade'], needles: ['default', 'db2'], code: 2 },
  { name: 'downgrade -1 with two binds', argv: ['downgrade', '-1'], needles: ['default', 'db2'], code: 2 },
  { name: 'a lock timeout that is not a number', argv: ['upgrade', '--lock-timeout', 'soon'], needles: ['soon'], code: 2 },
  { name: 'a negative lock timeout', argv: ['upgrade', '--lock-timeout', '-3'], needles: ['-3'], code: 2 },
  { name: 'a concurrency of 0', argv: ['upgrade', '--concurrency', '0'], needles: ['0'], code: 2 },
  { name: 'a concurrency that is not a number', argv: ['upgrade', '--concurrency', 'many'], needles: ['many'], code: 2 },
  { name: 'stamp without a target', argv: ['stamp'], needles: [/target|argument/i], code: 2 },
  { name: 'a rev id with a dash', argv: ['revision', '-m', 'x', '-b', 'default', '--rev-id', 'bad-id'], needles: ['bad-id'], code: 2 },
  { name: 'a rev id of 33 characters', argv: ['revision', '-m', 'x', '-b', 'default', '--rev-id', 'a'.repeat(33)], needles: ['a'.repeat(33)], code: 2 },
  { name: 'a rev id that exists', argv: ['revision', '-m', 'x', '-b', 'default', '--rev-id', 'aa01'], needles: ['aa01'] },
  { name: 'a revision for an unknown bind', argv: ['revision', '-m', 'x', '-b', 'nosuch'], needles: ['nosuch'] },
  { name: 'a revision without a bind, with two binds', argv: ['revision', '-m', 'x'], needles: [/bind/], code: 2 },
  { name: 'a revision whose down revision is unknown', argv: ['revision', '-m', 'x', '-b', 'default', '--head', 'ffff9999'], needles: ['ffff9999'] },
  { name: 'merge with a single head', argv: ['merge', '-m', 'm', 'heads'], needles: [/head/i] },
  { name: 'a history range with an unknown end', argv: ['history', '-r', 'aa01:ffff9999'], needles: ['ffff9999'] },
  { name: 'an ambiguous revision prefix', setup: (p) => rev(p, 'default', 'aa0b', 'aa01'), argv: ['upgrade', 'aa0'], needles: ['aa0', 'aa01', 'aa0b'] },
  { name: 'an upgrade to a revision of two binds at once, unknown label', argv: ['upgrade', 'nolabel@+1'], needles: ['nolabel'] },
  { name: 'upgrade with --sql and no range on a URL-less bind', argv: ['upgrade', '--sql', 'ffff:aa01'], needles: ['ffff'] },
  { name: 'a config file that does not exist', argv: ['--config', 'nope.config.ts', 'current'], needles: ['nope.config.ts'] },
  { name: 'a target that is neither a bind nor a revision', argv: ['upgrade', 'nosuch'], needles: ['nosuch'] },
  { name: 'stamp an unknown bind', argv: ['stamp', 'nosuch@base'], needles: ['nosuch'] },
  { name: 'downgrade an unknown bind', argv: ['downgrade', 'nosuch@-1'], needles: ['nosuch'] },
  { name: 'an unknown revision after a bind', argv: ['upgrade', 'default@ffff9999'], needles: ['ffff9999'] },
  { name: 'show an ambiguous prefix', setup: (p) => rev(p, 'default', 'aa0b', 'aa01'), argv: ['show', 'aa0'], needles: ['aa0', 'aa01', 'aa0b'] },
  { name: 'an unknown option of heads', argv: ['heads', '--frob'], needles: ['--frob'], code: 2 },
];

const CONFIG: Case[] = [
  { name: 'a syntax error in the config', setup: (p) => p.write('migrate.config.ts', config().replace('binds:', 'binds::')), argv: ['current'], needles: ['migrate.config.ts'] },
  { name: 'a config that throws', setup: (p) => p.write('migrate.config.ts', `throw new Error('config exploded');\n`), argv: ['current'], needles: ['migrate.config.ts', 'config exploded'] },
  { name: 'a config without a default export', setup: (p) => p.write('migrate.config.ts', `export const x = 1;\n`), argv: ['current'], needles: ['migrate.config.ts'] },
  { name: 'a config with no binds', setup: (p) => p.write('migrate.config.ts', config({ binds: '{}' })), argv: ['current'], needles: [/bind/i] },
  { name: 'binds that are not an object', setup: (p) => p.write('migrate.config.ts', config({ binds: `'default'` })), argv: ['current'], needles: [/binds/] },
  // A connecting command: `current` and `status` report an unreachable bind as a mark and go on
  // (test/cli/unreachable-binds.test.ts), so the bind's connection errors are given to `upgrade`.
  // A bind without a URL (an environment variable not set) is refused by what needs the bind only.
  { name: 'a bind without a URL', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: {} }` })), argv: ['upgrade'], needles: ['default', 'has no url'] },
  { name: 'a URL of an unknown scheme', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'oracle://u:${SECRET}@h/db' } }` })), argv: ['upgrade'], needles: ['default', 'oracle'] },
  { name: 'a URL that is not a URL', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'not a url' } }` })), argv: ['upgrade'], needles: ['not a url'] },
  { name: 'a postgres URL with a bad port', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'postgres://u:${SECRET}@127.0.0.1:99999/db' } }` })), argv: ['upgrade'], needles: ['default'] },
  { name: 'a mysql URL with a bad port', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'mysql://u:${SECRET}@127.0.0.1:notaport/db' } }` })), argv: ['upgrade'], needles: ['default'] },
  { name: 'a bind name that is not an identifier', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ 'bad name': { url: 'sqlite:.data/x.db' } }` })), argv: ['current'], needles: ['bad name'] },
  { name: 'two binds on one SQLite file', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/../.data/default.db' } }` })), argv: ['current'], needles: ['default', 'db2'] },
  { name: 'a version table name with a space', setup: (p) => p.write('migrate.config.ts', config({ extra: `  versionTable: 'bad table',\n` })), argv: ['current'], needles: ['bad table'] },
  { name: 'an unknown transaction mode', setup: (p) => p.write('migrate.config.ts', config({ extra: `  transactionMode: 'sometimes' as never,\n` })), argv: ['upgrade'], needles: ['sometimes'] },
  { name: 'a directory that does not exist', setup: (p) => p.write('migrate.config.ts', config().replace(`directory: 'migrations'`, `directory: 'nowhere'`)), argv: ['upgrade'], needles: ['nowhere'] },
  { name: 'a bind branch with no folder', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db', branch: 'elsewhere' } }` })), argv: ['upgrade'], needles: ['elsewhere'] },
  { name: 'a connect timeout that is negative', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db', connectTimeout: -1 } }` })), argv: ['current'], needles: ['db2'] },
  { name: 'an onConnect that throws', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:.data/default.db', onConnect: async () => { throw new Error('hook says no'); } }, db2: { url: 'sqlite:.data/db2.db' } }` })), argv: ['upgrade'], needles: ['hook says no'] },
  { name: 'a beforeRun hook that throws', setup: (p) => { rev(p, 'default', 'aa02', 'aa01'); p.write('migrate.config.ts', config({ extra: `  hooks: { beforeRun: async () => { throw new Error('before says no'); } },\n` })); }, argv: ['upgrade'], needles: ['before says no'] },
  { name: 'a config importing a missing module', setup: (p) => p.write('migrate.config.ts', config({ head: `import 'no-such-module-xyz';\n` })), argv: ['current'], needles: ['no-such-module-xyz'] },
  { name: 'a SQLite URL pointing at a folder', setup: (p) => { p.write('folder.db/keep', ''); p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:folder.db' } }` })); }, argv: ['upgrade'], needles: ['default'] },
  { name: 'a SQLite file that is not a database', setup: (p) => { p.write('junk.db', 'this is not a database file at all, not even close'.repeat(40)); p.write('migrate.config.ts', config({ binds: `{ default: { url: 'sqlite:junk.db' } }` })); }, argv: ['upgrade'], needles: ['default'] },
  { name: 'a PostgreSQL server that is not there (password in URL)', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'postgres://app:${SECRET}@127.0.0.1:1/db' } }` })), argv: ['upgrade'], needles: ['default', 'app:***@'] },
  { name: 'a MariaDB server that is not there (password in URL)', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'mysql://app:${SECRET}@127.0.0.1:1/db' } }` })), argv: ['upgrade'], needles: ['default', 'app:***@'] },
  { name: 'a host that does not resolve (password in URL)', setup: (p) => p.write('migrate.config.ts', config({ binds: `{ default: { url: 'postgres://app:${SECRET}@no-such-host.invalid/db' } }` })), argv: ['upgrade'], needles: ['default', 'app:***@'] },
];

const REVISIONS: Case[] = [
  { name: 'a syntax error in a revision body', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace('primaryKey: true }]);', 'primaryKey: true }];')), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts'] },
  { name: 'a revision without an upgrade', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace(/export async function upgrade[^]*?\n\}\n/, '')), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts', 'upgrade'] },
  { name: 'a revision without a downgrade, downgraded', setup: (p) => p.write('migrations/versions/default/aa01_create_one.ts', p.read('migrations/versions/default/aa01_create_one.ts').replace(/export async function downgrade[^]*$/, '')), argv: ['downgrade', 'default@base'], needles: ['aa01', 'downgrade'] },
  { name: 'a revision that throws at import', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace('export async function upgrade', "throw new Error('import boom');\nexport async function upgrade")), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts', 'import boom'] },
  { name: 'a revision whose upgrade throws', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `throw new Error('upgrade boom');` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'upgrade boom'] },
  { name: 'a revision with a failing statement', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.execute('INSERT INTO missing_table VALUES (1)');` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'missing_table'] },
  { name: 'a revision importing a missing module', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => `import 'no-such-module-abc';\n${s}`), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts', 'no-such-module-abc'] },
  { name: 'a header with a number', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace("export const revision = 'aa02';", 'export const revision = 42;')), argv: ['history'], needles: ['aa02_rev_aa02.ts', 'revision'] },
  { name: 'a header with a variable', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace("export const downRevision = 'aa01';", 'export const downRevision = someVar;')), argv: ['heads'], needles: ['aa02_rev_aa02.ts', 'downRevision'] },
  { name: 'a header after other code', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace("export const message = 'rev aa02';", "console.log('x');\nexport const message = 'rev aa02';")), argv: ['history'], needles: ['aa02_rev_aa02.ts'] },
  { name: 'a missing revision header', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace("export const revision = 'aa02';\n", '')), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts', 'revision'] },
  { name: 'a missing downRevision header', setup: (p) => rev(p, 'default', 'aa02', 'aa01', (s) => s.replace("export const downRevision = 'aa01';\n", '')), argv: ['upgrade'], needles: ['aa02_rev_aa02.ts', 'downRevision'] },
  { name: 'a revision id with a dash', setup: (p) => rev(p, 'default', 'aa-02', 'aa01'), argv: ['history'], needles: ['aa-02'] },
  { name: 'two files with one revision id', setup: (p) => { rev(p, 'default', 'aa02', 'aa01'); rev(p, 'default', 'aa02', 'aa01', undefined, { file: 'aa02_copy.ts' }); }, argv: ['history'], needles: ['aa02'] },
  { name: 'the same revision id in two branches', setup: (p) => { rev(p, 'default', 'cc02', 'aa01'); rev(p, 'db2', 'cc02', 'bb01'); }, argv: ['history'], needles: ['cc02'] },
  { name: 'an unknown down revision', setup: (p) => rev(p, 'default', 'aa02', 'ffff0000'), argv: ['upgrade'], needles: ['aa02', 'ffff0000'] },
  { name: 'an unknown depends-on', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { dependsOn: ['ffff0001'] }), argv: ['upgrade'], needles: ['aa02', 'ffff0001'] },
  { name: 'a cycle', setup: (p) => { rev(p, 'default', 'aa02', 'aa03'); rev(p, 'default', 'aa03', 'aa02'); }, argv: ['upgrade'], needles: ['aa02', 'aa03'] },
  { name: 'a depends-on cycle across branches', setup: (p) => { rev(p, 'default', 'aa02', 'aa01', undefined, { dependsOn: ['bb02'] }); rev(p, 'db2', 'bb02', 'bb01', undefined, { dependsOn: ['aa02'] }); }, argv: ['upgrade'], needles: ['aa02', 'bb02'] },
  { name: 'a down revision in another branch', setup: (p) => rev(p, 'default', 'aa02', 'bb01'), argv: ['upgrade'], needles: ['aa02', 'bb01'] },
  { name: 'a merge across branches', setup: (p) => rev(p, 'default', 'aa02', ['aa01', 'bb01'] as unknown as string), argv: ['upgrade'], needles: ['aa02'] },
  { name: 'a second root in a branch', setup: (p) => rev(p, 'default', 'aa09', null, undefined, { branchLabels: ['other'] }), argv: ['upgrade'], needles: ['aa09'] },
  { name: 'a branch root labelled with another name', setup: (p) => p.write('migrations/versions/default/aa01_create_one.ts', p.read('migrations/versions/default/aa01_create_one.ts').replace("export const branchLabels = ['default'];", "export const branchLabels = ['wrong'];")), argv: ['history'], needles: ['aa01'] },
  { name: 'a label used twice', setup: (p) => { rev(p, 'default', 'aa02', 'aa01', undefined, { branchLabels: ['twice'] }); rev(p, 'db2', 'bb02', 'bb01', undefined, { branchLabels: ['twice'] }); }, argv: ['history'], needles: ['twice'] },
  { name: 'a label that is a bind name', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { branchLabels: ['db2'] }), argv: ['history'], needles: ['db2'] },
  { name: 'an op with an unknown column type', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.addColumn('one', { name: 'x', type: 'varchar(abc)' });` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'varchar(abc)'] },
  { name: 'an op on a missing table', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.addColumn('nope', { name: 'x', type: 'integer' });` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'nope'] },
  { name: 'an op.execute with two statements', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.execute('INSERT INTO one VALUES (2); INSERT INTO one VALUES (3)');` }), argv: ['upgrade'], needles: ['[default]', 'aa02'] },
  { name: 'a createTable with an empty name', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.createTable('', [{ name: 'id', type: 'integer' }]);` }), argv: ['upgrade'], needles: ['[default]', 'aa02'] },
  { name: 'a createTable with no columns', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.createTable('empty', []);` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'empty'] },
  { name: 'a duplicate column in createTable', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.createTable('dup', [{ name: 'id', type: 'integer' }, { name: 'id', type: 'integer' }]);` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'id'] },
  { name: 'a dropConstraint with an unknown type', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.dropConstraint('x', 'one', { type: 'weird' as never });` }), argv: ['upgrade'], needles: ['[default]', 'aa02', "dropConstraint('x') needs type"] },
  { name: 'a bulkInsert into a missing table', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.bulkInsert('nope', [{ id: 1 }]);` }), argv: ['upgrade'], needles: ['[default]', 'aa02', 'nope'] },
  { name: 'a duplicate key in bulkInsert', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { upgrade: `await op.bulkInsert('one', [{ id: 1 }]);` }), argv: ['upgrade'], needles: ['[default]', 'aa02'] },
  { name: 'a revision with transaction = "no"', setup: (p) => rev(p, 'default', 'aa02', 'aa01', undefined, { extra: `export const transaction = 'no';\n` }), argv: ['upgrade'], needles: ['aa02', 'transaction'] },
];

const CASES: Case[] = [
  ...COMMAND_LINE.map((c) => ({ ...c, name: `command line: ${c.name}` })),
  ...CONFIG.map((c) => ({ ...c, name: `config: ${c.name}` })),
  ...REVISIONS.map((c) => ({ ...c, name: `revision file: ${c.name}` })),
];

/** Runs `migrate ARGV` in process in `p`, capturing its lines. */
async function runInProcess(p: TempProject, argv: readonly string[]): Promise<RunOutput> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: p.dir, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

describe(`bad input corpus (${CASES.length} cases, in process): one line naming what is wrong, nothing changed`, () => {
  let template: TempProject;
  beforeAll(async () => {
    template = new TempProject();
    addRevision(template, 'default', { revision: 'aa01', downRevision: null, message: 'create one', upgrade: createTable('one'), downgrade: `await op.dropTable('one');` });
    addRevision(template, 'db2', { revision: 'bb01', downRevision: null, message: 'create uno', upgrade: createTable('uno'), downgrade: `await op.dropTable('uno');` });
    await template.ok('upgrade');
  });
  afterAll(() => template?.remove());

  it('has at least 90 cases (with wrong-password.test.ts and quoted-identifiers.test.ts, over 100)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(90);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = cloneProject(template);
    try {
      const before = dbState(p);
      c.setup?.(p);
      const out = await runInProcess(p, c.argv);
      expectOneLineError(out, c.needles, c.code ?? 1);
      expect(`${out.stdout}${out.stderr}`).not.toContain(SECRET);
      expect(dbState(p)).toEqual(before);
    } finally {
      p.remove();
    }
  });
});
