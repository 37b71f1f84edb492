import { OperationError, parseColumnType, UnsupportedOperationError, type Op, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { buildOps, compileOps, context, sqlOf } from './helpers.js';

const compile = (op: Op) => sqliteDialect.compile(op, context());

describe('sqlite compile: exact SQL', () => {
  it('createTable with column constraints, table constraints, options and indexes', async () => {
    const statements = await compileOps((op) =>
      op.createTable(
        'Invoice',
        [
          { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
          { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', collation: 'NOCASE' },
          { name: 'Total', type: 'NUMERIC(10, 2)', nullable: false, default: 0, comment: 'ignored on SQLite' },
          { name: 'Paid', type: 'boolean', default: false },
          { name: 'Code', type: 'nvarchar(40)', unique: true },
          { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Day', type: 'text', default: { sql: "date('now')" } },
          { name: 'Doubled', type: 'numeric', generated: { sql: '"Total" * 2', stored: false } },
        ],
        {
          uniqueConstraints: [['CustomerId', 'Code']],
          checkConstraints: [{ name: 'positive', expression: '"Total" >= 0' }],
          indexes: [{ columns: ['CustomerId'] }, { name: 'ix_open', columns: ['Paid'], where: '"Paid" = 0', unique: false }],
        },
      ),
    );
    expect(statements).toEqual([
      {
        sql: [
          'CREATE TABLE "Invoice" (',
          '  "InvoiceId" integer NOT NULL CONSTRAINT "pk_Invoice" PRIMARY KEY AUTOINCREMENT,',
          '  "CustomerId" integer NOT NULL REFERENCES "Customer" ("CustomerId") ON DELETE CASCADE,',
          `  "Currency" varchar(3) NOT NULL DEFAULT 'USD' COLLATE NOCASE,`,
          '  "Total" numeric(10,2) NOT NULL DEFAULT 0,',
          '  "Paid" boolean DEFAULT 0,',
          '  "Code" nvarchar(40) CONSTRAINT "uq_Invoice_Code" UNIQUE,',
          '  "CreatedAt" datetime DEFAULT CURRENT_TIMESTAMP,',
          `  "Day" text DEFAULT (date('now')),`,
          '  "Doubled" numeric GENERATED ALWAYS AS ("Total" * 2) VIRTUAL,',
          '  CONSTRAINT "uq_Invoice_CustomerId_Code" UNIQUE ("CustomerId", "Code"),',
          '  CONSTRAINT "positive" CHECK ("Total" >= 0)',
          ')',
        ].join('\n'),
        parameters: [],
      },
      { sql: 'CREATE INDEX "ix_Invoice_CustomerId" ON "Invoice" ("CustomerId")', parameters: [] },
      { sql: 'CREATE INDEX "ix_open" ON "Invoice" ("Paid") WHERE "Paid" = 0', parameters: [] },
    ]);
  });

  it('createTable with a named composite key, foreign keys, STRICT and WITHOUT ROWID, if not exists', async () => {
    expect(
      await sqlOf((op) =>
        op.createTable(
          'PlaylistTrack',
          [
            { name: 'PlaylistId', type: 'integer', nullable: false },
            { name: 'TrackId', type: 'integer', nullable: false },
            { name: 'Note', type: 'varchar(20)' },
          ],
          {
            primaryKey: ['PlaylistId', 'TrackId'],
            foreignKeys: [
              { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'], onDelete: 'cascade', onUpdate: 'no action' },
              { name: 'fk_track', columns: ['TrackId'], referredTable: 'Track', referredColumns: ['TrackId'] },
            ],
            strict: true,
            withoutRowid: true,
            indexes: [{ columns: ['TrackId'], unique: true }],
            ifNotExists: true,
          },
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE IF NOT EXISTS "PlaylistTrack" (',
        '  "PlaylistId" INTEGER NOT NULL,',
        '  "TrackId" INTEGER NOT NULL,',
        '  "Note" TEXT,',
        '  CONSTRAINT "pk_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"),',
        '  CONSTRAINT "fk_PlaylistTrack_PlaylistId_Playlist" FOREIGN KEY ("PlaylistId") REFERENCES "Playlist" ("PlaylistId") ON DELETE CASCADE ON UPDATE NO ACTION,',
        '  CONSTRAINT "fk_track" FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId")',
        ') WITHOUT ROWID, STRICT',
      ].join('\n'),
      'CREATE UNIQUE INDEX IF NOT EXISTS "ix_PlaylistTrack_TrackId" ON "PlaylistTrack" ("TrackId")',
    ]);
  });

  it('a table-level single-column autoincrement key, and several flagged key columns', async () => {
    expect(
      await sqlOf((op) =>
        op.createTable('A', [{ name: 'id', type: 'int', autoincrement: true }, { name: 'x', type: 'text' }], { primaryKey: { name: 'pk_a', columns: ['id'] } }),
      ),
    ).toEqual(['CREATE TABLE "A" (\n  "id" integer,\n  "x" text,\n  CONSTRAINT "pk_a" PRIMARY KEY ("id" AUTOINCREMENT)\n)']);
    expect(
      await sqlOf((op) =>
        op.createTable('B', [
          { name: 'a', type: 'integer', primaryKey: true },
          { name: 'b', type: 'text', primaryKey: true },
        ]),
      ),
    ).toEqual(['CREATE TABLE "B" (\n  "a" integer NOT NULL,\n  "b" text NOT NULL,\n  CONSTRAINT "pk_B" PRIMARY KEY ("a", "b")\n)']);
  });

  it('quotes identifiers, doubling embedded quotes, and qualifies schema names', async () => {
    expect(await sqlOf((op) => op.renameTable('we"ird', 'new "name"'))).toEqual(['ALTER TABLE "we""ird" RENAME TO "new ""name"""']);
    expect(await sqlOf((op) => op.dropTable('Invoice', { schema: 'aux', ifExists: true }))).toEqual(['DROP TABLE IF EXISTS "aux"."Invoice"']);
    expect(await sqlOf((op) => op.createIndex('ix', 'T', ['a'], { schema: 'aux' }))).toEqual(['CREATE INDEX "aux"."ix" ON "T" ("a")']);
    expect(sqliteDialect.quoteIdentifier('a"b')).toBe('"a""b"');
  });

  it('simple ALTERs', async () => {
    expect(
      await sqlOf(async (op) => {
        await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
        await op.addColumn('Invoice', { name: 'Ref', type: 'integer', references: 'Other.Id' });
        await op.addColumn('Invoice', { name: 'Half', type: 'real', generated: { sql: '"Total" / 2', stored: false } });
        await op.dropColumn('Invoice', 'Currency');
        await op.renameColumn('Invoice', 'Total', 'Amount');
        await op.alterColumn('Invoice', 'Amount', { newName: 'Total', comment: 'comments are ignored' });
        await op.alterColumn('Invoice', 'Total', { comment: 'only a comment' });
        await op.createIndex(null, 'Invoice', ['Total', 'Ref'], { unique: true, where: '"Total" > 0', ifNotExists: true });
        await op.dropIndex('ix_x');
        await op.dropTable('Invoice');
      }),
    ).toEqual([
      `ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3) NOT NULL DEFAULT 'USD'`,
      'ALTER TABLE "Invoice" ADD COLUMN "Ref" integer REFERENCES "Other" ("Id")',
      'ALTER TABLE "Invoice" ADD COLUMN "Half" real GENERATED ALWAYS AS ("Total" / 2) VIRTUAL',
      'ALTER TABLE "Invoice" DROP COLUMN "Currency"',
      'ALTER TABLE "Invoice" RENAME COLUMN "Total" TO "Amount"',
      'ALTER TABLE "Invoice" RENAME COLUMN "Amount" TO "Total"',
      'CREATE UNIQUE INDEX IF NOT EXISTS "ix_Invoice_Total_Ref" ON "Invoice" ("Total", "Ref") WHERE "Total" > 0',
      'DROP INDEX "ix_x"',
      'DROP TABLE "Invoice"',
    ]);
  });

  it('maps the type of an added column in a STRICT table when its snapshot is given', async () => {
    const strictTable = { name: 'S', columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [], strict: true };
    const [statement] = await compileOps((op) => op.addColumn('S', { name: 'Code', type: 'varchar(3)' }), [strictTable]);
    expect(statement!.sql).toBe('ALTER TABLE "S" ADD COLUMN "Code" TEXT');
  });

  it('execute: one statement with its parameters, converted for better-sqlite3', async () => {
    const when = new Date('2024-01-31T12:00:00.000Z');
    expect(await compileOps((op) => op.execute('UPDATE "T" SET a = ?, b = ?, c = ? WHERE d = ?', [true, when, { k: [1] }, null]))).toEqual([
      { sql: 'UPDATE "T" SET a = ?, b = ?, c = ? WHERE d = ?', parameters: [1, '2024-01-31T12:00:00.000Z', '{"k":[1]}', null] },
    ]);
  });

  it('bulkInsert: grouped by key set, values as parameters, missing keys left to defaults', async () => {
    expect(
      await compileOps((op) =>
        op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2 }, { Name: "O'Reilly", GenreId: 3 }, {}, { GenreId: 4, Name: undefined }]),
      ),
    ).toEqual([
      { sql: 'insert into "Genre" ("GenreId", "Name") values (?, ?), (?, ?)', parameters: [1, 'Rock', 3, "O'Reilly"] },
      { sql: 'insert into "Genre" ("GenreId") values (?), (?)', parameters: [2, 4] },
      { sql: 'insert into "Genre" default values', parameters: [] },
    ]);
    expect(await compileOps((op) => op.bulkInsert('we.ird', [{ a: true }], { schema: 'aux' }))).toEqual([
      { sql: 'insert into "aux"."we.ird" ("a") values (?)', parameters: [1] },
    ]);
  });

  it('bulkInsert: chunks so rows × columns stays within 32,766 parameters', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ a: i, b: i, c: i, d: i }));
    const statements = await compileOps((op) => op.bulkInsert('T', rows));
    expect(statements.map((s) => s.parameters.length)).toEqual([32_764, 7_236]);
    expect(statements.every((s) => s.parameters.length <= sqliteDialect.capabilities.maxParameters)).toBe(true);
  });

  it('batchAlterTable of natively possible ops compiles to plain ALTERs', async () => {
    expect(
      await sqlOf((op) =>
        op.batchAlterTable('Invoice', (batch) => {
          batch.addColumn({ name: 'Note', type: 'text' });
          batch.renameColumn('Total', 'Amount');
          batch.createIndex('ix_note', ['Note']);
        }),
      ),
    ).toEqual([
      'ALTER TABLE "Invoice" ADD COLUMN "Note" text',
      'ALTER TABLE "Invoice" RENAME COLUMN "Total" TO "Amount"',
      'CREATE INDEX "ix_note" ON "Invoice" ("Note")',
    ]);
  });
});

