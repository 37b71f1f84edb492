import {
  breakParent,
  conditionalGroup,
  fill,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  line,
  printDoc,
  softline,
  stringWidth,
  willBreak,
  type Doc,
} from './doc-printer.js';

/**
 * The few kinds of TypeScript code a rendered revision holds, as a small syntax tree, and their
 * printing with the layout rules Prettier applies to the same nodes (call arguments that hug
 * their last object, array or callback; objects and arrays broken one entry per line with a
 * trailing comma; property values moved to the next line; quotes chosen to need the fewest
 * escapes). Printing a tree gives what Prettier prints for it with `singleQuote: true`.
 */
export type Code =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string; readonly signed: boolean }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** `null`, `undefined`, `NaN`, `10n`: text that never breaks. */
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'object'; readonly properties: readonly Property[] }
  | { readonly kind: 'array'; readonly elements: readonly Code[] }
  /** `callee(args)`; `callee` may be a member access (`op.addColumn`); `isNew` prints `new callee(args)`. */
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Code[]; readonly isNew?: boolean }
  /** `(params) => { body }`. */
  | { readonly kind: 'arrow'; readonly params: readonly string[]; readonly body: readonly Statement[] };

/** One property of an object literal. */
export interface Property {
  readonly key: string;
  readonly value: Code;
}

/** A statement: a `//` comment (one line per line of text), `expression;`, `await expression;` or `throw expression;`. */
export type Statement =
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'expression'; readonly expression: Code; readonly await?: boolean }
  | { readonly kind: 'throw'; readonly expression: Code };

/** An identifier name, written unquoted as a property key (Prettier's `quoteProps: 'as-needed'`). */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * A string as a TypeScript literal the way Prettier writes it with `singleQuote: true`: single
 * quotes unless the text holds more single than double quotes. Backslashes, the quote, and
 * characters that are invisible or end a line (control and format characters, line and
 * paragraph separators, lone surrogates) are escaped; other characters are kept as written.
 */
export function printString(value: string): string {
  let singles = 0;
  let doubles = 0;
  for (const ch of value) {
    if (ch === "'") singles++;
    else if (ch === '"') doubles++;
  }
  const quote = singles > doubles ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    if (ch === quote) out += '\\' + ch;
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(ch)) {
      const code = ch.codePointAt(0)!;
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
    } else out += ch;
  }
  return out + quote;
}

/** Text for a `//` comment: line terminators (which would end the comment) shown escaped. */
export function commentText(text: string): string {
  return text.replace(/[\r\u2028\u2029]/g, (c) => (c === '\r' ? '\\r' : `\\u${c.codePointAt(0)!.toString(16)}`));
}

/** Prettier's ESTree node type of a code node, where its layout rules look at types. */
function nodeType(code: Code): string {
  switch (code.kind) {
    case 'string':
      return 'StringLiteral';
    case 'number':
      return code.signed ? 'UnaryExpression' : 'NumericLiteral';
    case 'boolean':
      return 'BooleanLiteral';
    case 'raw':
      return 'Identifier';
    case 'object':
      return 'ObjectExpression';
    case 'array':
      return 'ArrayExpression';
    case 'call':
      return code.isNew ? 'NewExpression' : 'CallExpression';
    case 'arrow':
      return 'ArrowFunctionExpression';
  }
}

function couldExpand(code: Code): boolean {
  // Arrow functions here always have a block body, which Prettier hugs even when empty.
  return (code.kind === 'object' && code.properties.length > 0) || (code.kind === 'array' && code.elements.length > 0) || code.kind === 'arrow';
}

function isConciseArray(code: Code): boolean {
  return code.kind === 'array' && code.elements.length > 0 && code.elements.every((e) => e.kind === 'number');
}

function propertyDoc(property: Property): Doc {
  const key = IDENTIFIER.test(property.key) ? property.key : printString(property.key);
  const value = codeDoc(property.value);
  // Prettier's assignment layouts for an object property (the key is plain text here).
  const shortKey = stringWidth(key) < 2 + 3;
  if (property.value.kind === 'string' && !shortKey) return group([key, ':', group(indent([line, value]))]);
  const type = nodeType(property.value);
  if (shortKey || type === 'BooleanLiteral' || type === 'NumericLiteral') return group([key, ': ', value]);
  const id = Symbol('property');
  return group([key, ':', group(indent(line), { id }), indentIfBreak(value, id)]);
}

