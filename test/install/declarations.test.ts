// The packages' shipped declarations, as an app's `tsc` sees them. An app that compiles with
// `skipLibCheck: false` reads every `.d.ts` its imports reach, so a declaration that imports a
// module the app need not have (an optional driver's types, or a dependency's broken ones) fails
// its build. Checked on the built `dist/` of each package (what `npm pack` ships).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PACKAGES = ['core', 'dialect', 'autogenerate', 'tui', 'cli'];

interface Manifest {
  readonly name: string;
  readonly exports: Record<string, { readonly types: string }>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>;
}

function manifest(pkg: string): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as Manifest;
}

function declarations(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) declarations(path, out);
    else if (name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** `kysely/helpers/postgres` → `kysely`, `@multidb/core` → `@multidb/core`; `undefined` for a relative path. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe("the packages' declarations, as an app compiles them", () => {
  it.each(PACKAGES)('@multidb/%s: every module its .d.ts files import is a dependency, a required peer or a Node built-in', (pkg) => {
    const m = manifest(pkg);
    const allowed = new Set([
      m.name,
      ...Object.keys(m.dependencies ?? {}),
      ...Object.keys(m.peerDependencies ?? {}).filter((p) => !m.peerDependenciesMeta?.[p]?.optional),
    ]);
    const wrong: string[] = [];
    for (const file of declarations(join(ROOT, 'packages', pkg, 'dist'))) {
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        const name = packageOf(fileName);
        if (name === undefined || fileName.startsWith('node:') || builtinModules.includes(fileName) || allowed.has(name)) continue;
        wrong.push(`${file.slice(ROOT.length + 1)} imports '${fileName}'`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // A dependency without declarations of its own (react) is typed by its @types package, which an
  // app compiled with skipLibCheck: false needs too: the package declares it (as an optional peer,
  // as Ink does for @types/react), so the app's npm and the README say what to install.
  it.each(PACKAGES)('@multidb/%s: every @types package its .d.ts files resolve to is a dependency or a peer', (pkg) => {
    const m = manifest(pkg);
    const declared = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
    const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const missing = new Set<string>();
    for (const file of declarations(join(ROOT, 'packages', pkg, 'dist'))) {
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (packageOf(fileName) === undefined || fileName.startsWith('node:') || builtinModules.includes(fileName)) continue;
        const resolved = ts.resolveModuleName(fileName, file, options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule?.resolvedFileName;
        const typesPackage = resolved === undefined ? undefined : /[\\/]node_modules[\\/](@types[\\/][^\\/]+)[\\/]/.exec(resolved)?.[1]?.replace('\\', '/');
        if (typesPackage !== undefined && !declared.has(typesPackage)) missing.add(`${typesPackage} (for '${fileName}')`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('an app importing every entry point type-checks with skipLibCheck: false', { timeout: 180_000 }, () => {
    expect(typeCheckApp(ENTRY_POINTS.map((e, i) => `import * as m${i} from '${e}';\nexport { m${i} };\n`).join(''))).toEqual([]);
  });

  // An app names the types of what the packages hand it (a caught error's fields, a command's
  // result, an option's callback) to write a helper or annotate a variable: each such type must be
  // exported from an entry point, or the app can only spell it as `Foo['bar'][number]`
  // (RenameDecisionRequiredError.byBind's element type was not). Types tagged @internal are left out.
  // Every entry point of every package, subpaths too: MysqlConnectionOptions.session (of
  // `@multidb/dialect/mysql`) was typed by a MysqlSession that no entry exported.
  it('every type the exports of every entry point name (fields, parameters, results, members, bases) is exported from an entry point', { timeout: 180_000 }, () => {
    expect(unexportedTypes(ENTRY_POINTS)).toEqual([]);
  });

  // The types the walk above found unexported, by name from the entries whose signatures name them
  // (a MySQL or PostgreSQL connection's `session`, its `abandon` callback, an op's table, a new
  // revision's types, `migrate show --json`'s revisions, a TUI run failure's groups of tenants
  // stopped before their first step), and the classes among them as values,
  // as the installed bundles give them.
  it('the sessions of @multidb/dialect/mysql and /postgres, and the other types the walk found, import by name', { timeout: 180_000 }, async () => {
    const app = [
      "import { KillQueryUnverifiedError, MysqlSession, type MysqlConnectionOptions, type MysqlRunResult, type MysqlSessionConnection } from '@multidb/dialect/mysql';",
      "import { PipelineAbortedError, PostgresSession, type PostgresConnectionOptions, type PostgresQueryClass, type PostgresSessionClient, type PostgresSessionIdentity } from '@multidb/dialect/postgres';",
      "import type { AddColumnOp, RevisionInput, RevisionTypes, TableRef } from '@multidb/core';",
      "import type { ShowJson, ShowRevisionJson } from '@multidb/cli';",
      "import type { RunFailure, StoppedPart } from '@multidb/tui';",
      'export const mysqlSession = (options: MysqlConnectionOptions): MysqlSession | undefined => options.session;',
      'export const rows = (result: MysqlRunResult): readonly Record<string, unknown>[] => result.rows;',
      'export const openMysql = (raw: MysqlSessionConnection): MysqlSession => new MysqlSession(raw);',
      'export const postgresSession = (options: PostgresConnectionOptions): PostgresSession | undefined => options.session;',
      'export const openPostgres = (client: PostgresSessionClient, query: PostgresQueryClass): PostgresSession => new PostgresSession(client, async () => {}, query);',
      'export const pid = (identity: PostgresSessionIdentity): number => identity.pid;',
      'export const where = (ref: TableRef): string => (ref.schema === undefined ? ref.table : `${ref.schema}.${ref.table}`);',
      'export const table = (op: AddColumnOp): TableRef => op;',
      'export const types = (input: RevisionInput): RevisionTypes | undefined => input.types;',
      'export const first = (json: ShowJson): ShowRevisionJson | undefined => json.revisions[0];',
      'export const stopped = (failure: RunFailure): readonly StoppedPart[] => failure.stopped ?? [];',
      'export const errors = [KillQueryUnverifiedError, PipelineAbortedError];',
      '',
    ].join('\n');
    expect(typeCheckApp(app)).toEqual([]);
    const mysql = (await import('@multidb/dialect/mysql')) as Record<string, unknown>;
    const postgres = (await import('@multidb/dialect/postgres')) as Record<string, unknown>;
    expect([mysql['MysqlSession'], mysql['KillQueryUnverifiedError'], postgres['PostgresSession'], postgres['PipelineAbortedError']].map((v) => typeof v)).toEqual(['function', 'function', 'function', 'function']);
  });

  // The README's configs read URLs from the environment (`url: process.env.DB2_URL`, unset in a CI
  // job without database secrets: refused only by the commands that need the bind). Under
  // `exactOptionalPropertyTypes` (@tsconfig/strictest) an optional property typed `string` takes
  // no `string | undefined`, so such a config would not compile in a strict app.
  it('a config reading its URLs and schemas from process.env type-checks with exactOptionalPropertyTypes', { timeout: 180_000 }, () => {
    const config = [
      "import { defineConfig } from '@multidb/core';",
      "import { sql } from '@multidb/dialect/kysely';",
      'export default defineConfig({',
      '  binds: {',
      "    default: { url: 'sqlite:.data/default.db' },",
      "    db2: { url: process.env.DB2_URL, schema: process.env.DB2_SCHEMA, versionTableSchema: process.env.DB2_VERSION_SCHEMA, onConnect: (db) => sql`SET lock_timeout = '5s'`.execute(db).then(() => {}) },",
      '  },',
      '});',
      '',
    ].join('\n');
    expect(typeCheckApp(config, { exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true })).toEqual([]);
  });

  // `@multidb/dialect/kysely` is typed by the app's own kysely (a peer, `^0.28.18`) but runs the
  // copy the package bundles. An app with a newer kysely (0.28.20 added AbortedTransactionError)
  // must not see a value the bundle lacks as a value: it would pass tsc, then fail at load
  // ("does not provide an export named …"). Simulated by the repository's kysely types plus a class
  // and a helper no kysely has, as the app's `kysely` (`paths`, which the packages' .d.ts follow too).
  describe('with a newer kysely installed in the app than the one @multidb/dialect bundles', () => {
    it('a value only the newer kysely has is a compile error from @multidb/dialect/kysely and its helpers; as a type it compiles', { timeout: 180_000 }, () => {
      const app = [
        "import { Kysely, MultidbNewerKyselyMarker } from '@multidb/dialect/kysely';",
        "import { jsonArrayFrom, multidbNewerHelperMarker } from '@multidb/dialect/kysely/helpers/sqlite';",
        'export const values = [Kysely, jsonArrayFrom, MultidbNewerKyselyMarker, multidbNewerHelperMarker];',
        'export type Marker = MultidbNewerKyselyMarker;',
        '',
      ].join('\n');
      expect(withNewerKysely((paths) => typeCheckApp(app, { paths })).map((d) => d.replace(/^tmp\/declarations-\w+\//, ''))).toEqual([
        "app.mts: 'MultidbNewerKyselyMarker' cannot be used as a value because it was exported using 'export type'.",
        "app.mts: 'multidbNewerHelperMarker' cannot be used as a value because it was exported using 'export type'.",
      ]);
    });

    describe('every name the declarations give as a value exists at run time', () => {
      let declared: ReadonlyMap<string, readonly string[]>;
      beforeAll(() => {
        declared = withNewerKysely((paths) => declaredValues(KYSELY_ENTRIES, { paths }));
      }, 180_000);

      it.each(KYSELY_ENTRIES)('%s: the names its declarations give as values are the ones it has at run time', async (entry) => {
        expect(declared.get(entry)).toContain(entry.endsWith('/kysely') ? 'Kysely' : 'jsonArrayFrom');
        expect(declared.get(entry)).toEqual(Object.keys((await import(entry)) as object).sort());
      });
    });
  });
});

/** Every entry point of every package, as an app imports it (`@multidb/dialect/postgres`). */
const ENTRY_POINTS = PACKAGES.flatMap((pkg) => Object.keys(manifest(pkg).exports).map((key) => `@multidb/${pkg}${key === '.' ? '' : key.slice(1)}`));

/** The entry points of `@multidb/dialect` that re-export kysely (`./kysely`, `./kysely/helpers/*`). */
const KYSELY_ENTRIES = Object.keys(manifest('dialect').exports)
  .filter((key) => key.startsWith('./kysely'))
  .map((key) => `@multidb/dialect${key.slice(1)}`);

/**
 * Calls `fn` with the `paths` compiler option that makes `kysely` (and `kysely/helpers/*`) a newer
 * kysely's types: the repository's, plus a class `MultidbNewerKyselyMarker` and, in each helper, a
 * function `multidbNewerHelperMarker` that no kysely has (its folder removed after).
 */
function withNewerKysely<T>(fn: (paths: ts.MapLike<string[]>) => T): T {
  const real = join(ROOT, 'node_modules', 'kysely', 'dist', 'esm');
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'newer-kysely-'));
  try {
    mkdirSync(join(dir, 'helpers'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'index.d.ts'), `export * from '${join(real, 'index.js')}';\nexport declare class MultidbNewerKyselyMarker extends Error {}\n`);
    for (const helper of readdirSync(join(real, 'helpers')).filter((f) => f.endsWith('.d.ts'))) {
      const name = helper.slice(0, -'.d.ts'.length);
      writeFileSync(join(dir, 'helpers', helper), `export * from '${join(real, 'helpers', `${name}.js`)}';\nexport declare function multidbNewerHelperMarker(): void;\n`);
    }
    return fn({ kysely: [join(dir, 'index.d.ts')], 'kysely/helpers/*': [join(dir, 'helpers', '*.d.ts')] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The names each module of `entries` gives as values in its declarations, as an app's `tsc`
 * (`extra` options) sees them: its exports whose symbol is a value (a class, function, const), less
 * those an app cannot use as one (exported with `export type`). Sorted, by entry.
 */
function declaredValues(entries: readonly string[], extra: ts.CompilerOptions): Map<string, string[]> {
  const importAll = entries.map((entry, i) => `import * as m${i} from '${entry}';\nexport { m${i} };\n`).join('');
  const valueLike = withProgram(importAll, extra, (program, file) => {
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    return entries.map((entry, i) => {
      const module = checker.getSymbolAtLocation((source.statements[2 * i] as ts.ImportDeclaration).moduleSpecifier);
      if (module === undefined) throw new Error(`${entry} does not resolve`);
      return checker
        .getExportsOfModule(module)
        .filter((s) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0)
        .map((s) => s.name);
    });
  });
  // Each used as a value, imported as `e<entry>_<name>`: an `export type` one is an error naming it.
  const useAll = entries
    .map((entry, i) => `import { ${valueLike[i]!.map((name) => `${name} as e${i}_${name}`).join(', ')} } from '${entry}';\nexport const values${i} = [${valueLike[i]!.map((name) => `e${i}_${name}`).join(', ')}];\n`)
    .join('');
  const typeOnly = new Set(
    typeCheckApp(useAll, extra).map((d) => {
      const local = /: '(e\d+_\w+)' cannot be used as a value because it was exported using 'export type'\.$/.exec(d)?.[1];
      if (local === undefined) throw new Error(`unexpected diagnostic: ${d}`);
      return local;
    }),
  );
  return new Map(entries.map((entry, i) => [entry, valueLike[i]!.filter((name) => !typeOnly.has(`e${i}_${name}`)).sort()]));
}

/**
 * The types declared in the packages' `dist/` that the exports of `entries` reach through their
 * signatures (a class's and an interface's public members, a function's parameters, type
 * parameters' constraints and result, an interface's or class's bases, the members of a namespace
 * such as `commands`), however deep, but that no entry point of any package exports; members and
 * types tagged `@internal` are skipped, and so is what only they reach. Each as
 * `Type (file) <- the path it was reached by`, sorted.
 */
function unexportedTypes(entries: readonly string[]): string[] {
  const all = [...new Set([...entries, ...ENTRY_POINTS])];
  const source = all.map((entry, i) => `import * as m${i} from '${entry}';\nexport { m${i} };\n`).join('');
  return withProgram(source, {}, (program, file) => {
    const checker = program.getTypeChecker();
    const app = program.getSourceFile(file)!;
    const packages = join(ROOT, 'packages');
    const internal = (d: ts.Node) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal');
    const exported = new Set<ts.Declaration>();
    const roots: [string, ts.Symbol][] = [];
    const collect = (module: ts.Symbol, prefix: string, walk: boolean) => {
      for (const symbol of checker.getExportsOfModule(module)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        for (const d of target.declarations ?? []) exported.add(d);
        if (target.flags & ts.SymbolFlags.ValueModule && prefix === '') collect(target, `${symbol.name}.`, walk);
        if (walk) roots.push([prefix + symbol.name, target]);
      }
    };
    all.forEach((entry, i) => {
      const module = checker.getSymbolAtLocation((app.statements[2 * i] as ts.ImportDeclaration).moduleSpecifier);
      if (module === undefined) throw new Error(`${entry} does not resolve`);
      collect(module, '', entries.includes(entry));
    });
    const missing = new Map<string, string>();
    const seen = new Set<ts.Type>();
    // Each type once, however deep (the path of the first visit is the one reported).
    const visit = (type: ts.Type | undefined, from: string): void => {
      if (type === undefined || seen.has(type)) return;
      seen.add(type);
      const symbol = type.aliasSymbol ?? type.getSymbol();
      const ours = (symbol?.declarations ?? []).filter((d) => d.getSourceFile().fileName.startsWith(packages));
      // A type tagged @internal is neither reported nor walked: what only it names is not public.
      if (ours.some(internal)) return;
      for (const d of ours) {
        const named = ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d);
        if (named && !exported.has(d)) {
          const key = `${symbol!.name} (${d.getSourceFile().fileName.slice(packages.length + 1)})`;
          if (!missing.has(key)) missing.set(key, from);
        }
      }
      if (type.isUnionOrIntersection()) for (const t of type.types) visit(t, from);
      for (const t of type.aliasTypeArguments ?? []) visit(t, from);
      if ((type as ts.TypeReference).target) for (const t of checker.getTypeArguments(type as ts.TypeReference)) visit(t, from);
      if (ours.length && symbol!.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeLiteral)) {
        for (const property of checker.getPropertiesOfType(type)) {
          const decl = property.valueDeclaration ?? property.declarations?.[0];
          if (decl === undefined || property.name.startsWith('#') || internal(decl)) continue;
          if (ts.canHaveModifiers(decl) && ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
          visit(checker.getTypeOfSymbolAtLocation(property, decl), `${from}.${property.name}`);
        }
        for (const info of checker.getIndexInfosOfType(type)) visit(info.type, `${from}[key]`);
        // `interface AddColumnOp extends TableRef`: the base is named in the declaration.
        if (type.isClassOrInterface()) {
          for (const base of checker.getBaseTypes(type)) visit(base, `${from} extends`);
          for (const parameter of type.typeParameters ?? []) visit(parameter.getConstraint(), `${from}<${parameter.symbol.name}>`);
        }
      }
      for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
        if (signature.declaration && internal(signature.declaration)) continue;
        for (const parameter of signature.getTypeParameters() ?? []) visit(parameter.getConstraint(), `${from}<${parameter.symbol.name}>`);
        for (const parameter of signature.getParameters()) visit(checker.getTypeOfSymbolAtLocation(parameter, parameter.valueDeclaration ?? app), `${from}(${parameter.name})`);
        visit(signature.getReturnType(), `${from}()`);
      }
    };
    for (const [name, symbol] of roots) {
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (decl === undefined || internal(decl)) continue;
      if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable | ts.SymbolFlags.Class)) visit(checker.getTypeOfSymbolAtLocation(symbol, decl), name);
      if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) visit(checker.getDeclaredTypeOfSymbol(symbol), name);
    }
    return [...missing].map(([type, from]) => `${type} <- ${from}`).sort();
  });
}

/**
 * Type-checks `source` as an app's ES module (`app.mts`) under strict NodeNext with
 * `skipLibCheck: false` (plus `extra` options), resolving the packages through the repository's
 * node_modules (their built `dist/`). Returns the diagnostics, each prefixed with its file.
 */
function typeCheckApp(source: string, extra: ts.CompilerOptions = {}): string[] {
  return withProgram(source, extra, (program) =>
    ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(ROOT.length + 1)}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  );
}

/** Calls `fn` with the program of `source` as an app's `app.mts` (see {@link typeCheckApp}) and that file's path. */
function withProgram<T>(source: string, extra: ts.CompilerOptions, fn: (program: ts.Program, file: string) => T): T {
  // Inside the repository (git-ignored /tmp/), so that the packages resolve through its node_modules.
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'declarations-'));
  try {
    const file = join(dir, 'app.mts');
    writeFileSync(file, source);
    const program = ts.createProgram({
      rootNames: [file],
      options: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2023.d.ts'],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: ['node'],
        ...extra,
      },
    });
    return fn(program, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
