// A CommonJS project's config: `migrate.config.cjs` (or `.cts`) is found from the working folder as
// `migrate.config.ts` is, without `--config` (it was not searched for: "No migrate.config.ts found").
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempProject, revisionSource, runMigrate } from '../support/project.js';

const A1 = 'aaaa00000001';

describe.each(['cjs', 'cts'])('migrate.config.%s', (ext) => {
  const p = new TempProject(['default'], { config: false });
  afterAll(() => p.remove());

  it('is found without --config, from a folder below it too, and its binds upgrade', async () => {
    p.write(
      `migrate.config.${ext}`,
      `const { defineConfig } = require('@multidb/core');\nmodule.exports = defineConfig({ directory: 'migrations', binds: { default: { url: 'sqlite:.data/default.db' } } });\n`,
    );
    p.write(`migrations/versions/default/${A1}_r.ts`, revisionSource({ revision: A1, downRevision: null, branchLabels: ['default'] }));
    p.write('src/.keep', '');
    await p.ok('upgrade');
    expect((await p.ok('current')).stdout).toBe(`[default] ${A1} (head)\n`);
    expect((await runMigrate(join(p.dir, 'src'), ['heads'], p.env)).stdout).toBe(`[default] ${A1} (default) (head)\n`);
  });
});

// What jiti transforms (a CommonJS config in TypeScript) is cached in multidb's own private cache folder, not in
// jiti's default `<tmp>/jiti`, which any user of a shared machine may write.
describe('jiti cache folder', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'multidb-tmp-'));
  const p = new TempProject(['default'], { config: false, env: { TMPDIR: tmp } });
  afterAll(() => {
    p.remove();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('is <multidb cache>/jiti, never <tmp>/jiti', async () => {
    // TypeScript for jiti to transform (and cache).
    p.write('migrate.config.cts', `const url: string = 'sqlite:.data/default.db';\nmodule.exports = { directory: 'migrations', binds: { default: { url } } };\n`);
    p.write(`migrations/versions/default/${A1}_r.ts`, revisionSource({ revision: A1, downRevision: null, branchLabels: ['default'] }));
    await p.ok('heads');
    expect(existsSync(join(tmp, 'jiti'))).toBe(false);
    const own = readdirSync(tmp).filter((name) => name.startsWith('multidb-cache-'));
    expect(own).toHaveLength(1);
    expect(readdirSync(join(tmp, own[0]!, 'jiti')).length).toBeGreaterThan(0);
  });
});
