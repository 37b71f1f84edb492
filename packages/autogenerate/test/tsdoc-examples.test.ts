import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import * as autogenerate from '../src/index.js';
import { typecheckFiles } from './support/typecheck-revision.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** The ```ts blocks of the TSDoc comments in a source file. */
function examples(source: string): string[] {
  const blocks: string[] = [];
  for (const match of source.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\/|@example\s*\n((?:\s*\*.*\n)+)/g)) {
    const text = (match[1] ?? match[2] ?? '').split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    for (const code of text.matchAll(/```ts\n([\s\S]*?)```/g)) blocks.push(code[1]!);
  }
  return blocks;
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("every @example of the package's exports compiles", async () => {
  const files = (await readdir(join(SRC, 'render'))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const blocks = (await Promise.all(files.map(async (f) => examples(await readFile(join(SRC, 'render', f), 'utf8'))))).flat();
  expect(blocks.length).toBeGreaterThanOrEqual(10);
  dir = await mkdtemp(join(tmpdir(), 'multidb-examples-'));
  const names = Object.keys(autogenerate).filter((n) => n !== 'default');
  const paths = await Promise.all(
    blocks.map(async (code, i) => {
      const path = join(dir!, `example-${i}.ts`);
      // An example's own imports go to the top; the rest becomes the body of a function.
      const lines = code.split('\n');
      const own = lines.filter((l) => l.startsWith('import '));
      const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
      const imports = own.length > 0 ? own.join('\n') + '\n' : "import { enumType, parseColumnType } from '@multidb/core';\n";
      await writeFile(path, `${imports}import { ${names.join(', ')} } from '${join(SRC, 'index.js')}';\nexport async function example(): Promise<void> {\n${body}}\n`);
      return path;
    }),
  );
  expect(typecheckFiles(paths)).toEqual([]);
});
