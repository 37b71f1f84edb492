import { describe, expect, it } from 'vitest';
import { unqualifyOwnColumns } from './sqlite-sql-references.js';

describe('unqualifyOwnColumns', () => {
  it("drops the table's own name before a column, however quoted or cased", () => {
    expect(unqualifyOwnColumns(`"users"."ratio" >= 0`, 'users')).toBe(`"ratio" >= 0`);
    expect(unqualifyOwnColumns('`Users`.`a` + USERS.b > [users].[c]', 'users')).toBe('`a` + b > [c]');
  });

  it('keeps another table, a schema-qualified name, string literals and a call as written', () => {
    expect(unqualifyOwnColumns(`posts.views > 0 AND note <> 'users.x' AND main.users.y > 0`, 'users')).toBe(`posts.views > 0 AND note <> 'users.x' AND main.users.y > 0`);
    expect(unqualifyOwnColumns('users > 0', 'users')).toBe('users > 0');
  });
});
