// Every fenced `ts` example in the TSDoc of the packages' sources and in the READMEs (the project's, each package's, and docs/)
// type-checks against the packages' sources, so examples cannot rot (the core-layers issue).
// Each example is compiled as its own module: its own imports first, then every export of the
// packages it does not import itself (none for a complete example, one that imports from
// @multidb/* itself: it must compile as pasted), a few names examples commonly assume (`env`,
// `map`, `op`…) declared, and its code — wrapped in an async function unless it has top-level exports (a config
// file or a revision file).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test', '.examples');

/** Import specifiers examples may use, resolved to sources (never a stale build), in priority order. */
const ENTRIES: Readonly<Record<string, string>> = {
  '@multidb/core': 'packages/core/src/index.ts',
  '@multidb/dialect': 'packages/dialect/src/index.ts',
  '@multidb/dialect/registry': 'packages/dialect/src/registry.ts',
  '@multidb/autogenerate': 'packages/autogenerate/src/index.ts',
  '@multidb/tui': 'packages/tui/src/index.ts',
  '@multidb/tui/screens': 'packages/tui/src/screens.ts',
  '@multidb/cli': 'packages/cli/src/index.ts',
  '@multidb/cli/young-generation': 'packages/cli/src/young-generation.ts',
};

/** Names examples use without declaring them, with their types. */
const ASSUMED = `
declare const env: MigrationEnvironment;
declare const map: RevisionMap;
declare const op: Operations;
declare const batch: BatchOperations;
declare const conn: DialectConnection;
declare const connection: DialectConnection;
declare const dialect: Dialect;
declare const plan: Plan;
declare const scripts: RevisionScript[];
declare const script: RevisionScript;
declare const models: Models;
declare const module: RevisionModule;
declare const snapshots: SnapshotSource;
declare const namingConvention: NamingConvention;
declare const context: RunContext;
declare const db: Kysely<any>;
declare const ctx: CompileContext;
declare const column: ColumnSnapshot;
declare const table: TableSnapshot;
declare const snapshot: TableSnapshot;
declare const convention: NamingConvention;
declare const targets: string[];
declare const states: BindState[];
declare const steps: PlanStep[];
declare const dir: ScriptDirectory;
declare const error: unknown;
declare const backend: TuiBackend;
declare const cliContext: CliContext;
`;

interface Example {
  readonly where: string;
  readonly code: string;
  /** The source file a TSDoc example sits in: its own exports are in scope too. */
  readonly file?: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !path.includes(`${join('src', 'testing')}`)) out.push(path);
  }
  return out;
}

/** The ```ts blocks of a source file's TSDoc `@example` tags. */
function tsdocExamples(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const body = comment[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/? ?/, '')).join('\n');
    const at = body.indexOf('@example');
    if (at < 0) continue;
    const line = text.slice(0, comment.index).split('\n').length;
    for (const block of body.slice(at).matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ where: `${relative(ROOT, file)}:${line}`, code: block[1]!, file });
  }
  return out;
}

/** The ```ts blocks of a Markdown file. */
function markdownExamples(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({ where: `${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}`, code: m[1]! }));
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules', '@types')],
  skipLibCheck: true,
  baseUrl: ROOT,
  paths: Object.fromEntries(Object.entries(ENTRIES).map(([spec, path]) => [spec, [path]])),
};

/**
 * A compiler host that parses each file once for the programs made with it (the packages' sources
 * and Node's types are read by both programs below; the files do not change in between).
 */
function sharingHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS);
  const parse = host.getSourceFile.bind(host);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!parsed.has(fileName)) parsed.set(fileName, parse(fileName, languageVersion, onError, shouldCreate));
    return parsed.get(fileName);
  };
  return host;
}

/** Every export of each entry, first entry wins on a name clash. */
function exportsByEntry(program: ts.Program): Map<string, string> {
  const checker = program.getTypeChecker();
  const owner = new Map<string, string>(); // name → specifier
  for (const [spec, path] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(join(ROOT, path));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) continue;
    for (const exported of checker.getExportsOfModule(symbol)) {
      if (exported.name !== 'default' && !owner.has(exported.name)) owner.set(exported.name, spec);
    }
  }
  return owner;
}

/** The exports of a namespace an entry exports (`commands` of `@multidb/core`). */
function namespaceExports(program: ts.Program, entry: string, namespace: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(ROOT, ENTRIES[entry]!));
  const module = source && checker.getSymbolAtLocation(source);
  const exported = module && checker.getExportsOfModule(module).find((s) => s.name === namespace);
  if (!exported) throw new Error(`${entry} exports no ${namespace}`);
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  return checker.getExportsOfModule(target).map((s) => s.name);
}

/** The exports of one source file (for the examples written in it). */
function fileExports(program: ts.Program, file: string): string[] {
  const source = program.getSourceFile(file);
  const symbol = source && program.getTypeChecker().getSymbolAtLocation(source);
  return symbol ? program.getTypeChecker().getExportsOfModule(symbol).map((s) => s.name).filter((n) => n !== 'default') : [];
}

