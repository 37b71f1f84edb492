// `codegen` (kysely-codegen per bind) called in process as custom tooling would: which binds it
// writes, --verify outcomes, `codegen: 'after-upgrade'`, the typed revision template, and the same
// deterministic file on PostgreSQL and MariaDB whatever the database is called.
import { execFile } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { codegen, codegenAfterUpgrade, CodegenError } from '@multidb/autogenerate';
import { commands, createModuleLoader, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodegenJson } from '@multidb/cli';
import { runInProcess } from '../support/in-process.js';
import { MIGRATE_BIN, revisionSource, TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

const createItem = `await op.createTable('Item', [
    { name: 'ItemId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'varchar(20)', nullable: false },
    { name: 'Note', type: 'text', nullable: true },
  ]);`;

function open(p: TempProject): Promise<MigrationEnvironment> {
  return loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
}

function project(binds: Record<string, string>, branches = Object.keys(binds)): TempProject {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: {\n${Object.entries(binds)
      .map(([name, body]) => `  ${name}: ${body},\n`)
      .join('')}} });\n`,
  });
  for (const branch of branches) {
    mkdirSync(join(p.dir, 'migrations', 'versions', branch), { recursive: true });
    p.write(`migrations/versions/${branch}/${branch}1_x.ts`, revisionSource({ revision: `${branch}1`, downRevision: null, branchLabels: [branch], upgrade: createItem }));
  }
  p.write('migrations/script.ts.tmpl', '');
  return p;
}

describe('codegen on SQLite binds', () => {
  const p = project({
    default: `{ url: 'sqlite:.data/default.db', types: './src/db/default-types.ts' }`,
    db2: `{ url: 'sqlite:.data/db2.db', types: './src/db/db2-types.ts', codegen: 'after-upgrade' }`,
    db3: `{ url: 'sqlite:.data/db3.db' }`,
    // A tenant of db2's branch sharing db2's types file: db2 generates it.
    tenant: `{ url: 'sqlite:.data/tenant.db', branch: 'db2', types: './src/db/db2-types.ts' }`,
  }, ['default', 'db2', 'db3']);
  let env: MigrationEnvironment;
  beforeAll(async () => {
    rmSync(join(p.dir, 'migrations', 'script.ts.tmpl'));
    const { initRepository } = await import('@multidb/core');
    // The default template of `migrate init`, with the ${operationsType} placeholder.
    await initRepository({ directory: join(p.dir, 'fresh'), branches: ['x'], multidb: true });
    p.write('migrations/script.ts.tmpl', p.read('fresh/script.ts.tmpl'));
    env = await open(p);
  });
  afterAll(async () => {
    await env?.close();
    p.remove();
  });

  it('a revision written before the types file exists (a new project) takes plain Operations: no import of a missing file', async () => {
    expect(p.exists('src/db/default-types.ts')).toBe(false);
    await commands.revision(env, { bind: 'default', message: 'early', revId: 'early1' });
    const source = p.read('migrations/versions/default/early1_early.ts');
    expect(source).not.toContain('default-types');
    expect(source).toContain('export async function upgrade(op: Operations): Promise<void> {');
    rmSync(join(p.dir, 'migrations', 'versions', 'default', 'early1_early.ts'));
    env.invalidate();
  });

  it("after an upgrade, regenerates only the binds it changed that are in 'after-upgrade' mode", async () => {
    const result = await commands.upgrade(env, []);
    expect(new Set(result.steps.map((s) => s.bind))).toEqual(new Set(['default', 'db2', 'db3', 'tenant']));
    const after = await codegenAfterUpgrade(env, result);
    expect(after.map((r) => [r.bind, r.outcome])).toEqual([['db2', 'written']]);
    expect(p.exists('src/db/default-types.ts')).toBe(false);
    // A run that changed nothing regenerates nothing.
    expect(await codegenAfterUpgrade(env, await commands.upgrade(env, []))).toEqual([]);
  });

  it('writes every bind with types (skipping the others with a note), then leaves current files alone', async () => {
    const first = await codegen(env);
    expect(first.map((r) => [r.bind, r.outcome])).toEqual([
      ['default', 'written'],
      ['db2', 'unchanged'],
      ['db3', 'skipped'],
      ['tenant', 'skipped'],
    ]);
    expect(first[2]!.reason).toBe('[db3] has no types file (binds.db3.types): skipped.');
    expect(first[3]!.reason).toBe('[tenant] shares its types file with db2, which generates it: skipped.');
    expect(first[0]!.file).toBe(join(p.dir, 'src', 'db', 'default-types.ts'));
    const text = p.read('src/db/db2-types.ts');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '// Generated by `migrate codegen` for bind db2 (sqlite) with kysely-codegen. Do not edit:',
      '// run `migrate codegen db2` after a schema change; `migrate codegen --verify` checks it is current.',
      "// Revisions of this bind import it as `import type { DB as Db2 } from '…'` and take `op: Operations<Db2>`.",
    ]);
    expect(text).toContain('export interface Item {\n  ItemId: Generated<number>;\n  Name: string;\n  Note: string | null;\n}');
    expect(text).toContain('export interface DB {\n  Item: Item;\n}');
    expect(text).not.toMatch(/multidb_version/);
    expect(p.read('src/db/default-types.ts').replaceAll('default', 'db2').replaceAll('Default', 'Db2')).toBe(text);
    expect((await codegen(env, ['db2'])).map((r) => r.outcome)).toEqual(['unchanged']);
  });

  it('--verify: current, stale after an edit, missing after a delete; writes nothing', async () => {
    const verify = async () => (await codegen(env, [], { verify: true })).map((r) => `${r.bind}:${r.outcome}`);
    expect(await verify()).toEqual(['default:current', 'db2:current', 'db3:skipped', 'tenant:skipped']);
    p.write('src/db/default-types.ts', p.read('src/db/default-types.ts').replace('Note: string | null;', 'Note: string;'));
    rmSync(join(p.dir, 'src', 'db', 'db2-types.ts'));
    expect(await verify()).toEqual(['default:stale', 'db2:missing', 'db3:skipped', 'tenant:skipped']);
    expect(p.exists('src/db/db2-types.ts')).toBe(false);
    // The CLI's --json: the same outcomes as one document, exit 4.
    const cli = await runInProcess(p.dir, ['codegen', '--verify', '--json']);
    expect(cli.code).toBe(4);
    const doc = JSON.parse(cli.stdout) as CodegenJson;
    expect(doc.binds.map((r) => `${r.bind}:${r.outcome}`)).toEqual(['default:stale', 'db2:missing', 'db3:skipped', 'tenant:skipped']);
    expect(doc.binds[0]!.file).toBe(join(p.dir, 'src', 'db', 'default-types.ts'));
    await codegen(env);
    expect(await verify()).toEqual(['default:current', 'db2:current', 'db3:skipped', 'tenant:skipped']);
    expect((await runInProcess(p.dir, ['codegen', '--verify', '--json'])).code).toBe(0);
  });

  it('refuses a named bind without types, naming the bind and the setting', async () => {
    const error = await codegen(env, ['db3']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).bind).toBe('db3');
    expect((error as Error).message).toBe(`bind 'db3' names no types file: set binds.db3.types (e.g. './src/db/db3-types.ts') in ${join(p.dir, 'migrate.config.ts')}.`);
  });

  it("a new revision of a bind with types takes Operations<Db2> and imports the bind's types; one without stays plain", async () => {
    const typed = await commands.revision(env, { bind: 'db2', message: 'typed', revId: 'typed1' });
    const source = p.read(`migrations/versions/db2/typed1_typed.ts`);
    expect(typed.path).toBe(join(p.dir, 'migrations', 'versions', 'db2', 'typed1_typed.ts'));
    expect(source).toContain("import type { Operations } from '@multidb/core';\nimport type { DB as Db2 } from '../../../src/db/db2-types.js';\n");
    expect(source).toContain('export async function upgrade(op: Operations<Db2>): Promise<void> {');
    await commands.revision(env, { bind: 'db3', message: 'plain', revId: 'plain1' });
    expect(p.read('migrations/versions/db3/plain1_plain.ts')).toContain('export async function upgrade(op: Operations): Promise<void> {');
    // Both load and run (the type import is erased).
    const result = await commands.upgrade(env, []);
    expect(result.steps.map((s) => `${s.bind}:${s.revision}`).sort()).toEqual(['db2:typed1', 'db3:plain1', 'tenant:typed1']);
  });

  // A merge revision took plain `Operations` whatever the bind's types: its op.db, which may
  // reconcile the two lines' data, was untyped.
  it('a merge of two heads of a bind with types takes Operations<Db2>, as a revision does', async () => {
    await commands.revision(env, { bind: 'db2', message: 'side', revId: 'side1', head: 'db21', splice: true });
    await commands.merge(env, ['heads'], { bind: 'db2', revId: 'merge1' });
    const source = p.read('migrations/versions/db2/merge1_merge.ts');
    expect(source).toContain("import type { Operations } from '@multidb/core';\nimport type { DB as Db2 } from '../../../src/db/db2-types.js';\n");
    expect(source).toContain('export async function upgrade(op: Operations<Db2>): Promise<void> {');
    expect(source).toContain('export async function downgrade(op: Operations<Db2>): Promise<void> {');
    const result = await commands.upgrade(env, []);
    expect(result.steps.map((s) => `${s.bind}:${s.revision}`).sort()).toEqual(['db2:merge1', 'db2:side1', 'tenant:merge1', 'tenant:side1']);
  });
});

// A bind named `operations` or `promise` imported its types as `Operations` or `Promise`, the
// names the default template uses (`op: Operations<…>`, `Promise<void>`): the revision did not
// compile (a duplicate identifier; `Promise<void>` naming the bind's DB type). Such a bind's types
// now take the name with `Db` appended. The revisions are compiled against the built @multidb/core.
describe('the local name of a bind\'s types in a revision does not clash with the template\'s names (SQLite)', () => {
  const p = project(
    {
      operations: `{ url: 'sqlite:.data/operations.db', types: './src/db/operations.ts' }`,
      promise: `{ url: 'sqlite:.data/promise.db', types: './src/db/promise.ts' }`,
      "'sales-eu'": `{ url: 'sqlite:.data/sales eu.db', types: './src/db/sales eu.ts' }`,
    },
    [],
  );
  afterAll(() => p.remove());

  it('writes OperationsDb, PromiseDb and SalesEu, and each revision typechecks', async () => {
    rmSync(join(p.dir, 'migrations'), { recursive: true });
    const { initRepository } = await import('@multidb/core');
    // The default template of `migrate init`, with the ${'${operationsType}'} placeholder.
    await initRepository({ directory: join(p.dir, 'migrations'), branches: ['operations', 'promise', 'sales-eu'], multidb: true });
    const env = await open(p);
    const files: string[] = [];
    try {
      for (const bind of ['operations', 'promise', 'sales-eu']) {
        await commands.revision(env, { bind, message: 'first', revId: `${bind.replace('-', '_')}1`, upgrades: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);" });
      }
      await commands.upgrade(env, []);
      expect((await codegen(env)).map((r) => r.outcome)).toEqual(['written', 'written', 'written']);
      for (const [bind, name, types] of [['operations', 'OperationsDb', 'operations'], ['promise', 'PromiseDb', 'promise'], ['sales-eu', 'SalesEu', 'sales eu']] as const) {
        const written = await commands.revision(env, { bind, message: 'typed', revId: `${bind.replace('-', '_')}2`, upgrades: "await op.db.selectFrom('item').select('id').execute();" });
        const source = p.read(written.path.slice(p.dir.length + 1));
        expect(source).toContain(`import type { DB as ${name} } from '../../../src/db/${types}.js';\n`);
        expect(source).toContain(`export async function upgrade(op: Operations<${name}>): Promise<void> {`);
        // The types file's header says what the revision imports: the same name.
        expect(p.read(`src/db/${types}.ts`).split('\n')[2]).toBe(`// Revisions of this bind import it as \`import type { DB as ${name} } from '…'\` and take \`op: Operations<${name}>\`.`);
        files.push(written.path);
      }
    } finally {
      await env.close();
    }
    const program = ts.createProgram({
      rootNames: files,
      options: {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
        skipLibCheck: true,
        paths: {
          '@multidb/core': [new URL('../../packages/core/dist/index.d.ts', import.meta.url).pathname],
          kysely: [new URL('../../node_modules/kysely/dist/esm/index.d.ts', import.meta.url).pathname],
        },
      },
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
  });
});

