// A CommonJS project's config: `migrate.config.cjs` (or `.cts`) is found from the working folder as
// `migrate.config.ts` is, without `--config` (it was not searched for: "No migrate.config.ts found").
import { afterAll, describe, expect, it } from 'vitest';
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
