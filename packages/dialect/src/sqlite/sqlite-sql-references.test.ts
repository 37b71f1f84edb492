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

  it('with a schema, drops that schema and the table before a column too (a rebuild); another schema or a longer chain is kept', () => {
    expect(unqualifyOwnColumns(`main.users.ratio >= 0 AND "Main"."USERS"."ratio" < 9`, 'users', { schema: 'main' })).toBe(`ratio >= 0 AND "ratio" < 9`);
    expect(unqualifyOwnColumns(`aux.users.ratio >= 0 AND users.ratio < 9`, 'users', { schema: 'main' })).toBe(`aux.users.ratio >= 0 AND ratio < 9`);
    expect(unqualifyOwnColumns(`aux.users.ratio >= 0`, 'users', { schema: 'aux' })).toBe(`ratio >= 0`);
    expect(unqualifyOwnColumns(`x.main.users.ratio >= 0 AND note <> 'main.users.ratio'`, 'users', { schema: 'main' })).toBe(`x.main.users.ratio >= 0 AND note <> 'main.users.ratio'`);
  });
});
