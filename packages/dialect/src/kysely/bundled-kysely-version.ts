/**
 * The version of kysely this package's build bundles (`@multidb/dialect/kysely`, the copy the
 * dialects make `op.db` with): the repository's kysely when the package was built. Configs and
 * revisions get that copy for `import … from 'kysely'` when their project has no kysely installed
 * or this very version (see `kyselyModuleAlias`). Kept in the source so that deciding costs no read
 * of the bundle; kysely-exports.test.ts fails when the repository's kysely is another version.
 *
 * @example
 * ```ts
 * import { BUNDLED_KYSELY_VERSION } from '@multidb/dialect';
 * console.log(`the dialects run on kysely ${BUNDLED_KYSELY_VERSION}`); // 'the dialects run on kysely 0.28.18'
 * ```
 */
export const BUNDLED_KYSELY_VERSION = '0.28.18';
