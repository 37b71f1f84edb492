import { enumType, parseColumnType, reverseOp, type Op } from '@multidb/core';
import { mysqlDialect, postgresDialect, sqliteDialect } from '@multidb/dialect';
import { describe, expect, it } from 'vitest';
import { collectOps } from '../../test/support/collect-ops.js';
import { RenderContext } from './render-context.js';
import { RenderError } from './render-errors.js';
import { renderOp } from './render-op.js';

/** Renders the single op a facade call builds. */
async function render(call: Parameters<typeof collectOps>[0], ctx = new RenderContext()): Promise<string> {
  const ops = await collectOps(call);
  expect(ops).toHaveLength(1);
  return renderOp(ops[0]!, ctx);
}

const lines = (...l: string[]): string => l.join('\n');

describe('renderOp: the data-loss comment of a narrowing type change, per dialect', () => {
  const narrowing = (op: Parameters<Parameters<typeof collectOps>[0]>[0]) => op.alterColumn('item', 'size', { type: 'varchar(1)', existing: { type: 'varchar(2)' } });
  const ctxOf = (d: typeof sqliteDialect) => new RenderContext({ storedType: (type) => d.comparator.canonicalType(type), checksTypeSizes: d.capabilities.checksTypeSizes ?? true });
  const call = "await op.alterColumn('item', 'size', { type: 'varchar(1)', existing: { type: 'varchar(2)' } });";

  it.each([
    ['postgres', postgresDialect],
    ['mysql', mysqlDialect],
  ])('%s checks lengths: values that do not fit are cut or fail', async (_name, d) => {
    expect(await render(narrowing, ctxOf(d))).toBe(
      lines("// Data loss: changes 'item'.'size' from varchar(2) to varchar(1): values that do not fit are cut,", '// rounded or make the change fail.', call),
    );
  });

  it('sqlite keeps every value as stored: a note, no data loss; a conversion or a drop still loses data', async () => {
    expect(await render(narrowing, ctxOf(sqliteDialect))).toBe(
      lines("// Note: changes 'item'.'size' from varchar(2) to varchar(1): the database does not check the new", '// size and keeps every value as stored.', call),
    );
    expect(await render((op) => op.alterColumn('item', 'size', { type: 'integer', existing: { type: 'text' } }), ctxOf(sqliteDialect))).toBe(
      lines(
        "// Data loss: changes 'item'.'size' from text to integer: values that do not fit are cut, rounded",
        '// or make the change fail.',
        "await op.alterColumn('item', 'size', { type: 'integer', existing: { type: 'text' } });",
      ),
    );
    expect(await render((op) => op.dropColumn('item', 'size', { existing: { type: 'varchar(2)' } }), ctxOf(sqliteDialect))).toBe(
      lines("// Data loss: drops column 'item'.'size' and every value in it.", "await op.dropColumn('item', 'size', { existing: { type: 'varchar(2)' } });"),
    );
  });
});

