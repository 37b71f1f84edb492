import type { Kysely, KyselyConfig } from 'kysely';

/**
 * The `Kysely` class `db` was made from (for a transaction, the class it extends), taken from the
 * copy of kysely that made `db`. Core builds its wrapping Kysely instances with it instead of
 * importing kysely: a command that opens no connection (`heads`, `history`) so never loads kysely,
 * and a wrapper is an instance of the same class as the dialect's own.
 *
 * @param db - any Kysely instance (a `Transaction` too).
 * @returns its `Kysely` class (the one whose `isTransaction` is `false`).
 * @throws TypeError when `db` is not a Kysely instance.
 * @example
 * ```ts
 * import { SqliteDialect } from 'kysely';
 * const KyselyClass = kyselyClassOf(dialect.queryBuilder());
 * const db = new KyselyClass({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
 * ```
 * @internal
 */
export function kyselyClassOf(db: Kysely<any>): new (config: KyselyConfig) => Kysely<any> {
  for (let proto: object | null = Object.getPrototypeOf(db); proto !== null; proto = Object.getPrototypeOf(proto)) {
    // Kysely's own `isTransaction` getter answers false; Transaction's, which overrides it, true.
    if (Object.getOwnPropertyDescriptor(proto, 'isTransaction')?.get?.call(db) === false) {
      return (proto as { constructor: new (config: KyselyConfig) => Kysely<any> }).constructor;
    }
  }
  throw new TypeError('expected a Kysely instance');
}
