import { describe, expect, it } from 'vitest';
import { revisionTypesName } from './revision-types-name.js';

describe('revisionTypesName', () => {
  it('is the bind in PascalCase, Db in front when it would not start with a letter', () => {
    expect(['db2', 'sales-eu', 'sales_eu', '__x--y', '2024_archive', 'Main'].map((b) => revisionTypesName(b))).toEqual(['Db2', 'SalesEu', 'SalesEu', 'XY', 'Db2024Archive', 'Main']);
  });

  it('appends Db, then a number, when the template already uses the name', () => {
    const template = 'import type { Operations } from "@multidb/core";\nexport async function upgrade(op: ${operationsType}): Promise<void> {}\n';
    expect(revisionTypesName('operations', template)).toBe('OperationsDb');
    expect(revisionTypesName('promise', template)).toBe('PromiseDb');
    expect(revisionTypesName('operations', `${template}type OperationsDb = 1;`)).toBe('OperationsDb2');
    // A longer identifier holding the name is no clash.
    expect(revisionTypesName('operation', template)).toBe('Operation');
    expect(revisionTypesName('db2', template)).toBe('Db2');
  });
});