describe('renderOp: golden output', () => {
  it('createTable: composite key, foreign keys, unique and check constraints, partial and expression indexes, comment, SQLite options', async () => {
    expect(
      await render((op) =>
        op.createTable(
          'invoice_line',
          [
            { name: 'invoice_id', type: 'integer', nullable: false },
            { name: 'line', type: 'smallint', nullable: false },
            { name: 'amount', type: 'NUMERIC(10, 2)', default: 0 },
            { name: 'created', type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' } },
          ],
          {
            primaryKey: ['invoice_id', 'line'],
            foreignKeys: [{ columns: ['invoice_id'], referredTable: 'invoice', referredColumns: ['id'], onDelete: 'cascade' }],
            uniqueConstraints: [['invoice_id', 'amount']],
            checkConstraints: [{ name: 'amount_positive', expression: 'amount >= 0' }],
            indexes: [
              { columns: ['created'], where: 'amount > 0' },
              { name: 'ix_lower', columns: [{ sql: 'lower(line)' }], unique: true },
            ],
            comment: 'one line of an invoice',
            strict: true,
            withoutRowid: true,
          },
        ),
      ),
    ).toBe(
      lines(
        'await op.createTable(',
        "  'invoice_line',",
        '  [',
        "    { name: 'invoice_id', type: 'integer', nullable: false },",
        "    { name: 'line', type: 'smallint', nullable: false },",
        "    { name: 'amount', type: 'numeric(10,2)', default: 0 },",
        "    { name: 'created', type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' } },",
        '  ],',
        '  {',
        "    primaryKey: { name: 'pk_invoice_line', columns: ['invoice_id', 'line'] },",
        '    foreignKeys: [',
        '      {',
        "        name: 'fk_invoice_line_invoice_id_invoice',",
        "        columns: ['invoice_id'],",
        "        referredTable: 'invoice',",
        "        referredColumns: ['id'],",
        "        onDelete: 'cascade',",
        '      },',
        '    ],',
        '    uniqueConstraints: [',
        "      { name: 'uq_invoice_line_invoice_id_amount', columns: ['invoice_id', 'amount'] },",
        '    ],',
        "    checkConstraints: [{ name: 'amount_positive', expression: 'amount >= 0' }],",
        '    indexes: [',
        "      { name: 'ix_invoice_line_created', columns: ['created'], where: 'amount > 0' },",
        "      { name: 'ix_lower', columns: [{ sql: 'lower(line)' }], unique: true },",
        '    ],',
        "    comment: 'one line of an invoice',",
        '    strict: true,',
        '    withoutRowid: true,',
        '  },',
        ');',
      ),
    );
  });

  it('createTable: a DEFERRABLE INITIALLY DEFERRED foreign key keeps both flags', async () => {
    expect(
      await render((op) =>
        op.createTable('a', [{ name: 'b', type: 'integer' }], {
          foreignKeys: [{ name: 'a_b_fk', columns: ['b'], referredTable: 'b', referredColumns: ['id'], deferrable: true, initiallyDeferred: true }],
        }),
      ),
    ).toBe(
      lines(
        "await op.createTable('a', [{ name: 'b', type: 'integer' }], {",
        '  foreignKeys: [',
        '    {',
        "      name: 'a_b_fk',",
        "      columns: ['b'],",
        "      referredTable: 'b',",
        "      referredColumns: ['id'],",
        '      deferrable: true,',
        '      initiallyDeferred: true,',
        '    },',
        '  ],',
        '});',
      ),
    );
  });

  it('createTable with one column and no options: short, on one line or hugged', async () => {
    expect(await render((op) => op.createTable('tag', [{ name: 'id', type: 'integer', primaryKey: true }]))).toBe(
      "await op.createTable('tag', [{ name: 'id', type: 'integer', primaryKey: true }]);",
    );
    expect(
      await render((op) =>
        op.createTable('account', [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'name', type: 'varchar(50)', nullable: false },
        ]),
      ),
    ).toBe(
      lines(
        "await op.createTable('account', [",
        "  { name: 'id', type: 'integer', primaryKey: true },",
        "  { name: 'name', type: 'varchar(50)', nullable: false },",
        ']);',
      ),
    );
  });

  it("an enum column type renders as enumType(…) and records its import; other types as canonical strings", async () => {
    const ctx = new RenderContext();
    expect(await render((op) => op.addColumn('user', { name: 'mood', type: enumType('mood', ['sad', "it's ok"]) }), ctx)).toBe(
      `await op.addColumn('user', { name: 'mood', type: enumType('mood', ['sad', "it's ok"]) });`,
    );
    expect(ctx.imports()).toBe("import { enumType } from '@multidb/core';");
    const plain = new RenderContext();
    expect(await render((op) => op.addColumn('user', { name: 'at', type: 'TIMESTAMP(3) WITH TIME ZONE' }), plain)).toBe(
      "await op.addColumn('user', { name: 'at', type: 'timestamp(3) with time zone' });",
    );
    expect(plain.imports()).toBe('');
  });

  it('drops and alters carry their existing… fields, with a data-loss comment where data is lost', async () => {
    expect(await render((op) => op.dropColumn('user', 'email', { existing: { type: 'varchar(255)', nullable: false } }))).toBe(
      lines(
        "// Data loss: drops column 'user'.'email' and every value in it.",
        "await op.dropColumn('user', 'email', { existing: { type: 'varchar(255)', nullable: false } });",
      ),
    );
    expect(
      await render((op) =>
        op.alterColumn('user', 'name', { type: 'varchar(50)', nullable: false, existing: { type: 'varchar(100)', nullable: true, default: 'x' } }),
      ),
    ).toBe(
      lines(
        "// Data loss: changes 'user'.'name' from varchar(100) to varchar(50): values that do not fit are",
        '// cut, rounded or make the change fail.',
        "// WARNING: sets column 'user'.'name' NOT NULL: this fails if a row of 'user' holds NULL in it.",
        '// Fill those rows first (an UPDATE with op.execute), or leave the column nullable.',
        "await op.alterColumn('user', 'name', {",
        "  type: 'varchar(50)',",
        '  nullable: false,',
        "  existing: { type: 'varchar(100)', nullable: true, default: 'x' },",
        '});',
      ),
    );
    // The collation and ON UPDATE a MySQL MODIFY COLUMN restates offline are written out.
    expect(
      await render((op) =>
        op.alterColumn('Customer', 'Company', { type: 'varchar(120)', existing: { type: 'varchar(80)', nullable: true, onUpdate: 'CURRENT_TIMESTAMP', collation: 'utf8mb3_general_ci' } }),
      ),
    ).toBe(
      lines(
        "await op.alterColumn('Customer', 'Company', {",
        "  type: 'varchar(120)',",
        '  existing: {',
        "    type: 'varchar(80)',",
        '    nullable: true,',
        "    onUpdate: 'CURRENT_TIMESTAMP',",
        "    collation: 'utf8mb3_general_ci',",
        '  },',
        '});',
      ),
    );
    // So is a generated column's expression.
    expect(await render((op) => op.alterColumn('Line', 'Total', { type: 'bigint', existing: { type: 'int', nullable: true, generated: { sql: '`Qty` * 2', stored: true } } }))).toBe(
      lines(
        "await op.alterColumn('Line', 'Total', {",
        "  type: 'bigint',",
        "  existing: { type: 'int', nullable: true, generated: { sql: '`Qty` * 2', stored: true } },",
        '});',
      ),
    );
    // Widening loses nothing: no comment.
    expect(await render((op) => op.alterColumn('user', 'id', { type: 'bigint', existing: { type: 'integer' } }))).toBe(
      "await op.alterColumn('user', 'id', { type: 'bigint', existing: { type: 'integer' } });",
    );
    expect(await render((op) => op.alterColumn('user', 'note', { default: null, comment: null, newName: 'remark' }))).toBe(
      "await op.alterColumn('user', 'note', { default: null, comment: null, newName: 'remark' });",
    );
    expect(await render((op) => op.createIndex('ix_cover', 't', ['a'], { include: ['b'], unique: true, nullsNotDistinct: true }))).toBe(
      ["await op.createIndex('ix_cover', 't', ['a'], {", '  unique: true,', "  include: ['b'],", '  nullsNotDistinct: true,', '});'].join('\n'),
    );
    // A deferrable foreign key keeps DEFERRABLE INITIALLY DEFERRED.
    expect(await render((op) => op.createForeignKey('fk_a_b', 'a', 'b', ['b_id'], ['id'], { deferrable: true, initiallyDeferred: true }))).toBe(
      ["await op.createForeignKey('fk_a_b', 'a', 'b', ['b_id'], ['id'], {", '  deferrable: true,', '  initiallyDeferred: true,', '});'].join('\n'),
    );
    expect(await render((op) => op.alterColumn('doc', 'title', { collation: 'C', existing: { type: 'text' } }))).toBe(
      "await op.alterColumn('doc', 'title', { collation: 'C', existing: { type: 'text' } });",
    );
    // A MySQL column's ON UPDATE, set and removed.
    expect(await render((op) => op.alterColumn('doc', 'at', { onUpdate: 'CURRENT_TIMESTAMP' }))).toBe("await op.alterColumn('doc', 'at', { onUpdate: 'CURRENT_TIMESTAMP' });");
    expect(await render((op) => op.alterColumn('doc', 'at', { onUpdate: null, existing: { onUpdate: 'current_timestamp()' } }))).toBe(
      ["await op.alterColumn('doc', 'at', {", '  onUpdate: null,', "  existing: { onUpdate: 'current_timestamp()' },", '});'].join('\n'),
    );
    // A PostgreSQL identity column's generation, and a column GENERATED ALWAYS.
    expect(await render((op) => op.alterColumn('user', 'id', { identity: 'always', existing: { autoincrement: true } }))).toBe(
      "await op.alterColumn('user', 'id', { identity: 'always', existing: { autoincrement: true } });",
    );
    expect(await render((op) => op.alterColumn('t', 'id', { identity: 'by-default', existing: { autoincrement: 'always' } }))).toBe(
      ["await op.alterColumn('t', 'id', {", "  identity: 'by-default',", "  existing: { autoincrement: 'always' },", '});'].join('\n'),
    );
    expect(await render((op) => op.addColumn('t', { name: 'n', type: 'bigint', autoincrement: 'always' }))).toBe(
      "await op.addColumn('t', { name: 'n', type: 'bigint', autoincrement: 'always' });",
    );
  });

  it('dropTable writes the table as it was (faithful: unnamed constraints stay unnamed)', async () => {
    expect(
      await render((op) =>
        op.dropTable('tag', {
          existing: { columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'label', type: 'text' }], uniqueConstraints: [{ columns: ['label'] }] },
          schema: 'app',
        }),
      ),
    ).toBe(
      lines(
        "// Data loss: drops table 'tag' and every row in it.",
        "await op.dropTable('tag', {",
        "  schema: 'app',",
        '  existing: {',
        '    columns: [',
        "      { name: 'id', type: 'integer', primaryKey: true },",
        "      { name: 'label', type: 'text' },",
        '    ],',
        "    uniqueConstraints: [{ columns: ['label'] }],",
        '  },',
        '});',
      ),
    );
  });

  it('batchAlterTable: the inner ops as batch.* calls in the callback, with its options', async () => {
    expect(
      await render((op) =>
        op.batchAlterTable(
          'user',
          (batch) => {
            batch.addColumn({ name: 'code', type: 'varchar(3)' }).dropColumn('legacy', { existing: { type: 'integer' } }).createIndex('ix_code', ['code'], { unique: true });
          },
          { recreate: 'always' },
        ),
      ),
    ).toBe(
      lines(
        'await op.batchAlterTable(',
        "  'user',",
        '  (batch) => {',
        "    batch.addColumn({ name: 'code', type: 'varchar(3)' });",
        "    // Data loss: drops column 'user'.'legacy' and every value in it.",
        "    batch.dropColumn('legacy', { existing: { type: 'integer' } });",
        "    batch.createIndex('ix_code', ['code'], { unique: true });",
        '  },',
        "  { recreate: 'always' },",
        ');',
      ),
    );
    expect(await render((op) => op.batchAlterTable('user', (batch) => void batch.renameColumn('a', 'b')))).toBe(
      lines("await op.batchAlterTable('user', (batch) => {", "  batch.renameColumn('a', 'b');", '});'),
    );
    expect(await render((op) => op.batchAlterTable('user', (batch) => void batch.renameIndex('ix_a', 'ix_b', { existing: { columns: ['b'], unique: false } })))).toBe(
      lines("await op.batchAlterTable('user', (batch) => {", "  batch.renameIndex('ix_a', 'ix_b', { existing: { columns: ['b'], unique: false } });", '});'),
    );
    expect(await render((op) => op.dropIndex('ix_a', { table: 'user', ifExists: true }))).toBe(lines("await op.dropIndex('ix_a', { table: 'user', ifExists: true });"));
    expect(await render((op) => op.batchAlterTable('user', (batch) => void batch.dropIndex('ix_a', { ifExists: true })))).toBe(
      lines("await op.batchAlterTable('user', (batch) => {", "  batch.dropIndex('ix_a', { ifExists: true });", '});'),
    );
    // ifNotExists is the batch builder's too (it was refused here while the builder dropped it silently).
    expect(await render((op) => op.batchAlterTable('user', (batch) => void batch.createIndex('ix_a', ['a'], { ifNotExists: true })))).toBe(
      lines("await op.batchAlterTable('user', (batch) => {", "  batch.createIndex('ix_a', ['a'], { ifNotExists: true });", '});'),
    );
  });

  it('the reverse of a concurrent index op renders with concurrently, both ways (a downgrade blocks writes no more than its upgrade)', async () => {
    const [create] = await collectOps((op) => op.createIndex(null, 'user', ['email'], { unique: true, concurrently: true }));
    const drop = reverseOp(create!) as Op;
    expect(renderOp(drop)).toBe(
      lines(
        "await op.dropIndex('ix_user_email', {",
        "  table: 'user',",
        "  existing: { name: 'ix_user_email', columns: ['email'], unique: true },",
        '  concurrently: true,',
        '});',
      ),
    );
    expect(renderOp(reverseOp(drop) as Op)).toBe("await op.createIndex('ix_user_email', 'user', ['email'], { unique: true, concurrently: true });");
  });

  it('constraints and indexes with their names; enum and comment ops; execute and bulkInsert', async () => {
    const cases: [Parameters<typeof collectOps>[0], string][] = [
      [(op) => op.createIndex(null, 'user', ['email'], { unique: true }), "await op.createIndex('ix_user_email', 'user', ['email'], { unique: true });"],
      [(op) => op.dropIndex('ix_user_email', { table: 'user' }), "await op.dropIndex('ix_user_email', { table: 'user' });"],
      [(op) => op.createIndex(null, 'user', ['email'], { concurrently: true }), "await op.createIndex('ix_user_email', 'user', ['email'], { concurrently: true });"],
      [(op) => op.dropIndex('ix_user_email', { table: 'user', concurrently: true }), "await op.dropIndex('ix_user_email', { table: 'user', concurrently: true });"],
      [(op) => op.renameIndex('event', 'ix_event_kind', 'ix_event_category'), "await op.renameIndex('event', 'ix_event_kind', 'ix_event_category');"],
      [
        (op) => op.renameIndex('event', 'ix_a', 'ix_b', { schema: 'app', existing: { columns: ['kind', { sql: 'lower(note)' }], unique: true, where: 'kind > 0' } }),
        lines(
          "await op.renameIndex('event', 'ix_a', 'ix_b', {",
          "  schema: 'app',",
          "  existing: { columns: ['kind', { sql: 'lower(note)' }], unique: true, where: 'kind > 0' },",
          '});',
        ),
      ],
      [(op) => op.createUniqueConstraint(null, 'user', ['email']), "await op.createUniqueConstraint('uq_user_email', 'user', ['email']);"],
      [
        (op) => op.createUniqueConstraint(null, 'user', ['email'], { nullsNotDistinct: true }),
        "await op.createUniqueConstraint('uq_user_email', 'user', ['email'], { nullsNotDistinct: true });",
      ],
      [(op) => op.createCheckConstraint('ck_age', 'user', 'age >= 0'), "await op.createCheckConstraint('ck_age', 'user', 'age >= 0');"],
      [(op) => op.createPrimaryKey(null, 'user', ['id']), "await op.createPrimaryKey('pk_user', 'user', ['id']);"],
      [
        (op) => op.createPrimaryKey(null, 'log', ['source', 'at'], { descending: ['at'] }),
        "await op.createPrimaryKey('pk_log', 'log', ['source', 'at'], { descending: ['at'] });",
      ],
      [
        (op) => op.dropConstraint('pk_log', 'log', { type: 'primary', existing: { type: 'primary', columns: ['source', 'at'], descending: ['at'] } }),
        lines("await op.dropConstraint('pk_log', 'log', {", "  type: 'primary',", "  existing: { type: 'primary', columns: ['source', 'at'], descending: ['at'] },", '});'),
      ],
      [
        (op) => op.dropConstraint('uq_user_email', 'user', { type: 'unique', existing: { type: 'unique', columns: ['email'] } }),
        lines("await op.dropConstraint('uq_user_email', 'user', {", "  type: 'unique',", "  existing: { type: 'unique', columns: ['email'] },", '});'),
      ],
      [(op) => op.createEnum('mood', ['sad', 'ok'], { schema: 'app' }), "await op.createEnum('mood', ['sad', 'ok'], { schema: 'app' });"],
      [(op) => op.dropEnum('mood', { existing: { values: ['sad', 'ok'] } }), "await op.dropEnum('mood', { existing: { values: ['sad', 'ok'] } });"],
      [(op) => op.addEnumValue('mood', 'meh', { after: 'sad' }), "await op.addEnumValue('mood', 'meh', { after: 'sad' });"],
      [(op) => op.alterTableComment('user', null, { existing: 'people' }), "await op.alterTableComment('user', null, { existing: 'people' });"],
      [(op) => op.execute('UPDATE "user" SET a = ?', ["it's"]), `await op.execute('UPDATE "user" SET a = ?', ["it's"]);`],
      [(op) => op.renameTable('user', 'account', { schema: 'app' }), "await op.renameTable('user', 'account', { schema: 'app' });"],
    ];
    for (const [call, expected] of cases) expect(await render(call)).toBe(expected);
    expect(await render((op) => op.bulkInsert('genre', [{ id: 1, name: 'Rock' }, { id: 2, name: 'Jazz' }]))).toBe(
      lines("await op.bulkInsert('genre', [", "  { id: 1, name: 'Rock' },", "  { id: 2, name: 'Jazz' },", ']);'),
    );
  });

  it('nasty names: quotes, backslashes, backticks, ${}, spaces, line breaks and reserved words', async () => {
    expect(await render((op) => op.renameColumn('order', "it's", 'say "hi"'))).toBe(`await op.renameColumn('order', "it's", 'say "hi"');`);
    expect(await render((op) => op.renameColumn('a`b', '${x}', 'with space'))).toBe("await op.renameColumn('a`b', '${x}', 'with space');");
    expect(await render((op) => op.renameColumn('back\\slash', 'line\nbreak', `it's "x"`))).toBe(
      `await op.renameColumn('back\\\\slash', 'line\\nbreak', 'it\\'s "x"');`,
    );
    expect(await render((op) => op.bulkInsert('t', [{ order: 1, 'two words': 2, "it's": 3 }]))).toBe(`await op.bulkInsert('t', [{ order: 1, 'two words': 2, "it's": 3 }]);`);
    expect(await render((op) => op.dropColumn("it's", 'line\nbreak', { existing: { type: 'text' } }))).toBe(
      lines(`// Data loss: drops column "it's".'line\\nbreak' and every value in it.`, `await op.dropColumn("it's", 'line\\nbreak', { existing: { type: 'text' } });`),
    );
  });

  it('fits lines to the print width less the indentation', async () => {
    const call = (op: Parameters<Parameters<typeof collectOps>[0]>[0]) => op.addColumn('user', { name: 'email', type: 'varchar(255)', nullable: false, default: '' });
    expect(await render(call, new RenderContext({ printWidth: 60, indent: 0 }))).toBe(
      lines("await op.addColumn('user', {", "  name: 'email',", "  type: 'varchar(255)',", '  nullable: false,', "  default: '',", '});'),
    );
    expect(await render(call, new RenderContext({ printWidth: 100, indent: 0 }))).toBe("await op.addColumn('user', { name: 'email', type: 'varchar(255)', nullable: false, default: '' });");
    expect(await render(call, new RenderContext({ printWidth: 100, indent: 10 }))).toContain('{\n');
  });
});

