import { describe, expect, it } from 'vitest';
import { fit, formatDuration, formatRevisions, shortRevision, truncate, wrap } from './format.js';

describe('format', () => {
  it('shortens revision ids and lists of them', () => {
    expect(shortRevision('a1b2c3d4e5f6')).toBe('a1b2c3d4e5f6');
    expect(shortRevision('add_invoice_currency_column')).toBe('add_invoice…');
    expect(formatRevisions([])).toBe('base');
    expect(formatRevisions(['a1', 'b2', 'c3'])).toBe('a1 +2');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });

  it('truncates, pads and wraps to a width', () => {
    expect(truncate('sqlite:.data/default.db', 10)).toBe('sqlite:.d…');
    expect(fit('db2', 5)).toBe('db2  ');
    expect(fit('3', 4, 'right')).toBe('   3');
    expect(wrap('no such table: Nope', 10)).toEqual(['no such', 'table:', 'Nope']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
    expect(wrap('    await op.addColumn(x)', 12)).toEqual(['    await', 'op.addColumn', '(x)']);
    expect(wrap('revises    6cd0', 80)).toEqual(['revises    6cd0']);
  });
});
