/**
 * `@multidb/dialect/kysely`: the whole of Kysely's public API, from the one copy of kysely the
 * dialects run on. The package's build bundles kysely into a few files (tools/build/
 * bundle-package.mjs `--inline kysely`): Node then loads 2 files at start-up instead of kysely's
 * 262 ES modules, which cost a connecting command ~120 ms of CPU.
 *
 * The CLI and the TUI alias `kysely` in configs and revisions to this module, so that what a
 * revision imports is what the dialect made `op.db` with: `op.db instanceof Kysely` holds, and
 * `sql`, `CompiledQuery`, the builders and plugins are this copy's. A Kysely object, plugin,
 * dialect or `sql` fragment from another copy of kysely (an application's own `kysely` handed to
 * the programmatic API) works too: Kysely recognises its objects by shape (operation nodes by
 * `kind`, expressions by `toOperationNode`), never by class; only `instanceof` across the two
 * copies is false (test/cli/kysely-copy.test.ts, packages/dialect/test/kysely-copies.test.ts).
 *
 * Types are the installed `kysely`'s (a peer dependency, `^0.28`).
 *
 * @example
 * ```ts
 * import { sqliteDialect } from '@multidb/dialect';
 * import { sql } from '@multidb/dialect/kysely';
 * const compiled = sql<number>`select ${1} as one`.compile(sqliteDialect.queryBuilder());
 * console.log(compiled.sql); // 'select ? as one'
 * ```
 */
export * from 'kysely';
