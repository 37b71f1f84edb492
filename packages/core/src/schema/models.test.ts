import { describe, expect, it } from 'vitest';
import { defineModels, type TableModel } from './models.js';
import { operationErrorMessage } from '../testing/operation-error.js';

const id = { name: 'id', type: 'integer', primaryKey: true } as const;
const table = (rest: Partial<TableModel>): TableModel => ({ name: 'book', columns: [id, { name: 'author_id', type: 'integer' }, { name: 'title', type: 'text' }], ...rest });

describe('defineModels', () => {
  // Autogenerate would otherwise write a revision that the database refuses only when it runs.
  it('refuses a key, constraint or index that names a column the table does not have', () => {
    expect(operationErrorMessage(() => defineModels({ tables: [table({ indexes: [{ columns: ['author_id', 'titel'] }] })] }))).toBe(
      "Model table 'book': an index names column 'titel', which the table does not have (columns: id, author_id, title).",
    );
    expect(operationErrorMessage(() => defineModels({ tables: [table({ uniqueConstraints: [['isbn']] })] }))).toMatch(/^Model table 'book': a unique constraint names column 'isbn'/);
    expect(operationErrorMessage(() => defineModels({ tables: [table({ primaryKey: ['id', 'nope'] })] }))).toMatch(/the primary key names column 'nope'/);
    expect(operationErrorMessage(() => defineModels({ tables: [table({ foreignKeys: [{ columns: ['writer_id'], referredTable: 'author', referredColumns: ['id'] }] })] }))).toMatch(
      /the foreign key to 'author' names column 'writer_id'/,
    );
  });

  it('refuses a foreign key whose referred columns are not one per column', () => {
    expect(
      operationErrorMessage(() => defineModels({ tables: [table({ foreignKeys: [{ columns: ['author_id', 'title'], referredTable: 'author', referredColumns: ['id'] }] })] })),
    ).toBe("Model table 'book': the foreign key (author_id, title) to 'author' refers to 1 column(s) (id); give one for each of its 2.");
  });

  it('accepts expression index terms and column names in another case (SQLite and MySQL match them so)', () => {
    expect(() => defineModels({ tables: [table({ indexes: [{ name: 'ix_book_lower_title', columns: [{ sql: 'lower(title)' }, 'Author_Id'] }] })] })).not.toThrow();
  });
});
