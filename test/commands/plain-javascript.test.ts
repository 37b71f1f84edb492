// The command API from plain JavaScript, as a user calls it: a misspelled or misplaced option
// (`commands.upgrade(env, { bind: 'db2' })`, `history(env, { rnge })`) throws a typed error before
// any database is touched, where it used to be ignored and the command ran with its defaults on
// every bind; and the results logged with JSON.stringify keep each bind's heads, which a Map wrote
// as `{}`. The script (fixtures/plain-javascript.mjs) runs with Node in a project whose
// node_modules are the workspace's, where @multidb/* are the built packages.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands, createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SCRIPT = fileURLToPath(new URL('fixtures/plain-javascript.mjs', import.meta.url));
const MODULE_ALIAS = { '@multidb/core': join(ROOT, 'packages/core/dist/bundle/index.js') };

const createTable = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

interface Refused {
  readonly call: string;
  readonly threw: boolean;
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
}

describe('the command API from plain JavaScript', () => {
  let p: TempProject;
  afterEach(() => p.remove());

  it('refuses misspelled options before touching a database, and logs results with their heads as JSON', async () => {
    p = new TempProject(['default', 'db2']);
    symlinkSync(join(ROOT, 'node_modules'), join(p.dir, 'node_modules'), 'dir');
    copyFileSync(SCRIPT, join(p.dir, 'user.mjs'));
    for (const branch of ['default', 'db2']) mkdirSync(join(p.dir, 'migrations', 'versions', branch), { recursive: true });
    p.write('migrations/versions/default/a1_x.ts', revisionSource({ revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: createTable('one') }));
    p.write('migrations/versions/db2/b1_x.ts', revisionSource({ revision: 'b1', downRevision: null, branchLabels: ['db2'], upgrade: createTable('two'), downgrade: "await op.dropTable('two');" }));
    p.write('migrations/versions/db2/b2_x.ts', revisionSource({ revision: 'b2', downRevision: 'b1', upgrade: createTable('three'), downgrade: "await op.dropTable('three');" }));

    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['user.mjs'], { cwd: p.dir, timeout: 60_000 }, (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as { refused: Refused[]; dataAfterMistakes: string[]; upgrade: unknown; stamp: unknown; downgrade: unknown };

    const targetsHint =
      'The options object goes after the targets: commands.upgrade(env, targets, options), env.upgrade(targets, options); ' +
      "to upgrade one bind, give a target naming it, e.g. 'db2' (its head). Nothing was done.";
    expect(doc.refused).toEqual([
      {
        call: "commands.upgrade(env, { bind: 'db2' })",
        threw: true,
        name: 'MultidbError',
        code: 'INVALID_OPTION',
        message: `upgrade() takes its targets as a string ('db2@head') or an array of strings (['db2@head', 'analytics@+1']); got {"bind":"db2"}. ${targetsHint}`,
      },
      {
        call: "commands.upgrade(env, [], { bind: 'db2' })",
        threw: true,
        name: 'UnknownOptionError',
        code: 'UNKNOWN_OPTION',
        message: "upgrade(): unknown option 'bind'; upgrade() takes onEvent, lockTimeoutMs, concurrency, keepGoing, xArgs, workers, signal. Nothing was done.",
      },
      {
        call: "commands.downgrade(env, 'db2@-1', { allbinds: true })",
        threw: true,
        name: 'UnknownOptionError',
        code: 'UNKNOWN_OPTION',
        message: "downgrade(): unknown option 'allbinds' (did you mean 'allBinds'?); downgrade() takes onEvent, lockTimeoutMs, concurrency, keepGoing, xArgs, workers, signal, allBinds. Nothing was done.",
      },
      {
        call: "commands.stamp(env, 'head', { bnds: ['x'] })",
        threw: true,
        name: 'UnknownOptionError',
        code: 'UNKNOWN_OPTION',
        message: "stamp(): unknown option 'bnds'; stamp() takes purge, onEvent, lockTimeoutMs, allBinds, signal. Nothing was done.",
      },
      {
        call: "commands.history(env, { rnge: 'a:b' })",
        threw: true,
        name: 'UnknownOptionError',
        code: 'UNKNOWN_OPTION',
        message: "history(): unknown option 'rnge' (did you mean 'range'?); history() takes bind, range, indicateCurrent. Nothing was done.",
      },
      {
        call: "autogenerate(env, { bind: 'db2', message: 'm' })",
        threw: true,
        name: 'UnknownOptionError',
        code: 'UNKNOWN_OPTION',
        message: "autogenerate(): unknown option 'bind' (did you mean 'binds'?); autogenerate() takes message, binds, revId, renames, resolveRenames, baseline. Nothing was done.",
      },
    ]);
    // No database file was created (nor a lock file beside one): nothing was touched.
    expect(doc.dataAfterMistakes).toEqual([]);

    // The calls as meant, as JSON.stringify wrote their results: heads by bind, not `{}`.
    expect(doc.upgrade).toEqual({ steps: [expect.objectContaining({ bind: 'db2', revision: 'b1' }), expect.objectContaining({ bind: 'db2', revision: 'b2' })], heads: { db2: ['b2'] }, elapsedMs: expect.any(Number) });
    expect(doc.stamp).toEqual([{ bind: 'default', from: [], to: ['a1'], outcome: 'stamped' }]);
    expect(doc.downgrade).toEqual({ steps: [expect.objectContaining({ bind: 'db2', revision: 'b2', direction: 'down' })], heads: { db2: ['b1'] }, elapsedMs: expect.any(Number) });
    expect(p.versionsApplied('db2')).toEqual(['b1']);
    expect(p.versionsApplied('default')).toEqual(['a1']);
  });

  it('JSON.stringify of a run of independent groups (tenants) and of a run with nothing to do', async () => {
    const tenants = ['t1', 't2', 't3'];
    p = new TempProject(tenants, {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: { ${tenants.map((t) => `${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' }`).join(', ')} } });\n`,
    });
    p.write('migrations/versions/tenant/ten1_x.ts', revisionSource({ revision: 'ten1', downRevision: null, branchLabels: ['tenant'], upgrade: createTable('note'), downgrade: "await op.dropTable('note');" }));
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    try {
      const upgraded = await commands.upgrade(env, [], { concurrency: 2 });
      expect(upgraded.heads).toBeInstanceOf(Map);
      expect(JSON.parse(JSON.stringify(upgraded)).heads).toEqual({ t1: ['ten1'], t2: ['ten1'], t3: ['ten1'] });
      const again = await commands.upgrade(env);
      expect(JSON.parse(JSON.stringify(again))).toMatchObject({ steps: [], heads: {} });
      const down = await commands.downgrade(env, 't2@-1');
      expect(JSON.stringify(down.heads)).toBe('{"t2":[]}');
    } finally {
      await env.close();
    }
  });
});