describeWithServers('codegen on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('codegen', { pg: 'postgres', my: 'mysql' });
  const p = project({
    pg: `{ url: process.env.CODEGEN_PG_URL, types: './types/pg.ts' }`,
    my: `{ url: process.env.CODEGEN_MY_URL, types: './types/my.ts' }`,
  });
  afterAll(() => p.remove());

  it('writes the same file twice, without the database name or the version table', async () => {
    process.env.CODEGEN_PG_URL = dbs.pg.url;
    process.env.CODEGEN_MY_URL = dbs.my.url;
    const env = await open(p);
    try {
      await commands.upgrade(env, []);
      expect((await codegen(env)).map((r) => r.outcome)).toEqual(['written', 'written']);
      // MariaDB reports a nullable column without a default as having one (DEFAULT NULL), so
      // kysely-codegen marks it Generated (optional on insert, which it is).
      const item = {
        pg: 'export interface Item {\n  ItemId: number;\n  Name: string;\n  Note: string | null;\n}',
        my: 'export interface Item {\n  ItemId: number;\n  Name: string;\n  Note: Generated<string | null>;\n}',
      };
      // The header names the server's flavour: the test server behind the mysql:// URL is MariaDB.
      for (const [bind, db, dialect] of [['pg', dbs.pg, 'postgres'], ['my', dbs.my, 'mariadb']] as const) {
        const text = p.read(`types/${bind}.ts`);
        expect(text.split('\n')[0]).toBe(`// Generated by \`migrate codegen\` for bind ${bind} (${dialect}) with kysely-codegen. Do not edit:`);
        expect(text).toContain('export interface DB {\n  Item: Item;\n}');
        expect(text).toContain(item[bind]);
        expect(text).not.toContain(db.name);
        expect(text).not.toMatch(/multidb_version/);
      }
      expect((await codegen(env, [], { verify: true })).map((r) => r.outcome)).toEqual(['current', 'current']);
    } finally {
      await env.close();
    }
  });
});

