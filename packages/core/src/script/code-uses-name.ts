/**
 * Whether TypeScript statements refer to `name` outside comments and quoted strings: `op` in
 * `await op.renameTable('a', 'b');`, not in `// op.execute() runs SQL` nor in `'op'`, nor as a
 * property (`batch.op`). Text in a template literal counts (it may hold `${op…}`): when unsure,
 * the answer is yes.
 *
 * @param code - statements, as a revision body holds them.
 * @param name - an identifier.
 * @returns true when `code` may use `name`.
 * @example
 * ```ts
 * codeUsesName("await op.dropTable('t');", 'op'); // true
 * codeUsesName("// op.execute() cannot be undone\nthrow new Error('op');", 'op'); // false
 * ```
 */
export function codeUsesName(code: string, name: string): boolean {
  let text = '';
  for (let i = 0; i < code.length; ) {
    const c = code[i]!;
    if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
      text += ' ';
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
      text += ' ';
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      i = j + 1;
      text += ' ';
    } else if (c === '`') {
      // Kept as code, only so that quotes and slashes in it start nothing.
      let j = i + 1;
      while (j < code.length && code[j] !== '`') j += code[j] === '\\' ? 2 : 1;
      text += code.slice(i, j + 1);
      i = j + 1;
    } else {
      text += c;
      i++;
    }
  }
  const escaped = name.replace(/[$]/g, '\\$');
  return new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`).test(text);
}