describe('sqlite compile: what needs a table rebuild, and what SQLite cannot do at all', () => {
  const shape: TableSnapshot = {
    name: 'T',
    columns: [
      { name: 'id', type: parseColumnType('integer'), nullable: false, primaryKey: true },
      { name: 'c', type: parseColumnType('text'), nullable: true },
    ],
    foreignKeys: [],
    uniqueConstraints: [{ name: 'uq', columns: ['c'] }],
    checkConstraints: [],
    indexes: [],
  };
  const rebuilds: [string, Parameters<typeof buildOps>[0], RegExp][] = [
    ['add a NOT NULL column without default', (op) => op.addColumn('T', { name: 'n', type: 'text', nullable: false }), /NOT NULL column "n" without a non-NULL default/],
    ['add a NOT NULL column with a NULL default', (op) => op.addColumn('T', { name: 'n', type: 'text', nullable: false, default: null }), /NOT NULL column/],
    ['add a PRIMARY KEY column', (op) => op.batchAlterTable('T', (b) => b.dropConstraint('pk_T', { type: 'primary' }).addColumn({ name: 'n', type: 'integer', primaryKey: true })), /primary key "pk_T"/],
    ['add a UNIQUE column', (op) => op.addColumn('T', { name: 'n', type: 'text', unique: true }), /UNIQUE column/],
    ['add a CURRENT_TIMESTAMP default', (op) => op.addColumn('T', { name: 'n', type: 'text', default: { sql: 'CURRENT_TIMESTAMP' } }), /non-constant default CURRENT_TIMESTAMP/],
    ['add an expression default', (op) => op.addColumn('T', { name: 'n', type: 'int', default: { sql: '1 + 1' } }), /non-constant default/],
    ['add a REFERENCES column with a default', (op) => op.addColumn('T', { name: 'n', type: 'int', default: 1, references: 'P.id' }), /REFERENCES column "n" with a non-NULL default/],
    ['add a STORED generated column', (op) => op.addColumn('T', { name: 'n', type: 'int', generated: { sql: '1', stored: true } }), /STORED generated/],
    ['alter a type', (op) => op.alterColumn('T', 'c', { type: 'varchar(10)' }), /change the type of column "c"/],
    ['alter nullability with a rename', (op) => op.alterColumn('T', 'c', { nullable: false, newName: 'd' }), /change the nullable of column "c"/],
    ['alter a default', (op) => op.alterColumn('T', 'c', { default: null }), /change the default/],
    ['add a unique constraint', (op) => op.createUniqueConstraint('uq2', 'T', ['c', 'id']), /unique constraint "uq2"/],
    ['add a check constraint', (op) => op.createCheckConstraint('pos', 'T', 'c > 0'), /check constraint "pos"/],
    ['add a foreign key', (op) => op.createForeignKey(null, 'T', 'P', ['c'], ['id']), /foreign key "fk_T_c_P"/],
    ['add a primary key', (op) => op.batchAlterTable('T', (b) => b.dropConstraint('pk_T', { type: 'primary' }).createPrimaryKey(null, ['c'])), /primary key "pk_T"/],
    ['drop a constraint', (op) => op.dropConstraint('uq', 'T', { type: 'unique' }), /drop the unique constraint "uq"/],
    ['a batch needing a rebuild', (op) => op.batchAlterTable('T', (b) => b.alterColumn('c', { type: 'int' })), /change the type of column "c" \(batchAlterTable\("T"\)\)/],
    ["a batch with recreate: 'always'", (op) => op.batchAlterTable('T', (b) => b.addColumn({ name: 'x', type: 'text' }), { recreate: 'always' }), /to rebuild the table/],
  ];
  it.each(rebuilds)('%s → a rebuild from the table’s shape; without it, an error asking for it', async (_name, fn, reason) => {
    const ops = await buildOps(fn);
    const statements = ops.flatMap((o) => sqliteDialect.compile(o, context([shape])));
    expect(statements.map((s) => s.sql).find((s) => s.startsWith('CREATE TABLE'))).toMatch(/^CREATE TABLE "_multidb_tmp_T" \(/);
    const error = (() => {
      try {
        for (const o of ops) compile(o);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OperationError);
    expect(error!.message).toMatch(reason);
    expect(error!.message).toMatch(/SQLite needs the current shape of table "T" .* by a table rebuild: .* pass it as copyFrom/);
  });

  const cases: [string, Parameters<typeof buildOps>[0], RegExp][] = [
    ["a batch with recreate: 'never' needing a rebuild", (op) => op.batchAlterTable('T', (b) => b.dropConstraint('uq', { type: 'unique' }), { recreate: 'never' }), /recreate: 'never' forbids/],
    ['an array type', (op) => op.addColumn('T', { name: 'c', type: 'text[]' }), /array type 'text\[\]'/],
    ['AUTOINCREMENT on a non-key column', (op) => op.createTable('T', [{ name: 'id', type: 'integer', autoincrement: true }]), /AUTOINCREMENT/],
    ['AUTOINCREMENT on a text key', (op) => op.createTable('T', [{ name: 'id', type: 'text', primaryKey: true, autoincrement: true }]), /AUTOINCREMENT only on an INTEGER PRIMARY KEY/],
  ];
  it.each(cases)('%s → UnsupportedOperationError', async (_name, fn, message) => {
    const ops = await buildOps(fn);
    let error: unknown;
    try {
      for (const o of ops) compile(o);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as Error).message).toMatch(message);
    expect((error as UnsupportedOperationError).dialect).toBe('sqlite');
  });
});

describe('sqlite inlineLiteral and types', () => {
  it('renders literals', () => {
    const lit = (v: unknown) => sqliteDialect.inlineLiteral(v);
    expect(lit("O'Reilly")).toBe("'O''Reilly'");
    expect(lit(42)).toBe('42');
    expect(lit(-1.5)).toBe('-1.5');
    expect(lit(10n ** 20n)).toBe('100000000000000000000');
    expect(lit(true)).toBe('1');
    expect(lit(false)).toBe('0');
    expect(lit(null)).toBe('NULL');
    expect(lit(undefined)).toBe('NULL');
    expect(lit(new Date('2024-01-31T12:00:00Z'))).toBe("'2024-01-31T12:00:00.000Z'");
    expect(lit(Buffer.from([0, 255, 16]))).toBe("X'00ff10'");
    expect(lit({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
    expect(() => lit(Number.NaN)).toThrow(/NaN/);
    expect(() => lit(() => 1)).toThrow(/function/);
  });

  it('keeps declared types and maps the foreign ones', async () => {
    const { renderSqliteType } = await import('../../src/sqlite/sqlite-type-map.js');
    const r = (t: string, strict = false) => renderSqliteType(parseColumnType(t), { strict });
    expect(['varchar(3)', 'NUMERIC(10, 2)', 'nvarchar(40)', 'timestamp with time zone', 'int unsigned', 'double precision'].map((t) => r(t))).toEqual([
      'varchar(3)',
      'numeric(10,2)',
      'nvarchar(40)',
      'timestamp with time zone',
      'int unsigned',
      'double precision',
    ]);
    expect(['bool', 'boolean', 'jsonb', 'json', 'bytea', 'bigserial', "enum('a','bcd')", "set('x')"].map((t) => r(t))).toEqual([
      'boolean',
      'boolean',
      'json',
      'json',
      'blob',
      'integer',
      'varchar(3)',
      'text',
    ]);
    expect(['varchar(3)', 'bigint', 'boolean', 'numeric(10,2)', 'double', 'datetime', 'blob', 'json', 'uuid', 'any', 'int'].map((t) => r(t, true))).toEqual([
      'TEXT',
      'INTEGER',
      'INTEGER',
      'REAL',
      'REAL',
      'TEXT',
      'BLOB',
      'TEXT',
      'TEXT',
      'ANY',
      'INTEGER',
    ]);
  });

  it('has the SQLite capabilities and asks for a snapshot to add a column (STRICT types) or to drop one (a rebuild may be needed)', async () => {
    expect(sqliteDialect.capabilities).toEqual({ transactionalDdl: true, maxParameters: 32_766, alterColumn: false, alterConstraints: false });
    const ops = await buildOps(async (op) => {
      await op.addColumn('T', { name: 'c', type: 'text' });
      await op.batchAlterTable('U', (b) => b.addColumn({ name: 'c', type: 'text' }));
      await op.dropColumn('T', 'c');
    });
    expect(ops.map((o) => sqliteDialect.requiredSnapshots(o))).toEqual([['T'], ['U'], ['T']]);
  });
});

describe('sqlite dropColumn of a key column', () => {
  it('needs the table’s shape when `existing` says the column is a key or UNIQUE (a rebuild)', () => {
    const existing = { type: parseColumnType('integer'), nullable: false, primaryKey: true };
    expect(() => compile({ kind: 'DropColumn', table: 'T', column: 'id', existing })).toThrow(/to drop the PRIMARY KEY column "id" \(op\.dropColumn\("T", …\)\) by a table rebuild/);
    expect(() => compile({ kind: 'DropColumn', table: 'T', column: 'c', existing: { ...existing, primaryKey: false, unique: true } })).toThrow(OperationError);
  });
});
