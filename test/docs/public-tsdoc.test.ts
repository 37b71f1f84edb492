// Every export of the packages' public entry points has TSDoc (STYLE.md point 10, the core-layers
// issue): each exported symbol, each member of an exported interface or class (inherited ones
// included, as long as they are declared in this repository), and the members of the namespaces an
// entry re-exports (`commands`). Each exported function and class, and each method of the `op`
// facade (`Operations`, `BatchOperations`), also has an `@example` (the examples test type-checks
// them). A symbol or member tagged `@internal` is skipped. The entry points are those each
// package's `package.json` publishes under `exports`, read from their sources.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The public entry points: every subpath of every package's `exports` (`@multidb/core`,
 * `@multidb/dialect/sqlite`, `@multidb/tui/screens`…), mapped from its built file to its source
 * (`./dist/sqlite/index.js` → `src/sqlite/index.ts`; a bundled package's `./dist/bundle/sqlite/index.js`
 * the same).
 */
function publicEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const file = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name: string; exports?: Record<string, { import?: string; default?: string }> };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      // The ES module build (`import`, or `default` where `require` loads it too: Node 20.19+).
      const built = target.import ?? target.default;
      if (!built) continue;
      const source = built.replace(/^\.\/dist\/(bundle\/)?/, 'src/').replace(/\.js$/, '');
      const candidates = [`${source}.ts`, `${source}.tsx`].map((f) => join('packages', dir, f));
      const found = candidates.find((f) => existsSync(join(ROOT, f)));
      if (!found) throw new Error(`${manifest.name}: no source for the entry point ${subpath} (${built})`);
      entries[subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`] = found;
    }
  }
  return entries;
}

const ENTRIES = publicEntries();

/** Classes whose every public method needs an `@example` (the `op` facade). */
const EXAMPLE_METHODS_OF = new Set(['Operations', 'BatchOperations']);

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules', '@types')],
  baseUrl: ROOT,
  paths: Object.fromEntries(Object.entries(ENTRIES).map(([spec, path]) => [spec, [path]])),
};

/** The node a TSDoc comment of `decl` is attached to (a variable's comment sits on its statement). */
function docHost(decl: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)) return decl.parent.parent;
  return decl;
}

/** The `/** … *\/` comments of a declaration (line comments do not count). */
function jsDocs(decl: ts.Declaration): readonly ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(docHost(decl)).filter((d): d is ts.JSDoc => ts.isJSDoc(d));
}

function hasDoc(decl: ts.Declaration): boolean {
  return jsDocs(decl).some((d) => d.comment !== undefined || (d.tags?.length ?? 0) > 0);
}

function hasTag(decl: ts.Declaration, tag: string): boolean {
  return jsDocs(decl).some((d) => d.tags?.some((t) => t.tagName.text === tag) ?? false);
}

/** Declared in this repository's sources (not in `node_modules`, not a built `.d.ts`). */
function isOwn(decl: ts.Declaration): boolean {
  const file = decl.getSourceFile().fileName;
  return file.startsWith(join(ROOT, 'packages')) && !file.includes('node_modules') && !file.endsWith('.d.ts');
}

function where(decl: ts.Declaration): string {
  const source = decl.getSourceFile();
  const { line } = source.getLineAndCharacterOfPosition(decl.getStart());
  return `${relative(ROOT, source.fileName)}:${line + 1}`;
}

function isPrivate(decl: ts.Declaration): boolean {
  const name = ts.getNameOfDeclaration(decl);
  if (name && ts.isPrivateIdentifier(name)) return true;
  const flags = ts.getCombinedModifierFlags(decl);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/** A function or class value: it needs an `@example`. */
function needsExample(decl: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) return true;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = decl.initializer;
    return ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init);
  }
  return false;
}

interface Findings {
  readonly undocumented: string[];
  readonly withoutExample: string[];
}

function check(): Findings {
  const program = ts.createProgram({ rootNames: Object.values(ENTRIES).map((p) => join(ROOT, p)), options: OPTIONS });
  const checker = program.getTypeChecker();
  const undocumented = new Set<string>();
  const withoutExample = new Set<string>();
  const seen = new Set<ts.Symbol>();

  const checkMembers = (owner: string, decl: ts.InterfaceDeclaration | ts.ClassDeclaration, symbol: ts.Symbol): void => {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const statics = ts.isClassDeclaration(decl) ? checker.getPropertiesOfType(checker.getTypeOfSymbol(symbol)).filter((p) => p.name !== 'prototype') : [];
    for (const member of [...checker.getPropertiesOfType(type), ...statics]) {
      const decls = (member.declarations ?? []).filter(isOwn);
      if (decls.length === 0 || decls.some(isPrivate)) continue;
      if (decls.some((d) => hasTag(d, 'internal'))) continue;
      // A method with overloads, or a getter with a setter: one comment is enough.
      if (!decls.some(hasDoc)) undocumented.add(`${where(decls[0]!)} ${owner}.${member.name}`);
      else if (EXAMPLE_METHODS_OF.has(owner) && decls.some((d) => ts.isMethodDeclaration(d)) && !decls.some((d) => hasTag(d, 'example'))) {
        withoutExample.add(`${where(decls[0]!)} ${owner}.${member.name}`);
      }
    }
  };

  const visitModule = (moduleSymbol: ts.Symbol, prefix: string): void => {
    for (let exported of checker.getExportsOfModule(moduleSymbol)) {
      const name = `${prefix}${exported.name}`;
      if (exported.flags & ts.SymbolFlags.Alias) exported = checker.getAliasedSymbol(exported);
      if (seen.has(exported)) continue;
      seen.add(exported);
      const decls = (exported.declarations ?? []).filter(isOwn);
      if (decls.length === 0) continue;
      // `export * as commands from './commands/index.js'`: the namespace's members are public too.
      if (decls.some((d) => ts.isSourceFile(d))) {
        visitModule(exported, `${name}.`);
        continue;
      }
      if (decls.some((d) => hasTag(d, 'internal'))) continue;
      if (!decls.some(hasDoc)) undocumented.add(`${where(decls[0]!)} ${name}`);
      else if (decls.some(needsExample) && !decls.some((d) => hasTag(d, 'example'))) withoutExample.add(`${where(decls[0]!)} ${name}`);
      for (const decl of decls) {
        if (ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl)) checkMembers(exported.name, decl, exported);
      }
    }
  };

  for (const path of Object.values(ENTRIES)) {
    const source = program.getSourceFile(join(ROOT, path));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`cannot read the entry point ${path}`);
    visitModule(symbol, '');
  }
  return { undocumented: [...undocumented].sort(), withoutExample: [...withoutExample].sort() };
}

describe('TSDoc of the public API', () => {
  let findings: Findings;

  beforeAll(() => {
    findings = check();
  }, 120_000);

  it('reads every public entry point', () => {
    expect(Object.keys(ENTRIES)).toEqual(expect.arrayContaining(['@multidb/core', '@multidb/dialect', '@multidb/autogenerate', '@multidb/tui', '@multidb/cli']));
  });

  it('every export, and every member of an exported interface or class, has a TSDoc comment', () => {
    expect(findings.undocumented).toEqual([]);
  });

  it('every exported function and class, and every method of the op facade, has an @example', () => {
    expect(findings.withoutExample).toEqual([]);
  });
});
