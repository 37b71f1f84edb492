import { describe, expect, it } from 'vitest';
import { MultidbError, UnknownOptionError } from './errors.js';
import { checkOptions, keysOf } from './option-keys.js';

interface Sample {
  readonly bind?: string;
  readonly range?: string;
  readonly applied: boolean;
}

describe('keysOf', () => {
  it("lists a type's keys in the record's order; the compiler refuses a missing or an extra key", () => {
    expect(keysOf<Sample>({ bind: true, range: true, applied: true })).toEqual(['bind', 'range', 'applied']);
    // The checks below are the compiler's (`npx nx run core:typecheck`): each line must not compile.
    // @ts-expect-error a key of Sample is missing
    keysOf<Sample>({ bind: true, range: true });
    // @ts-expect-error a key Sample does not have
    keysOf<Sample>({ bind: true, range: true, applied: true, binds: true });
  });
});

describe('checkOptions', () => {
  const known = keysOf<Sample>({ bind: true, range: true, applied: true });

  it('accepts undefined, an empty object, and known keys (also set to undefined)', () => {
    expect(() => checkOptions('f()', undefined, known)).not.toThrow();
    expect(() => checkOptions('f()', {}, known)).not.toThrow();
    expect(() => checkOptions('f()', { bind: 'db2', range: undefined, applied: false }, known)).not.toThrow();
  });

  it('refuses an unknown key, set or undefined, naming the key it likely meant and what the function takes', () => {
    for (const value of ['db2', undefined]) {
      let error: unknown;
      try {
        checkOptions('f()', { binds: value }, known);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnknownOptionError);
      expect(error).toMatchObject({ code: 'UNKNOWN_OPTION', command: 'f()', unknown: [{ key: 'binds', suggestion: 'bind' }], known: ['bind', 'range', 'applied'] });
      expect((error as Error).message).toBe("f(): unknown option 'binds' (did you mean 'bind'?); f() takes bind, range, applied. Nothing was done.");
    }
  });

  it('gives no suggestion when no key is close, and JSON names the keys', () => {
    let error: unknown;
    try {
      checkOptions('f()', { zzz: 1 }, known);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe("f(): unknown option 'zzz'; f() takes bind, range, applied. Nothing was done.");
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'UnknownOptionError',
      code: 'UNKNOWN_OPTION',
      message: "f(): unknown option 'zzz'; f() takes bind, range, applied. Nothing was done.",
      command: 'f()',
      unknown: [{ key: 'zzz' }],
      known: ['bind', 'range', 'applied'],
    });
  });

  it('refuses options that are not a plain object with INVALID_OPTION', () => {
    for (const [value, shown] of [
      [null, 'null'],
      ['db2', '"db2"'],
      [['db2'], '["db2"]'],
      [() => {}, 'function'],
    ] as const) {
      expect(() => checkOptions('f()', value, known)).toThrow(new MultidbError(`f() takes its options as an object ({ bind, range, applied }); got ${shown}. Nothing was done.`, 'INVALID_OPTION'));
    }
  });
});
