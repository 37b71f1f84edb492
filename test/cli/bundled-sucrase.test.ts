// Core's build writes sucrase as one file beside its bundle (tools/build/bundle-dependency.mjs;
// issue #13, the first run after a checkout): the `migrate` bin transforms a project's modules
// with that file, never with the ~100 files of the sucrase package, and its transform cache names
// the version bundled.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrate, TempProject } from '../support/project.js';
import { addRevision, resolveLogger } from '../faults/faults-support.js';

const BUNDLE = fileURLToPath(new URL('../../packages/core/dist/bundle/sucrase.cjs', import.meta.url));
const INSTALLED = (
  JSON.parse(readFileSync(createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url))).resolve('sucrase/package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe('sucrase bundled into core', () => {
  let p: TempProject;

  beforeAll(() => {
    p = new TempProject(['default']);
    // Its own cache folder (the project has no node_modules), empty: every module is transformed.
    mkdirSync(join(p.dir, 'tmp'));
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, upgrade: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);" });
  });
  afterAll(() => p.remove());

  it("is one file whose first line names the installed package's version", () => {
    expect(readFileSync(BUNDLE, 'utf8').split('\n', 1)[0]).toBe(`// sucrase@${INSTALLED} bundled by tools/build/bundle-dependency.mjs`);
  });

  it('transforms the config and the revisions of a first run, and names its version in the transform cache', async () => {
    const logger = resolveLogger(p);
    const run = await runMigrate(p.dir, ['upgrade', '--sql'], { ...logger.env, TMPDIR: join(p.dir, 'tmp') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('CREATE TABLE');
    // The config (`migrate.config.ts`) and the revision were transformed, by the bundle alone.
    const requests = logger.specifiers().filter((s) => s.includes('sucrase'));
    expect(requests).toContain('./sucrase.cjs');
    expect(requests.filter((s) => s === 'sucrase' || s.startsWith('sucrase/'))).toEqual([]);
    const cacheDir = join(p.dir, 'tmp', readdirSync(join(p.dir, 'tmp')).find((f) => f.startsWith('multidb-cache-'))!);
    const headers = readdirSync(cacheDir)
      .filter((f) => f.endsWith('.tc'))
      .map((f) => readFileSync(join(cacheDir, f), 'utf8').split('\n')[1]);
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const header of headers) expect(JSON.parse(header!).transform).toBe(`evaluator-1+sucrase@${INSTALLED}`);
  });
});
