import { describe, expect, it } from 'vitest';
import { parseColumnType } from './column-type.js';
import { checkIdentifier, columnFromInput, tableFromInput, tableSnapshotFromInput, type ColumnInput, type TableSnapshotInput } from './model-input.js';
import { DEFAULT_NAMING_CONVENTION } from './naming-convention.js';
import { operationErrorMessage } from '../testing/operation-error.js';

const D = DEFAULT_NAMING_CONVENTION;

/** Whether every nested object of a value is frozen. */
function deepFrozen(value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

describe('checkIdentifier', () => {
  it('returns a valid name unchanged', () => {
    expect(checkIdentifier('Invoice Line', 'table')).toBe('Invoice Line');
    expect(checkIdentifier('x'.repeat(128), 'column')).toBe('x'.repeat(128));
  });

  it.each<[unknown, string]>([
    ['', 'Invalid column name "".'],
    [' Name', 'Invalid column name " Name".'],
    ['Name ', 'Invalid column name "Name ".'],
    ['Na\0me', 'Invalid column name "Na\\u0000me".'],
    ['x'.repeat(129), `Invalid column name "${'x'.repeat(129)}".`],
    [42, 'Invalid column name 42.'],
    [undefined, 'Invalid column name undefined.'],
  ])('rejects %j', (name, message) => {
    expect(operationErrorMessage(() => checkIdentifier(name, 'column'))).toBe(message);
  });
});

describe('columnFromInput', () => {
  it('parses the type and defaults nullable to true', () => {
    const column = columnFromInput({ name: 'Currency', type: 'varchar(3)' });
    expect(column).toStrictEqual({ name: 'Currency', type: { name: 'varchar', args: [3], modifiers: [], array: false }, nullable: true });
    expect(deepFrozen(column)).toBe(true);
  });

  it('a primary key column defaults to not nullable', () => {
    expect(columnFromInput({ name: 'GenreId', type: 'integer', primaryKey: true, autoincrement: true })).toStrictEqual({
      name: 'GenreId',
      type: parseColumnType('integer'),
      nullable: false,
      primaryKey: true,
      autoincrement: true,
    });
  });

  it('keeps an explicit nullable, even on a primary key', () => {
    expect(columnFromInput({ name: 'Total', type: 'numeric(10,2)', nullable: false }).nullable).toBe(false);
    expect(columnFromInput({ name: 'Id', type: 'integer', primaryKey: true, nullable: true }).nullable).toBe(true);
  });

  it('keeps the other fields as given', () => {
    const input: ColumnInput = {
      name: 'Name',
      type: 'NVARCHAR(120)',
      unique: true,
      default: { sql: "''" },
      comment: 'display name',
      collation: 'NOCASE',
      generated: { sql: 'upper("Name")', stored: false },
    };
    expect(columnFromInput(input)).toStrictEqual({
      name: 'Name',
      type: { name: 'nvarchar', args: [120], modifiers: [], array: false },
      nullable: true,
      unique: true,
      default: { sql: "''" },
      comment: 'display name',
      collation: 'NOCASE',
      generated: { sql: 'upper("Name")', stored: false },
    });
  });

  it('accepts an already parsed type', () => {
    const type = parseColumnType('text[]');
    expect(columnFromInput({ name: 'Tags', type }).type).toBe(type);
  });

  it("turns a 'Table.Column' reference into an object (the last dot splits)", () => {
    expect(columnFromInput({ name: 'ArtistId', type: 'integer', references: 'Artist.ArtistId' }).references).toStrictEqual({ table: 'Artist', column: 'ArtistId' });
    expect(columnFromInput({ name: 'ArtistId', type: 'integer', references: 'music.Artist.ArtistId' }).references).toStrictEqual({
      table: 'music.Artist',
      column: 'ArtistId',
    });
  });

  it('copies an object reference with its actions, without freezing the caller’s object', () => {
    const references = { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' as const };
    const column = columnFromInput({ name: 'ArtistId', type: 'integer', references });
    expect(column.references).toStrictEqual({ table: 'Artist', column: 'ArtistId', onDelete: 'cascade' });
    expect(column.references).not.toBe(references);
    expect(Object.isFrozen(column.references)).toBe(true);
    expect(Object.isFrozen(references)).toBe(false);
  });

  it('does not mutate its input', () => {
    const input = { name: 'Currency', type: 'varchar(3)', references: 'Currency.Code' };
    const before = structuredClone(input);
    columnFromInput(input);
    expect(input).toStrictEqual(before);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it.each<[string, ColumnInput, string]>([
    ['an empty name', { name: '', type: 'integer' }, 'Invalid column name "".'],
    ['a name with spaces around it', { name: ' Id', type: 'integer' }, 'Invalid column name " Id".'],
    ['an invalid type', { name: 'Id', type: 'int; drop table x' }, "Invalid column type 'int; drop table x': 'int;' is not a type word."],
    ['an empty type', { name: 'Id', type: '' }, "Invalid column type '': it is empty."],
    ['a reference without a dot', { name: 'ArtistId', type: 'integer', references: 'Artist' }, "Invalid reference 'Artist' on column 'ArtistId': write 'Table.Column'."],
    ['a reference without a table', { name: 'ArtistId', type: 'integer', references: '.ArtistId' }, "Invalid reference '.ArtistId' on column 'ArtistId': write 'Table.Column'."],
    ['a reference without a column', { name: 'ArtistId', type: 'integer', references: 'Artist.' }, "Invalid reference 'Artist.' on column 'ArtistId': write 'Table.Column'."],
  ])('rejects %s', (_title, input, message) => {
    expect(operationErrorMessage(() => columnFromInput(input))).toBe(message);
  });

  it('rejects a definition that is not an object', () => {
    expect(operationErrorMessage(() => columnFromInput(null as unknown as ColumnInput))).toBe('Invalid column definition: null.');
    expect(operationErrorMessage(() => columnFromInput('Id integer' as unknown as ColumnInput))).toBe('Invalid column definition: "Id integer".');
  });
});

describe('tableFromInput', () => {
  const ID = { name: 'InvoiceLineId', type: 'integer' };

  it('builds a frozen snapshot with empty constraint lists by default', () => {
    const table = tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }], {}, D);
    expect(table).toStrictEqual({
      name: 'Genre',
      columns: [
        { name: 'GenreId', type: parseColumnType('integer'), nullable: false, primaryKey: true },
        { name: 'Name', type: parseColumnType('nvarchar(120)'), nullable: true },
      ],
      foreignKeys: [],
      uniqueConstraints: [],
      checkConstraints: [],
      indexes: [],
    });
    expect(deepFrozen(table)).toBe(true);
  });

  it('names unnamed pk, fk, uq, ck and ix from the convention', () => {
    const table = tableFromInput(
      'InvoiceLine',
      [ID, { name: 'InvoiceId', type: 'integer' }, { name: 'TrackId', type: 'integer' }, { name: 'Quantity', type: 'integer' }],
      {
        primaryKey: ['InvoiceId', 'TrackId'],
        foreignKeys: [{ columns: ['InvoiceId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'], onDelete: 'cascade' }],
        uniqueConstraints: [['InvoiceLineId'], { columns: ['TrackId', 'InvoiceId'] }],
        checkConstraints: [{ expression: '"Quantity" > 0' }],
        indexes: [{ columns: ['TrackId'] }, { columns: [{ sql: 'lower("x")' }, 'Quantity'], unique: true, where: '"Quantity" > 1' }],
      },
      D,
    );
    expect(table.primaryKey).toStrictEqual({ name: 'pk_InvoiceLine', columns: ['InvoiceId', 'TrackId'] });
    expect(table.foreignKeys).toStrictEqual([
      { name: 'fk_InvoiceLine_InvoiceId_Invoice', columns: ['InvoiceId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'], onDelete: 'cascade' },
    ]);
    expect(table.uniqueConstraints).toStrictEqual([
      { name: 'uq_InvoiceLine_InvoiceLineId', columns: ['InvoiceLineId'] },
      { name: 'uq_InvoiceLine_TrackId_InvoiceId', columns: ['TrackId', 'InvoiceId'] },
    ]);
    expect(table.checkConstraints).toStrictEqual([{ name: `ck_InvoiceLine_${hashOf('"Quantity" > 0')}`, expression: '"Quantity" > 0' }]);
    expect(table.indexes).toStrictEqual([
      { name: 'ix_InvoiceLine_TrackId', columns: ['TrackId'], unique: false },
      { name: 'ix_InvoiceLine_expr_Quantity', columns: [{ sql: 'lower("x")' }, 'Quantity'], unique: true, where: '"Quantity" > 1' },
    ]);
  });

  it('keeps given names', () => {
    const table = tableFromInput(
      'InvoiceLine',
      [ID, { name: 'InvoiceId', type: 'integer' }],
      {
        primaryKey: { name: 'InvoiceLine_pkey', columns: ['InvoiceLineId'] },
        foreignKeys: [{ name: 'line_invoice', columns: ['InvoiceId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'] }],
        uniqueConstraints: [{ name: 'one_line', columns: ['InvoiceId'] }],
        checkConstraints: [{ name: 'positive_id', expression: '"InvoiceLineId" > 0' }],
        indexes: [{ name: 'by_invoice', columns: ['InvoiceId'] }],
      },
      D,
    );
    expect(table.primaryKey?.name).toBe('InvoiceLine_pkey');
    expect(table.foreignKeys.map((f) => f.name)).toEqual(['line_invoice']);
    expect(table.uniqueConstraints.map((u) => u.name)).toEqual(['one_line']);
    expect(table.checkConstraints).toStrictEqual([{ name: 'positive_id', expression: '"InvoiceLineId" > 0' }]);
    expect(table.indexes.map((i) => i.name)).toEqual(['by_invoice']);
  });

  it("uses the project's convention", () => {
    const table = tableFromInput('Album', [{ name: 'ArtistId', type: 'integer' }], {
      primaryKey: { columns: ['ArtistId'] },
      foreignKeys: [{ columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }],
      indexes: [{ columns: ['ArtistId'] }],
    }, { pk: '%(table)s_pkey', fk: '%(table)s_%(column_0_name)s_fkey' });
    expect(table.primaryKey?.name).toBe('Album_pkey');
    expect(table.foreignKeys[0]?.name).toBe('Album_ArtistId_fkey');
    expect(table.indexes[0]?.name).toBe('ix_Album_ArtistId');
  });

  it('leaves constraints given name: null unnamed (no convention name)', () => {
    const table = tableFromInput(
      'T',
      [ID],
      {
        primaryKey: { name: null, columns: ['Id'] },
        foreignKeys: [{ name: null, columns: ['Id'], referredTable: 'P', referredColumns: ['PId'] }],
        uniqueConstraints: [{ name: null, columns: ['Id'] }],
        checkConstraints: [{ name: null, expression: '"Id" > 0' }],
      },
      D,
    );
    expect(table.primaryKey).toStrictEqual({ columns: ['Id'] });
    expect(table.foreignKeys).toStrictEqual([{ columns: ['Id'], referredTable: 'P', referredColumns: ['PId'] }]);
    expect(table.uniqueConstraints).toStrictEqual([{ columns: ['Id'] }]);
    expect(table.checkConstraints).toStrictEqual([{ expression: '"Id" > 0' }]);
  });

  it('keeps schema, comment, strict and withoutRowid; leaves false flags out', () => {
    expect(tableFromInput('T', [ID], { schema: 'billing', comment: 'lines', strict: true, withoutRowid: true }, D)).toMatchObject({
      schema: 'billing',
      comment: 'lines',
      strict: true,
      withoutRowid: true,
    });
    const plain = tableFromInput('T', [ID], { strict: false, withoutRowid: false }, D);
    expect('strict' in plain).toBe(false);
    expect('withoutRowid' in plain).toBe(false);
    expect('schema' in plain).toBe(false);
  });

  it('does not mutate or freeze its inputs', () => {
    const generated = { sql: '"Id" * 2', stored: true };
    const columns = [{ name: 'Id', type: 'integer', default: { sql: '1' } }, { name: 'Twice', type: 'integer', generated }];
    const expr = { sql: 'lower("x")' };
    const options = {
      primaryKey: ['Id'],
      foreignKeys: [{ columns: ['Id'], referredTable: 'P', referredColumns: ['PId'] }],
      uniqueConstraints: [['Id']],
      checkConstraints: [{ expression: '"Id" > 0' }],
      indexes: [{ columns: ['Id', expr] }],
    };
    const before = structuredClone({ columns, options });
    const table = tableFromInput('T', columns, options, D);
    expect({ columns, options }).toStrictEqual(before);
    expect(deepFrozen(table)).toBe(true);
    const caller: unknown[] = [
      columns[0],
      columns[0]?.default,
      generated,
      options.primaryKey,
      options.foreignKeys[0],
      options.foreignKeys[0]?.columns,
      options.foreignKeys[0]?.referredColumns,
      options.uniqueConstraints[0],
      options.checkConstraints[0],
      options.indexes[0],
      options.indexes[0]?.columns,
      expr,
    ];
    expect(caller.map((o) => Object.isFrozen(o))).toEqual(caller.map(() => false));
  });

  it('rejects a column declared twice', () => {
    expect(operationErrorMessage(() => tableFromInput('T', [ID, { name: 'InvoiceLineId', type: 'text' }], {}, D))).toBe(
      "createTable('T') declares column 'InvoiceLineId' twice.",
    );
  });

  it('rejects an empty column list', () => {
    expect(operationErrorMessage(() => tableFromInput('T', [], {}, D))).toBe("createTable('T') needs at least one column.");
    expect(operationErrorMessage(() => tableFromInput('T', undefined as unknown as ColumnInput[], {}, D))).toBe(
      "createTable('T') takes its columns as an array of { name, type, ... }, not undefined: write e.g. [{ name: 'id', type: 'integer', primaryKey: true }].",
    );
  });

  it('rejects an invalid table name and an invalid column', () => {
    expect(operationErrorMessage(() => tableFromInput('', [ID], {}, D))).toBe('Invalid table name "".');
    expect(operationErrorMessage(() => tableFromInput('T', [{ name: 'x', type: 'varchar()' }], {}, D))).toBe("Invalid column type 'varchar()': empty parentheses.");
  });
});

/** FNV-1a of a check expression, written out independently of naming-convention.ts. */
function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('tableSnapshotFromInput', () => {
  it('parses column types, fills nullable and the missing lists, names nothing, keeps the rest', () => {
    const input: TableSnapshotInput = {
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'code', type: parseColumnType('varchar(3)'), nullable: false, references: 'Currency.code' },
      ],
      primaryKey: { columns: ['id'] },
      foreignKeys: [{ columns: ['code'], referredTable: 'Currency', referredColumns: ['code'] }],
      strict: true,
      dependents: [{ type: 'index', name: 'ix', tableName: 'Invoice', sql: 'CREATE INDEX ix ON Invoice (code)' }],
    };
    const before = structuredClone(input);
    const table = tableSnapshotFromInput('Invoice', input);
    expect(table).toStrictEqual({
      name: 'Invoice',
      columns: [
        { name: 'id', type: parseColumnType('integer'), nullable: false, primaryKey: true },
        { name: 'code', type: parseColumnType('varchar(3)'), nullable: false, references: { table: 'Currency', column: 'code' } },
      ],
      primaryKey: { columns: ['id'] },
      foreignKeys: [{ columns: ['code'], referredTable: 'Currency', referredColumns: ['code'] }],
      uniqueConstraints: [],
      checkConstraints: [],
      indexes: [],
      strict: true,
      dependents: [{ type: 'index', name: 'ix', tableName: 'Invoice', sql: 'CREATE INDEX ix ON Invoice (code)' }],
    });
    expect(deepFrozen(table)).toBe(true);
    expect(input).toStrictEqual(before);
    expect(tableSnapshotFromInput('Other', { ...input, name: 'Invoice' }).name).toBe('Invoice');
  });

  it('refuses a definition without columns or with an invalid type, naming the table', () => {
    expect(operationErrorMessage(() => tableSnapshotFromInput('Invoice', {} as TableSnapshotInput))).toBe(
      "The definition of table 'Invoice' takes its columns as an array of { name, type, ... }, not undefined: write e.g. columns: [{ name: 'id', type: 'integer', primaryKey: true }].",
    );
    expect(operationErrorMessage(() => tableSnapshotFromInput('Invoice', { columns: [{ name: 'a', type: 'varchar(' }] }))).toMatch(/Invalid column type 'varchar\('/);
  });

  // "The definition of table 'Invoice' needs a columns array." before, whatever was wrong; lists
  // given as one object were kept as objects (and failed later, when the drop was reversed).
  it('refuses columns keyed by name, a list given as one object or a definition that is no object, naming the call and option, with what to write', () => {
    const EXISTING = { where: "dropTable('Invoice')", key: 'existing' };
    const message = (input: unknown, option: { where: string; key: string } | null = EXISTING) =>
      operationErrorMessage(() => tableSnapshotFromInput('Invoice', input as TableSnapshotInput, option ?? undefined));
    expect(message({ columns: { id: { type: 'integer', primaryKey: true }, code: { type: 'varchar(3)' } } })).toBe(
      "dropTable('Invoice') takes the columns of existing as an array of { name, type, ... }, not an object keyed by name: write columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'code', type: 'varchar(3)' }].",
    );
    expect(message({ columns: { id: { type: 'integer' } } }, null)).toBe(
      "The definition of table 'Invoice' takes its columns as an array of { name, type, ... }, not an object keyed by name: write columns: [{ name: 'id', type: 'integer' }].",
    );
    expect(message({ columns: [{ name: 'id', type: 'integer' }], indexes: { name: 'ix', columns: ['id'], unique: true } }, { where: "batchAlterTable('Invoice')", key: 'copyFrom' })).toBe(
      "batchAlterTable('Invoice') takes the indexes of copyFrom as an array, not one object: write indexes: [{ name: 'ix', columns: ['id'], unique: true }].",
    );
    expect(message([{ name: 'id', type: 'integer' }])).toBe("dropTable('Invoice') takes existing as a table's definition, { columns: [{ name, type, ... }], ... }, not an array.");
    expect(message('Invoice', null)).toBe("The definition of table 'Invoice' is a table's definition, { columns: [{ name, type, ... }], ... }, not a string.");
  });

  // A list given `null` was read as none before these checks (`input.indexes ?? []`), as
  // createTable's options still are: a revision written so (JavaScript, or a cast) still runs.
  it('reads a constraint or index list given as null as none', () => {
    const input = { columns: [{ name: 'id', type: 'integer' }], foreignKeys: null, uniqueConstraints: null, checkConstraints: null, indexes: null } as unknown as TableSnapshotInput;
    expect(tableSnapshotFromInput('Invoice', input, { where: "dropTable('Invoice')", key: 'existing' })).toMatchObject({ foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] });
  });
});
