/** The outcome of {@link matchObjects}. */
export interface MatchedObjects<T> {
  /** Pairs `[model, database, byName]`: `byName` false when only the definitions matched. */
  readonly pairs: readonly (readonly [T, T, boolean])[];
  readonly modelOnly: readonly T[];
  readonly databaseOnly: readonly T[];
}

/**
 * Pairs the objects of one table's two sides (indexes, unique keys, foreign keys, checks): first
 * by name, then the rest by definition, so an object of the same definition under another name
 * (a database that named it itself) is not a change. Order of the inputs does not matter: each
 * list is taken in its sorted order of names and definitions.
 *
 * @param models - the models' objects.
 * @param database - the database's objects.
 * @param name - an object's name, `undefined` when it has none (matched by definition only).
 * @param definition - the canonical text of an object's definition.
 */
export function matchObjects<T>(
  models: readonly T[],
  database: readonly T[],
  name: (item: T) => string | undefined,
  definition: (item: T) => string,
): MatchedObjects<T> {
  const pairs: (readonly [T, T, boolean])[] = [];
  const order = (list: readonly T[]) =>
    list
      .map((item) => ({ item, name: name(item), definition: definition(item) }))
      .sort((a, b) => compareText(a.name ?? '', b.name ?? '') || compareText(a.definition, b.definition));
  const m = order(models);
  const d = order(database);
  const byName = new Map<string, (typeof d)[number]>();
  for (const entry of d) if (entry.name !== undefined && !byName.has(entry.name)) byName.set(entry.name, entry);
  const pairedDb = new Set<(typeof d)[number]>();
  const restModels: (typeof m)[number][] = [];
  for (const entry of m) {
    const other = entry.name === undefined ? undefined : byName.get(entry.name);
    if (other && !pairedDb.has(other)) {
      pairedDb.add(other);
      pairs.push([entry.item, other.item, true]);
    } else restModels.push(entry);
  }
  const byDefinition = new Map<string, (typeof d)[number][]>();
  for (const entry of d) {
    if (pairedDb.has(entry)) continue;
    let list = byDefinition.get(entry.definition);
    if (!list) byDefinition.set(entry.definition, (list = []));
    list.push(entry);
  }
  const modelOnly: T[] = [];
  for (const entry of restModels) {
    const list = byDefinition.get(entry.definition);
    const other = list?.shift();
    if (other) {
      pairedDb.add(other);
      pairs.push([entry.item, other.item, false]);
    } else modelOnly.push(entry.item);
  }
  return { pairs, modelOnly, databaseOnly: d.filter((entry) => !pairedDb.has(entry)).map((entry) => entry.item) };
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
