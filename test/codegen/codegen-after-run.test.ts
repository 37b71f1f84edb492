// `codegen: 'after-run'` (and its earlier name 'after-upgrade') keeps each bind's types file in
// step with its schema both ways: `migrate upgrade` and `migrate downgrade` (one bind, or every
// bind with `downgrade base`) regenerate the types of the binds they changed, so after a downgrade
// the interface of the table it dropped is gone. Offline `--sql` runs and `stamp` change no schema
// and regenerate nothing. A codegen that fails after a completed run says the run completed, the
// same way after an upgrade and after a downgrade. SQLite, PostgreSQL and MariaDB, through the CLI.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorJson, RunJson } from '@multidb/cli';
import { runInProcess } from '../support/in-process.js';
import { revisionSource, TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const ITEM = `await op.createTable('Item', [{ name: 'ItemId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'varchar(20)', nullable: false }]);`;
const EXTRA = `await op.createTable('Extra', [{ name: 'ExtraId', type: 'integer', primaryKey: true }]);`;

/**
 * A project whose binds each have a branch of two revisions (`<bind>1` creates Item, `<bind>2`
 * creates Extra) and a types file `types/<bind>.ts`.
 * @param binds - per bind, its config entry without `types` (e.g. `url: 'sqlite:.data/a.db', codegen: 'after-run'`).
 */
function project(binds: Record<string, string>, top = ''): TempProject {
  const entries = Object.entries(binds).map(([bind, body]) => `  ${bind}: { ${body}, types: './types/${bind}.ts' },\n`);
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ ${top}binds: {\n${entries.join('')}} });\n` });
  for (const bind of Object.keys(binds)) {
    mkdirSync(join(p.dir, 'migrations', 'versions', bind), { recursive: true });
    p.write(`migrations/versions/${bind}/${bind}1_item.ts`, revisionSource({ revision: `${bind}1`, downRevision: null, branchLabels: [bind], upgrade: ITEM, downgrade: `await op.dropTable('Item');` }));
    p.write(`migrations/versions/${bind}/${bind}2_extra.ts`, revisionSource({ revision: `${bind}2`, downRevision: `${bind}1`, upgrade: EXTRA, downgrade: `await op.dropTable('Extra');` }));
  }
  return p;
}

async function ok(p: TempProject, ...args: string[]): Promise<RunOutput> {
  const out = await runInProcess(p.dir, args);
  if (out.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${out.code}\n${out.stdout}\n${out.stderr}`);
  return out;
}

const lines = (text: string) => text.split('\n').filter(Boolean);
/** The `DB` interface of a types file: its tables, as kysely-codegen sorts them. */
const dbInterface = (text: string) => /export interface DB \{([^}]*)\}/.exec(text)?.[1]?.trim().split('\n').map((l) => l.trim()).filter(Boolean);

/** Upgrade, downgrade one bind, downgrade every bind to base: each bind's types file follows. */
async function upgradeThenDowngrade(p: TempProject, binds: readonly string[]): Promise<void> {
  const [first, ...others] = binds as [string, ...string[]];
  const up = await ok(p, 'upgrade');
  expect(lines(up.stdout)).toEqual(binds.map((b) => `[${b}] Wrote types/${b}.ts`));
  for (const bind of binds) {
    expect(dbInterface(p.read(`types/${bind}.ts`))).toEqual(['Extra: Extra;', 'Item: Item;']);
    expect(p.read(`types/${bind}.ts`)).toContain('export interface Extra {');
  }

  // One bind steps back: its file loses Extra, the others keep theirs.
  const others0 = others.map((b) => p.read(`types/${b}.ts`));
  const down = await ok(p, 'downgrade', first);
  expect(lines(down.stderr)).toEqual([`[${first}] Running downgrade ${first}2 -> ${first}1, ${first}2`]);
  expect(lines(down.stdout)).toEqual([`[${first}] Wrote types/${first}.ts`]);
  const text = p.read(`types/${first}.ts`);
  expect(text).not.toContain('export interface Extra');
  expect(text).toContain('export interface Item {');
  expect(dbInterface(text)).toEqual(['Item: Item;']);
  expect(others.map((b) => p.read(`types/${b}.ts`))).toEqual(others0);

  // Every bind to base (`base` applies to each bind): every file describes an empty schema.
  const base = await ok(p, 'downgrade', 'base');
  expect(lines(base.stdout).sort()).toEqual(binds.map((b) => `[${b}] Wrote types/${b}.ts`).sort());
  for (const bind of binds) {
    expect(dbInterface(p.read(`types/${bind}.ts`))).toEqual([]);
    expect(p.read(`types/${bind}.ts`)).not.toContain('export interface Item');
  }
}

