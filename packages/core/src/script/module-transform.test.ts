import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleLoader } from './module-loader.js';
import { sucraseVersion, transformModule } from './module-transform.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-transform-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(files: Record<string, string>, main: string): Promise<Record<string, unknown>> {
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
  return createModuleLoader({ fsCache: false }).import<Record<string, unknown>>(join(dir, main));
}

describe('transformModule (sucrase, Babel as the fallback)', () => {
  it('strips types and keeps every line where it was', () => {
    const source = "import type { X } from './x';\ninterface A { a: number }\n\nexport const a: A = { a: 1 };\nexport function f(x: X): X {\n  return x;\n}\n";
    const { code } = transformModule({ source, filename: join('/p', 'a.ts'), ts: true, async: true });
    expect(code.split('\n')).toHaveLength(source.split('\n').length);
    expect(code).not.toContain('interface');
    expect(code.split('\n')[3]).toContain('exports.a = a');
  });

  it('turns each import into an awaited jiti import on its own line', () => {
    const source = "import { a } from 'x';\nimport b from \"y\";\nexport const c = a + b;\n";
    const { code } = transformModule({ source, filename: '/p/c.ts', ts: true, async: true });
    expect(code.split('\n')[0]).toContain("await jitiImport('x')");
    expect(code.split('\n')[1]).toMatch(/await jitiImport\(['"]y['"]\)/);
    expect(code).not.toMatch(/(?<![\w$.])require\(/);
  });

  it('imports defaults, names and namespaces of native ES modules, builtins and TypeScript files', async () => {
    const mod = await load(
      {
        'helper.ts': "export default 42;\nexport const n: number = 1;\n",
        'native.mjs': "export default 'native default';\nexport const named = 'native named';\n",
        'main.ts':
          "import path, { join } from 'node:path';\nimport * as fs from 'node:fs';\nimport h, { n } from './helper.ts';\n" +
          "import nd, { named } from './native.mjs';\nimport * as helper from './helper.ts';\n" +
          'export const result = [path.join === join, typeof fs.readFileSync, h, n, nd, named, helper.default, helper.n];\n',
      },
      'main.ts',
    );
    expect(mod['result']).toEqual([true, 'function', 42, 1, 'native default', 'native named', 42, 1]);
  });

  it('leaves to Babel a module of its own require( or import( — even inside a string', async () => {
    const mod = await load(
      { 'strings.ts': "export const sql: string = \"SELECT 'require(x)'\";\nexport const lazy = () => import('node:path');\n" },
      'strings.ts',
    );
    expect(mod['sql']).toBe("SELECT 'require(x)'");
    expect(typeof ((await (mod['lazy'] as () => Promise<{ join?: unknown }>)()).join)).toBe('function');
  });
});

describe('sucraseVersion', () => {
  it("is the installed package's when core runs from its sources (no bundled sucrase beside them)", () => {
    const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('sucrase/package.json'), 'utf8')) as { version: string };
    expect(sucraseVersion()).toBe(installed.version);
  });
});
