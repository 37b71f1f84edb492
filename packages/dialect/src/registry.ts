import type { DialectRegistry } from '@multidb/core';
import { fileURLToPath } from 'node:url';

/**
 * The dialect registry core picks from by URL scheme. Each entry's `moduleAlias` is
 * {@link kyselyModuleAlias}: `loadEnvironment` without a loader of its own gives configs and
 * revisions the kysely the dialects bundle.
 *
 * @example
 * ```ts
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
    load: () => import('./sqlite/index.js').then((m) => m.sqliteDriver),
    moduleAlias: kyselyModuleAlias,
  }),
  Object.freeze({
    name: 'postgres',
    schemes: Object.freeze(['postgres', 'postgresql']),
    load: () => import('./postgres/index.js').then((m) => m.postgresDriver),
    moduleAlias: kyselyModuleAlias,
  }),
  Object.freeze({
    name: 'mysql',
    schemes: Object.freeze(['mysql', 'mariadb']),
    load: () => import('./mysql/index.js').then((m) => m.mysqlDriver),
    moduleAlias: kyselyModuleAlias,
  }),
]);

/** What {@link kyselyModuleAlias} maps: each specifier of kysely to this package's export of it. */
const KYSELY_EXPORTS: Readonly<Record<string, string>> = Object.freeze({
  kysely: '@multidb/dialect/kysely',
  'kysely/helpers/postgres': '@multidb/dialect/kysely/helpers/postgres',
  'kysely/helpers/mysql': '@multidb/dialect/kysely/helpers/mysql',
  'kysely/helpers/sqlite': '@multidb/dialect/kysely/helpers/sqlite',
  'kysely/helpers/mssql': '@multidb/dialect/kysely/helpers/mssql',
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
 * @throws never; a specifier this package does not resolve (a build without the kysely bundle)
 *   is left out.
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
    for (const [specifier, target] of Object.entries(KYSELY_EXPORTS)) {
      try {
        alias[specifier] = fileURLToPath(import.meta.resolve(target));
      } catch {
        /* not resolvable (the package's sources run unbuilt): leave it to the project's kysely */
      }
    }
    resolvedKyselyAlias = Object.freeze(alias);
  }
  return { ...resolvedKyselyAlias };
}

let resolvedKyselyAlias: Readonly<Record<string, string>> | undefined;
