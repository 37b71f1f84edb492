import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { printStatements, printString, type Code, type Statement } from './code-printer.js';
import { numberCode, objectCode, stringCode, stringsCode } from './value-code.js';

const format = (text: string, printWidth = 100): Promise<string> => prettier.format(text, { parser: 'typescript', singleQuote: true, printWidth });

const call = (callee: string, ...args: Code[]): Code => ({ kind: 'call', callee, args });
const awaitOp = (method: string, ...args: Code[]): Statement => ({ kind: 'expression', await: true, expression: call(`op.${method}`, ...args) });
const long = (n: number, prefix = 'x'): string => prefix + 'y'.repeat(n - prefix.length);

describe('printString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`it's "x"`, `'it\\'s "x"'`],
    [`'a' "b" 'c'`, `"'a' \\"b\\" 'c'"`],
    ['a`b ${x}', "'a`b ${x}'"],
    ['back\\slash', "'back\\\\slash'"],
    ['line\nbreak\r\ttab', "'line\\nbreak\\r\\ttab'"],
    ['nul\0bell\x07del\x7f', "'nul\\x00bell\\x07del\\x7f'"],
    ['para\u2028graph\u2029', "'para\\u2028graph\\u2029'"],
    ['zero\u200bwidth\ufeff', "'zero\\u200bwidth\\ufeff'"],
    ['lone \ud800 surrogate', "'lone \\ud800 surrogate'"],
    ['café 表 🎉', "'café 表 🎉'"],
  ])('%j → %s', (value, expected) => {
    expect(printString(value)).toBe(expected);
    // The literal means the value again.
    expect(new Function(`return ${expected};`)()).toBe(value);
  });
});

