import type { Kysely } from 'kysely';

/**
 * `db` without its plugins, on the same driver and connection (a pinned one stays pinned): what a
 * connection runs multidb's own queries through, whose results a plugin of an application's Kysely
 * (`CamelCasePlugin`: `version_num` read as `versionNum`) would rename. Made once per connection.
 *
 * @param db - the Kysely a bind was given or opened (a transaction of one too).
 * @returns `db.withoutPlugins()`, or `db` itself when it has no plugins.
 * @example
 * ```ts
 * import { CamelCasePlugin, CompiledQuery, Kysely, SqliteDialect } from 'kysely';
 * const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }), plugins: [new CamelCasePlugin()] });
 * const { rows } = await plainKysely(db).executeQuery(CompiledQuery.raw('SELECT 1 AS version_num'));
 * rows; // [{ version_num: 1 }] (through db: [{ versionNum: 1 }])
 * ```
 */
export function plainKysely<DB>(db: Kysely<DB>): Kysely<DB> {
  return db.getExecutor().plugins.length > 0 ? db.withoutPlugins() : db;
}