// Column comments and names that TypeScript source must escape: kysely-codegen writes a comment
// into a doc comment as it is, so one holding `*/` ended it early (a types file that did not
// parse); names with quotes, a backslash, `${}`, spaces and non-ASCII letters are quoted keys.
describeWithServers('codegen with comments and names that need escaping, on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('codegen_escaping', { pg: 'postgres', my: 'mysql' });
  const p = project({
    pg: `{ url: process.env.CODEGEN_ESC_PG_URL, types: './types/pg.ts' }`,
    my: `{ url: process.env.CODEGEN_ESC_MY_URL, types: './types/my.ts' }`,
  });
  for (const bind of ['pg', 'my']) {
    p.write(
      `migrations/versions/${bind}/${bind}2_comments.ts`,
      revisionSource({
        revision: `${bind}2`,
        downRevision: `${bind}1`,
        upgrade: `await op.createTable('Order Lines', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'legacy', type: 'integer', comment: "*/ old code, see /* ticket */ it's \`x\` \${y}" },
    { name: 'we"ird', type: 'integer', comment: 'ends with */' },
    { name: 'back\\\\slash \${x}', type: 'integer' },
    { name: 'café 日本', type: 'integer', comment: 'two\\nlines */' },
  ]);`,
      }),
    );
  }
  afterAll(() => p.remove());

  it('writes types files that parse, with the comments kept (their star-slash escaped) and every name quoted', async () => {
    process.env.CODEGEN_ESC_PG_URL = dbs.pg.url;
    process.env.CODEGEN_ESC_MY_URL = dbs.my.url;
    const env = await open(p);
    try {
      await commands.upgrade(env, []);
      expect((await codegen(env)).map((r) => r.outcome)).toEqual(['written', 'written']);
      for (const bind of ['pg', 'my']) {
        const text = p.read(`types/${bind}.ts`);
        const { diagnostics } = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
        expect(diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), text).toEqual([]);
        expect(text).toContain("   * *\\/ old code, see /* ticket *\\/ it's `x` ${y}\n");
        expect(text).toContain('   * ends with *\\/\n');
        expect(text).toContain('   * two\n   * lines *\\/\n');
        expect(text).toMatch(/"we\\"ird": (Generated<)?number \| null/);
        expect(text).toContain('"back\\\\slash ${x}"');
        expect(text).toContain('"café 日本"');
        expect(text).toContain('"Order Lines": OrderLines;');
      }
      expect((await codegen(env, [], { verify: true })).map((r) => r.outcome)).toEqual(['current', 'current']);
    } finally {
      await env.close();
    }
  });
});

