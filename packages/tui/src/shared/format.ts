/**
 * Text helpers of the screens: revision ids, durations, and measuring, cutting, padding and
 * wrapping text to a width. Pure functions. Widths are terminal cells as Ink counts them
 * (`string-width`): a CJK character or an emoji takes two, a combining mark none, whatever
 * its length in UTF-16 code units.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * The terminal cells `text` takes on one line.
 * @example
 * ```ts
 * textWidth('db2'); // 3
 * textWidth('売上'); // 4
 * textWidth('cafe\u0301'); // 4 (the accent combines with the e)
 * ```
 */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * A revision id cut to `width` cells (`…` marks a cut); generated ids (12 hex) fit as they are.
 * @example
 * ```ts
 * shortRevision('add_invoice_currency_column'); // 'add_invoice…'
 * ```
 */
export function shortRevision(id: string, width = 12): string {
  return truncate(id, width);
}

/**
 * Version-table rows as one cell: `base` for none, the id for one, `<first> +N` for more.
 * @example
 * ```ts
 * formatRevisions([]); // 'base'
 * formatRevisions(['a1b2c3d4e5f6', 'ffeeddccbbaa']); // 'a1b2c3d4e5f6 +1'
 * ```
 */
export function formatRevisions(ids: readonly string[], width = 12): string {
  if (ids.length === 0) return 'base';
  const first = shortRevision(ids[0]!, width);
  return ids.length === 1 ? first : `${first} +${ids.length - 1}`;
}

/**
 * Milliseconds as a short duration: `0.4 s`, `12.0 s`, `2 min 05 s`.
 * @example
 * ```ts
 * formatDuration(1234); // '1.2 s'
 * ```
 */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)} s`;
  const minutes = Math.floor(safe / 60_000);
  const seconds = Math.floor((safe % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/**
 * A count with thousands separators, as every screen writes one.
 * @example
 * ```ts
 * formatCount(2000); // '2,000'
 * ```
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Names for a line: all of them (`a, b, c`) up to `listed`, else the first `named` and a count
 * of the rest (`t1, t2, t3, t4, t5 and 1,995 more`).
 * @param list - the names, in the order to show them.
 * @param listed - most names listed in full (default 8).
 * @param named - names listed before the count when there are more (default 5).
 * @example
 * ```ts
 * nameList(['default', 'db2']); // 'default, db2'
 * nameList(Array.from({ length: 2000 }, (_, i) => `t${i}`)); // 't0, t1, t2, t3, t4 and 1,995 more'
 * ```
 */
export function nameList(list: readonly string[], listed = 8, named = 5): string {
  return list.length <= listed ? list.join(', ') : `${list.slice(0, named).join(', ')} and ${formatCount(list.length - named)} more`;
}

/**
 * Cuts text to at most `width` cells, ending with `…` when cut; `''` when `width` is 0 or less.
 * A wide character is never split: where the cut falls inside one, the text ends a cell short.
 * @example
 * ```ts
 * truncate('sqlite:.data/default.db', 10); // 'sqlite:.d…'
 * truncate('売上データベース', 8); // '売上デ…' (7 cells)
 * ```
 */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  // cli-truncate keeps a wide character that straddles the cut, one cell too many
  // (sindresorhus/cli-truncate#28): then cut one cell earlier.
  for (let columns = width; columns > 0; columns--) {
    const cut = cliTruncate(text, columns);
    if (stringWidth(cut) <= width) return cut;
  }
  return '';
}

/**
 * Pads (or cuts, as {@link truncate} does) text to exactly `width` cells.
 * @param align - `'left'` (default) pads on the right; `'right'` pads on the left.
 * @example
 * ```ts
 * fit('db2', 5); // 'db2  '
 * fit('売上', 5); // '売上 '
 * fit('3', 4, 'right'); // '   3'
 * ```
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/**
 * Wraps text to lines of at most `width` cells (at least 1): at spaces where it can; a word
 * longer than a line starts on a line of its own (after the indentation) and is cut by cells
 * there, never inside a wide character. Line breaks and runs of spaces (indentation) are kept;
 * the spaces where a line breaks are dropped. The lines are in Unicode NFC, as wrap-ansi returns
 * them (`e` + U+0301 comes back as `é`, the same on screen).
 * @example
 * ```ts
 * wrap('no such table: Nope', 10); // ['no such', 'table:', 'Nope']
 * wrap('テーブルがありません', 8); // ['テーブル', 'がありま', 'せん']
 * ```
 */
export function wrap(text: string, width: number): string[] {
  const columns = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const token of paragraph.match(/\S+|\s+/g) ?? []) {
      if (stringWidth(line + token) <= columns) {
        line += token;
        continue;
      }
      if (/^\s/.test(token)) {
        out.push(line);
        line = '';
        continue;
      }
      if (line.trim() !== '') {
        out.push(line.trimEnd());
        line = '';
      }
      let rest = token;
      while (stringWidth(line + rest) > columns) {
        const [head, tail] = cutWord(rest, columns - stringWidth(line), line === '');
        out.push(line + head);
        line = '';
        rest = tail;
      }
      line += rest;
    }
    out.push(line);
  }
  return out;
}

/**
 * The start of a word that fits in `room` cells (cut by wrap-ansi, which never splits a wide
 * character), and the rest. With `mustTake`, the start is never empty (a wide character on a
 * line one cell wide), so wrapping always moves on.
 */
function cutWord(word: string, room: number, mustTake: boolean): [head: string, rest: string] {
  const [first = '', ...others] = wrapAnsi(word, Math.max(1, room), { hard: true, trim: false }).split('\n');
  const pieces = first === '' && mustTake ? others : [first, ...others];
  return [pieces[0] ?? '', pieces.slice(1).join('')];
}
