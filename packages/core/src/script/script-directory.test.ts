import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, RevisionError, ScriptError } from '../errors.js';
import { parseRevisionHeader } from './header-parser.js';
import { createModuleLoader, loadRevisionModule } from './module-loader.js';
import type { Operations } from '../operations/operations.js';
import { initRepository } from './repository-init.js';
import { generateRevisionId, renderStringLiteral, ScriptDirectory, slugify } from './script-directory.js';

const CORE_INDEX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'index.ts');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-scripts-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const header = (id: string, down: string, extra = '') =>
  `export const revision = '${id}';\nexport const downRevision = ${down};\n${extra}export async function upgrade() {}\nexport async function downgrade() {}\n`;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

describe('ScriptDirectory.open', () => {
  it('refuses a missing folder or a folder without versions/, pointing to migrate init', async () => {
    await expect(ScriptDirectory.open(join(root, 'none'))).rejects.toThrow(ConfigError);
    await expect(ScriptDirectory.open(join(root, 'none'))).rejects.toThrow(/migrate init/);
    await mkdir(join(root, 'migrations'));
    await expect(ScriptDirectory.open(join(root, 'migrations'))).rejects.toThrow(/no 'versions' folder.*migrate init/);
  });

  it('lists branch folders, sorted, without dotfolders', async () => {
    const dir = join(root, 'migrations');
    for (const b of ['db2', 'default', '.git', 'analytics']) await mkdir(join(dir, 'versions', b), { recursive: true });
    await writeFile(join(dir, 'versions', 'notes.txt'), '');
    const scripts = await ScriptDirectory.open(dir);
    expect(scripts.branches()).toEqual(['analytics', 'db2', 'default']);
    expect(scripts.directory).toBe(dir);
  });
});

