import { describe, expect, it } from 'vitest';
import { quoteIdentifier } from './quote-identifier.js';
import { renderLiteral, SQLITE_LITERAL_STYLE, type LiteralStyle } from './render-literal.js';

describe('renderLiteral', () => {
  it('honours a dialect style (booleans, bytes, backslashes)', () => {
    const style: LiteralStyle = { true: 'TRUE', false: 'FALSE', bytes: (h) => `'\\x${h}'::bytea`, backslashEscapes: true };
    expect(renderLiteral(true, style)).toBe('TRUE');
    expect(renderLiteral(new Uint8Array([1, 2]), style)).toBe("'\\x0102'::bytea");
    expect(renderLiteral("a\\b'c", style)).toBe("'a\\\\b''c'");
    expect(renderLiteral("a\\b'c", SQLITE_LITERAL_STYLE)).toBe("'a\\b''c'");
  });
  it('refuses values with no literal', () => {
    expect(() => renderLiteral(Infinity, SQLITE_LITERAL_STYLE)).toThrow(/Infinity/);
    expect(() => renderLiteral(new Date('x'), SQLITE_LITERAL_STYLE)).toThrow(/invalid Date/);
    expect(() => renderLiteral(Symbol('s'), SQLITE_LITERAL_STYLE)).toThrow(/symbol/);
    expect(() => renderLiteral(new Map(), SQLITE_LITERAL_STYLE)).toThrow(/Map/);
  });
  it('quotes identifiers', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('a`b', '`')).toBe('`a``b`');
  });
});
