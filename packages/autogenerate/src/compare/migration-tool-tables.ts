/**
 * The bookkeeping tables other migration tools keep in the database they migrate, by their default
 * names (lower-case) → the tool. A database adopted from one of them still has its table; the tool
 * may still run (an app that migrates at start-up), and dropping its table would make it run every
 * migration again. Names only a tool uses are listed; generic ones (`migrations`,
 * `schema_migrations`) are not.
 */
const MIGRATION_TOOL_TABLES: ReadonlyMap<string, string> = new Map([
  ['alembic_version', 'Alembic'],
  ['kysely_migration', "Kysely's Migrator"],
  ['kysely_migration_lock', "Kysely's Migrator"],
  ['__drizzle_migrations', 'drizzle-kit'],
  ['knex_migrations', 'Knex'],
  ['knex_migrations_lock', 'Knex'],
  ['_prisma_migrations', 'Prisma Migrate'],
  ['flyway_schema_history', 'Flyway'],
  ['databasechangelog', 'Liquibase'],
  ['databasechangeloglock', 'Liquibase'],
  ['sequelizemeta', 'Sequelize (umzug)'],
  ['mikro_orm_migrations', 'MikroORM'],
  ['pgmigrations', 'node-pg-migrate'],
  ['goose_db_version', 'goose'],
  ['_sqlx_migrations', 'sqlx'],
  ['__diesel_schema_migrations', 'Diesel'],
  ['__efmigrationshistory', 'Entity Framework'],
]);

/**
 * The migration tool whose bookkeeping table a table's name is (its default name, compared
 * case-insensitively), if any. Such a table, when the models leave it out, is left out of a models
 * module read from the database, never dropped by autogenerate (`dropUnmodeledTables` too) and
 * never a rename candidate. A tool told to use another name (Kysely's `migrationTableName`) is not
 * recognized: the app leaves that table out with `includeName`.
 *
 * @param table - a table name as the database has it.
 * @returns the tool's name (`"Kysely's Migrator"`), or `undefined` for any other table.
 * @example
 * ```ts
 * migrationToolOf('kysely_migration'); // "Kysely's Migrator"
 * migrationToolOf('invoice');          // undefined
 * ```
 */
export function migrationToolOf(table: string): string | undefined {
  return MIGRATION_TOOL_TABLES.get(table.toLowerCase());
}

/**
 * The tools of some bookkeeping tables, each with its tables: `'kysely_migration,
 * kysely_migration_lock (Kysely's Migrator)'`, tools joined with `; `.
 *
 * @param tables - names {@link migrationToolOf} knows.
 * @returns the text, or `''` when `tables` is empty.
 * @example
 * ```ts
 * describeMigrationToolTables(['alembic_version']); // 'alembic_version (Alembic)'
 * ```
 */
export function describeMigrationToolTables(tables: readonly string[]): string {
  const byTool = new Map<string, string[]>();
  for (const t of tables) {
    const tool = migrationToolOf(t) ?? 'unknown';
    byTool.set(tool, [...(byTool.get(tool) ?? []), t]);
  }
  return [...byTool].map(([tool, names]) => `${names.join(', ')} (${tool})`).join('; ');
}
