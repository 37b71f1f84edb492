import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const CORE_SOURCE = resolve(ROOT, 'packages', 'core', 'src', 'index.ts');

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ['node'],
  typeRoots: [resolve(ROOT, 'node_modules', '@types')],
  skipLibCheck: true,
  paths: { '@multidb/core': [CORE_SOURCE] },
};

let previous: ts.Program | undefined;

/**
 * Type-checks TypeScript files with the compiler API, `@multidb/core` resolved to core's source
 * (never a stale build), strict as the project compiles. The previous call's program is reused
 * for the files that did not change (core's source, Node's types).
 *
 * @returns the diagnostics of those files, formatted `file:line: message`; `[]` when they check.
 */
export function typecheckFiles(files: readonly string[]): string[] {
  const program = ts.createProgram({ rootNames: files, options: OPTIONS, ...(previous ? { oldProgram: previous } : {}) });
  previous = program;
  return files.flatMap((file) => {
    const source = program.getSourceFile(file);
    if (!source) return [`${file}: not found`];
    return ts.getPreEmitDiagnostics(program, source).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : file;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
}
