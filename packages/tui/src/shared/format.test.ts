import { describe, expect, it } from 'vitest';
import { fit, formatCount, formatDuration, formatRevisions, nameList, shortRevision, textWidth, truncate, wrap } from './format.js';

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

  describe('in terminal cells, not UTF-16 code units', () => {
    // CJK: 2 cells, 1 unit. Emoji: 2 cells, 2 units (a family: 8 units). A combining accent: 0 cells, 1 unit.
    const CJK = '請求書に通貨を追加';
    const EMOJI = 'deploy 🚀👨‍👩‍👧 now';
    const COMBINING = 'cafe\u0301 re\u0301sume\u0301';

    it('measures', () => {
      expect(textWidth(CJK)).toBe(18);
      expect(textWidth(EMOJI)).toBe(15);
      expect(textWidth(COMBINING)).toBe(11);
    });

    it('truncates to at most the width, never splitting a wide character', () => {
      expect(truncate(CJK, 18)).toBe(CJK);
      expect(truncate(CJK, 9)).toBe('請求書に…');
      // The cut falls inside 通 (cells 9-10): one cell short rather than one too many.
      expect(truncate(CJK, 10)).toBe('請求書に…');
      expect(truncate(EMOJI, 10)).toBe('deploy 🚀…');
      expect(truncate(EMOJI, 9)).toBe('deploy …');
      expect(truncate(COMBINING, 6)).toBe('cafe\u0301 …');
      for (const text of [CJK, EMOJI, COMBINING, `a${CJK}`]) {
        for (let width = 1; width <= 20; width++) expect(textWidth(truncate(text, width)), `${text} at ${width}`).toBeLessThanOrEqual(width);
      }
    });

    it('pads to exactly the width', () => {
      expect(fit('売上', 5)).toBe('売上 ');
      expect(fit('売上', 3, 'right')).toBe('売…');
      expect(fit('cafe\u0301', 6)).toBe('cafe\u0301  ');
      for (const text of [CJK, EMOJI, COMBINING]) {
        for (let width = 1; width <= 20; width++) expect(textWidth(fit(text, width)), `${text} at ${width}`).toBe(width);
      }
    });

    it('wraps to lines of at most the width', () => {
      expect(wrap('テーブルがありません', 8)).toEqual(['テーブル', 'がありま', 'せん']);
      // wrap-ansi returns text in NFC: e + U+0301 comes back as é, the same on screen.
      expect(wrap(`${CJK} ${COMBINING}`, 12)).toEqual(['請求書に通貨', 'を追加 caf\u00e9', 'r\u00e9sum\u00e9']);
      expect(wrap('abc def', 3)).toEqual(['abc', 'def']);
      for (const text of [CJK, EMOJI, COMBINING, `${CJK} ${EMOJI} ${COMBINING}`]) {
        for (let width = 2; width <= 20; width++) {
          const out = wrap(text, width);
          expect(out.every((line) => textWidth(line) <= width), `${text} at ${width}: ${JSON.stringify(out)}`).toBe(true);
          expect(out.join('').replace(/ /g, '')).toBe(text.normalize().replace(/ /g, ''));
        }
      }
    });
  });

  it('counts with thousands separators and lists up to 8 names, else the first 5 and a count of the rest', () => {
    expect(formatCount(2000)).toBe('2,000');
    expect(formatCount(7)).toBe('7');
    const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(nameList(names(8))).toBe('t0, t1, t2, t3, t4, t5, t6, t7');
    expect(nameList(names(9))).toBe('t0, t1, t2, t3, t4 and 4 more');
    expect(nameList(names(2000), 3, 2)).toBe('t0, t1 and 1,998 more');
    expect(nameList(names(3), 3, 2)).toBe('t0, t1, t2');
    expect(nameList([])).toBe('');
  });
});
