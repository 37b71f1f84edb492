/**
 * `@multidb/dialect/kysely/helpers/sqlite`: kysely's `kysely/helpers/sqlite` from the dialects' copy
 * of kysely (see `@multidb/dialect/kysely`); configs and revisions run by the CLI get it for
 * `import … from 'kysely/helpers/sqlite'`.
 */
export * from 'kysely/helpers/sqlite';
