import type { DialectRegistry } from '@multidb/core';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_KYSELY_VERSION } from './kysely/bundled-kysely-version.js';

/**
 * The dialect registry core picks from by URL scheme. Each entry's `moduleAlias` is
 * {@link kyselyModuleAlias}: `loadEnvironment` (unless given a loader object of its own) gives
 * configs and revisions the kysely the dialects bundle, or the project's own when it has another
 * version installed.
 *
 * @example
 * ```ts
 * import { loadEnvironment } from '@multidb/core';
 * import { dialects } from '@multidb/dialect/registry';
 * const env = await loadEnvironment({ config: 'migrate.config.ts', dialects });
 * // or by hand:
 * const driver = await dialects.find((d) => d.schemes.includes('sqlite'))!.load();
 * const connection = await driver.connect({ bind: 'default', url: 'sqlite::memory:', baseDir: process.cwd() });
 * ```
 */
export const dialects: DialectRegistry = Object.freeze([
  Object.freeze({
    name: 'sqlite',
    schemes: Object.freeze(['sqlite']),
    load: () => shared<typeof import('./sqlite/index.js')>('sqlite_index', () => import('./sqlite/index.js')).then((m) => m.sqliteDriver),
    moduleAlias: kyselyModuleAlias,
  }),
  Object.freeze({
    name: 'postgres',
    schemes: Object.freeze(['postgres', 'postgresql']),
    load: () => shared<typeof import('./postgres/index.js')>('postgres_index', () => import('./postgres/index.js')).then((m) => m.postgresDriver),
    moduleAlias: kyselyModuleAlias,
  }),
  Object.freeze({
    name: 'mysql',
    schemes: Object.freeze(['mysql', 'mariadb']),
    load: () => shared<typeof import('./mysql/index.js')>('mysql_index', () => import('./mysql/index.js')).then((m) => m.mysqlDriver),
    moduleAlias: kyselyModuleAlias,
  }),
]);

/**
 * An entry's namespace in the package's shared script (`shared.script.cjs` beside this module: the
 * build's `--shared-script shared`, each entry named by its path, `sqlite/index` → `sqlite_index`)
 * when the `migrate` bin registered it on globalThis (a function that loads it, or what it
 * exported), else the entry imported as an ES module (whose file is a facade of the same namespace
 * when there is a script). Through the script, a command that connects sets up no ES module
 * loader (~13 ms of CPU on Node 20, and node:fs/promises it reads sources with).
 */
function shared<T>(namespace: string, importEntry: () => Promise<T>): Promise<T> {
  const registered = (globalThis as Record<symbol, unknown>)[Symbol.for(`multidb.script:${new URL('./shared.script.cjs', import.meta.url).href}`)];
  const exports = (typeof registered === 'function' ? (registered as () => unknown)() : registered) as Record<string, T> | undefined;
  const entry = exports?.[namespace];
  return entry !== undefined ? Promise.resolve(entry) : importEntry();
}

/**
 * What {@link kyselyModuleAlias} maps: each specifier of kysely to this package's file of it
 * (`@multidb/dialect/kysely`, `…/kysely/helpers/postgres`, …), relative to this module: the build
 * writes the registry and those entries into one folder (dist/bundle/), so no package resolution
 * is needed (Node's took a short command ~2 ms).
 */
const KYSELY_FILES: Readonly<Record<string, string>> = Object.freeze({
  kysely: './kysely/index.js',
  'kysely/helpers/postgres': './kysely/helpers-postgres.js',
  'kysely/helpers/mysql': './kysely/helpers-mysql.js',
  'kysely/helpers/sqlite': './kysely/helpers-sqlite.js',
  'kysely/helpers/mssql': './kysely/helpers-mssql.js',
});

