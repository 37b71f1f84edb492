/**
 * Quotes an SQL identifier with the given quote character, doubling any embedded quote
 * character: SQLite and PostgreSQL use `"`, MySQL uses `` ` ``.
 *
 * @param name - the identifier as written (table, column, index or constraint name).
 * @param quote - the quote character (default `"`).
 * @returns the quoted identifier.
 * @example
 * ```ts
 * quoteIdentifier('Invoice');        // '"Invoice"'
 * quoteIdentifier('a"b');            // '"a""b"'
 * quoteIdentifier('Invoice', '`');   // '`Invoice`'
 * ```
 */
export function quoteIdentifier(name: string, quote: '"' | '`' = '"'): string {
  // Most names hold no quote character: no split and join for them (DDL is compiled per revision).
  return quote + (name.includes(quote) ? name.split(quote).join(quote + quote) : name) + quote;
}
