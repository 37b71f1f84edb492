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
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Indexed loops, not `Object.values`: the same own enumerable values without a new array per
  // object (an op is built and frozen per revision; a third of a CREATE TABLE op's building).
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeDeep(value[i]);
  } else {
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) freezeDeep((value as Record<string, unknown>)[keys[i]!]);
  }
  return value;
}