describe("codegen: 'after-run' after upgrade and downgrade (SQLite)", () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it("the types file follows an upgrade, a downgrade of one bind and a downgrade of every bind ('after-run' and its earlier name 'after-upgrade')", async () => {
    const p = project({ app: `url: 'sqlite:.data/app.db', codegen: 'after-run'`, legacy: `url: 'sqlite:.data/legacy.db', codegen: 'after-upgrade'` });
    projects.push(p);
    await upgradeThenDowngrade(p, ['app', 'legacy']);
    // The legacy name too, on its own.
    await ok(p, 'upgrade');
    await ok(p, 'downgrade', 'legacy');
    expect(dbInterface(p.read('types/legacy.ts'))).toEqual(['Item: Item;']);
  });

  it("a bind in 'manual' mode is left alone by a downgrade; --json keeps stdout for the run's document", async () => {
    const p = project({ app: `url: 'sqlite:.data/app.db'`, man: `url: 'sqlite:.data/man.db', codegen: 'manual'` }, "codegen: 'after-run', ");
    projects.push(p);
    await ok(p, 'upgrade');
    expect(p.exists('types/man.ts')).toBe(false);
    const out = await ok(p, 'downgrade', 'base', '--json');
    const doc = JSON.parse(out.stdout) as RunJson;
    expect(doc.steps.map((s) => `${s.bind}:${s.revision}:${s.direction}`)).toEqual(['app:app2:down', 'app:app1:down', 'man:man2:down', 'man:man1:down']);
    expect(lines(out.stderr)).toContain('[app] Wrote types/app.ts');
    expect(dbInterface(p.read('types/app.ts'))).toEqual([]);
    expect(p.exists('types/man.ts')).toBe(false);
  });

  it('an offline downgrade or upgrade (--sql) and a stamp regenerate nothing', async () => {
    const p = project({ app: `url: 'sqlite:.data/app.db', codegen: 'after-run'` });
    projects.push(p);
    await ok(p, 'upgrade');
    // A mark codegen would remove: the file must stay as it is.
    const marked = `${p.read('types/app.ts')}// kept\n`;
    p.write('types/app.ts', marked);
    const sql = await ok(p, 'downgrade', 'app2:app1', '--sql');
    expect(sql.stdout).toContain('DROP TABLE "Extra"');
    expect(sql.stderr).not.toContain('Wrote');
    await ok(p, 'upgrade', 'app1:app2', '--sql');
    expect(p.read('types/app.ts')).toBe(marked);
    // A stamp moves the version table only.
    const stamp = await ok(p, 'stamp', 'app1');
    expect(`${stamp.stdout}${stamp.stderr}`).not.toContain('Wrote');
    expect(p.read('types/app.ts')).toBe(marked);
    expect(p.versionsApplied('app')).toEqual(['app1']);
  });

  it('a codegen that fails after a completed downgrade (or upgrade) says the run completed, with its steps and heads in --json; exit 1', async () => {
    const p = project({ app: `url: 'sqlite:.data/app.db', codegen: 'after-run'` });
    projects.push(p);
    await ok(p, 'upgrade');
    // The types file's folder becomes a file: writing it fails (ENOTDIR).
    rmSync(join(p.dir, 'types'), { recursive: true });
    writeFileSync(join(p.dir, 'types'), 'not a folder');
    const file = join(p.dir, 'types', 'app.ts');
    const down = await runInProcess(p.dir, ['downgrade', 'app']);
    expect(down.code).toBe(1);
    expect(lines(down.stderr)).toEqual([
      '[app] Running downgrade app2 -> app1, app2',
      `ERROR: The downgrade completed (1 revision), but regenerating the types of app failed: ENOTDIR: not a directory, open '${file}'. The types may be stale: run 'migrate codegen app' once that is fixed.`,
    ]);
    expect(p.versionsApplied('app')).toEqual(['app1']);
    expect(p.tables('app')).toEqual(['Item', 'multidb_version']);

    const json = await runInProcess(p.dir, ['downgrade', 'app', '--json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as ErrorJson;
    expect(doc.error.code).toBe('CODEGEN_AFTER_RUN');
    expect(doc.error.message).toMatch(/^The downgrade completed \(1 revision\), but regenerating the types of app failed: ENOTDIR/);
    expect(doc.error.steps?.map((s) => `${s.bind}:${s.revision}:${s.direction}`)).toEqual(['app:app1:down']);
    expect(doc.error.heads).toEqual({ app: [] });
    expect(p.versionsApplied('app')).toEqual([]);

    // The upgrade says the same of itself.
    const up = await runInProcess(p.dir, ['upgrade']);
    expect(up.code).toBe(1);
    expect(lines(up.stderr).at(-1)).toBe(
      `ERROR: The upgrade completed (2 revisions), but regenerating the types of app failed: ENOTDIR: not a directory, open '${file}'. The types may be stale: run 'migrate codegen app' once that is fixed.`,
    );
    expect(p.versionsApplied('app')).toEqual(['app2']);
  });
});

describeWithServers("codegen: 'after-run' after upgrade and downgrade (PostgreSQL, MariaDB)", ['postgres', 'mysql'], () => {
  const dbs = useDatabases('codegen_after_run', { pg: 'postgres', my: 'mysql' });
  const p = project({ pg: 'url: process.env.AFTER_RUN_PG_URL', my: 'url: process.env.AFTER_RUN_MY_URL' }, "codegen: 'after-run', ");
  afterAll(() => p.remove());

  it('the types file follows an upgrade, a downgrade of one bind and a downgrade of every bind', async () => {
    process.env.AFTER_RUN_PG_URL = dbs.pg.url;
    process.env.AFTER_RUN_MY_URL = dbs.my.url;
    await upgradeThenDowngrade(p, ['pg', 'my']);
    expect(p.read('types/pg.ts').split('\n')[0]).toBe('// Generated by `migrate codegen` for bind pg (postgres) with kysely-codegen. Do not edit:');
    expect(p.read('types/my.ts').split('\n')[0]).toBe('// Generated by `migrate codegen` for bind my (mariadb) with kysely-codegen. Do not edit:');
  });
});
