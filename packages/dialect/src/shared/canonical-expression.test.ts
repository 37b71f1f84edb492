import { describe, expect, it } from 'vitest';
import { canonicalExpression } from './canonical-expression.js';

const PG = { dropCasts: true, postgresOperators: true } as const;
const MYSQL = { dropIntroducers: true, backslashEscapes: true, functionSynonyms: { length: 'octet_length' } } as const;

describe('canonicalExpression', () => {
  it('drops quotes, case, spacing and parentheses that change nothing', () => {
    expect(canonicalExpression('("Milliseconds"  > 0)')).toBe('milliseconds > 0');
    expect(canonicalExpression('(a > 0) AND (b < 1)')).toBe('a > 0 and b < 1');
    expect(canonicalExpression('lower(("Name"))')).toBe('lower(name)');
    expect(canonicalExpression('[x] != 1', { bracketIdentifiers: true })).toBe('x <> 1');
    expect(canonicalExpression('NOT (a > 0)')).toBe('a <= 0');
    // Around an operand whose operators bind tighter than those beside it (PostgreSQL stores them so).
    expect(canonicalExpression('(x % 2) = 0')).toBe('x % 2 = 0');
    expect(canonicalExpression('((x * 2) + 1) > 3')).toBe('x * 2 + 1 > 3');
    expect(canonicalExpression('x <= (x + 1) AND y')).toBe('x <= x + 1 and y');
    expect(canonicalExpression('(NOT a) AND b')).toBe('not a and b');
  });

  it('keeps what changes the meaning: literals, operators, grouping of arithmetic and of OR under AND', () => {
    expect(canonicalExpression("s = 'A'")).not.toBe(canonicalExpression("s = 'a'"));
    expect(canonicalExpression('a > 0')).not.toBe(canonicalExpression('a >= 0'));
    expect(canonicalExpression('(a + b) * 2')).toBe('(a + b) * 2');
    expect(canonicalExpression('(a OR b) AND c')).toBe('(a or b) and c');
    expect(canonicalExpression('a - (b + c)')).toBe('a - (b + c)');
    expect(canonicalExpression('a / (b * c)')).toBe('a / (b * c)');
    expect(canonicalExpression('(a = b) = c')).toBe('(a = b) = c');
    expect(canonicalExpression('NOT (a AND b)')).toBe('not (a and b)');
    expect(canonicalExpression('(a || b) = c')).toBe('(a || b) = c');
    expect(canonicalExpression('NOT (a = b + 1)')).toBe('not a = b + 1');
    expect(canonicalExpression('x - 5')).toBe('x - 5');
    expect(canonicalExpression('x >= -5')).not.toBe(canonicalExpression('x >= 5'));
    expect(canonicalExpression("x IN ('a', 'b')")).toBe("x in ('a', 'b')");
  });

  it('undoes what PostgreSQL does to a stored expression: casts, = ANY (ARRAY[…]), ~~, BETWEEN', () => {
    expect(canonicalExpression('"Price" >= (0)::numeric', PG)).toBe('price >= 0');
    expect(canonicalExpression("(kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])", PG)).toBe("kind in ('a', 'b')");
    expect(canonicalExpression("kind::text <> ALL (ARRAY['a'::text])", PG)).toBe("kind not in ('a')");
    expect(canonicalExpression("name ~~ 'a%'", PG)).toBe("name like 'a%'");
    expect(canonicalExpression('x BETWEEN 1 AND 5', PG)).toBe(canonicalExpression('x >= 1::numeric AND x <= 5::numeric', PG));
    expect(canonicalExpression('CAST(x AS integer) > 0', PG)).toBe('x > 0');
    // A negative number is stored as a cast string; BETWEEN of any operands is spelled out.
    expect(canonicalExpression("x >= '-5'::integer", PG)).toBe(canonicalExpression('x >= -5', PG));
    expect(canonicalExpression("x >= '-5'::integer", PG)).toBe('x >= -5');
    expect(canonicalExpression("x = '-5'::text", PG)).toBe("x = '-5'");
    expect(canonicalExpression('((length((s)::text) >= 1) AND (length((s)::text) <= 10))', PG)).toBe(canonicalExpression('length(s) BETWEEN 1 AND 10', PG));
    expect(canonicalExpression("((x >= '-1'::integer) AND (x <= (x + 1)))", PG)).toBe(canonicalExpression('x BETWEEN -1 AND x + 1', PG));
    expect(canonicalExpression('((x < 1) OR (x > 5))', PG)).toBe(canonicalExpression('x NOT BETWEEN 1 AND 5', PG));
    expect(canonicalExpression('a > 0 AND x BETWEEN 1 AND 5 AND b', PG)).toBe('a > 0 and x >= 1 and x <= 5 and b');
    expect(canonicalExpression("at > '2020-01-01'::timestamp without time zone", PG)).toBe("at > '2020-01-01'");
  });

  it('undoes what MySQL and MariaDB do: charset introducers, backslash escapes, function synonyms', () => {
    expect(canonicalExpression("(`kind` in (_utf8mb4'a',_utf8mb4'b'))", MYSQL)).toBe("kind in ('a', 'b')");
    // MariaDB stores 'it''s' as 'it\'s': one string, one spelling.
    expect(canonicalExpression("`s` <> 'it\\'s'", MYSQL)).toBe("s <> 'it''s'");
    expect(canonicalExpression("`code` in ('a','b\\'c') or `code` is null", MYSQL)).toBe(canonicalExpression("code IN ('a', 'b''c') OR code IS NULL", MYSQL));
    expect(canonicalExpression("`s` = 'a\\\\b'", MYSQL)).toBe("s = 'a\\b'");
    expect(canonicalExpression("`s` like 'a\\%'", MYSQL)).toBe("s like 'a\\%'");
    expect(canonicalExpression("`s` = 'b\\'c'", MYSQL)).not.toBe(canonicalExpression("`s` = 'bc'", MYSQL));
    expect(canonicalExpression('length(`s`) > 0', MYSQL)).toBe(canonicalExpression('octet_length(`s`) > 0', MYSQL));
    // MariaDB stores NOT (x = 3) as x <> 3, and x % 2 as x MOD 2.
    expect(canonicalExpression('`x` <> 3', MYSQL)).toBe(canonicalExpression('NOT (x = 3)', MYSQL));
    expect(canonicalExpression('`x` MOD 2 = 0', MYSQL)).toBe(canonicalExpression('x % 2 = 0', MYSQL));
    expect(canonicalExpression('mod(`x`, 2) = 0', MYSQL)).toBe('mod(x, 2) = 0');
  });
});
