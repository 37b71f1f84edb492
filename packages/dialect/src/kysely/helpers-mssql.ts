/**
 * `@multidb/dialect/kysely/helpers/mssql`: kysely's `kysely/helpers/mssql` from the dialects' copy
 * of kysely (see `@multidb/dialect/kysely`); configs and revisions run by the CLI get it for
 * `import … from 'kysely/helpers/mssql'`.
 */
export * from 'kysely/helpers/mssql';
