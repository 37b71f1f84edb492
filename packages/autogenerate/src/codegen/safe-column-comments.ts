import type { DatabaseMetadata } from 'kysely-codegen';

/**
 * Makes kysely-codegen's introspected metadata safe to print: kysely-codegen writes a column's
 * comment into a doc comment as it is, so a comment holding the two characters that end one (a
 * star, then a slash) ended it early and the rest became code: a types file that does not parse.
 * A backslash is put between such a star and slash (`*\/`), which ends nothing. The metadata is
 * this run's own, fresh from introspection; it is changed in place and returned.
 *
 * @param metadata - kysely-codegen's introspected metadata.
 * @returns the same metadata, its column comments made safe.
 * @example
 * ```ts
 * const { generate } = await import('kysely-codegen');
 * // generate({ …, postprocess: async ({ metadata }) => safeColumnComments(metadata) });
 * ```
 */
export function safeColumnComments(metadata: DatabaseMetadata): DatabaseMetadata {
  for (const table of metadata.tables) {
    for (const column of table.columns) {
      if (column.comment?.includes('*/')) column.comment = column.comment.replace(/\*\//g, '*\\/');
    }
  }
  return metadata;
}
