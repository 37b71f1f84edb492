/**
 * A deep copy of plain data (objects, arrays, strings, numbers, booleans, null), frozen all the
 * way down: what the comparison returns, so its output shares nothing with its inputs and nobody
 * can change it. Faster than `structuredClone` followed by `freezeDeep` for the small trees ops
 * are; nesting is a few levels deep (op, table, column, type).
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i]);
    return Object.freeze(out) as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = frozenCopy(v);
  }
  return Object.freeze(out) as T;
}
