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

/**
 * The compiler host of every call: a file whose text is what an earlier call parsed is not parsed
 * again (core's source, Node's types). An `oldProgram` would not do it: TypeScript reuses one only
 * for the same root files.
 */
const host = ts.createCompilerHost(OPTIONS);
const parse = host.getSourceFile.bind(host);
const parsed = new Map<string, ts.SourceFile>();
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  const known = parsed.get(fileName);
  if (known && host.readFile(fileName) === known.text) return known;
  const source = parse(fileName, languageVersion, onError, shouldCreate);
  if (source) parsed.set(fileName, source);
  return source;
};

/**
 * Type-checks TypeScript files with the compiler API, `@multidb/core` resolved to core's source
 * (never a stale build), strict as the project compiles.
 *
 * @param options - compiler options on top (`{ noUnusedParameters: true }`: a user's stricter tsconfig).
 * @returns the diagnostics of those files, formatted `file:line: message`; `[]` when they check.
 */
export function typecheckFiles(files: readonly string[], options: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram({ rootNames: files, options: { ...OPTIONS, ...options }, host });
  return files.flatMap((file) => {
    const source = program.getSourceFile(file);
    if (!source) return [`${file}: not found`];
    return ts.getPreEmitDiagnostics(program, source).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : file;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
}
