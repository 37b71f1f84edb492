/**
 * True when the whole text is one parenthesized group: `(a + b)` but not `(a) + (b)`. Quoted
 * strings and identifiers (', ", `) are skipped, with a doubled quote as an escape; with
 * `backslashEscapes` (MySQL), a backslash also escapes inside ' and " strings.
 *
 * @example
 * ```ts
 * isWrappedInParentheses('(a + b)');   // true
 * isWrappedInParentheses('(a) + (b)'); // false
 * isWrappedInParentheses("('\\')')", { backslashEscapes: true }); // true
 * ```
 */
export function isWrappedInParentheses(text: string, options: { backslashEscapes?: boolean } = {}): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (options.backslashEscapes && c === '\\' && quote !== '`') i++;
      else if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = undefined;
      }
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0 && quote === undefined;
}