function arrayDoc(code: Extract<Code, { kind: 'array' }>): Doc {
  if (code.elements.length === 0) return '[]';
  const shouldBreak =
    code.elements.length > 1 &&
    code.elements.every(
      (e, i, all) =>
        (e.kind === 'object' || e.kind === 'array') &&
        (all[i + 1] === undefined || all[i + 1]!.kind === e.kind) &&
        (e.kind === 'object' ? e.properties.length : e.elements.length) > 1,
    );
  if (isConciseArray(code)) {
    const id = Symbol('array');
    const parts: Doc[] = [];
    code.elements.forEach((e, i) => {
      const last = i === code.elements.length - 1;
      parts.push([codeDoc(e), last ? ifBreak(',', '', id) : ',']);
      if (!last) parts.push(line);
    });
    return group(['[', indent([softline, fill(parts)]), softline, ']'], { shouldBreak, id });
  }
  return group(['[', indent([softline, join([',', line], code.elements.map((e) => group(codeDoc(e))))]), ifBreak(','), softline, ']'], { shouldBreak });
}

function objectDoc(code: Extract<Code, { kind: 'object' }>): Doc {
  if (code.properties.length === 0) return '{}';
  return group(['{', indent([line, join([',', line], code.properties.map(propertyDoc))]), ifBreak(','), line, '}']);
}

/** Prettier's `printCallArguments` for the argument kinds used here. */
function argumentsDoc(args: readonly Code[]): Doc {
  if (args.length === 0) return '()';
  const printed = args.map((a, i) => (i === args.length - 1 ? codeDoc(a) : [codeDoc(a), ',', line]));
  const allArgsBrokenOut = (): Doc => group(['(', indent([line, ...printed]), ',', line, ')'], { shouldBreak: true });
  const last = args[args.length - 1]!;
  const penultimate = args.length > 1 ? args[args.length - 2] : undefined;
  const expandLast =
    couldExpand(last) &&
    (!penultimate || nodeType(penultimate) !== nodeType(last)) &&
    (args.length !== 2 || penultimate?.kind !== 'arrow' || last.kind !== 'array') &&
    !(args.length > 1 && isConciseArray(last));
  if (expandLast) {
    const head = printed.slice(0, -1);
    if (head.some(willBreak)) return allArgsBrokenOut();
    const lastDoc = codeDoc(last);
    if (willBreak(lastDoc)) {
      return [breakParent, conditionalGroup([['(', ...head, group(lastDoc, { shouldBreak: true }), ')'], allArgsBrokenOut()])];
    }
    return conditionalGroup([['(', ...head, lastDoc, ')'], ['(', ...head, group(lastDoc, { shouldBreak: true }), ')'], allArgsBrokenOut()]);
  }
  return group(['(', indent([softline, ...printed]), ifBreak(','), softline, ')'], { shouldBreak: printed.some(willBreak) });
}

function blockDoc(body: readonly Statement[]): Doc {
  if (body.length === 0) return '{}';
  return ['{', indent([hardline, statementsDoc(body)]), hardline, '}'];
}

function codeDoc(code: Code): Doc {
  switch (code.kind) {
    case 'string':
      return printString(code.value);
    case 'number':
    case 'raw':
      return code.text;
    case 'boolean':
      return String(code.value);
    case 'object':
      return objectDoc(code);
    case 'array':
      return arrayDoc(code);
    case 'call': {
      if (code.isNew) return ['new ', code.callee, argumentsDoc(code.args)];
      // A call on a member (`op.addColumn(…)`) is a one-link member chain: Prettier groups it.
      return code.callee.includes('.') ? group([code.callee, argumentsDoc(code.args)]) : [code.callee, argumentsDoc(code.args)];
    }
    case 'arrow':
      return ['(', code.params.join(', '), ') => ', blockDoc(code.body)];
  }
}

/**
 * One line of comment text, its words filled to the print width: a line that would run past it
 * continues on a new `//` line (Prettier leaves comments as written, so this is the renderer's
 * own choice; a word longer than the width stays whole).
 */
function commentLineDoc(text: string): Doc {
  const words = commentText(text).split(' ').filter((w) => w !== '');
  if (words.length === 0) return '//';
  const separator = ifBreak([{ type: 'line', hard: true }, '// '], ' ');
  return fill(join(separator, words.map((w, i) => (i === 0 ? `// ${w}` : w))));
}

function statementDoc(statement: Statement): Doc {
  switch (statement.kind) {
    case 'comment':
      return join(hardline, statement.text.split('\n').map(commentLineDoc));
    case 'expression':
      return [statement.await ? 'await ' : '', codeDoc(statement.expression), ';'];
    case 'throw':
      return ['throw ', codeDoc(statement.expression), ';'];
  }
}

function statementsDoc(statements: readonly Statement[]): Doc {
  return join(hardline, statements.map(statementDoc));
}

/**
 * Prints statements, one after the other, as Prettier would.
 *
 * @param statements - the statements.
 * @param width - columns available (the print width less the indentation the text will get).
 * @returns the lines, joined with `\n`, without a final newline; `''` for no statements.
 */
export function printStatements(statements: readonly Statement[], width: number): string {
  return printDoc(statementsDoc(statements), width);
}
