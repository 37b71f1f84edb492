// The built `migrate` in a project folder whose path has spaces, non-ASCII letters, '#', '%' and
// a quote, with SQLite binds named with a dash and an underscore at relative paths with spaces,
// one of them a database file of a long name (70 Japanese characters, 213 bytes: its migration
// lock file's name, made from it, was past the 255 bytes a file name may have, and every upgrade
// failed to take the lock): init, revision, upgrade, current, history, downgrade and --sql
// work, files land where expected and the databases hold what the revisions did.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrate, TempProject } from '../support/project.js';

const LONG = '日'.repeat(70);

describe('a project at a path with spaces, non-ASCII letters, #, % and a quote', () => {
  const root = new TempProject([], { config: false });
  const dir = join(root.dir, "My Projéct 日本 #1 50% it's");
  mkdirSync(dir);
  const run = (...args: string[]) => runMigrate(dir, args);
  afterAll(() => rmSync(root.dir, { recursive: true, force: true }));

  it('init, revision, upgrade, current, history, --sql and downgrade', async () => {
    const init = await run('init', '--multidb', '--bind', 'tenant-01', '--bind', '_x');
    expect(init.code, init.stderr).toBe(0);
    // The starter config, edited: relative paths with spaces; one database file of a long name.
    const config = `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { 'tenant-01': { url: 'sqlite:data dir/tenant 01.db' }, _x: { url: 'sqlite:data dir/${LONG}.db' } } });\n`;
    root.write("My Projéct 日本 #1 50% it's/migrate.config.ts", config);

    const ids: string[] = [];
    for (const bind of ['tenant-01', '_x']) {
      const out = await run('revision', '-m', `create "t" for ${bind}: it's \`x\` */ \${y}`, '--bind', bind);
      expect(out.code, out.stderr).toBe(0);
      const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)![1]!;
      expect(file.startsWith(join(dir, 'migrations', 'versions', bind))).toBe(true);
      expect(file).toMatch(/\/[0-9a-f]{12}_create_t_for_(tenant_01|x)_it_s_x_y\.ts$/);
      ids.push(/\/([0-9a-f]{12})_/.exec(file)![1]!);
      const source = root.read(file.slice(root.dir.length + 1)).replace('// Nothing to do.', `await op.createTable('t "q"', [{ name: 'id', type: 'integer', primaryKey: true }]);`);
      root.write(file.slice(root.dir.length + 1), source.replace('// Nothing to do.', `await op.dropTable('t "q"');`));
    }

    const up = await run('upgrade');
    expect(up.code, up.stderr).toBe(0);
    expect(readdirSync(join(dir, 'data dir')).filter((f) => f.endsWith('.db')).sort()).toEqual([`${LONG}.db`, 'tenant 01.db'].sort());
    const current = await run('current');
    expect(current.stdout.trim().split('\n')).toEqual([`[tenant-01] ${ids[0]} (head)`, `[_x] ${ids[1]} (head)`]);
    const history = await run('history');
    expect(history.stdout).toContain(`[_x] <base> -> ${ids[1]} (_x) (head), create "t" for _x: it's \`x\` */ \${y}`);
    const sql = await run('upgrade', '--sql');
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain(`-- Running upgrade <base> -> ${ids[0]}, create "t" for tenant-01: it's \`x\` */ \${y}`);
    expect(sql.stdout).toContain('CREATE TABLE "t ""q""" (');

    const down = await run('downgrade', '_x@base');
    expect(down.code, down.stderr).toBe(0);
    expect((await run('current')).stdout).toContain('[_x] <base>');
  }, 120_000);
});
