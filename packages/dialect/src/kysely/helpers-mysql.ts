/**
 * `@multidb/dialect/kysely/helpers/mysql`: kysely's `kysely/helpers/mysql` from the dialects' copy
 * of kysely (see `@multidb/dialect/kysely`); configs and revisions run by the CLI get it for
 * `import … from 'kysely/helpers/mysql'`.
 */
export * from 'kysely/helpers/mysql';