describe('printStatements', () => {
  it('keeps a call that fits on one line', () => {
    expect(printStatements([awaitOp('renameTable', stringCode('a'), stringCode('b'))], 98)).toBe("await op.renameTable('a', 'b');");
  });

  it('hugs a last object argument, one property per line', () => {
    const column = objectCode([
      ['name', stringCode('Currency')],
      ['type', stringCode('varchar(3)')],
      ['nullable', { kind: 'boolean', value: false }],
      ['comment', stringCode('the currency of the invoice, as ISO 4217')],
    ]);
    expect(printStatements([awaitOp('addColumn', stringCode('Invoice'), column)], 98)).toBe(
      [
        "await op.addColumn('Invoice', {",
        "  name: 'Currency',",
        "  type: 'varchar(3)',",
        '  nullable: false,',
        "  comment: 'the currency of the invoice, as ISO 4217',",
        '});',
      ].join('\n'),
    );
  });

  it('wraps comments at the width, keeping each line a comment; escapes line terminators', () => {
    const text = `Data loss: ${'word '.repeat(30).trim()} end\u2028x`;
    const printed = printStatements([{ kind: 'comment', text }], 60);
    const lines = printed.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) {
      expect(l.startsWith('// ')).toBe(true);
      expect(l.length).toBeLessThanOrEqual(60);
    }
    expect(printed).toContain('end\\u2028x');
    expect(printStatements([{ kind: 'comment', text: 'a\n\nb' }], 60)).toBe('// a\n//\n// b');
  });

  // Prettier is the reference: printing these through Prettier must change nothing.
  const corpus: [string, Statement[]][] = [
    ['short calls', [awaitOp('dropTable', stringCode('x')), awaitOp('execute', stringCode('SELECT 1'), { kind: 'array', elements: [numberCode(1), numberCode(-2.5)] })]],
    ['a long string argument', [awaitOp('execute', stringCode(`UPDATE "t" SET a = 'b' WHERE ${long(90)}`))]],
    ['a long string property value (moves to the next line)', [awaitOp('createCheckConstraint', objectCode([['expression', stringCode(long(95))], ['name', stringCode('ck')]]))]],
    ['short keys never break after the colon', [awaitOp('x', objectCode([['sql', stringCode(long(110))], ['a', { kind: 'raw', text: 'null' }]]))]],
    [
      'fluid values: null, undefined, negative numbers, bigints, calls',
      [
        awaitOp(
          'bulkInsert',
          stringCode('t'),
          {
            kind: 'array',
            elements: [
              objectCode([
                ['someLongColumnName', { kind: 'raw', text: 'null' }],
                ['another_long_column', { kind: 'raw', text: 'undefined' }],
                ['negativeNumberColumn', numberCode(-12.5)],
                ['bigintColumn', { kind: 'raw', text: '123456789012345678901234567890n' }],
                ['createdAt', { kind: 'call', callee: 'Date', isNew: true, args: [stringCode('2026-01-02T03:04:05.000Z')] }],
                ['blob', call('Buffer.from', stringCode('AAEC/w=='), stringCode('base64'))],
              ]),
            ],
          },
        ),
      ],
    ],
    ['keys that need quotes', [awaitOp('bulkInsert', stringCode('t'), { kind: 'array', elements: [objectCode([['two words', numberCode(1)], ["it's", numberCode(2)], ['order', numberCode(3)], ['café', numberCode(4)], ['1a', numberCode(5)], ['$ok_1', numberCode(6)]])] })]],
    ['concise number arrays fill lines', [awaitOp('execute', stringCode('x'), { kind: 'array', elements: Array.from({ length: 60 }, (_, i) => numberCode(i * 1000 + 0.5)) })]],
    ['an array of objects with several keys always breaks', [awaitOp('bulkInsert', stringCode('t'), { kind: 'array', elements: [objectCode([['a', numberCode(1)], ['b', numberCode(2)]]), objectCode([['a', numberCode(3)], ['b', numberCode(4)]])] })]],
    ['an array of one-key objects stays flat', [awaitOp('bulkInsert', stringCode('t'), { kind: 'array', elements: [objectCode([['a', numberCode(1)]]), objectCode([['a', numberCode(3)]])] })]],
    ['last two arguments of one type: no hugging', [awaitOp('createForeignKey', stringCode(long(30)), stringCode('Album'), stringCode('Artist'), stringsCode([long(20)]), stringsCode([long(20)]))]],
    ['two arrays then an object', [awaitOp('createForeignKey', stringCode('fk'), stringCode('Album'), stringCode('Artist'), stringsCode(['a']), stringsCode(['b']), objectCode([['onDelete', stringCode('cascade')], ['onUpdate', stringCode('restrict')], ['referredSchema', stringCode('music')]]))]],
    ['an array then an object: the object hugs', [awaitOp('createIndex', stringCode('ix'), stringCode('Track'), stringsCode(['a', 'b']), objectCode([['unique', { kind: 'boolean', value: true }], ['where', stringCode(long(60))]]))]],
    [
      'a callback last: hugged; with options after it: all arguments broken out',
      [
        awaitOp('batchAlterTable', stringCode('user'), { kind: 'arrow', params: ['batch'], body: [{ kind: 'comment', text: 'Data loss: x' }, { kind: 'expression', expression: call('batch.dropColumn', stringCode('x')) }] }),
        awaitOp('batchAlterTable', stringCode('user'), { kind: 'arrow', params: ['batch'], body: [{ kind: 'expression', expression: call('batch.renameColumn', stringCode('x'), stringCode('y')) }] }, objectCode([['recreate', stringCode('always')]])),
        awaitOp('batchAlterTable', stringCode('empty'), { kind: 'arrow', params: ['batch'], body: [] }),
      ],
    ],
    ['a throw with a long message', [{ kind: 'throw', expression: { kind: 'call', callee: 'Error', isNew: true, args: [stringCode(long(120))] } }]],
    [
      'deep nesting with wide characters',
      [
        awaitOp(
          'createTable',
          stringCode('表'.repeat(10)),
          { kind: 'array', elements: [objectCode([['name', stringCode('🎉'.repeat(30))], ['type', call('enumType', stringCode('mood'), stringsCode(['表'.repeat(8), 'é'.repeat(20), 'e\u0301'.repeat(10)]))]])] },
          objectCode([['indexes', { kind: 'array', elements: [objectCode([['name', stringCode('ix')], ['columns', { kind: 'array', elements: [objectCode([['sql', stringCode('lower(x)')]]), stringCode('y')] }]])] }]]),
        ),
      ],
    ],
  ];

  it.each(corpus)('%s: as Prettier prints it', async (_title, statements) => {
    for (const width of [100, 60]) {
      const printed = printStatements(statements, width);
      expect(await format(printed, width)).toBe(printed + '\n');
    }
  });
});
