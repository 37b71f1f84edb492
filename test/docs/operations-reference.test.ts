// docs/operations.md documents every `op.*` operation: a heading per method of the Operations
// facade, a row per method of the batch builder (so a new op cannot ship undocumented). Its code
// blocks are type-checked by examples.test.ts.
import { readFileSync } from 'node:fs';
import { BatchOperations, Operations } from '@multidb/core';
import { describe, expect, it } from 'vitest';

const DOC = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const methods = (proto: object) =>
  Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function');

describe('docs/operations.md', () => {
  it('has a section for every method of op', () => {
    const names = methods(Operations.prototype);
    expect(names.length).toBeGreaterThan(20);
    const missing = names.filter((name) => !new RegExp(`^### \`op\\.${name}\\(`, 'm').test(DOC));
    expect(missing).toEqual([]);
    for (const property of ['db', 'bind', 'dialectName']) expect(DOC).toMatch(new RegExp(`^### .*\`op\\.${property}\``, 'm'));
  });

  it('lists every method of the batch builder', () => {
    const names = methods(BatchOperations.prototype);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !DOC.includes(`| \`batch.${name}(`))).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain('(docs/operations.md)');
  });
});
