/**
 * `@multidb/dialect/kysely/helpers/postgres`: kysely's `kysely/helpers/postgres` from the dialects' copy
 * of kysely (see `@multidb/dialect/kysely`); configs and revisions run by the CLI get it for
 * `import … from 'kysely/helpers/postgres'`.
 */
export * from 'kysely/helpers/postgres';