describe('renderOp: what it refuses (RenderError, never a silently different revision)', () => {
  const refuses = (op: Op, message: RegExp) => {
    let error: unknown;
    try {
      renderOp(op);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as Error).message).toMatch(message);
  };
  const INTEGER = parseColumnType('integer');

  it('a field the op facade has no argument for', () => {
    refuses({ kind: 'AddColumn', table: 't', column: { name: 'c', type: INTEGER, nullable: true, identity: 'always' } as never }, /Cannot render a column of a AddColumn op: the op facade has no argument for 'identity'/);
    refuses({ kind: 'RenameTable', table: 't', newName: 'u', cascade: true } as never, /no argument for 'cascade'/);
    refuses({ kind: 'CreateIndex', table: 't', index: { name: 'ix', columns: ['a'], unique: false, tablespace: 'fast' } as never }, /an index of a CreateIndex op.*'tablespace'/);
  });

  it('a value without a source form', () => {
    refuses({ kind: 'Execute', sql: 'SELECT ?', parameters: [() => 1] }, /Cannot write the parameters\[0\] of a Execute op into a revision: a function has no source form/);
    expect(() => renderOp({ kind: 'Execute', sql: 'SELECT ?', parameters: [Symbol('x')] })).toThrow(expect.objectContaining({ opKind: 'Execute' }));
    refuses({ kind: 'BulkInsert', table: 't', rows: [{ a: new Map() }] }, /rows\[0\]\.a of a BulkInsert op.*a Map object has no source form/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    refuses({ kind: 'BulkInsert', table: 't', rows: [cyclic] }, /it contains itself/);
  });

  it('a batch holding an op on another table, or an option its builder refuses; an alter that changes nothing', () => {
    refuses({ kind: 'BatchAlterTable', table: 't', options: {}, ops: [{ kind: 'RenameColumn', table: 'u', column: 'a', newName: 'b' }] }, /a batch on 't' holding a RenameColumn op on 'u'/);
    refuses(
      { kind: 'BatchAlterTable', table: 't', options: {}, ops: [{ kind: 'CreateIndex', table: 't', index: { name: 'ix', columns: ['a'], unique: false }, concurrently: true }] },
      /Cannot render createIndex\('ix'\) with concurrently inside a batch: the batch builder refuses it; render the op outside the batch \(op\.createIndex\)\./,
    );
    refuses({ kind: 'BatchAlterTable', table: 't', options: {}, ops: [{ kind: 'DropIndex', table: 't', name: 'ix', concurrently: true }] }, /dropIndex\('ix'\) with concurrently inside a batch/);
    refuses({ kind: 'AlterColumn', table: 't', column: 'c', changes: {}, existing: {} }, /an alterColumn that changes nothing/);
  });
});
