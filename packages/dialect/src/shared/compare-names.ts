/**
 * The order of names in introspected snapshots: `localeCompare`, as core's `resolveModels` sorts
 * a bind's models, so both sides of an autogenerate comparison list tables in the same order.
 *
 * @param a - a name.
 * @param b - another name.
 * @returns negative, zero or positive, as `Array.prototype.sort` takes it.
 * @example
 * ```ts
 * ['Track', 'Album'].sort(compareNames); // ['Album', 'Track']
 * ```
 */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);
}
