// `migrate status` (text and --json) and the binds screen's data (core's `bindStatus`, what the
// TUI's backend reads) show a MariaDB bind's revision in flight the way `current` does: a revision
// whose second createTable fails leaves its first write (createTable t1) recorded in `multidb_version_progress`.
// A SQLite bind beside it has none. Such a bind is mid-revision (condition `in-flight`), never up
// to date nor merely pending: a second MariaDB bind whose downgrade stopped part way is at head in
// its version table, and reads so too; `current` marks that row in flight rather than a bare `(head)`. `migrate check` refuses both, as it refuses a bind behind
// its head. In process (`main` with a capturing output).
import { fileURLToPath } from 'node:url';
import { main } from '@multidb/cli';
import { commands, createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

async function migrate(p: TempProject, ...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd: p.dir, output: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) } });
  return { code, stdout, stderr };
}

describeWithServers('status shows a revision in flight', ['mysql'], () => {
  const dbs = useDatabases('in_flight_status', { my: 'mysql', md: 'mysql' });
  let p: TempProject;
  const table = (name: string, extra = '') => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }${extra}]);`;

  beforeAll(async () => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: {\n` +
        `  aa: { url: 'sqlite:.data/aa.db' },\n` +
        `  my: { url: ${JSON.stringify(dbs.my.url)}, models: './models.ts' },\n` +
        `  md: { url: ${JSON.stringify(dbs.md.url)}, models: './models.ts' },\n` +
        `} });\n`,
    });
    // What both server binds hold at head; `check` would compare them with it.
    p.write('models.ts', `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 't1', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });\n`);
    addRevision(p, 'aa', { revision: 'aa01', downRevision: null, message: 'one', upgrade: table('a1') });
    addRevision(p, 'my', { revision: 'ab0000000001', downRevision: null, message: 'two tables', upgrade: `${table('t1')}\n  ${table('t2', `, { name: 'x', type: 'integer', references: 'nope.id' }`)}` });
    // md: its downgrade drops t1, then fails (no table 'nope'): at head in its version table, t1 gone.
    addRevision(p, 'md', { revision: 'ad0000000001', downRevision: null, message: 'one table', upgrade: table('t1'), downgrade: `await op.dropTable('t1');\n  await op.dropTable('nope');` });
    expect((await migrate(p, 'upgrade', 'aa@head')).code).toBe(0);
    expect((await migrate(p, 'upgrade', 'my@head')).code).toBe(1);
    expect((await migrate(p, 'upgrade', 'md@head')).code).toBe(0);
    expect((await migrate(p, 'downgrade', 'md@-1')).code).toBe(1);
  });
  afterAll(() => p?.remove());

  it('current shows it (what status must match)', async () => {
    const out = await migrate(p, 'current', 'my');
    expect(out.stdout).toEqual(['[my] <base>', '[my] ab0000000001 (in flight: upgrade stopped after 1 write(s), last: createTable t1)']);
  });

  it('current marks the row a downgrade stopped on as in flight, on that row (not a bare "(head)")', async () => {
    const out = await migrate(p, 'current', 'md');
    expect(out.code).toBe(0);
    expect(out.stdout).toEqual(['[md] ad0000000001 (head) (in flight: downgrade stopped after 1 write(s), last: dropTable t1)']);
    const verbose = (await migrate(p, 'current', 'md', '--verbose')).stdout;
    expect(verbose[0]).toMatch(/^\[md\] Current revision\(s\) for mysql:\/\//);
    expect(verbose.slice(1, 3)).toEqual(['Rev: ad0000000001 (head) (in flight: downgrade stopped after 1 write(s), last: dropTable t1)', 'Parent: <base>']);
    expect(verbose).toContain('    one table');
  });

  it('current --json: the row a downgrade stopped on says it is in flight; an upgrade in flight has no row', async () => {
    const json = JSON.parse((await migrate(p, 'current', '--json')).stdout.join('\n')) as { binds: { bind: string; revisions: unknown[]; inFlight?: unknown }[] };
    expect(json.binds.map((b) => [b.bind, b.revisions, b.inFlight])).toEqual([
      ['aa', [{ revision: 'aa01', known: true, isHead: true, message: 'one' }], undefined],
      ['my', [], { revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' }],
      // isHead is as before (the branch's head); inFlight (added) qualifies it.
      ['md', [{ revision: 'ad0000000001', known: true, isHead: true, message: 'one table', inFlight: true }], { revision: 'ad0000000001', direction: 'down', writes: 1, last: 'dropTable t1' }],
    ]);
  });

  it('status: a bind mid-revision says so, names the revision and how to resume it; the other bind has none', async () => {
    const out = await migrate(p, 'status');
    expect(out.code).toBe(0);
    const resolve = (bind: string) => `or repair the database by hand and run 'migrate resolve ${bind} --applied' or '--not-applied'`;
    expect(out.stdout).toEqual([
      '[aa] sqlite sqlite:.data/aa.db: current aa01, head aa01; up to date',
      expect.stringMatching(/^\[my\] mariadb mysql:\/\/\S+: current <base>, head ab0000000001; /),
      // At head in its version table, yet not up to date.
      expect.stringMatching(/^\[md\] mariadb mysql:\/\/\S+: current ad0000000001, head ad0000000001; /),
    ]);
    expect(out.stdout[1]!.replace(/^.*?; /, '')).toBe(
      `mid-revision, not up to date: ab0000000001 (in flight: upgrade stopped after 1 write(s), last: createTable t1); once what stopped it is fixed, run 'migrate upgrade my' to resume it, ${resolve('my')}; 1 pending: ab0000000001`,
    );
    expect(out.stdout[2]!.replace(/^.*?; /, '')).toBe(
      `mid-revision, not up to date: ad0000000001 (in flight: downgrade stopped after 1 write(s), last: dropTable t1); once what stopped it is fixed, run 'migrate downgrade md@-1' to resume it, ${resolve('md')}`,
    );
    expect(out.stdout.join('\n')).not.toMatch(/\[md\].*up to date$/m);
  });

  it('check refuses a bind mid-revision (exit 1, as for a bind behind its head), before comparing anything', async () => {
    for (const [bind, revision, verb, resume] of [
      ['my', 'ab0000000001', 'upgrade', 'migrate upgrade my'],
      ['md', 'ad0000000001', 'downgrade', 'migrate downgrade md@-1'],
    ] as const) {
      const out = await migrate(p, 'check', bind);
      expect(out.code, bind).toBe(1);
      expect(out.stdout, bind).toEqual([]);
      expect(out.stderr, bind).toEqual([expect.stringContaining(`[${bind}] revision ${revision} is partly applied (its ${verb} stopped part way;`)]);
      expect(out.stderr[0]).toContain(`Refusing to compare its database with its models. If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it); then resume it with '${resume}'`);
    }
  });

  it('status --json: inFlight on the bind, as current --json has it', async () => {
    const out = await migrate(p, 'status', '--json');
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout.join('\n')) as { binds: { bind: string; dialect: string; inFlight?: unknown; condition: unknown; pending: { revision: string }[] }[] };
    // The server's flavour, as --sql names it, not the URL's scheme (mysql://).
    expect(json.binds.map((b) => b.dialect)).toEqual(['sqlite', 'mariadb', 'mariadb']);
    const inFlight = { revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' };
    expect(json.binds.map((b) => [b.bind, b.inFlight])).toEqual([
      ['aa', undefined],
      ['my', inFlight],
      ['md', { revision: 'ad0000000001', direction: 'down', writes: 1, last: 'dropTable t1' }],
    ]);
    // The condition says it (added: `inFlight` and `pending` are as before).
    expect(json.binds.map((b) => [b.bind, b.condition, b.pending.map((r) => r.revision)])).toEqual([
      ['aa', { kind: 'up-to-date' }, []],
      ['my', { kind: 'in-flight', revision: 'ab0000000001', direction: 'up', resume: 'migrate upgrade my' }, ['ab0000000001']],
      ['md', { kind: 'in-flight', revision: 'ad0000000001', direction: 'down', resume: 'migrate downgrade md@-1' }, []],
    ]);
    const current = JSON.parse((await migrate(p, 'current', 'my', '--json')).stdout.join('\n')) as { binds: { inFlight?: unknown }[] };
    expect(current.binds[0]!.inFlight).toEqual(inFlight);
  });

  it("bindStatus (the TUI binds screen's source) carries it; resolved, it is gone", async () => {
    // The project's config imports '@multidb/core': give it this checkout's copy.
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const my = await commands.bindStatus(env, 'my');
      expect(my.inFlight).toEqual({ revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' });
      expect(my.condition.kind).toBe('in-flight');
      expect((await commands.bindStatus(env, 'md')).condition).toEqual({ kind: 'in-flight', revision: 'ad0000000001', direction: 'down', resume: 'migrate downgrade md@-1' });
      expect((await commands.bindStatus(env, 'aa')).inFlight).toBeUndefined();
    } finally {
      await env.close();
    }
    expect((await migrate(p, 'resolve', 'my', '--not-applied')).code).toBe(0);
    const out = await migrate(p, 'status', 'my');
    expect(out.stdout).toEqual([expect.stringMatching(/^\[my\] mariadb .*: current <base>, head ab0000000001; 1 pending: ab0000000001$/)]);
  });
});
