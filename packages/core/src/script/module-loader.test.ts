import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScriptError } from '../errors.js';
import { compileEagerly } from './eager-compile.js';
import { parseRevisionHeader } from './header-parser.js';
import { createModuleLoader, loadRevisionModule } from './module-loader.js';
import type { Operations } from '../operations/operations.js';
import type { RevisionScript } from './revision-script.js';

// compileEagerly as it is, counted: which modules a loader compiles eagerly.
vi.mock('./eager-compile.js', async (original) => {
  const real = await original<typeof import('./eager-compile.js')>();
  return { compileEagerly: vi.fn(real.compileEagerly) };
});

const CORE_INDEX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'index.ts');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-loader-'));
});
afterAll(async () => {
  // Retried: a TransformCache of a test may still flush into the folder (its 200 ms timer) while it is removed (ENOTEMPTY).
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

/** Writes a file into the temp folder and returns its script (header read statically). */
async function script(name: string, source: string): Promise<RevisionScript> {
  const path = join(dir, name);
  await writeFile(path, source);
  return { ...parseRevisionHeader(source, path), branch: 'default', path };
}

async function rejection(promise: Promise<unknown>): Promise<ScriptError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  throw new Error('expected a ScriptError');
}

/** A stand-in for `Operations` that records calls; not a database. */
function recordingOps(): { op: Operations; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const op = new Proxy(
    {},
    {
      get: (_t, name) => (...args: unknown[]) => {
        calls.push([name, ...args]);
        return Promise.resolve();
      },
    },
  ) as unknown as Operations;
  return { op, calls };
}

const HEADER = (id: string) => `export const revision = '${id}';\nexport const downRevision = null;\n`;

describe('createModuleLoader', () => {
  it('imports TypeScript with named exports and ESM default semantics', async () => {
    const path = join(dir, 'plain.ts');
    await writeFile(path, "type N = number;\nexport const n: N = 1;\nexport default { n: 2 };\n");
    const mod = await createModuleLoader().import<{ n: number; default: { n: number } }>(path);
    expect(mod.n).toBe(1);
    expect(mod.default.n).toBe(2);
  });

  it("resolves '@multidb/core' through the alias", async () => {
    const path = join(dir, 'migrate.config.ts');
    await writeFile(
      path,
      "import { defineConfig, REVISION_ID_PATTERN } from '@multidb/core';\n" +
        "export default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' } } });\n" +
        "export const ok = REVISION_ID_PATTERN.test('abc');\n",
    );
    const loader = createModuleLoader({ alias: { '@multidb/core': CORE_INDEX } });
    const mod = await loader.import<{ default: { binds: Record<string, { url: string }> }; ok: boolean }>(path);
    expect(mod.default.binds['default']?.url).toBe('sqlite:.data/default.db');
    expect(mod.ok).toBe(true);
  });

  it("gives a module of `modules` as it is, before `alias`, and only for its exact specifier", async () => {
    const given = { defineConfig: (config: unknown) => ({ given: config }), version: 'given' };
    const path = join(dir, 'given.config.ts');
    await writeFile(
      path,
      "import { defineConfig, version } from '@multidb/core';\n" +
        "import * as core from '@multidb/core';\n" +
        "export default defineConfig({ n: 1 });\n" +
        'export const seen = version;\n' +
        'export const same = core.defineConfig === defineConfig;\n',
    );
    // The alias points at a file that does not exist: the given module must win without a lookup.
    const loader = createModuleLoader({ alias: { '@multidb/core': join(dir, 'missing-core.js') }, modules: { '@multidb/core': given } });
    const mod = await loader.import<{ default: unknown; seen: string; same: boolean }>(path);
    expect(mod.default).toEqual({ given: { n: 1 } });
    expect(mod.seen).toBe('given');
    expect(mod.same).toBe(true);

    const sub = join(dir, 'given-sub.ts');
    await writeFile(sub, "import { x } from '@multidb/core/sub';\nexport const y = x;\n");
    const e = await rejection(createModuleLoader({ modules: { '@multidb/core': given } }).import(sub));
    expect(e.message).toContain("Cannot find module '@multidb/core/sub'");
  });

  it('reports a syntax error as a ScriptError with file and line', async () => {
    const path = join(dir, 'broken.ts');
    await writeFile(path, "export const revision = 'a';\n\nexport function upgrade() {\n  const x = ;\n}\n");
    const e = await rejection(createModuleLoader().import(path));
    expect(e.file).toBe(path);
    expect(e.line).toBe(4);
    expect(e.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: syntax error`));
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('reports a throw at import with the file, line and cause', async () => {
    const path = join(dir, 'throws.ts');
    await writeFile(path, "type T = string;\nconst x: T = 'a';\nthrow new Error('boom at import');\n");
    const e = await rejection(createModuleLoader().import(path));
    expect(e.file).toBe(path);
    expect(e.line).toBe(3);
    expect(e.message).toContain('boom at import');
    expect((e.cause as Error).message).toBe('boom at import');
  });

  it('reports a missing dependency of the module on one line', async () => {
    const path = join(dir, 'needs.ts');
    await writeFile(path, "export const a = 1;\nimport { x } from 'no-such-package-anywhere';\nexport const b = x;\n");
    const e = await rejection(createModuleLoader().import(path));
    expect(e.message).toBe(`${path}:2: failed to import: Cannot find module 'no-such-package-anywhere'`);
  });

  it('reports a missing file', async () => {
    const path = join(dir, 'nope.ts');
    const e = await rejection(createModuleLoader().import(path));
    expect(e.message).toBe(`${path}: file not found`);
  });
});

describe('loadRevisionModule', () => {
  const loader = createModuleLoader({ alias: { '@multidb/core': CORE_INDEX } });

  it('loads upgrade and downgrade, transaction defaults to true', async () => {
    const s = await script(
      'a1_ok.ts',
      `import type { Operations } from '@multidb/core';
${HEADER('a1')}
export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)' });
}
export function downgrade(op: Operations): void {
  void op.dropColumn('Invoice', 'Currency');
}
`,
    );
    const mod = await loadRevisionModule(loader, s);
    expect(mod.transaction).toBe(true);
    expect(mod.script).toBe(s);
    const { op, calls } = recordingOps();
    await mod.upgrade(op);
    await mod.downgrade(op);
    expect(calls).toEqual([
      ['addColumn', 'Invoice', { name: 'Currency', type: 'varchar(3)' }],
      ['dropColumn', 'Invoice', 'Currency'],
    ]);
  });

  it('compiles a revision eagerly when asked to, and not the modules it imports', async () => {
    await writeFile(join(dir, 'eager_helper.ts'), 'export const columnType = (): string => "varchar(3)";\n');
    const s = await script(
      'e1_eager.ts',
      `import { columnType } from './eager_helper';
${HEADER('e1')}
export async function upgrade(op: any): Promise<void> {
  await op.addColumn('Invoice', { name: 'Currency', type: columnType() });
}
export async function downgrade(op: any): Promise<void> {
  await op.dropColumn('Invoice', 'Currency');
}
`,
    );
    const lazy = await script('e2_lazy.ts', `${HEADER('e2')}export async function upgrade(): Promise<void> {}\nexport async function downgrade(): Promise<void> {}\n`);
    const eagerly = vi.mocked(compileEagerly);
    eagerly.mockClear();
    const fresh = createModuleLoader({ fsCache: false });
    await loadRevisionModule(fresh, lazy);
    expect(eagerly).not.toHaveBeenCalled();
    const mod = await loadRevisionModule(fresh, s, { eager: true });
    expect(eagerly).toHaveBeenCalledTimes(1); // the revision, not its helper
    const { op, calls } = recordingOps();
    await mod.upgrade(op);
    expect(calls).toEqual([['addColumn', 'Invoice', { name: 'Currency', type: 'varchar(3)' }]]);
  });

  it('reads transaction = false', async () => {
    const s = await script(
      'a2_notx.ts',
      `${HEADER('a2')}export const transaction = false;\nexport async function upgrade() {}\nexport async function downgrade() {}\n`,
    );
    expect((await loadRevisionModule(loader, s)).transaction).toBe(false);
  });

  it('rejects a non-boolean transaction', async () => {
    const s = await script(
      'a3_badtx.ts',
      `${HEADER('a3')}export const transaction = 'no';\nexport async function upgrade() {}\nexport async function downgrade() {}\n`,
    );
    const e = await rejection(loadRevisionModule(loader, s));
    expect(e.message).toContain("'transaction' must be exported as a boolean");
  });

  it('rejects a missing or non-function upgrade/downgrade, naming the file', async () => {
    const missing = await script('a4_missing.ts', `${HEADER('a4')}export async function upgrade() {}\n`);
    const e = await rejection(loadRevisionModule(loader, missing));
    expect(e.file).toBe(missing.path);
    expect(e.message).toBe(
      `${missing.path}: missing 'downgrade' export: expected 'export async function downgrade(op: Operations): Promise<void>'`,
    );
    const notFn = await script('a5_notfn.ts', `${HEADER('a5')}export const upgrade = 1;\nexport async function downgrade() {}\n`);
    expect((await rejection(loadRevisionModule(loader, notFn))).message).toContain("invalid 'upgrade' export");
    const onlyDefault = await script(
      'a6_default.ts',
      `${HEADER('a6')}export default { upgrade() {}, downgrade() {} };\n`,
    );
    expect((await rejection(loadRevisionModule(loader, onlyDefault))).message).toContain("missing 'upgrade' export");
  });

  it('rejects a module whose revision export differs from its header', async () => {
    const s = await script(
      'a7_mismatch.ts',
      `${HEADER('a7')}export async function upgrade() {}\nexport async function downgrade() {}\n`,
    );
    const e = await rejection(loadRevisionModule(loader, { ...s, revision: 'other' }));
    expect(e.file).toBe(s.path);
    expect(e.message).toContain(`exports revision "a7" but its header reads 'other'`);
  });

  it('passes on a syntax error as a ScriptError', async () => {
    const path = join(dir, 'a8_syntax.ts');
    await writeFile(path, `${HEADER('a8')}export async function upgrade() { const = 1; }\n`);
    const s: RevisionScript = { ...parseRevisionHeader(`${HEADER('a8')}`, path), branch: 'default', path };
    const e = await rejection(loadRevisionModule(loader, s));
    expect(e.file).toBe(path);
    expect(e.line).toBe(3);
  });
});
