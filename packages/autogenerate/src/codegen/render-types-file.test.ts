import { describe, expect, it } from 'vitest';
import { renderTypesFile, sameTypes } from './render-types-file.js';

const body = 'export interface Item {\n  ItemId: number;\n}\n\nexport interface DB {\n  Item: Item;\n}\n';

describe('sameTypes', () => {
  it('a types file whose header names another DB alias (the revision template changed) is the same types', () => {
    expect(sameTypes(renderTypesFile('db2', 'sqlite', body, 'Db2'), renderTypesFile('db2', 'sqlite', body, 'Db2Db'))).toBe(true);
    expect(sameTypes(renderTypesFile('db2', 'sqlite', body), renderTypesFile('db2', 'sqlite', body))).toBe(true);
  });

  it('any other difference is not: the types, the bind, the dialect, a line removed from the header', () => {
    const now = renderTypesFile('db2', 'sqlite', body, 'Db2');
    expect(sameTypes(renderTypesFile('db2', 'sqlite', body.replace('ItemId: number', 'ItemId: string'), 'Db2'), now)).toBe(false);
    expect(sameTypes(renderTypesFile('db3', 'sqlite', body, 'Db2'), now)).toBe(false);
    expect(sameTypes(renderTypesFile('db2', 'mariadb', body, 'Db2'), now)).toBe(false);
    expect(sameTypes(now.split('\n').filter((line) => !line.startsWith('// run ')).join('\n'), now)).toBe(false);
    expect(sameTypes(body, now)).toBe(false);
  });
});
