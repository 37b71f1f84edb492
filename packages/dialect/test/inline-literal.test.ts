// inlineLiteral: values written as SQL literals of the dialect (offline SQL, the TUI preview).
// SQLite and MySQL write booleans as 1/0 and blobs as X'…'; PostgreSQL uses standard-conforming
// strings (a backslash is literal), true/false and bytea hex; MySQL also escapes backslashes.
import { describe, expect, it } from 'vitest';
import { hasEntry, DIALECTS, forDialect, type PerDialect } from './support/dialects.js';

const literals: PerDialect<readonly (readonly [unknown, string])[]> = {
  sqlite: [
    ["O'Reilly", "'O''Reilly'"],
    [42, '42'],
    [-1.5, '-1.5'],
    [10n ** 20n, '100000000000000000000'],
    [true, '1'],
    [false, '0'],
    [null, 'NULL'],
    [undefined, 'NULL'],
    [new Date('2024-01-31T12:00:00Z'), "'2024-01-31T12:00:00.000Z'"],
    [Buffer.from([0, 255, 16]), "X'00ff10'"],
    [{ a: "it's" }, `'{"a":"it''s"}'`],
  ],
  postgres: [
    ["O'Reilly", "'O''Reilly'"],
    ['C:\\temp', "'C:\\temp'"],
    [true, 'true'],
    [false, 'false'],
    [null, 'NULL'],
    [12.5, '12.5'],
    [Buffer.from([0, 255]), "'\\x00ff'::bytea"],
    [{ a: [1] }, `'{"a":[1]}'`],
  ],
  mysql: [
    ["O'Reilly \\ Co", "'O''Reilly \\\\ Co'"],
    [true, '1'],
    [null, 'NULL'],
    [new Date('2024-01-31T12:00:00Z'), "'2024-01-31 12:00:00.000'"],
    [Buffer.from([0, 255]), "X'00ff'"],
    [{ a: "it's" }, `'{"a":"it''s"}'`],
  ],
};

/** Values a dialect has no literal for, and the error's message. */
const refused: PerDialect<readonly (readonly [unknown, RegExp])[]> = {
  sqlite: [
    [Number.NaN, /NaN/],
    [() => 1, /function/],
  ],
};

for (const d of DIALECTS) {
  describe(`${d.name}: inlineLiteral`, () => {
    it('writes each value as a literal of the dialect', () => {
      for (const [value, literal] of forDialect(d, literals)) expect(d.dialect.inlineLiteral(value)).toBe(literal);
    });

    if (hasEntry(refused, d)) {
      it('refuses values that have no literal', () => {
        for (const [value, message] of forDialect(d, refused)) expect(() => d.dialect.inlineLiteral(value)).toThrow(message);
      });
    }
  });
}
