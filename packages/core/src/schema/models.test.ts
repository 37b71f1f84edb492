import { describe, expect, it } from 'vitest';
import { EnumConflictError } from '../errors.js';
import { operationErrorMessage } from '../testing/operation-error.js';
import { thrown } from '../testing/revision-fixture.js';
import { enumType } from './column-type.js';
import { defineModels, resolveModels, type TableModel } from './models.js';
import { DEFAULT_NAMING_CONVENTION } from './naming-convention.js';

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

  // "Model table 'book' needs at least one column." before; an `indexes` object was ignored here,
  // and failed with "(options.indexes ?? []).map is not a function" when the table was compiled.
  it('refuses columns written as an object keyed by name, and indexes as one object, saying what to write', () => {
    expect(operationErrorMessage(() => defineModels({ tables: [{ name: 'book', columns: { id: { type: 'integer', primaryKey: true }, title: { type: 'text' } } as never }] }))).toBe(
      "Model table 'book' takes its columns as an array of { name, type, ... }, not an object keyed by name: write [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'title', type: 'text' }].",
    );
    expect(operationErrorMessage(() => defineModels({ tables: [table({ indexes: { columns: ['title'] } as never })] }))).toBe(
      "Model table 'book' takes indexes as an array, not one object: write indexes: [{ columns: ['title'] }].",
    );
  });

  // A table option given as null (or the composite key false) is none, as createTable has always
  // read it (and models, but for a null primaryKey: "Cannot read properties of null"); the checks
  // that an option is an array refused them ("takes indexes as an array, not null").
  it('reads a table option given as null, and a primary key false, as none', () => {
    const models = defineModels({
      tables: [table({ primaryKey: null, foreignKeys: null, uniqueConstraints: null, checkConstraints: null, indexes: null } as never), { ...table({ primaryKey: false as never }), name: 'tag' }],
    });
    const [book, tag] = resolveModels(models, { dialect: 'sqlite', namingConvention: DEFAULT_NAMING_CONVENTION }).tables;
    expect([book, tag].map((t) => [t!.name, t!.primaryKey, t!.foreignKeys, t!.uniqueConstraints, t!.checkConstraints, t!.indexes])).toEqual([
      ['book', undefined, [], [], [], []],
      ['tag', undefined, [], [], [], []],
    ]);
  });

  // 'ix.columns is not iterable' (a TypeError) before.
  it('refuses an index written as its column, saying what to write', () => {
    expect(operationErrorMessage(() => defineModels({ tables: [table({ indexes: ['title'] as never })] }))).toBe(
      "Model table 'book' takes each index as an object { columns, name?, unique?, ... }, not a string ('title'): write indexes: [{ columns: ['title'] }].",
    );
  });

  it('accepts expression index terms and column names in another case (SQLite and MySQL match them so)', () => {
    expect(() => defineModels({ tables: [table({ indexes: [{ name: 'ix_book_lower_title', columns: [{ sql: 'lower(title)' }, 'Author_Id'] }] })] })).not.toThrow();
  });
});

describe('defineModels: column keys and types', () => {
  it('refuses a column key it does not know (it was ignored: the revision could not be rendered later), naming the column, the key it likely meant and the keys it takes', () => {
    const message = operationErrorMessage(() => defineModels({ tables: [{ name: 'txn', columns: [id, { name: 'n', type: 'integer', serverDefault: '0' } as never] }] }));
    expect(message).toMatch(/^Model column 'txn\.n': unknown key 'serverDefault' \(a default the database computes is default: \{ sql: '…' \}\); a column takes name, type, variants, nullable/);
    expect(operationErrorMessage(() => defineModels({ tables: [{ name: 'txn', columns: [id, { name: 'n', type: 'integer', nulable: true, uniq: true } as never] }] }))).toMatch(
      /unknown keys 'nulable' \(did you mean nullable\?\), 'uniq' \(did you mean unique\?\); a column takes/,
    );
  });

  // Models load through sucrase, without a type check: a table's `checks` (Drizzle's word) or
  // `index` was ignored without a word, so `check` passed and no revision ever made the constraint.
  it('refuses a key of the models, a table, an enum or an index it does not know, naming where and the key meant', () => {
    expect(operationErrorMessage(() => defineModels({ tables: [table({ checks: [{ name: 'ck_title', expression: "title <> ''" }] } as never)] }))).toBe(
      "Model table 'book': unknown key 'checks' (did you mean checkConstraints?); it takes name, columns, schema, primaryKey, foreignKeys, uniqueConstraints, checkConstraints, indexes, comment, strict, withoutRowid.",
    );
    expect(operationErrorMessage(() => defineModels({ tables: [table({ index: [{ columns: ['title'] }] } as never)] }))).toMatch(/^Model table 'book': unknown key 'index' \(did you mean indexes\?\)/);
    expect(operationErrorMessage(() => defineModels({ tables: [table({ indexes: [{ columns: ['title'], uniq: true } as never] })] }))).toMatch(
      /^Model table 'book', index #1: unknown key 'uniq' \(did you mean unique\?\); it takes name, columns, unique, where/,
    );
    expect(operationErrorMessage(() => defineModels({ tables: [], enums: [{ name: 'mood', values: ['ok'], valeus: ['x'] } as never] }))).toMatch(
      /^Model enum 'mood': unknown key 'valeus' \(did you mean values\?\)/,
    );
    expect(operationErrorMessage(() => defineModels({ tables: [], enum: [] } as never))).toBe("defineModels(): unknown key 'enum' (did you mean enums?); it takes tables, enums.");
  });

  it('refuses a type object that is not a parsed type, saying how to write one ("input.args is not iterable" before)', () => {
    const message = operationErrorMessage(() => defineModels({ tables: [{ name: 'account', columns: [id, { name: 'status', type: { enum: ['a', 'b'], name: 'account_status' } as never }] }] }));
    expect(message).toMatch(/^Model column 'account\.status': Invalid column type: .*enumType\('name', \['a', 'b'\]\)/);
  });
});

