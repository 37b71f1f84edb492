// The packages' shipped declarations, as an app's `tsc` sees them. An app that compiles with
// `skipLibCheck: false` reads every `.d.ts` its imports reach, so a declaration that imports a
// module the app need not have (an optional driver's types, or a dependency's broken ones) fails
// its build. Checked on the built `dist/` of each package (what `npm pack` ships).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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
    const entries = PACKAGES.flatMap((pkg) => Object.keys(manifest(pkg).exports).map((key) => `@multidb/${pkg}${key === '.' ? '' : key.slice(1)}`));
    expect(typeCheckApp(entries.map((e, i) => `import * as m${i} from '${e}';\nexport { m${i} };\n`).join(''))).toEqual([]);
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
});

/**
 * Type-checks `source` as an app's ES module (`app.mts`) under strict NodeNext with
 * `skipLibCheck: false` (plus `extra` options), resolving the packages through the repository's
 * node_modules (their built `dist/`). Returns the diagnostics, each prefixed with its file.
 */
function typeCheckApp(source: string, extra: ts.CompilerOptions = {}): string[] {
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
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(ROOT.length + 1)}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
