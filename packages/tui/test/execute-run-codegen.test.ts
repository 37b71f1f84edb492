// A TUI run honours `codegen: 'after-upgrade'` like `migrate upgrade`: the types of the binds the
// run changed are regenerated, the others are left alone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun } from '../src/run/execute-run.js';
import type { RunMessage } from '../src/run/run-message.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

describe("executeRun with codegen: 'after-upgrade'", () => {
  const p = new SampleProject();
  afterAll(() => p.remove());

  it('writes the types of the bind the upgrade changed, not of a bind it did not touch', async () => {
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ codegen: 'after-upgrade', binds: {\n` +
        `  default: { url: 'sqlite:.data/default.db', types: './types/default.ts' },\n` +
        `  db2: { url: 'sqlite:.data/db2.db', types: './types/db2.ts' },\n} });\n`,
    );
    p.revision('default', { revision: 'd1', downRevision: null, branchLabels: ['default'], upgrade: `await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    p.revision('db2', { revision: 'e1', downRevision: null, branchLabels: ['db2'], upgrade: `await op.createTable('u', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    const messages: RunMessage[] = [];
    await executeRun({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['db2@head'] }, (m) => messages.push(m));
    expect(messages.at(-1)).toEqual({ type: 'finished' });
    expect(readFileSync(join(p.dir, 'types', 'db2.ts'), 'utf8')).toContain('export interface DB {\n  u: U;\n}');
    expect(existsSync(join(p.dir, 'types', 'default.ts'))).toBe(false);
  });
});