// A types file that changes is replaced at once (a temporary file beside it, renamed over it), so
// a write that stops part way leaves the old file whole for the user's tsc. The write fails for
// real: `migrate codegen` runs under a file size limit (RLIMIT_FSIZE, bash's `ulimit -f`) below the
// new file's size, which stops it part way as a full disk would (EFBIG).
describe('codegen replaces a types file at once (SQLite)', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  /** A project of one SQLite bind `default` with its types file, upgraded and generated once. */
  async function generated(): Promise<TempProject> {
    const p = project({ default: `{ url: 'sqlite:.data/default.db', types: './src/db/default-types.ts' }` });
    projects.push(p);
    const env = await open(p);
    try {
      await commands.upgrade(env, []);
      expect((await codegen(env)).map((r) => r.outcome)).toEqual(['written']);
    } finally {
      await env.close();
    }
    return p;
  }

  /** `migrate ARGS` in `cwd` with its file size limit at `kib` KiB. */
  function limitedMigrate(cwd: string, kib: number, args: readonly string[]): Promise<RunOutput> {
    return new Promise((resolve) => {
      execFile('bash', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, MIGRATE_BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      );
    });
  }

  it('a write that fails part way (a file size limit) leaves the old file whole, and no temporary file', async () => {
    const p = await generated();
    const before = p.read('src/db/default-types.ts');
    // A wide table: the new file is several times the limit; the old one is well below it.
    p.exec('default', `CREATE TABLE "Wide" (${Array.from({ length: 400 }, (_, i) => `"column_with_a_long_name_${i}" text`).join(', ')})`);
    const limitKiB = 8;
    expect(before.length).toBeLessThan(limitKiB * 1024);
    const out = await limitedMigrate(p.dir, limitKiB, ['codegen']);
    expect(out.code, out.stderr).not.toBe(0);
    expect(out.stderr).toMatch(/EFBIG/);
    expect(p.read('src/db/default-types.ts')).toBe(before);
    expect(readdirSync(join(p.dir, 'src', 'db'))).toEqual(['default-types.ts']);
    // Without the limit, the new file replaces it.
    await p.ok('codegen');
    expect(p.read('src/db/default-types.ts')).toContain('column_with_a_long_name_399');
    expect(readdirSync(join(p.dir, 'src', 'db'))).toEqual(['default-types.ts']);
  });

  it('keeps the mode of the file it replaces, and a symbolic link to it (the file it points at is replaced)', async () => {
    const p = await generated();
    chmodSync(join(p.dir, 'src', 'db', 'default-types.ts'), 0o664); // group-writable: more than the umask (022) lets a new file have
    p.exec('default', 'CREATE TABLE "Other" ("id" integer PRIMARY KEY)');
    await p.ok('codegen');
    expect(statSync(join(p.dir, 'src', 'db', 'default-types.ts')).mode & 0o777).toBe(0o664);
    expect(p.read('src/db/default-types.ts')).toContain('export interface Other {');

    // The types file as a link to a file elsewhere (a shared package).
    mkdirSync(join(p.dir, 'shared'));
    renameSync(join(p.dir, 'src', 'db', 'default-types.ts'), join(p.dir, 'shared', 'types.ts'));
    symlinkSync(join(p.dir, 'shared', 'types.ts'), join(p.dir, 'src', 'db', 'default-types.ts'));
    p.exec('default', 'CREATE TABLE "Third" ("id" integer PRIMARY KEY)');
    await p.ok('codegen');
    expect(lstatSync(join(p.dir, 'src', 'db', 'default-types.ts')).isSymbolicLink()).toBe(true);
    expect(p.read('shared/types.ts')).toContain('export interface Third {');
    expect(statSync(join(p.dir, 'shared', 'types.ts')).mode & 0o777).toBe(0o664);
    expect(readdirSync(join(p.dir, 'shared'))).toEqual(['types.ts']);
  });
});
