// Alembic's `-x KEY=VALUE`: `migrate -x seed=true upgrade` hands `{ seed: 'true' }` to each
// revision as `op.xArgs` (frozen) and to the config's hooks as `ctx.xArgs`, online and offline
// (`--sql`); from code it is the `xArgs` run option. In-process (`main`) on SQLite binds.
import { commands, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { TempProject, revisionSource } from '../support/project.js';

const R1 = 'c1c1c1c1c1c1';
const CONFIG =
  `import { writeFileSync } from 'node:fs';\n` +
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n` +
  `  binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db' } },\n` +
  `  hooks: { beforeRun: (ctx) => writeFileSync(new URL('./hook-x-args.json', import.meta.url), JSON.stringify(ctx.xArgs)) },\n` +
  `});\n`;

describe('-x KEY=VALUE as op.xArgs', () => {
  const p = new TempProject([], { config: CONFIG });
  afterAll(() => p.remove());
  const run = (...args: string[]) => runInProcess(p.dir, args);

  beforeAll(() => {
    p.write('migrations/versions/default/.keep', '');
    p.write(
      `migrations/versions/db2/${R1}_seed.ts`,
      revisionSource({
        revision: R1,
        downRevision: null,
        branchLabels: ['db2'],
        upgrade: [
          "await op.createTable('tenant', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(40)' }]);",
          "if (!Object.isFrozen(op.xArgs)) throw new Error('op.xArgs is not frozen');",
          "if (op.xArgs.seed === 'true') await op.bulkInsert('tenant', [{ id: 1, name: op.xArgs.tenant ?? 'none' }]);",
        ].join('\n  '),
        downgrade: "if (op.xArgs.keep !== 'true') await op.dropTable('tenant');",
      }),
    );
  });

  it('a revision branches on the values given with -x (repeatable, a value may hold =)', async () => {
    const out = await run('-x', 'seed=true', '-x', 'tenant=acme=1', 'upgrade', 'db2');
    expect(out.code, out.stderr).toBe(0);
    expect(p.query('db2', 'SELECT id, name FROM tenant')).toEqual([{ id: 1, name: 'acme=1' }]);
    expect(JSON.parse(p.read('hook-x-args.json'))).toEqual({ seed: 'true', tenant: 'acme=1' });
  });

  it('without -x, op.xArgs is empty: the same revision seeds nothing', async () => {
    expect((await run('downgrade', 'db2')).code).toBe(0);
    expect(p.tables('db2')).toEqual(['multidb_version']);
    expect((await run('upgrade', 'db2')).code).toBe(0);
    expect(p.query('db2', 'SELECT id, name FROM tenant')).toEqual([]);
    expect(JSON.parse(p.read('hook-x-args.json'))).toEqual({});
  });

  it('offline (--sql): the script follows the -x values', async () => {
    const seeded = await run('upgrade', '--sql', 'db2@base:head', '-x', 'seed=true', '-x', 'tenant=globex');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/insert into "tenant" .*'globex'/i);
    const plain = await run('upgrade', '--sql', 'db2@base:head');
    expect(plain.stdout).toContain('CREATE TABLE "tenant"');
    expect(plain.stdout).not.toMatch(/insert into "tenant"/i);
  });

  it('a value without = is a usage error (exit 2) naming it', async () => {
    const out = await run('-x', 'seed', 'upgrade');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/argument 'seed' is invalid\. expected KEY=VALUE/);
  });

  it('from code: the xArgs run option of downgrade', async () => {
    const env = await loadEnvironment({ dialects, cwd: p.dir });
    try {
      const result = await commands.downgrade(env, 'db2', { xArgs: { keep: 'true' } });
      expect(result.steps.map((s) => s.revision)).toEqual([R1]);
    } finally {
      await env.close();
    }
    expect(p.tables('db2')).toEqual(['multidb_version', 'tenant']);
  });
});
