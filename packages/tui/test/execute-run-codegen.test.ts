// A TUI run honours `codegen: 'after-run'` (and its earlier name 'after-upgrade') like `migrate
// upgrade` and `migrate downgrade`: the types of the binds the run changed are regenerated, the
// others are left alone; after a downgrade the interface of the table it dropped is gone. On this
// thread (`executeRun`) and on a worker thread (core's built worker, the TUI's default driver).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkersAvailable } from '@multidb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun, type RunJob } from '../src/run/execute-run.js';
import { inProcessRunDriver, workerRunDriver, type RunDriver } from '../src/run/run-driver.js';
import type { RunMessage } from '../src/run/run-message.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

/** default and db2 with types files, `codegen` at the top level; db2 has two revisions (u, then w). */
function project(mode: string): SampleProject {
  const p = new SampleProject();
  p.write(
    'migrate.config.ts',
    `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ codegen: '${mode}', binds: {\n` +
      `  default: { url: 'sqlite:.data/default.db', types: './types/default.ts' },\n` +
      `  db2: { url: 'sqlite:.data/db2.db', types: './types/db2.ts' },\n} });\n`,
  );
  p.revision('default', { revision: 'd1', downRevision: null, branchLabels: ['default'], upgrade: table('t') });
  p.revision('db2', { revision: 'e1', downRevision: null, branchLabels: ['db2'], upgrade: table('u'), downgrade: `await op.dropTable('u');` });
  p.revision('db2', { revision: 'e2', downRevision: 'e1', upgrade: table('w'), downgrade: `await op.dropTable('w');` });
  return p;
}

async function runJob(driver: RunDriver, job: Omit<RunJob, 'moduleAlias'>): Promise<RunMessage[]> {
  const messages: RunMessage[] = [];
  await driver.start({ ...job, moduleAlias: MODULE_ALIAS }, (m) => messages.push(m)).done;
  return messages;
}

describe("executeRun with codegen: 'after-run'", () => {
  const projects: SampleProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it('an upgrade writes the types of the bind it changed, not of a bind it did not touch', async () => {
    const p = project('after-run');
    projects.push(p);
    const messages: RunMessage[] = [];
    await executeRun({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['db2@head'] }, (m) => messages.push(m));
    expect(messages.at(-1)).toEqual({ type: 'finished' });
    expect(readFileSync(join(p.dir, 'types', 'db2.ts'), 'utf8')).toContain('export interface DB {\n  u: U;\n  w: W;\n}');
    expect(existsSync(join(p.dir, 'types', 'default.ts'))).toBe(false);
  });

  it("a downgrade rewrites the types of the bind it changed: the dropped table's interface is gone ('after-upgrade' too)", async () => {
    for (const mode of ['after-run', 'after-upgrade']) {
      const p = project(mode);
      projects.push(p);
      expect((await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'up', targets: ['db2@head'] })).at(-1)).toEqual({ type: 'finished' });
      const messages = await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'down', targets: ['db2@-1'] });
      expect(messages.at(-1)).toEqual({ type: 'finished' });
      const text = readFileSync(join(p.dir, 'types', 'db2.ts'), 'utf8');
      expect(text).toContain('export interface DB {\n  u: U;\n}');
      expect(text).not.toContain('export interface W');
      expect(existsSync(join(p.dir, 'types', 'default.ts'))).toBe(false);
    }
  });

  it("'manual': neither an upgrade nor a downgrade writes the types file", async () => {
    const p = project('manual');
    projects.push(p);
    await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'up', targets: ['db2@head'] });
    expect((await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'down', targets: ['db2@-1'] })).at(-1)).toEqual({ type: 'finished' });
    expect(existsSync(join(p.dir, 'types', 'db2.ts'))).toBe(false);
  });

  it('a codegen that fails after a completed downgrade ends the part with CODEGEN_AFTER_RUN, the cause as its reason', async () => {
    const p = project('after-run');
    projects.push(p);
    await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'up', targets: ['db2@head'] });
    rmSync(join(p.dir, 'types'), { recursive: true });
    writeFileSync(join(p.dir, 'types'), 'not a folder');
    const messages = await runJob(inProcessRunDriver, { cwd: p.dir, direction: 'down', targets: ['db2@-1'] });
    const last = messages.at(-1);
    expect(last?.type).toBe('failed');
    if (last?.type !== 'failed') return;
    expect(last.error.code).toBe('CODEGEN_AFTER_RUN');
    expect(last.error.reason).toBe(`ENOTDIR: not a directory, open '${join(p.dir, 'types', 'db2.ts')}'`);
    expect(last.error.message).toMatch(/^The downgrade completed \(1 revision\), but regenerating the types of db2 failed/);
    expect(messages.some((m) => m.type === 'event' && m.event.type === 'bind-done' && m.event.bind === 'db2' && m.event.ok)).toBe(true);
    expect(p.query<{ version_num: string }>('db2', 'SELECT version_num FROM multidb_version').map((r) => r.version_num)).toEqual(['e1']);
  });
});

describe.skipIf(!runWorkersAvailable())("a TUI run on a worker thread with codegen: 'after-run'", () => {
  const p = project('after-run');
  afterAll(() => p.remove());

  it('regenerates the types after an upgrade and after a downgrade', async () => {
    const driver = workerRunDriver();
    expect((await runJob(driver, { cwd: p.dir, direction: 'up', targets: ['db2@head'] })).at(-1)).toEqual({ type: 'finished' });
    expect(readFileSync(join(p.dir, 'types', 'db2.ts'), 'utf8')).toContain('export interface W {');
    expect((await runJob(driver, { cwd: p.dir, direction: 'down', targets: ['db2@-1'] })).at(-1)).toEqual({ type: 'finished' });
    const text = readFileSync(join(p.dir, 'types', 'db2.ts'), 'utf8');
    expect(text).toContain('export interface DB {\n  u: U;\n}');
    expect(text).not.toContain('export interface W');
  });
});
