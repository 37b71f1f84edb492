/**
 * `@multidb/dialect`: the dialects multidb runs on, by URL scheme (DESIGN §3): SQLite, PostgreSQL
 * and MySQL/MariaDB, each a folder (`sqlite/`, `postgres/`, `mysql/`) with its compiler,
 * introspector (a whole database in a fixed number of catalog queries) and comparator
 * (autogenerate's rules for telling equal types, defaults and expressions: `sqliteComparator`,
 * `postgresComparator`, `mysqlComparator`, also each dialect's `comparator`).
 *
 * Importing this module loads no database driver: each entry's `load()` imports its dialect
 * folder on first use, and the driver module (better-sqlite3) loads only when a bind connects.
 */

/**
 * The registry alone is also importable as `@multidb/dialect/registry`, which loads neither a
 * driver nor Kysely: the CLI uses it so script-only commands start fast.
 */
export { dialects, kyselyModuleAlias } from './registry.js';
export { BUNDLED_KYSELY_VERSION } from './kysely/bundled-kysely-version.js';

// Pure pieces for tooling (compiling, SQL preview, offline mode): no driver is loaded by these.
export { sqliteDialect, SQLITE_CAPABILITIES } from './sqlite/sqlite-dialect.js';
export { renderSqliteType, sqliteAffinity, type SqliteTypeOptions, type SqliteAffinity } from './sqlite/sqlite-type-map.js';
export { parseSqliteUrl, type SqliteLocation } from './sqlite/sqlite-url.js';
export { SQLITE_OFFLINE_SQL } from './sqlite/sqlite-offline-sql.js';
export { SqliteIntrospector, type StatementExecutor } from './sqlite/sqlite-introspector.js';
export { sqliteComparator, canonicalSqliteType, canonicalSqliteDefault } from './sqlite/sqlite-comparator.js';
export { ForeignKeyCheckError, type ForeignKeyViolation } from './sqlite/foreign-key-check-error.js';
export { ForeignKeyMismatchError, type ForeignKeyCheckQuery, type MismatchedForeignKey } from './sqlite/foreign-key-mismatch-error.js';
export { TriggerColumnError } from './sqlite/trigger-column-error.js';
export { sqliteTriggerTargets, type TriggerTarget, type TriggerTargetClause } from './sqlite/sqlite-trigger-targets.js';
export { postgresDialect, POSTGRES_CAPABILITIES } from './postgres/postgres-dialect.js';
export { renderPostgresType, renderPostgresIdentityType } from './postgres/postgres-type-map.js';
export { postgresLiteral, POSTGRES_LITERAL_STYLE } from './postgres/postgres-literal.js';
export { parsePostgresUrl, type PostgresLocation } from './postgres/postgres-url.js';
export { PostgresIntrospector, postgresCatalogType, parsePostgresDefault, type PostgresIntrospectorOptions } from './postgres/postgres-introspector.js';
export { readPostgresObjects } from './postgres/postgres-schema-objects.js';
export { postgresComparator, canonicalPostgresType, canonicalPostgresDefault } from './postgres/postgres-comparator.js';
export { POSTGRES_OFFLINE_SQL, postgresParameterLiteral } from './postgres/postgres-offline-sql.js';
export { postgresLockKey } from './postgres/postgres-lock.js';
export { mysqlDialect, mariadbDialect, createMysqlDialect, MYSQL_CAPABILITIES } from './mysql/mysql-dialect.js';
export { renderMysqlType, impliesAutoIncrement } from './mysql/mysql-type-map.js';
export { parseMysqlUrl, flavourOfUrl, type MysqlLocation, type MysqlFlavour } from './mysql/mysql-url.js';
export { MysqlIntrospector, type MysqlStatementExecutor, type MysqlIntrospectorOptions } from './mysql/mysql-introspector.js';
export { mysqlComparator, canonicalMysqlType, canonicalMysqlDefault } from './mysql/mysql-comparator.js';
export { mysqlLockName } from './mysql/mysql-lock.js';
export { MysqlLeaseLock, LeaseLostError, type LeaseHolder, type LeaseLockOptions, type LeaseSession } from './mysql/mysql-lease-lock.js';
export { CertificationConflictError } from './mysql/mysql-connection.js';
export { MYSQL_LITERAL_STYLE, mysqlInlineLiteral, toMysqlParameter } from './mysql/mysql-parameter.js';
export { mysqlOfflineSql, mysqlParameterLiteral } from './mysql/mysql-offline-sql.js';
export * from './shared/index.js';
