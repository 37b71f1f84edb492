import { describe, expect, it } from 'vitest';
import { codeUsesName } from './code-uses-name.js';

describe('codeUsesName', () => {
  it('finds the name in code', () => {
    expect(codeUsesName("await op.renameTable('a', 'b');", 'op')).toBe(true);
    expect(codeUsesName('await helper(op);', 'op')).toBe(true);
    expect(codeUsesName('const { db } = op;', 'op')).toBe(true);
  });

  it('not in comments, quoted strings, other identifiers or properties', () => {
    expect(codeUsesName('// Nothing to do.', 'op')).toBe(false);
    expect(codeUsesName('/* op.execute() */', 'op')).toBe(false);
    expect(codeUsesName("throw new Error('op.execute() runs arbitrary SQL; \\'op\\'');", 'op')).toBe(false);
    expect(codeUsesName('throw new Error("op.dropTable(\'t\')");', 'op')).toBe(false);
    expect(codeUsesName('const ops = batch.op; stop();', 'op')).toBe(false);
    expect(codeUsesName('', 'op')).toBe(false);
  });

  it('counts a template literal as code (it may interpolate the name), and quotes in it start no string', () => {
    expect(codeUsesName('await sql`SELECT ${op.db}`;', 'op')).toBe(true);
    expect(codeUsesName("const s = `it's`; await op.execute(s);", 'op')).toBe(true);
  });

  it('escapes a $ in the name', () => {
    expect(codeUsesName('await $op.run();', '$op')).toBe(true);
    expect(codeUsesName('await xop.run();', '$op')).toBe(false);
  });
});
