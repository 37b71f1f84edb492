// A revision that imports `@multidb/core` gets the CLI's own copy (its module alias resolves the
// package's export, the bundle core's build writes), so instanceof holds across the two: the
// `op` the runner passes is an `Operations` of the core the revision imports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { addRevision } from '../faults/faults-support.js';

describe('one copy of @multidb/core for the CLI and the revisions', () => {
  let p: TempProject;
  let file: string;

  beforeAll(() => {
    p = new TempProject(['default']);
    file = addRevision(
      p,
      'default',
      {
        revision: 'aa01',
        downRevision: null,
        upgrade:
          "if (!(op instanceof Operations)) throw new Error('op is an Operations of another copy of @multidb/core');\n" +
          "  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);",
        downgrade: "await op.dropTable('item');",
      },
      (source) => source.replace("import type { Operations } from '@multidb/core';", "import { Operations } from '@multidb/core';"),
    );
  });
  afterAll(() => p.remove());

  it('op instanceof Operations holds in a revision: it runs and creates its table', async () => {
    expect(p.read(file)).toContain("import { Operations } from '@multidb/core';");
    await p.ok('upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    expect(p.tables('default')).toContain('item');
  });
});

/**
 * A project whose config is made by `lib/config.cjs` (binds from `bindsSource`, a JavaScript
 * expression) and whose one revision, `revision` on `branch`, checks with `.cjs` helpers that
 * `op` is an instance of the Operations `require('@multidb/core')` gives and `op.db` of the Kysely
 * `require('kysely')` gives, then runs `upgrade` (after the `imports` lines, if any).
 */
function cjsHelperProject(options: { bindsSource: string; branch: string; revision: string; imports?: string; upgrade?: string }): TempProject {
  const p = new TempProject([], { config: `import { config } from './lib/config.cjs';\nexport default config;\n` });
  p.write('lib/config.cjs', `const { defineConfig } = require('@multidb/core');\nexports.config = defineConfig({ directory: 'migrations', binds: ${options.bindsSource} });\n`);
  p.write('lib/is-operations.cjs', `const { Operations } = require('@multidb/core');\nexports.isOperations = (op) => op instanceof Operations;\n`);
  // kysely too: the CLI aliases it to the dialects' copy, an ES module jiti would load as a second copy.
  p.write('lib/is-kysely.cjs', `const { Kysely } = require('kysely');\nexports.isKysely = (db) => db instanceof Kysely;\n`);
  addRevision(
    p,
    options.branch,
    {
      revision: options.revision,
      downRevision: null,
      upgrade:
        "if (!isOperations(op)) throw new Error('op is an Operations of another copy of @multidb/core');\n" +
        "  if (!isKysely(op.db)) throw new Error('op.db is a Kysely of another copy of kysely');\n" +
        "  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);" +
        (options.upgrade ?? ''),
      downgrade: "await op.dropTable('item');",
    },
    (source) => `${options.imports ?? ''}import { isOperations } from '../../../lib/is-operations.cjs';\nimport { isKysely } from '../../../lib/is-kysely.cjs';\n${source}`,
  );
  return p;
}

// A CommonJS file (a `.cjs` helper, or a config that jiti loads) that requires `@multidb/core`
// goes through jiti: it must get the CLI's copy too, not fail to load core's ES module build.
describe('a CommonJS helper that requires @multidb/core', () => {
  let p: TempProject;

  beforeAll(() => {
    p = cjsHelperProject({ bindsSource: "{ default: { url: 'sqlite:.data/default.db' } }", branch: 'default', revision: 'cc01' });
  });
  afterAll(() => p.remove());

  it('a config made by a .cjs file loads, and a revision gets op instanceof its Operations and op.db instanceof its Kysely', async () => {
    const out = await p.run('upgrade');
    expect(out.stderr).not.toMatch(/ERROR/);
    expect(out.code).toBe(0);
    expect(p.versionsApplied('default')).toEqual(['cc01']);
    expect(p.tables('default')).toContain('item');
  });
});

// The same on worker threads (`--concurrency` over many SQLite tenants): each thread's loader must
// give a .cjs file that requires `@multidb/core` the thread's own core (it went to jiti through the
// alias, core's ES module build: 'Could not load config …: Unexpected identifier 'Promise'').
describe('a CommonJS helper that requires @multidb/core, on worker threads', () => {
  let p: TempProject;
  const tenants = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);

  beforeAll(() => {
    p = cjsHelperProject({
      bindsSource: `Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }]))`,
      branch: 'tenant',
      revision: 'dd01',
      imports: "import { threadId } from 'node:worker_threads';\n",
      upgrade: "\n  await op.execute(`CREATE TABLE ran_on_thread_${threadId} (id INTEGER)`);",
    });
  });
  afterAll(() => p.remove());

  it('upgrade --concurrency 2 runs every tenant on worker threads, op and op.db instances of what .cjs helpers require', async () => {
    const out = await p.run('upgrade', '--concurrency', '2');
    expect(out.stderr).not.toMatch(/ERROR/);
    expect(out.code).toBe(0);
    for (const t of tenants) expect(p.versionsApplied(t)).toEqual(['dd01']);
    // Ran on worker threads (threadId 0 is the main thread).
    expect(p.tables('t00').filter((t) => t.startsWith('ran_on_thread_'))).toEqual([expect.stringMatching(/^ran_on_thread_[1-9]\d*$/)]);
  });
});