describe('ScriptDirectory.scripts', () => {
  it('reads every script of every branch with its header, branch and path', async () => {
    const versions = join(root, 'm', 'versions');
    await put(join(versions, 'default', 'aaa_init.ts'), header('aaa', 'null', "export const branchLabels = ['default'];\n"));
    await put(join(versions, 'default', 'bbb_next.mts'), header('bbb', "'aaa'", "export const message = 'next';\n"));
    await put(join(versions, 'db2', 'ccc_root.js'), header('ccc', 'null', "export const dependsOn = ['aaa'];\n"));
    await put(join(versions, 'db2', 'ddd_more.mjs'), header('ddd', "'ccc'"));
    await put(join(versions, 'db2', 'eee_merge.ts'), header('eee', "['ddd', 'ccc']"));
    // not scripts
    await put(join(versions, 'db2', 'types.d.ts'), 'export declare const x: number;');
    await put(join(versions, 'db2', 'ddd.test.ts'), 'garbage (');
    await put(join(versions, 'db2', '.hidden.ts'), 'garbage (');
    await put(join(versions, 'db2', 'notes.md'), '# notes');
    await put(join(versions, 'db2', '.gitkeep'), '');
    await put(join(versions, 'db2', 'nested', 'fff.ts'), 'garbage (');
    await mkdir(join(versions, 'empty'));

    const dir = await ScriptDirectory.open(join(root, 'm'));
    const scripts = await dir.scripts();
    expect(scripts.map((s) => [s.branch, s.revision, s.downRevisions])).toEqual([
      ['db2', 'ccc', []],
      ['db2', 'ddd', ['ccc']],
      ['db2', 'eee', ['ddd', 'ccc']],
      ['default', 'aaa', []],
      ['default', 'bbb', ['aaa']],
    ]);
    expect(scripts[0]).toMatchObject({ path: join(versions, 'db2', 'ccc_root.js'), dependsOn: ['aaa'] });
    expect(scripts[3]).toMatchObject({ branchLabels: ['default'], message: '' });
    expect(scripts[4]?.message).toBe('next');
    expect(dir.branches()).toEqual(['db2', 'default', 'empty']);
  });

  it('reads many files (bounded concurrency) in a stable order', async () => {
    const versions = join(root, 'm', 'versions');
    await mkdir(join(versions, 'a'), { recursive: true });
    await mkdir(join(versions, 'b'), { recursive: true });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const id = `r${String(i).padStart(4, '0')}`;
      writes.push(writeFile(join(versions, i % 2 ? 'a' : 'b', `${id}_x.ts`), header(id, 'null')));
    }
    await Promise.all(writes);
    const scripts = await (await ScriptDirectory.open(join(root, 'm'))).scripts();
    expect(scripts).toHaveLength(300);
    expect(scripts.slice(0, 2).map((s) => s.revision)).toEqual(['r0001', 'r0003']);
    expect(scripts[150]?.revision).toBe('r0000');
  });

  it('passes a header error on with the absolute file and line', async () => {
    const path = join(root, 'm', 'versions', 'db2', 'bad.ts');
    await put(path, "export const revision = 'bad';\nexport const downRevision = 42;\n");
    const e = await (await ScriptDirectory.open(join(root, 'm'))).scripts().catch((error: unknown) => error);
    expect(e).toBeInstanceOf(ScriptError);
    expect((e as ScriptError).file).toBe(path);
    expect((e as ScriptError).message).toBe(`${path}:2: downRevision must be a string, null or an array of strings`);
  });

  it('skips a helper module that exports none of the six headers, with a warning', async () => {
    const versions = join(root, 'm', 'versions');
    await put(join(versions, 'default', 'aaa_init.ts'), header('aaa', 'null'));
    await put(join(versions, 'default', 'helpers.ts'), "// shared by the revisions\nexport const revisionTable = 'x';\nexport function fill() {}\nexport { fill as load };\n");
    await put(join(versions, 'default', 'seed-data.mjs'), 'export default [1, 2, 3];\n');
    const dir = await ScriptDirectory.open(join(root, 'm'));
    expect(dir.warnings).toEqual([]);
    const scripts = await dir.scripts();
    expect(scripts.map((s) => s.revision)).toEqual(['aaa']);
    expect(dir.warnings).toEqual([
      {
        code: 'NOT_A_REVISION',
        file: join(versions, 'default', 'helpers.ts'),
        message: `${join(versions, 'default', 'helpers.ts')} exports none of the revision headers (revision, downRevision, branchLabels, dependsOn, message, createDate), so it is not a revision: skipped. Move helper modules out of the versions folder.`,
      },
      expect.objectContaining({ code: 'NOT_A_REVISION', file: join(versions, 'default', 'seed-data.mjs') }),
    ]);
  });

  it.each([
    ['only some headers (no revision)', "export const message = 'half a header';\nexport const downRevision = null;\n", /revision/],
    ['one header only', "export const createDate = '2026-11-23T10:00:00Z';\n", /revision/],
    ['headers through export { }', "const revision = 'x1';\nconst downRevision = null;\nexport { revision, downRevision };\n", /must be declared as 'export const revision/],
  ])('a file with %s stays an error naming it', async (_name, source, why) => {
    const path = join(root, 'm', 'versions', 'default', 'partial.ts');
    await put(path, source);
    const e = await (await ScriptDirectory.open(join(root, 'm'))).scripts().catch((error: unknown) => error);
    expect(e).toBeInstanceOf(ScriptError);
    expect((e as ScriptError).file).toBe(path);
    expect((e as ScriptError).message).toMatch(why);
  });

  it("accepts a revision whose file name says another id, by its header, with a warning", async () => {
    const versions = join(root, 'm', 'versions');
    await put(join(versions, 'default', 'aaa_init.ts'), header('aaa', 'null'));
    await put(join(versions, 'default', 'bbb_next.ts'), header('ccc', "'aaa'"));
    await put(join(versions, 'default', 'my_rev_with_underscores.ts'), header('my_rev', "'ccc'"));
    await put(join(versions, 'default', 'ddd.mts'), header('ddd', "'my_rev'"));
    const dir = await ScriptDirectory.open(join(root, 'm'));
    expect((await dir.scripts()).map((s) => s.revision)).toEqual(['aaa', 'ccc', 'ddd', 'my_rev']);
    const file = join(versions, 'default', 'bbb_next.ts');
    expect(dir.warnings).toEqual([
      {
        code: 'FILE_NAME_MISMATCH',
        file,
        message: `${file} declares revision 'ccc', but its name says 'bbb'; rename it to ccc_next.ts (or fix its header) so that the file and the revision agree.`,
      },
    ]);
    // Each listing starts afresh.
    await rm(file);
    await put(join(versions, 'default', 'ccc_next.ts'), header('ccc', "'aaa'"));
    await dir.scripts();
    expect(dir.warnings).toEqual([]);
  });

  it('tells a file name that only starts like the id from one that starts with it', async () => {
    const folder = join(root, 'm', 'versions', 'default');
    await put(join(folder, 'abc.ts'), header('abc', 'null', "export const branchLabels = ['default'];\n"));
    await put(join(folder, 'abcd_x.ts'), header('abc2', "'abc'"));
    await put(join(folder, 'abc2.x.ts'), header('abc3', "'abc2'"));
    await put(join(folder, 'abc3_.mts'), header('abc3x', "'abc3'"));
    await put(join(folder, 'abc4.x.mjs'), header('abc4', "'abc3x'"));
    await put(join(folder, 'abc5extra_y.ts'), header('abc5', "'abc4'"));
    const dir = await ScriptDirectory.open(join(root, 'm'));
    await dir.scripts();
    expect(dir.warnings.map((w) => w.message.replace(`${folder}/`, ''))).toEqual([
      "abc2.x.ts declares revision 'abc3', but its name says 'abc2.x'; rename it to abc3.ts (or fix its header) so that the file and the revision agree.",
      "abc3_.mts declares revision 'abc3x', but its name says 'abc3'; rename it to abc3x_.mts (or fix its header) so that the file and the revision agree.",
      "abc4.x.mjs declares revision 'abc4', but its name says 'abc4.x'; rename it to abc4.mjs (or fix its header) so that the file and the revision agree.",
      "abc5extra_y.ts declares revision 'abc5', but its name says 'abc5extra'; rename it to abc5_y.ts (or fix its header) so that the file and the revision agree.",
      "abcd_x.ts declares revision 'abc2', but its name says 'abcd'; rename it to abc2_x.ts (or fix its header) so that the file and the revision agree.",
    ]);
  });

  it('refuses a script directly under versions/', async () => {
    await put(join(root, 'm', 'versions', 'abc_flat.ts'), header('abc', 'null'));
    await expect((await ScriptDirectory.open(join(root, 'm'))).scripts()).rejects.toThrow(/belong in versions\/<branch>\//);
  });
});

describe('ScriptDirectory.writeRevision', () => {
  async function repository(branches = ['default', 'db2']): Promise<ScriptDirectory> {
    await initRepository({ directory: join(root, 'migrations'), branches, multidb: true });
    return ScriptDirectory.open(join(root, 'migrations'));
  }

  it('renders the default template to the revision file of DESIGN §5', async () => {
    const dir = await repository();
    const path = await dir.writeRevision({
      branch: 'db2',
      revision: '3f2a9c1d7b40',
      downRevisions: ['1bc594146bb5'],
      branchLabels: [],
      dependsOn: [],
      message: 'add invoice currency',
      createDate: new Date('2026-11-23T10:04:00.123Z'),
      upgrades:
        "await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });\n" +
        "await op.db.updateTable('Invoice').set({ Currency: 'USD' }).execute();",
      downgrades: "await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', nullable: true } });",
    });
    expect(path).toBe(join(root, 'migrations', 'versions', 'db2', '3f2a9c1d7b40_add_invoice_currency.ts'));
    expect(await readFile(path, 'utf8')).toBe(`import type { Operations } from '@multidb/core';

export const revision = '3f2a9c1d7b40';
export const downRevision = '1bc594146bb5';
export const branchLabels = [];
export const dependsOn = [];
export const message = 'add invoice currency';
export const createDate = '2026-11-23T10:04:00Z';

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });
  await op.db.updateTable('Invoice').set({ Currency: 'USD' }).execute();
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', nullable: true } });
}
`);
  });

  it('writes a file that parses back to the same header and imports with working functions', async () => {
    const dir = await repository();
    const input = {
      branch: 'db2',
      revision: generateRevisionId(),
      downRevisions: ['aaa111', 'bbb222'],
      branchLabels: ['db2'],
      dependsOn: ['ccc333'],
      message: "it's a \"merge\"\n\\ ${not} `interpolated`",
      createDate: new Date('2026-01-02T03:04:05Z'),
      imports: "import { REVISION_ID_PATTERN } from '@multidb/core';",
      upgrades: "await op.execute('UPDATE t SET a = 1');\nif (REVISION_ID_PATTERN.test('old')) {\n  await op.dropTable('old');\n}",
      downgrades: "await op.execute('UPDATE t SET a = 0');",
    };
    const path = await dir.writeRevision(input);
    const source = await readFile(path, 'utf8');
    expect(source).toContain("import type { Operations } from '@multidb/core';\nimport { REVISION_ID_PATTERN } from '@multidb/core';\n\nexport const revision");
    expect(source).toContain("  if (REVISION_ID_PATTERN.test('old')) {\n    await op.dropTable('old');\n  }\n}");
    expect(parseRevisionHeader(source, path)).toEqual({
      revision: input.revision,
      downRevisions: ['aaa111', 'bbb222'],
      branchLabels: ['db2'],
      dependsOn: ['ccc333'],
      message: input.message,
      createDate: '2026-01-02T03:04:05Z',
    });

    const [script] = (await dir.scripts()).filter((s) => s.revision === input.revision);
    expect(script?.path).toBe(path);
    const mod = await loadRevisionModule(createModuleLoader({ alias: { '@multidb/core': CORE_INDEX } }), script!);
    const calls: unknown[][] = [];
    const op = {
      execute: async (statement: string) => void calls.push(['execute', statement]),
      dropTable: async (name: string) => void calls.push(['dropTable', name]),
    } as unknown as Operations;
    await mod.upgrade(op);
    await mod.downgrade(op);
    expect(calls).toEqual([
      ['execute', 'UPDATE t SET a = 1'],
      ['dropTable', 'old'],
      ['execute', 'UPDATE t SET a = 0'],
    ]);
    expect(mod.transaction).toBe(true);
  });

  it('renders empty upgrades and downgrades as bodies that do nothing, and a branch root as null', async () => {
    const dir = await repository();
    const path = await dir.writeRevision({
      branch: 'tenants',
      revision: 'root01',
      downRevisions: [],
      branchLabels: ['tenants'],
      dependsOn: [],
      message: '',
    });
    expect(path).toBe(join(root, 'migrations', 'versions', 'tenants', 'root01.ts'));
    const source = await readFile(path, 'utf8');
    expect(source).toContain('export const downRevision = null;');
    // `void op;` uses the parameter: the file compiles under noUnusedParameters, and the body is
    // filled in with `op` as it is named.
    expect(source).toContain('export async function upgrade(op: Operations): Promise<void> {\n  void op; // Nothing to do.\n}');
    expect(source).toContain('export async function downgrade(op: Operations): Promise<void> {\n  void op; // Nothing to do.\n}');
    expect(source).toMatch(/export const createDate = '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ';/);
    expect(dir.branches()).toEqual(['db2', 'default', 'tenants']);
    const [script] = await dir.scripts().then((all) => all.filter((s) => s.branch === 'tenants'));
    const mod = await loadRevisionModule(createModuleLoader({ alias: { '@multidb/core': CORE_INDEX } }), script!);
    await mod.upgrade({} as Operations);
    await mod.downgrade({} as Operations);
  });

  it("starts a body that does not use the function's parameter with `void <parameter>;`, and leaves one that does as it is", async () => {
    const dir = await repository();
    const path = await dir.writeRevision({
      branch: 'default',
      revision: 'unused01',
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      message: 'irreversible',
      upgrades: "// op.execute() runs SQL\nawait op.execute('DROP VIEW v');",
      downgrades: "throw new Error('Cannot downgrade automatically: op.execute() runs arbitrary SQL.');\n// Irreversible: op.execute().",
    });
    const source = await readFile(path, 'utf8');
    expect(source).toContain("export async function upgrade(op: Operations): Promise<void> {\n  // op.execute() runs SQL\n  await op.execute('DROP VIEW v');\n}");
    expect(source).toContain(
      "export async function downgrade(op: Operations): Promise<void> {\n  void op;\n  throw new Error('Cannot downgrade automatically: op.execute() runs arbitrary SQL.');\n  // Irreversible: op.execute().\n}",
    );
    // The parameter as the template names it; none (a template without one) adds nothing.
    await writeFile(dir.templatePath, (await readFile(dir.templatePath, 'utf8')).replace('upgrade(op:', 'upgrade(ops:').replace('downgrade(op: ${operationsType})', 'downgrade()'));
    const renamed = await readFile(await dir.writeRevision({ branch: 'default', revision: 'unused02', downRevisions: [], branchLabels: [], dependsOn: [], message: '' }), 'utf8');
    expect(renamed).toContain('upgrade(ops: Operations): Promise<void> {\n  void ops; // Nothing to do.\n}');
    expect(renamed).toContain('downgrade(): Promise<void> {\n  // Nothing to do.\n}');
  });

  it('names every revision file portably: a slug of ASCII letters and digits; an id that is a Windows device name gets a _', async () => {
    const dir = await repository();
    const write = (revision: string, message: string) => dir.writeRevision({ branch: 'default', revision, downRevisions: [], branchLabels: [], dependsOn: [], message });
    const name = async (revision: string, message: string) => (await write(revision, message)).slice(join(root, 'migrations', 'versions', 'default').length + 1);
    expect(await name('a1', `it's "q" \`t\` */ \${x} \\ é 日本 🎉\nCON: aux.txt`)).toBe('a1_it_s_q_t_x_con_aux_txt.ts');
    expect(await name('a2', '🎉 日本')).toBe('a2.ts');
    expect(await name('con', '')).toBe('con_.ts');
    expect(await name('NUL', '日本')).toBe('NUL_.ts');
    expect(await name('com1', 'x')).toBe('com1_x.ts');
    expect(await name('console', '')).toBe('console.ts');
    // Read back by their headers, without a file-name warning.
    expect((await dir.scripts()).map((s) => s.revision).sort()).toEqual(['NUL', 'a1', 'a2', 'com1', 'con', 'console']);
    expect(dir.warnings).toEqual([]);
  });

  it('refuses to overwrite, and refuses bad ids and branch names', async () => {
    const dir = await repository();
    const input = { branch: 'default', revision: 'abc', downRevisions: [], branchLabels: [], dependsOn: [], message: 'x' };
    await dir.writeRevision(input);
    await expect(dir.writeRevision(input)).rejects.toThrow(/already exists; it is not overwritten/);
    await expect(dir.writeRevision({ ...input, revision: 'bad-id' })).rejects.toThrow(RevisionError);
    await expect(dir.writeRevision({ ...input, revision: 'ok2', downRevisions: ['no way'] })).rejects.toThrow(/Invalid down revision/);
    await expect(dir.writeRevision({ ...input, revision: 'ok3', branch: '../escape' })).rejects.toThrow(/Invalid branch name/);
  });

  it('leaves unknown ${…} text of a custom template alone, and refuses a template whose header breaks', async () => {
    const dir = await repository();
    await writeFile(
      dir.templatePath,
      "export const revision = ${revision};\nexport const downRevision = ${downRevision};\n" +
        'export const note = `${keep}`;\nexport async function upgrade() {}\nexport async function downgrade() {}\n',
    );
    const path = await dir.writeRevision({ branch: 'default', revision: 'r1', downRevisions: ['r0'], branchLabels: [], dependsOn: [], message: 'm' });
    expect(await readFile(path, 'utf8')).toContain('export const note = `${keep}`;');

    await writeFile(dir.templatePath, 'export const revision = ${revision};\n');
    await expect(
      dir.writeRevision({ branch: 'default', revision: 'r2', downRevisions: [], branchLabels: [], dependsOn: [], message: 'm' }),
    ).rejects.toThrow(/renders an invalid revision header.*downRevision is missing/);
  });

  it("fills ${operationsType} with Operations<Db2> and imports the bind's types relative to the revision", async () => {
    const dir = await repository();
    const types = { file: join(root, 'src', 'db', 'db2-types.ts'), name: 'Db2' };
    const path = await dir.writeRevision({ branch: 'db2', revision: 'typed1', downRevisions: [], branchLabels: ['db2'], dependsOn: [], message: 'm', types });
    const source = await readFile(path, 'utf8');
    expect(source).toContain("import type { Operations } from '@multidb/core';\nimport type { DB as Db2 } from '../../../src/db/db2-types.js';\n\nexport const revision");
    expect(source).toContain('export async function upgrade(op: Operations<Db2>): Promise<void> {');
    expect(source).toContain('export async function downgrade(op: Operations<Db2>): Promise<void> {');
    // Without types the placeholder is plain Operations.
    const plain = await readFile(await dir.writeRevision({ branch: 'db2', revision: 'plain1', downRevisions: ['typed1'], branchLabels: [], dependsOn: [], message: 'm' }), 'utf8');
    expect(plain).toContain('export async function upgrade(op: Operations): Promise<void> {');
    expect(plain).not.toContain('import type { DB');
  });

  it('keeps an older template without ${operationsType} working: plain Operations, no types import', async () => {
    const dir = await repository();
    const template = await readFile(dir.templatePath, 'utf8');
    await writeFile(dir.templatePath, template.replaceAll('${operationsType}', 'Operations'));
    const types = { file: join(root, 'src', 'db', 'db2-types.ts'), name: 'Db2' };
    const source = await readFile(await dir.writeRevision({ branch: 'db2', revision: 'old1', downRevisions: [], branchLabels: ['db2'], dependsOn: [], message: 'm', types }), 'utf8');
    expect(source).toContain('export async function upgrade(op: Operations): Promise<void> {');
    expect(source).not.toContain('db2-types');
  });

  it('refuses when script.ts.tmpl is missing', async () => {
    await mkdir(join(root, 'bare', 'versions'), { recursive: true });
    const dir = await ScriptDirectory.open(join(root, 'bare'));
    await expect(
      dir.writeRevision({ branch: 'default', revision: 'r1', downRevisions: [], branchLabels: [], dependsOn: [], message: 'm' }),
    ).rejects.toThrow(ConfigError);
  });
});

describe('helpers', () => {
  it('generateRevisionId: 12 hex characters, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, generateRevisionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('slugify: lower case, runs of non-alphanumerics to one _, at most 40 characters', () => {
    expect(slugify('Add invoice currency')).toBe('add_invoice_currency');
    expect(slugify('  Add: "Invoice".Currency!! ')).toBe('add_invoice_currency');
    expect(slugify('Créer la table')).toBe('cr_er_la_table');
    expect(slugify('!!!')).toBe('');
    const long = slugify('a very long message that goes on and on beyond forty characters');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toBe('a_very_long_message_that_goes_on_and_on');
  });

  it('renderStringLiteral escapes what a single-quoted literal needs', () => {
    expect(renderStringLiteral("it's")).toBe("'it\\'s'");
    expect(renderStringLiteral('a\\b\nc\td\u0001\u2028')).toBe("'a\\\\b\\nc\\td\\x01\\u2028'");
  });
});
