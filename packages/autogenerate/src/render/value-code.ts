import type { Code } from './code-printer.js';
import { RenderError } from './render-errors.js';

/** A number as Prettier prints its literal (`1e21`, not `1e+21`); `-0`, `NaN` and infinities as written in source. */
export function numberCode(value: number): Code {
  if (Number.isNaN(value)) return { kind: 'raw', text: 'NaN' };
  if (value === Infinity) return { kind: 'raw', text: 'Infinity' };
  if (value === -Infinity) return { kind: 'number', text: '-Infinity', signed: true };
  const negative = value < 0 || Object.is(value, -0);
  const text = String(Math.abs(value)).replace('e+', 'e');
  return { kind: 'number', text: negative ? `-${text}` : text, signed: negative };
}

/** A string literal node. */
export const stringCode = (value: string): Code => ({ kind: 'string', value });

/** An array literal of strings. */
export const stringsCode = (values: readonly string[]): Code => ({ kind: 'array', elements: values.map(stringCode) });

/** An object literal from entries; entries whose value is `undefined` are left out. */
export function objectCode(entries: readonly (readonly [string, Code | undefined])[]): Code {
  return { kind: 'object', properties: entries.filter((e): e is readonly [string, Code] => e[1] !== undefined).map(([key, value]) => ({ key, value })) };
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The source form of a data value: a row of `bulkInsert`, a parameter of `execute`, a column
 * default. Plain objects, arrays, strings, numbers, booleans, `null`, `undefined`, bigints, dates
 * (`new Date('…')`) and byte arrays (`Buffer.from('…', 'base64')`).
 *
 * @param value - the value.
 * @param opKind - the op it belongs to, for the error.
 * @param where - where it sits in the op (`'rows[3].Photo'`), for the error.
 * @throws {@link RenderError} for anything else (a function, a symbol, a class instance, a
 *   cyclic structure, an invalid date).
 */
export function valueCode(value: unknown, opKind: string, where: string, seen: Set<object> = new Set()): Code {
  const fail = (what: string): never => {
    throw new RenderError(opKind, `Cannot write ${where} of a ${opKind} op into a revision: ${what}.`);
  };
  switch (typeof value) {
    case 'string':
      return stringCode(value);
    case 'number':
      return numberCode(value);
    case 'boolean':
      return { kind: 'boolean', value };
    case 'bigint':
      return value < 0n ? { kind: 'number', text: `${value}n`, signed: true } : { kind: 'raw', text: `${value}n` };
    case 'undefined':
      return { kind: 'raw', text: 'undefined' };
    case 'object': {
      if (value === null) return { kind: 'raw', text: 'null' };
      if (seen.has(value)) fail('it contains itself');
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) fail('an invalid Date');
        return { kind: 'call', callee: 'Date', isNew: true, args: [stringCode(value.toISOString())] };
      }
      if (value instanceof Uint8Array) {
        return { kind: 'call', callee: 'Buffer.from', args: [stringCode(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')), stringCode('base64')] };
      }
      const inner = new Set(seen).add(value);
      if (Array.isArray(value)) {
        return { kind: 'array', elements: Array.from(value, (v, i) => valueCode(v, opKind, `${where}[${i}]`, inner)) };
      }
      if (!isPlainObject(value)) fail(`a ${value.constructor?.name ?? 'non-plain'} object has no source form`);
      return {
        kind: 'object',
        properties: Object.entries(value).map(([key, v]) => ({ key, value: valueCode(v, opKind, `${where}.${key}`, inner) })),
      };
    }
    default:
      return fail(`a ${typeof value} has no source form`);
  }
}
