/**
 * Text helpers of the screens: revision ids, durations, truncation and wrapping to a width.
 * Pure functions; widths count UTF-16 code units (the screens print ASCII and a few symbols).
 */

/** A revision id cut to `width` characters (`…` marks a cut); generated ids (12 hex) fit as they are. */
export function shortRevision(id: string, width = 12): string {
  return id.length <= width ? id : `${id.slice(0, width - 1)}…`;
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

/** Cuts text to `width` characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Pads (or cuts) text to exactly `width` characters. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/**
 * Wraps text to lines of at most `width` characters: at spaces where it can, inside a word when
 * a word is longer than a line. Line breaks and runs of spaces (indentation) are kept; the
 * spaces where a line breaks are dropped.
 * @example
 * ```ts
 * wrap('no such table: Nope', 10); // ['no such', 'table:', 'Nope']
 * ```
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const token of paragraph.match(/\S+|\s+/g) ?? []) {
      if (line.length + token.length <= w) {
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
      while (line.length + rest.length > w) {
        const room = w - line.length;
        out.push(line + rest.slice(0, room));
        line = '';
        rest = rest.slice(room);
      }
      line += rest;
    }
    out.push(line);
  }
  return out;
}
