/**
 * A map of each bind's heads (its version-table rows, `[]` at base), as `RunResult.heads` and
 * `InterruptedError.heads` hold them: a plain `Map` (so `get`, `entries`, `instanceof Map` and
 * equality with another `Map` work as ever) with a `toJSON` of its own, so `JSON.stringify` writes
 * it as an object, `{"db2":["3f2a9c1d7b40"],"analytics":[]}`; a plain `Map` is written `{}`, and a
 * result logged as JSON would lose where each bind stands.
 * @param entries - `[bind, heads]` pairs, in the order the map keeps.
 * @returns the map (`toJSON` is not enumerable: spreading or iterating the map does not show it).
 * @example
 * ```ts
 * JSON.stringify({ heads: headsMap([['db2', ['3f2a9c1d7b40']]]) }); // '{"heads":{"db2":["3f2a9c1d7b40"]}}'
 * ```
 */
export function headsMap(entries: Iterable<readonly [string, readonly string[]]> = []): Map<string, readonly string[]> {
  const map = new Map(entries);
  Object.defineProperty(map, 'toJSON', { value: headsJson, writable: true, configurable: true, enumerable: false });
  return map;
}

/** A heads map's JSON: an object of its entries. */
function headsJson(this: ReadonlyMap<string, readonly string[]>): Record<string, readonly string[]> {
  return Object.fromEntries(this);
}