/** An example as a module that type-checks when the example is right. */
function moduleOf(example: Example, packageOwner: ReadonlyMap<string, string>, local: readonly string[]): string {
  const owner = new Map(packageOwner);
  // The example's own module first: an example may use what its file exports.
  for (const name of local) owner.set(name, example.file!.replace(/\.tsx?$/, '.js'));
  const lines = example.code.split('\n');
  const importLines: string[] = [];
  let i = 0;
  // Its own imports (possibly over several lines), wherever they are, go to the top.
  const rest: string[] = [];
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^import\s/.test(line)) {
      const start = i;
      while (i < lines.length && !/;\s*$|from\s+['"][^'"]+['"]\s*;?\s*$|^import\s+['"][^'"]+['"]/.test(lines[i]!)) i++;
      importLines.push(lines.slice(start, i + 1).join('\n'));
      i++;
      continue;
    }
    rest.push(line);
    i++;
  }
  // Relative imports (an internal module's example importing a sibling) resolve from its file.
  if (example.file) {
    const from = dirname(example.file);
    for (let k = 0; k < importLines.length; k++) importLines[k] = importLines[k]!.replace(/(['"])(\.\.?\/[^'"]+)\1/g, (_m, q: string, rel: string) => `${q}${resolve(from, rel)}${q}`);
  }
  const own = new Set(importLines.join('\n').match(/[A-Za-z_$][\w$]*/g) ?? []);
  const declaredHere = new Set([...example.code.matchAll(/\b(?:const|let|var|function|class|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!));
  const bySpec = new Map<string, string[]>();
  for (const [name, spec] of owner) {
    if (own.has(name)) continue;
    let list = bySpec.get(spec);
    if (!list) bySpec.set(spec, (list = []));
    list.push(name);
  }
  // A complete example (one that imports from @multidb/* itself) is compiled as a reader would
  // paste it: with its own imports only, none of the packages' exports added; only the types of
  // the assumed names (`env`, `op`…: what the reader has at hand) are there, as types.
  const complete = /from\s+['"]@multidb\//.test(importLines.join('\n'));
  // (Kysely comes from kysely itself, below.)
  const assumedTypes = new Set([...ASSUMED.matchAll(/:\s*([A-Z]\w*)/g)].map((m) => m[1]!).filter((n) => n !== 'Kysely'));
  const prelude = [...bySpec]
    .map(([spec, names]) => {
      if (!complete) return `import { ${names.join(', ')} } from '${spec}';`;
      const types = names.filter((n) => assumedTypes.has(n));
      return types.length ? `import type { ${types.join(', ')} } from '${spec}';` : '';
    })
    .join('\n');
  const assumed = ASSUMED.split('\n')
    .filter((l) => {
      const name = /declare (?:const|function) (\w+)/.exec(l)?.[1];
      return name === undefined || (!own.has(name) && !(/^\s*export /m.test(example.code) && declaredHere.has(name)));
    })
    .join('\n');
  const kysely = (own.has('Kysely') ? '' : "import type { Kysely } from 'kysely';\n") + (own.has('Database') ? '' : "import Database from 'better-sqlite3';\n") + `import type { CliContext } from '${join(ROOT, 'packages/cli/src/cli-context.js')}';\n`;
  const output = own.has('Output') || owner.has('Output') ? '' : '';
  const body = rest.join('\n');
  const topLevel = /^export\s/m.test(body);
  return `${importLines.join('\n')}\n${prelude}\n${kysely}${output}${assumed}\n` + (topLevel ? body : `export async function example(): Promise<void> {\n${body}\n}\n`);
}

const examples: Example[] = [
  ...['core', 'dialect', 'autogenerate', 'tui', 'cli'].flatMap((p) => walk(join(ROOT, 'packages', p, 'src')).flatMap(tsdocExamples)),
  ...markdownExamples(join(ROOT, 'README.md')),
  // Each package's own README (shipped in its tarball).
  ...['core', 'dialect', 'autogenerate', 'tui', 'cli'].flatMap((p) => markdownExamples(join(ROOT, 'packages', p, 'README.md'))),
  ...(() => {
    try {
      return readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .flatMap((f) => markdownExamples(join(ROOT, 'docs', f)));
    } catch {
      return [];
    }
  })(),
];

describe('TSDoc and README examples', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds the examples (hundreds of them)', () => {
    expect(examples.length).toBeGreaterThan(200);
  });

  it('every fenced ts example type-checks against the sources', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // One program reads the entries and the files with examples (their exports are looked up);
    // the examples' program reuses its parsed files (the packages' sources, Node's types).
    const host = sharingHost();
    const sources = [...new Set(examples.flatMap((e) => (e.file ? [e.file] : [])))];
    const sourceProgram = ts.createProgram({ rootNames: [...Object.values(ENTRIES).map((p) => join(ROOT, p)), ...sources], options: OPTIONS, host });
    const owner = exportsByEntry(sourceProgram);
    // A command's function is public only as `commands.upgrade` (no entry exports `upgrade`): its
    // example, shown where a reader hovers `commands.upgrade`, must call it that way to compile as pasted.
    const commandNames = new Set(namespaceExports(sourceProgram, '@multidb/core', 'commands'));
    const files = examples.map((example, i) => {
      const file = join(OUT, `example-${String(i).padStart(4, '0')}.tsx`);
      const local = example.file ? fileExports(sourceProgram, example.file).filter((name) => !commandNames.has(name)) : [];
      writeFileSync(file, moduleOf(example, owner, local));
      return { file, example };
    });
    const program = ts.createProgram({ rootNames: files.map((f) => f.file), options: OPTIONS, host });
    const problems: string[] = [];
    for (const { file, example } of files) {
      const source = program.getSourceFile(file)!;
      for (const d of ts.getPreEmitDiagnostics(program, source)) {
        if (d.file?.fileName !== file) continue;
        problems.push(`${example.where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
