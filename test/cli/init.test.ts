import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';

describe('migrate init --multidb in an empty folder', () => {
  const p = new TempProject([], { config: false });
  afterAll(() => p.remove());

  it('writes the repository and a starter config, and touches no database', async () => {
    const out = await p.ok('init', '--multidb');
    expect(p.files()).toEqual([
      'migrate.config.ts',
      'migrations/README',
      'migrations/script.ts.tmpl',
      'migrations/versions/db2/.gitkeep',
      'migrations/versions/default/.gitkeep',
    ]);
    expect(p.exists('.data')).toBe(false);
    expect(out.stdout).toMatch(/^Generating .*migrate\.config\.ts \.\.\.\s+done$/m);

    // The starter config: defineConfig with both binds on SQLite files next to it.
    const config = p.read('migrate.config.ts');
    expect(config).toContain(`import { defineConfig } from '@multidb/core';`);
    expect(config).toContain(`directory: 'migrations'`);
    expect(config).toContain(`default: { url: 'sqlite:.data/default.db' }`);
    expect(config).toContain(`db2: { url: 'sqlite:.data/db2.db' }`);

    // The template carries every placeholder of DESIGN §5.
    const template = p.read('migrations/script.ts.tmpl');
    for (const name of ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'message', 'createDate', 'imports', 'upgrades', 'downgrades', 'operationsType']) {
      expect(template).toContain('${' + name + '}');
    }
    expect(p.read('migrations/README').length).toBeGreaterThan(0);
  });

  it('leaves a project the other commands load, still without touching a database', async () => {
    const heads = await p.ok('heads');
    expect(heads.stdout).toBe('');
    const history = await p.ok('history');
    expect(history.stdout).toBe('');
    expect(p.exists('.data')).toBe(false);
  });

  it('refuses a second init and overwrites nothing', async () => {
    p.write('migrations/README', 'my own notes\n');
    p.write('migrate.config.ts', p.read('migrate.config.ts') + '// edited\n');
    const before = new Map(p.files().map((f) => [f, p.read(f)]));

    const out = await p.run('init', '--multidb');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/^ERROR: Directory .*migrations already exists and is not empty/m);
    expect(out.stdout).not.toMatch(/done/);

    expect(p.files()).toEqual([...before.keys()]);
    for (const [file, text] of before) expect(p.read(file), file).toBe(text);
    expect(p.exists('.data')).toBe(false);
  });
});

describe('migrate init --multidb with an existing config', () => {
  const config = `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'db/migrations',
  binds: {
    default: { url: 'sqlite:.data/default.db' },
    db2: { url: 'sqlite:.data/db2.db' },
    analytics: { url: 'sqlite:.data/analytics.db', branch: 'stats' },
  },
});
`;
  const p = new TempProject([], { config });
  afterAll(() => p.remove());

  it("takes the config's binds (a bind's branch names its folder) and directory, and keeps the config", async () => {
    const out = await p.ok('init', '--multidb');
    expect(p.files()).toEqual([
      'db/migrations/README',
      'db/migrations/script.ts.tmpl',
      'db/migrations/versions/db2/.gitkeep',
      'db/migrations/versions/default/.gitkeep',
      'db/migrations/versions/stats/.gitkeep',
      'migrate.config.ts',
    ]);
    expect(p.read('migrate.config.ts')).toBe(config);
    expect(out.stdout).not.toMatch(/Generating .*migrate\.config\.ts/);
    expect(p.exists('.data')).toBe(false);
  });

  it("puts the first revision of a bind with `branch` into that branch's folder, labelled with the branch", async () => {
    const { id, file } = await p.revision('-m', 'first stats', '--bind', 'analytics');
    expect(file).toBe(`db/migrations/versions/stats/${id}_first_stats.ts`);
    const source = p.read(file);
    expect(source).toContain(`export const branchLabels = ['stats'];`);
    expect(source).toContain(`export const downRevision = null;`);
    expect(p.exists('.data')).toBe(false);
  });
});
