/**
 * The optimal string alignment distance between two strings: the fewest insertions, deletions,
 * substitutions and swaps of neighbouring characters that turn `a` into `b` (case-sensitive).
 * Used to suggest the name a misspelling meant (a revision header, a config key).
 * @example
 * ```ts
 * editDistance('modles', 'models'); // 1 (one swap)
 * editDistance('versionTabel', 'versionTable'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Lower case, without `_` and `-`: `version_table` and `VersionTable` both read `versiontable`. */
function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The known key a misspelled one most likely meant: the closest by {@link editDistance}, compared
 * in lower case without `_` and `-`, at most two edits away and fewer than the key's length.
 * @param key - the key as written.
 * @param known - the keys its object takes.
 * @returns the closest known key, or `undefined` when none is that close.
 * @example
 * ```ts
 * closestKey('modles', ['url', 'models']); // 'models'
 * closestKey('index', ['columns', 'indexes']); // 'indexes'
 * closestKey('zzz', ['url']); // undefined
 * ```
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = normalizedKey(key);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalizedKey(candidate));
    if (distance <= 2 && distance < wanted.length && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}
