import { describe, expect, it } from 'vitest';
import { renameSqlIdentifiers } from './rename-sql-identifiers.js';

describe('renameSqlIdentifiers', () => {
  const total = new Map([['total', 'amount']]);

  it('renames bare (any case) and quoted names, keeping the quotes', () => {
    expect(renameSqlIdentifiers('total > 0 AND "total" < 10 AND `total` <> 5 AND [total] <> 6 AND TOTAL <> 7', total)).toBe(
      'amount > 0 AND "amount" < 10 AND `amount` <> 5 AND [amount] <> 6 AND amount <> 7',
    );
  });

  it('leaves string literals, longer words, other quoted names and numbers alone', () => {
    const sql = "note <> 'total' AND total_2 > 0 AND \"Total\" > 1 AND 1e5 > 0";
    expect(renameSqlIdentifiers(sql, total)).toBe(sql);
  });

  it('applies all renames in one pass (a swap works)', () => {
    expect(renameSqlIdentifiers('a < b', new Map([['a', 'b'], ['b', 'a']]))).toBe('b < a');
  });

  it('quotes a new name that is not a plain word', () => {
    expect(renameSqlIdentifiers('total > 0', new Map([['total', 'grand total']]))).toBe('"grand total" > 0');
  });
});
