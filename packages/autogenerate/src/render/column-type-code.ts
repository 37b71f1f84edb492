import { enumType, formatColumnType, parseColumnType, type ColumnType } from '@multidb/core';
import type { Code } from './code-printer.js';
import type { RenderContext } from './render-context.js';
import { numberCode, objectCode, stringCode, stringsCode } from './value-code.js';

function sameType(a: ColumnType, b: ColumnType): boolean {
  return (
    a.name === b.name &&
    a.array === b.array &&
    a.enumName === b.enumName &&
    a.enumSchema === b.enumSchema &&
    a.args.length === b.args.length &&
    a.args.every((x, i) => Object.is(x, b.args[i])) &&
    (a.modifiers ?? []).length === (b.modifiers ?? []).length &&
    (a.modifiers ?? []).every((m, i) => m === b.modifiers[i])
  );
}

function reparses(text: string, type: ColumnType): boolean {
  try {
    return sameType(parseColumnType(text), type);
  } catch {
    return false;
  }
}

/**
 * The source form of a column type: an enum as `enumType('mood', ['sad', 'ok'])` (recording the
 * import of `enumType` in `ctx`), any other type as its canonical string (`formatColumnType`,
 * e.g. `'varchar(3)'`); a type whose string would not parse back to the same type (e.g.
 * `{ name: 'int', modifiers: ['unsigned'] }`, which the string `'int unsigned'` reads as the name
 * `'int unsigned'`) as an object literal, so the revision rebuilds exactly the type it was given.
 */
export function columnTypeCode(type: ColumnType, ctx: RenderContext): Code {
  if (type.enumName !== undefined) {
    let exact = false;
    try {
      exact = sameType(enumType(type.enumName, type.args as string[], type.enumSchema), type);
    } catch {
      exact = false;
    }
    if (exact) {
      ctx.addImport('enumType', '@multidb/core');
      const args = [stringCode(type.enumName), stringsCode(type.args as string[])];
      return { kind: 'call', callee: 'enumType', args: type.enumSchema === undefined ? args : [...args, stringCode(type.enumSchema)] };
    }
  } else {
    const text = formatColumnType(type);
    if (reparses(text, type)) return stringCode(text);
  }
  return objectCode([
    ['name', stringCode(type.name)],
    ['args', { kind: 'array', elements: type.args.map((a) => (typeof a === 'number' ? numberCode(a) : stringCode(a))) }],
    ['modifiers', stringsCode(type.modifiers ?? [])],
    ['array', { kind: 'boolean', value: type.array }],
    ['enumName', type.enumName === undefined ? undefined : stringCode(type.enumName)],
    ['enumSchema', type.enumSchema === undefined ? undefined : stringCode(type.enumSchema)],
  ]);
}