/**
 * The module alias of configs and revisions for `kysely` and `kysely/helpers/*`: the one place that
 * decides which copy of kysely they get.
 *
 * - Without `projectDir`, or when the project has no kysely installed, or kysely
 *   {@link BUNDLED_KYSELY_VERSION} (the same as the dialects'): the files of
 *   `@multidb/dialect/kysely`, the copy the dialects bundle and make `op.db` with. Node loads a
 *   few files at start-up instead of kysely's 262 modules, `op.db instanceof Kysely` holds and
 *   `sql` is the dialect's. Deciding reads one file, the project's `kysely/package.json`.
 * - When the project has another version installed: the files of the project's own copy (its
 *   package.json `exports` for `import`), so that a config or revision gets the API it was
 *   type-checked against (a class only a newer kysely has is there, not `undefined`). The dialects
 *   then make `op.db` and the `onConnect` hook's Kysely with that copy too when it is the bundled
 *   minor (0.28.x: `op.db instanceof Kysely` holds; core hands connects this alias as
 *   `ConnectOptions.moduleAlias`), loading it only when user code reads `op.db` or the hook's
 *   Kysely, or imports kysely (a revision that imports only its types costs nothing more); for
 *   another minor, and in offline mode (`--sql`), with the bundled copy, which works with the
 *   project's `sql`, builders and plugins (Kysely recognises its objects by shape), only
 *   `op.db instanceof Kysely` is false.
 *
 * The project's kysely is the one Node would resolve from `projectDir`: the first
 * `node_modules/kysely` in it or a parent folder. Loads nothing.
 *
 * @param projectDir - the folder the project's modules resolve from: the config file's folder
 *   (what `loadEnvironment` passes each registry entry's `moduleAlias`).
 * @returns specifier → absolute file path, for `createModuleLoader({ alias })`.
 * @throws never; a file this package does not have (its sources run unbuilt) is left out, and so is
 *   a subpath the project's kysely does not export (left to the project's own resolution).
 * @example
 * ```ts
 * import { createModuleLoader, loadEnvironment } from '@multidb/core';
 * import { dialects, kyselyModuleAlias } from '@multidb/dialect/registry';
 * // loadEnvironment hands a loader function the dialects' alias for the config's folder:
 * const env = await loadEnvironment({ dialects, loader: (alias) => createModuleLoader({ alias, moduleCache: false }) });
 * // or by hand, for a project folder:
 * const alias = kyselyModuleAlias(process.cwd()); // { kysely: '/…/dialect/dist/bundle/kysely/index.js', … }
 * ```
 */
export function kyselyModuleAlias(projectDir?: string): Record<string, string> {
  if (projectDir !== undefined) {
    const own = installedKysely(projectDir);
    if (own !== undefined && own.manifest.version !== BUNDLED_KYSELY_VERSION) return projectKyselyAlias(own);
  }
  if (resolvedKyselyAlias === undefined) {
    const alias: Record<string, string> = {};
    for (const [specifier, relative] of Object.entries(KYSELY_FILES)) {
      const file = fileURLToPath(new URL(relative, import.meta.url));
      // Not there when the package's sources run unbuilt: left to the project's kysely.
      if (existsSync(file)) alias[specifier] = file;
    }
    resolvedKyselyAlias = Object.freeze(alias);
  }
  return { ...resolvedKyselyAlias };
}

let resolvedKyselyAlias: Readonly<Record<string, string>> | undefined;

/** What {@link installedKysely} reads of a kysely's package.json. */
interface KyselyManifest {
  readonly version: string;
  readonly exports?: unknown;
  readonly main?: unknown;
}

/**
 * The kysely a module in `projectDir` imports, as Node resolves it: the first
 * `node_modules/kysely/package.json` in `projectDir` or a parent folder (a project's own is found
 * by the first read). `undefined` when there is none, or its package.json does not parse (Node
 * could not load that copy either).
 */
function installedKysely(projectDir: string): { readonly dir: string; readonly manifest: KyselyManifest } | undefined {
  for (let dir = resolve(projectDir); ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const packageDir = join(dir, 'node_modules', 'kysely');
      let text: string | undefined;
      try {
        text = readFileSync(join(packageDir, 'package.json'), 'utf8');
      } catch {
        /* none here: Node looks in the parent folder */
      }
      if (text !== undefined) {
        try {
          const manifest = JSON.parse(text) as Partial<KyselyManifest> | null;
          return typeof manifest?.version === 'string' ? { dir: packageDir, manifest: manifest as KyselyManifest } : undefined;
        } catch {
          return undefined;
        }
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Each specifier of {@link KYSELY_FILES} mapped to the project's kysely's file of it, as Node's `import` resolves it (its package.json `exports`). */
function projectKyselyAlias(kysely: { readonly dir: string; readonly manifest: KyselyManifest }): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const specifier of Object.keys(KYSELY_FILES)) {
    const subpath = specifier === 'kysely' ? '.' : `.${specifier.slice('kysely'.length)}`;
    const { exports, main } = kysely.manifest;
    let target: string | undefined;
    if (exports !== undefined && exports !== null) target = exportTarget(exports, subpath);
    // Without `exports`, Node's import takes `main` (a subpath would be a file of that name: left to it).
    else if (subpath === '.') target = typeof main === 'string' ? main : 'index.js';
    if (target !== undefined) alias[specifier] = join(kysely.dir, target);
  }
  return alias;
}

/** The conditions Node's `import` of a package matches, in its order of preference within an export's object. */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'module-sync', 'default']);

/** The file a package.json `exports` maps `subpath` to for `import` (`'./dist/esm/index.js'`), or `undefined`. */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(pick).find((v) => v !== undefined);
    if (typeof value !== 'object' || value === null) return undefined;
    for (const [condition, inner] of Object.entries(value)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = pick(inner);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return pick(entry);
}
