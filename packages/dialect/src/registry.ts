import type { DialectRegistry } from '@multidb/core';

/**
 * The dialect registry core picks from by URL scheme.
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
  }),
  Object.freeze({
    name: 'postgres',
    schemes: Object.freeze(['postgres', 'postgresql']),
    load: () => import('./postgres/index.js').then((m) => m.postgresDriver),
  }),
  Object.freeze({
    name: 'mysql',
    schemes: Object.freeze(['mysql', 'mariadb']),
    load: () => import('./mysql/index.js').then((m) => m.mysqlDriver),
  }),
]);
