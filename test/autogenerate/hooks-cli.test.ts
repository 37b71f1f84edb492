// The autogenerate hooks of a config (Alembic's env.py options), through the `migrate` CLI on
// SQLite: includeName leaves a legacy table alone, includeObject a scratch column, compareType a
// column whose type the models spell differently, processRevisionDirectives rewrites the message,
// and a post-write hook (a command line with {file}) formats the written file. `check` applies
// the same filters: clean after the upgrade. Setup and upgrades run in-process; the CLI is spawned
// for `migrate` and `check` only.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { autogenerate } from '@multidb/autogenerate';
import { commands, createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { columnsAt, queryUrl, tablesAt } from '../support/servers.js';

const DB_URL = 'sqlite:.data/app.db';
const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'migrations',
  autogenerate: {
    dropUnmodeledTables: true,
    includeName: (name, type) => !(type === 'table' && name.startsWith('legacy_')),
    includeObject: (o) => !(o.type === 'column' && o.name.startsWith('tmp_')),
    compareType: ({ table, declared }) => (table === 'note' && declared.name === 'body' ? false : undefined),
    processRevisionDirectives: (d) => {
      d.message = \`\${d.message} (reviewed)\`;
    },
    postWrite: 'node format.mjs {file}',
  },
  binds: { app: { url: ${JSON.stringify(DB_URL)}, models: './models.ts' } },
});
`;

/** A stand-in formatter: marks the file it was given, as \`prettier --write {file}\` would rewrite it. */
const FORMATTER = `import { appendFileSync } from 'node:fs';
appendFileSync(process.argv[2], '// formatted by format.mjs\\n');
`;

function models(step: 1 | 2): string {
  const columns =
    step === 1
      ? `{ name: 'id', type: 'integer', primaryKey: true }, { name: 'body', type: 'varchar(10)' }`
      : `{ name: 'id', type: 'integer', primaryKey: true }, { name: 'body', type: 'text' }, { name: 'title', type: 'varchar(50)' }, { name: 'tmp_scratch', type: 'integer' }`;
  return `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 'note', columns: [${columns}] }] });\n`;
}

describe('autogenerate hooks of the config, through the CLI', () => {
  let p: TempProject;
  const at = () => ({ baseDir: p.dir, write: true });
  beforeAll(async () => {
    p = new TempProject([], { config: CONFIG });
    p.write('format.mjs', FORMATTER);
    p.write('models.ts', models(1));
    await inProcess(async (env) => {
      await autogenerate(env, { message: 'first' });
      env.invalidate();
      await env.upgrade();
    });
    await queryUrl(DB_URL, 'CREATE TABLE legacy_audit (id integer primary key, what text)', [], at());
  });
  afterAll(() => p?.remove());

  /** Runs `fn` on the project's environment, in this process (init first when needed). */
  async function inProcess(fn: (env: Awaited<ReturnType<typeof loadEnvironment>>) => Promise<void>): Promise<void> {
    const loader = createModuleLoader({ alias: MODULE_ALIAS, moduleCache: false });
    if (!existsSync(join(p.dir, 'migrations'))) await commands.init({ cwd: p.dir, multidb: true, loader });
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader });
    try {
      await fn(env);
    } finally {
      await env.close();
    }
  }

  it('writes only what the hooks let through, under the rewritten message, formatted', async () => {
    p.write('models.ts', models(2));
    const out = await p.ok('migrate', '-m', 'add title');
    expect(out.stderr).toContain("[app] Detected added column 'note.title'");
    expect(out.stderr).not.toMatch(/legacy_audit|tmp_scratch|body/);
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
    expect(file).toMatch(/_add_title_reviewed\.ts$/);
    const source = p.read(file!.slice(p.dir.length + 1));
    expect(source).toContain("export const message = 'add title (reviewed)';");
    expect(source).toMatch(/addColumn\((\s*'note', )?\{ name: 'title', type: 'varchar\(50\)' \}/);
    expect(source).not.toMatch(/legacy_audit|tmp_scratch|'body'/);
    expect(source.endsWith('// formatted by format.mjs\n')).toBe(true);
  });

  it('upgrades, and check applies the same hooks: clean, the legacy table untouched', async () => {
    await inProcess((env) => env.upgrade().then(() => undefined));
    expect(await columnsAt(DB_URL, 'note', at())).toEqual(['id', 'body', 'title']);
    expect(await tablesAt(DB_URL, at())).toContain('legacy_audit');
    const check = await p.run('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('[app] No changes in schema detected.');
  });
});
