import { describe, expect, it } from 'vitest';
import type { IdentifierLimit } from '../dialect/dialect.js';
import { identifierLength, identifierPrefix, isOverIdentifierLimit } from './identifier-length.js';

const PG: IdentifierLimit = { max: 63, unit: 'bytes', longer: 'truncated' };
const MY: IdentifierLimit = { max: 64, unit: 'characters', longer: 'refused' };

/** The reference: UTF-8 bytes as Node encodes them (a lone surrogate as U+FFFD, 3 bytes), code points. */
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const chars = (s: string) => [...s].length;

describe('identifierLength', () => {
  it.each([
    ['', 0, 0],
    ['Invoice', 7, 7],
    ['Façade', 7, 6],
    ['請求書', 9, 3],
    ['a😀b', 6, 3],
    ['\ud800x', 4, 2], // a lone high surrogate: U+FFFD on the wire
    ['x\udc00', 4, 2], // a lone low surrogate
  ])('%j: %i bytes, %i characters (as Buffer.byteLength and code points count)', (name, b, c) => {
    expect(identifierLength(name, 'bytes')).toBe(b);
    expect(identifierLength(name, 'characters')).toBe(c);
    expect(b).toBe(bytes(name));
    expect(c).toBe(chars(name));
  });
});

describe('isOverIdentifierLimit agrees with counting, at and around each limit', () => {
  const names = [
    'a'.repeat(21),
    'a'.repeat(63),
    'a'.repeat(64),
    'a'.repeat(65),
    'é'.repeat(31) + 'a', // 63 bytes, 32 characters
    'é'.repeat(32), // 64 bytes
    '請'.repeat(21), // 63 bytes
    '請'.repeat(22), // 66 bytes, 22 characters
    '😀'.repeat(15) + 'abc', // 63 bytes, 18 characters, 33 code units
    '😀'.repeat(16), // 64 bytes
    '😀'.repeat(64), // 64 characters in 128 code units
    '😀'.repeat(65),
  ];
  it.each(names.map((n) => [n.length, n] as const))('%i code units', (_units, name) => {
    expect(isOverIdentifierLimit(name, PG)).toBe(bytes(name) > 63);
    expect(isOverIdentifierLimit(name, MY)).toBe(chars(name) > 64);
  });
});

describe('identifierPrefix: what PostgreSQL keeps of a longer name (whole characters)', () => {
  it('cuts at the limit without splitting a character', () => {
    expect(identifierPrefix('a'.repeat(70), PG)).toBe('a'.repeat(63));
    expect(identifierPrefix('é'.repeat(32), PG)).toBe('é'.repeat(31));
    expect(identifierPrefix('a' + '😀'.repeat(16), PG)).toBe('a' + '😀'.repeat(15));
    expect(identifierPrefix('😀'.repeat(65), MY)).toBe('😀'.repeat(64));
    expect(identifierPrefix('Invoice', PG)).toBe('Invoice');
  });
});
