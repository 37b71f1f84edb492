/**
 * Deep-freezes plain data (op objects, snapshots) so nobody mutates an op after it is built.
 *
 * @param value - plain objects and arrays (class instances and Buffers are frozen too: pass data).
 * @returns the same value, frozen all the way down.
 * @example
 * ```ts
 * const column = freezeDeep({ name: 'id', type: { name: 'integer', args: [] } });
 * Object.isFrozen(column.type); // true
 * ```
 */
export function freezeDeep<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) freezeDeep(v);
  }
  return value;
}
