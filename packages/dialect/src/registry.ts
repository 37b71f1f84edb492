import type { DialectRegistry } from '@multidb/core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The dialect registry core picks from by URL scheme. Each entry's `moduleAlias` is
 * {@link kyselyModuleAlias}: `loadEnvironment` without a loader of its own gives configs and
 * revisions the kysely the dialects bundle.
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
 * The module alias that gives configs and revisions the dialects' own copy of kysely: `kysely` and
 * `kysely/helpers/*` mapped to the files of `@multidb/dialect/kysely` (the package bundles kysely,
 * so Node loads a few files at start-up instead of kysely's 262 modules). With it, a revision's
 * `op.db instanceof Kysely` holds and its `sql` is the dialect's; without it, a revision importing
 * the application's own `kysely` still works (Kysely recognises objects by shape), only
 * `instanceof` across the two copies is false. Loads nothing.
 *
 * @returns specifier → absolute file path, for `createModuleLoader({ alias })`.
 * @throws never; a file this package does not have (its sources run unbuilt) is left out.
 * @example
 * ```ts
 * import { createModuleLoader, loadEnvironment } from '@multidb/core';
 * import { dialects, kyselyModuleAlias } from '@multidb/dialect/registry';
 * const env = await loadEnvironment({ dialects, loader: createModuleLoader({ alias: kyselyModuleAlias() }) });
 * ```
 */
export function kyselyModuleAlias(): Record<string, string> {
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
