/**
 * The name a new revision gives a bind's generated `DB` interface when it imports it
 * (`import type { DB as Db2 } from '../../../src/db/db2-types.js'`, then `op: Operations<Db2>`):
 * the bind's name in PascalCase, split at `-` and `_`, with `Db` in front when it would not start
 * with a letter; when the revision template already uses that identifier (a bind named `operations`
 * gives `Operations`, which the default template names), with `Db` appended (`OperationsDb`), and a
 * number after that if need be.
 * @param bind - the bind's name.
 * @param template - the text of the repository's `script.ts.tmpl` (default `''`: no clash).
 * @returns the identifier (`Db2`, `SalesEu`, `Db2024Archive`, `OperationsDb`).
 * @example
 * ```ts
 * import { revisionTypesName } from '@multidb/core';
 *
 * revisionTypesName('db2'); // 'Db2'
 * revisionTypesName('sales-eu'); // 'SalesEu'
 * revisionTypesName('2024_archive'); // 'Db2024Archive'
 * revisionTypesName('operations', 'export async function upgrade(op: Operations): Promise<void> {}'); // 'OperationsDb'
 * ```
 */
export function revisionTypesName(bind: string, template = ''): string {
  const name = bind
    .split(/[-_]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return unusedTypesName(/^[A-Za-z]/.test(name) ? name : `Db${name}`, template);
}

/**
 * `name`, unless `text` (a revision's template and imports) already uses that identifier: then
 * with `Db` appended (`OperationsDb`), and a number after that if need be.
 * @internal
 */
export function unusedTypesName(name: string, text: string): string {
  const used = (candidate: string) => new RegExp(`(?<![\\w$])${candidate.replace(/[$]/g, '\\$')}(?![\\w$])`).test(text);
  if (!used(name)) return name;
  for (let n = 1; ; n++) {
    const candidate = `${name}Db${n === 1 ? '' : n}`;
    if (!used(candidate)) return candidate;
  }
}