describe('resolveModels: enums a column declares with enumType', () => {
  const status = (values: readonly string[] = ['active', 'closed'], schema?: string) => ({ name: 'status', type: enumType('account_status', values, schema), nullable: false, default: 'active' });
  const account = (...columns: TableModel['columns']): TableModel => ({ name: 'account', columns: [id, ...columns] });
  const resolve = (definition: Parameters<typeof defineModels>[0], namedEnums = true) =>
    resolveModels(defineModels(definition), { dialect: 'postgres', namingConvention: DEFAULT_NAMING_CONVENTION, namedEnums });

  // PostgreSQL: autogenerate creates only the enums the snapshot lists; a column's enum left out
  // gave `ADD COLUMN status account_status` with no CREATE TYPE, refused by the database.
  it('lists an enum only a column declares, once, as if the models listed it', () => {
    const snapshot = resolve({ tables: [account(status()), { name: 'closure', columns: [id, { ...status(), name: 'from_status' }] }] });
    expect(snapshot.enums).toEqual([{ name: 'account_status', values: ['active', 'closed'] }]);
    expect(snapshot.tables.find((t) => t.name === 'account')?.columns[1]?.type.enumName).toBe('account_status');
  });

  it('keeps the enum schema a column gives, and an enum the models list and a column repeats is one', () => {
    expect(resolve({ tables: [account(status(['a'], 'sales'))] }).enums).toEqual([{ name: 'account_status', schema: 'sales', values: ['a'] }]);
    const both = resolve({ enums: [{ name: 'account_status', values: ['active', 'closed'] }], tables: [account(status(), { name: 'by_name', type: 'account_status' })] });
    expect(both.enums).toEqual([{ name: 'account_status', values: ['active', 'closed'] }]);
  });

  it('takes the type variant of the dialect', () => {
    const snapshot = resolve({ tables: [account({ name: 'status', type: 'text', variants: { postgres: enumType('account_status', ['active']) } })] });
    expect(snapshot.enums.map((e) => e.name)).toEqual(['account_status']);
    const sqlite = resolveModels(defineModels({ tables: [account({ name: 'status', type: 'text', variants: { sqlite: enumType('account_status', ['active']) } })] }), {
      dialect: 'postgres',
      namingConvention: DEFAULT_NAMING_CONVENTION,
      namedEnums: true,
    });
    expect(sqlite.enums).toEqual([]);
  });

  it('refuses one enum declared with other members in the models enums and a column, naming both places and both lists', () => {
    const error = thrown(() => resolve({ enums: [{ name: 'account_status', values: ['active', 'closed'] }], tables: [account(status(['active', 'closed', 'frozen']))] }));
    expect(error).toBeInstanceOf(EnumConflictError);
    const conflict = error as EnumConflictError;
    expect([conflict.enumName, conflict.schema, conflict.first, conflict.second]).toEqual([
      'account_status',
      undefined,
      { source: "the models' enums", values: ['active', 'closed'] },
      { source: "column 'account.status'", values: ['active', 'closed', 'frozen'] },
    ]);
    expect(conflict.message).toBe(
      "Enum 'account_status' is declared twice with different members: by the models' enums ('active', 'closed') and by column 'account.status' ('active', 'closed', 'frozen'). " +
        "Declare it once in defineModels({ enums: [{ name: 'account_status', values: [...] }] }) and give its columns type: 'account_status', " +
        "or give every enumType('account_status', ...) the same members in the same order.",
    );
  });

  it('refuses two columns that declare one enum with members in another order', () => {
    const error = thrown(() => resolve({ tables: [account(status()), { name: 'closure', schema: 'audit', columns: [id, { ...status(['closed', 'active']), name: 'was' }] }] }));
    expect(error).toBeInstanceOf(EnumConflictError);
    expect((error as EnumConflictError).message).toMatch(/^Enum 'account_status' is declared twice with different members: by column 'account\.status' \('active', 'closed'\) and by column 'audit\.closure\.was' \('closed', 'active'\)\./);
  });

  // MySQL's ENUM is inline and SQLite's is text: the name means nothing there.
  it('changes nothing without namedEnums: no enums listed, no conflict', () => {
    const snapshot = resolve({ tables: [account(status()), { name: 'closure', columns: [id, { ...status(['x']), name: 'was' }] }] }, false);
    expect(snapshot.enums).toEqual([]);
  });
});
