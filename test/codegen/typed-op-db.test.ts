// Typed `op.db`: a revision taking `Operations<Db2>` (the Chinook example's generated types,
// migrations/types/db2.ts) compiles with correct column names and fails to compile on a misspelled
// one. The fixtures are compiled with the TypeScript compiler against the built @multidb/core.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
  skipLibCheck: true,
};

/** The errors of each fixture, as `line: message` (1-based lines). */
function compile(names: readonly string[]): Map<string, string[]> {
  const files = names.map((n) => join(FIXTURES, n));
  const program = ts.createProgram({ rootNames: files, options: OPTIONS });
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file ? names[files.indexOf(d.file.fileName)] : undefined;
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const text = `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    if (name === undefined) throw new Error(`unexpected diagnostic outside the fixtures: ${text}`);
    out.get(name)!.push(text);
  }
  return out;
}

describe('Operations<DB>: op.db queries are checked against the bind\'s generated types', () => {
  it('a correct revision compiles; each misspelled column in a typed one fails, on its line', () => {
    const errors = compile(['typed-revision.ts', 'misspelled-column.ts']);
    expect(errors.get('typed-revision.ts')).toEqual([]);

    const source = readFileSync(join(FIXTURES, 'misspelled-column.ts'), 'utf8').split('\n');
    const marked = source.flatMap((line, i) => (/\/\/ error: /.test(line) ? [i + 1] : []));
    expect(marked).toHaveLength(2);
    const found = errors.get('misspelled-column.ts')!;
    expect(found.map((e) => Number(e.split(':')[0]))).toEqual(marked);
    expect(found[0]).toMatch(/Curency/);
    expect(found[1]).toMatch(/Emial/);
  });
});
