// `migrate status` (text and --json) and the binds screen's data (core's `bindStatus`, what the
// TUI's backend reads) show a MariaDB bind's revision in flight the way `current` does: a revision
// whose second createTable fails leaves its first write (createTable t1) recorded in `multidb_version_progress`.
// A SQLite bind beside it has none. In process (`main` with a capturing output).
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
  const dbs = useDatabases('in_flight_status', { my: 'mysql' });
  let p: TempProject;
  const table = (name: string, extra = '') => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }${extra}]);`;

  beforeAll(async () => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: { aa: { url: 'sqlite:.data/aa.db' }, my: { url: ${JSON.stringify(dbs.my.url)} } } });\n`,
    });
    addRevision(p, 'aa', { revision: 'aa01', downRevision: null, message: 'one', upgrade: table('a1') });
    addRevision(p, 'my', { revision: 'ab0000000001', downRevision: null, message: 'two tables', upgrade: `${table('t1')}\n  ${table('t2', `, { name: 'x', type: 'integer', references: 'nope.id' }`)}` });
    expect((await migrate(p, 'upgrade', 'aa@head')).code).toBe(0);
    expect((await migrate(p, 'upgrade', 'my@head')).code).toBe(1);
  });
  afterAll(() => p?.remove());

  it('current shows it (what status must match)', async () => {
    const out = await migrate(p, 'current', 'my');
    expect(out.stdout).toEqual(['[my] <base>', '[my] ab0000000001 (in flight: upgrade stopped after 1 write(s), last: createTable t1)']);
  });

  it('status: the line of the bind ends with it; the other bind has none', async () => {
    const out = await migrate(p, 'status');
    expect(out.code).toBe(0);
    expect(out.stdout).toEqual([
      '[aa] sqlite sqlite:.data/aa.db: current aa01, head aa01; up to date',
      expect.stringMatching(/^\[my\] mariadb mysql:\/\/.*: current <base>, head ab0000000001; 1 pending: ab0000000001; ab0000000001 \(in flight: upgrade stopped after 1 write\(s\), last: createTable t1\)$/),
    ]);
  });

  it('status --json: inFlight on the bind, as current --json has it', async () => {
    const out = await migrate(p, 'status', '--json');
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout.join('\n')) as { binds: { bind: string; dialect: string; inFlight?: unknown }[] };
    // The server's flavour, as --sql names it, not the URL's scheme (mysql://).
    expect(json.binds.map((b) => b.dialect)).toEqual(['sqlite', 'mariadb']);
    const inFlight = { revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' };
    expect(json.binds.map((b) => [b.bind, b.inFlight])).toEqual([
      ['aa', undefined],
      ['my', inFlight],
    ]);
    const current = JSON.parse((await migrate(p, 'current', 'my', '--json')).stdout.join('\n')) as { binds: { inFlight?: unknown }[] };
    expect(current.binds[0]!.inFlight).toEqual(inFlight);
  });

  it("bindStatus (the TUI binds screen's source) carries it; resolved, it is gone", async () => {
    // The project's config imports '@multidb/core': give it this checkout's copy.
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      expect((await commands.bindStatus(env, 'my')).inFlight).toEqual({ revision: 'ab0000000001', direction: 'up', writes: 1, last: 'createTable t1' });
      expect((await commands.bindStatus(env, 'aa')).inFlight).toBeUndefined();
    } finally {
      await env.close();
    }
    expect((await migrate(p, 'resolve', 'my', '--not-applied')).code).toBe(0);
    const out = await migrate(p, 'status', 'my');
    expect(out.stdout).toEqual([expect.stringMatching(/^\[my\] mariadb .*: current <base>, head ab0000000001; 1 pending: ab0000000001$/)]);
  });
});
