/**
 * `@multidb/dialect/kysely/helpers/mssql`: kysely's `kysely/helpers/mssql` from the dialects' copy
 * of kysely (see `@multidb/dialect/kysely`); configs and revisions run by the CLI get it for
 * `import … from 'kysely/helpers/mssql'` unless the project has a kysely of another version
 * installed. As there, its types are the installed `kysely`'s, as types only, and its values
 * those the bundled copy has (checked by kysely-exports.test.ts).
 */
export type * from 'kysely/helpers/mssql';
export { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from 'kysely/helpers/mssql';
