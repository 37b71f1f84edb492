import type { Dialect } from '../dialect/dialect.js';
import { UnsupportedBindOptionError } from '../errors.js';
import type { BindConfig } from './multidb-config.js';

/** The bind options that name a schema inside the bind's database (PostgreSQL's schemas). */
const SCHEMA_OPTIONS = ['schema', 'versionTableSchema'] as const;

/**
 * Refuses a bind option its dialect has no use for, before the bind is connected: `schema` and
 * `versionTableSchema` on a dialect without schemas inside a database
 * (`capabilities.schemas === false`: MySQL/MariaDB, where a schema is a database of the server and
 * `CREATE SCHEMA` would create one; SQLite). Pure: reads the config and the dialect's capabilities.
 * @param bind - the bind's name, for the message.
 * @param config - the bind's config.
 * @param dialect - the bind's dialect (its name, flavour and capabilities).
 * @param file - the config file, for the error's `file`.
 * @throws {@link UnsupportedBindOptionError} naming the bind, the first such option set, and the
 *   dialect.
 * @example
 * ```ts
 * checkBindOptions('db2', { url: 'mysql://h/app', schema: 'app' }, { name: 'mysql', capabilities: { ...DEFAULT_CAPABILITIES, schemas: false } });
 * // throws: Bind 'db2': binds.db2.schema is not supported by mysql. …
 * ```
 */
export function checkBindOptions(bind: string, config: BindConfig, dialect: Pick<Dialect, 'name' | 'flavour' | 'capabilities'>, file?: string): void {
  if (dialect.capabilities.schemas !== false) return;
  const option = SCHEMA_OPTIONS.find((o) => config[o] !== undefined);
  if (option === undefined) return;
  throw new UnsupportedBindOptionError(
    {
      bind,
      option,
      dialect: dialect.flavour ?? dialect.name,
      hint: `It names a schema inside the bind's database (as on PostgreSQL); ${dialect.flavour ?? dialect.name} has none. Remove it, and name the database in the bind's URL instead.`,
    },
    file,
  );
}
