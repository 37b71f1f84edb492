// alterColumn (type, nullable, default, comment, newName): the exact SQL of each dialect. SQLite
// renames natively and ignores comments (other changes need a rebuild: sqlite-batch-compile);
// PostgreSQL writes one statement per change, the rename last; MySQL restates the whole column
// with MODIFY COLUMN, so it needs the column's current definition (a snapshot online, `existing`
// offline; the snapshots it asks for: capabilities.test.ts). Changes on a real database:
// alter-table.test.ts, and MySQL's defaults below.
import { OperationError, parseColumnType, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, MYSQL } from './support/dialects.js';
import { compileOps, q, runOps, sqlOf } from './support/op-harness.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const t = (s: string) => parseColumnType(s);

const invoiceSnapshot: TableSnapshot = {
  name: 'Invoice',
  columns: [
    { name: 'Total', type: t('decimal(10,2)'), nullable: true, default: 0, comment: 'sum' },
    { name: 'Code', type: t('varchar(10)'), nullable: false, collation: 'utf8mb4_bin', default: 'x', unique: true },
  ],
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [],
};

const cases: SqlCase[] = [
  {
    name: 'several changes of a column, and a rename',
    ops: {
      // SQLite: the rename is native, a comment is ignored (a comment alone compiles to nothing).
      sqlite: async (op) => {
        await op.alterColumn('Invoice', 'Amount', { newName: 'Total', comment: 'comments are ignored' });
        await op.alterColumn('Invoice', 'Total', { comment: 'only a comment' });
      },
      // PostgreSQL: one statement per change, rename last.
      postgres: (op) =>
        op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', nullable: true, default: { sql: 'now()' }, comment: null, newName: 'Amount', schema: 'sales' }),
      // MySQL: MODIFY COLUMN restates the whole column, merging the changes over `existing`.
      mysql: async (op) => {
        await op.alterColumn('Invoice', 'Total', { nullable: false, existing: { type: 'numeric(10,2)', default: 0, comment: 'sum' } });
        await op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', existing: { type: 'numeric(10,2)', nullable: false, default: 0 } });
        await op.alterColumn('Invoice', 'Total', { comment: 'gross', existing: { type: 'numeric(10,2)', nullable: true } });
        await op.alterColumn('Invoice', 'Id', { type: 'bigint', existing: { nullable: false, autoincrement: true } });
        await op.alterColumn('Invoice', 'Note', { nullable: false, default: null, existing: { type: 'text', nullable: true, default: 'x' } });
        await op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', newName: 'Amount', existing: { nullable: true, comment: 'sum' } });
      },
    },
    expected: {
      sqlite: ['ALTER TABLE "Invoice" RENAME COLUMN "Amount" TO "Total"'],
      postgres: [
        'ALTER TABLE "sales"."Invoice" ALTER COLUMN "Total" DROP DEFAULT',
        'ALTER TABLE "sales"."Invoice" ALTER COLUMN "Total" TYPE numeric(12,2) USING "Total"::numeric(12,2)',
        'ALTER TABLE "sales"."Invoice" ALTER COLUMN "Total" DROP NOT NULL',
        'ALTER TABLE "sales"."Invoice" ALTER COLUMN "Total" SET DEFAULT now()',
        'COMMENT ON COLUMN "sales"."Invoice"."Total" IS NULL',
        'ALTER TABLE "sales"."Invoice" RENAME COLUMN "Total" TO "Amount"',
      ],
      mysql: [
        "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0 COMMENT 'sum'",
        'ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(12,2) NOT NULL DEFAULT 0',
        "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NULL COMMENT 'gross'",
        'ALTER TABLE `Invoice` MODIFY COLUMN `Id` bigint NOT NULL AUTO_INCREMENT',
        'ALTER TABLE `Invoice` MODIFY COLUMN `Note` text NOT NULL',
        "ALTER TABLE `Invoice` CHANGE COLUMN `Total` `Amount` decimal(12,2) NULL COMMENT 'sum'",
      ],
    },
  },
  {
    name: 'one change at a time: type, nullability, default, comment, name',
    ops: {
      postgres: async (op) => {
        await op.alterColumn('T', 'c', { type: 'nvarchar(20)' });
        await op.alterColumn('T', 'c', { nullable: false, default: "it's" });
        await op.alterColumn('T', 'c', { default: null, comment: 'note' });
        await op.alterColumn('T', 'c', { type: 'integer', default: null });
        await op.alterColumn('T', 'c', { newName: 'd' });
      },
      // The default or the name alone: ALTER COLUMN … SET/DROP DEFAULT and RENAME COLUMN.
      mysql: async (op) => {
        await op.alterColumn('Invoice', 'Currency', { default: 'EUR' });
        await op.alterColumn('Invoice', 'Currency', { default: null });
        await op.alterColumn('Invoice', 'Created', { default: { sql: 'CURRENT_TIMESTAMP' }, newName: 'CreatedAt' });
        await op.alterColumn('Invoice', 'Currency', { newName: 'Cur' });
      },
    },
    expected: {
      postgres: [
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE varchar(20) USING "c"::varchar(20)',
        'ALTER TABLE "T" ALTER COLUMN "c" SET NOT NULL',
        `ALTER TABLE "T" ALTER COLUMN "c" SET DEFAULT 'it''s'`,
        'ALTER TABLE "T" ALTER COLUMN "c" DROP DEFAULT',
        `COMMENT ON COLUMN "T"."c" IS 'note'`,
        'ALTER TABLE "T" ALTER COLUMN "c" DROP DEFAULT',
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE integer USING "c"::integer',
        'ALTER TABLE "T" RENAME COLUMN "c" TO "d"',
      ],
      mysql: [
        "ALTER TABLE `Invoice` ALTER COLUMN `Currency` SET DEFAULT 'EUR'",
        'ALTER TABLE `Invoice` ALTER COLUMN `Currency` DROP DEFAULT',
        // Two statements: MariaDB refuses ALTER COLUMN and RENAME COLUMN of one column in one ALTER TABLE.
        'ALTER TABLE `Invoice` ALTER COLUMN `Created` SET DEFAULT CURRENT_TIMESTAMP',
        'ALTER TABLE `Invoice` RENAME COLUMN `Created` TO `CreatedAt`',
        'ALTER TABLE `Invoice` RENAME COLUMN `Currency` TO `Cur`',
      ],
    },
  },
  {
    // A collation alone is TYPE … COLLATE on PostgreSQL (the type from existing), MODIFY COLUMN on
    // MySQL; a type change keeps a character column's collation, which ALTER TYPE would reset.
    name: 'collation: set, back to the default, kept through a type change',
    ops: {
      postgres: async (op) => {
        await op.alterColumn('T', 'c', { collation: 'C', existing: { type: 'varchar(10)' } });
        await op.alterColumn('T', 'c', { collation: null, existing: { type: 'varchar(10)', collation: 'C' } });
        await op.alterColumn('T', 'c', { type: 'text', existing: { type: 'varchar(10)', collation: 'C' } });
        await op.alterColumn('T', 'c', { type: 'integer', existing: { type: 'varchar(10)', collation: 'C' } });
      },
      mysql: async (op) => {
        await op.alterColumn('T', 'c', { collation: 'utf8mb4_bin', existing: { type: 'varchar(10)', nullable: true } });
        await op.alterColumn('T', 'c', { collation: null, existing: { type: 'varchar(10)', nullable: false, collation: 'utf8mb4_bin' } });
      },
    },
    expected: {
      postgres: [
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE varchar(10) COLLATE "C"',
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE varchar(10) COLLATE "default"',
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE text COLLATE "C" USING "c"::text',
        'ALTER TABLE "T" ALTER COLUMN "c" TYPE integer USING "c"::integer',
      ],
      mysql: ['ALTER TABLE `T` MODIFY COLUMN `c` varchar(10) COLLATE utf8mb4_bin NULL', 'ALTER TABLE `T` MODIFY COLUMN `c` varchar(10) NOT NULL'],
    },
  },
  {
    // PostgreSQL cannot cast 'ok'::character varying to an enum (nor '5'::varchar to integer) by itself.
    name: 'a type change keeps the default the column has: dropped before, set again after',
    ops: {
      postgres: async (op) => {
        await op.alterColumn('T', 'mood', { type: 'mood', existing: { type: 'varchar(10)', nullable: true, default: 'ok' } });
        await op.alterColumn('T', 'n', { type: 'integer', existing: { type: 'varchar(10)', default: { sql: '(5)' } } });
      },
    },
    expected: {
      postgres: [
        'ALTER TABLE "T" ALTER COLUMN "mood" DROP DEFAULT',
        'ALTER TABLE "T" ALTER COLUMN "mood" TYPE mood USING "mood"::mood',
        `ALTER TABLE "T" ALTER COLUMN "mood" SET DEFAULT 'ok'`,
        'ALTER TABLE "T" ALTER COLUMN "n" DROP DEFAULT',
        'ALTER TABLE "T" ALTER COLUMN "n" TYPE integer USING "n"::integer',
        'ALTER TABLE "T" ALTER COLUMN "n" SET DEFAULT (5)',
      ],
    },
  },
  {
    name: 'the current definition comes from the snapshot when one is given (online), over existing',
    ops: async (op) => {
      await op.alterColumn('Invoice', 'Total', { nullable: false, existing: { type: 'int' } });
      await op.alterColumn('Invoice', 'Code', { type: 'varchar(20)' });
    },
    snapshots: [invoiceSnapshot],
    expected: {
      mysql: [
        "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0 COMMENT 'sum'",
        // The column's UNIQUE is an index of its own: a MODIFY must not add another.
        "ALTER TABLE `Invoice` MODIFY COLUMN `Code` varchar(20) COLLATE utf8mb4_bin NOT NULL DEFAULT 'x'",
      ],
    },
  },
];

for (const d of DIALECTS) describe(`${d.name}: alterColumn`, () => itCompiles(d, cases));

describe('mysql: alterColumn needs the current definition', () => {
  const mysqlSql = (fn: Parameters<typeof sqlOf>[1]) => sqlOf(MYSQL.dialect, fn);

  it('without the existing fields MODIFY needs, says which to pass', async () => {
    await expect(mysqlSql((op) => op.alterColumn('Invoice', 'Total', { nullable: false }))).rejects.toThrow(OperationError);
    await expect(mysqlSql((op) => op.alterColumn('Invoice', 'Total', { nullable: false }))).rejects.toThrow(/needs its current type: pass existing: \{ type: '…' \}/);
    await expect(mysqlSql((op) => op.alterColumn('Invoice', 'Total', { type: 'int' }))).rejects.toThrow(/pass existing: \{ nullable: true \} or \{ nullable: false \}/);
    await expect(mysqlSql((op) => op.alterColumn('Invoice', 'Total', { comment: 'x', existing: { type: 'int' } }))).rejects.toThrow(/nullable/);
  });

  it("offline (no snapshot), the statement's note says what the column was taken to have where existing does not say", async () => {
    const [partial] = await compileOps(MYSQL.dialect, (op) => op.alterColumn('Invoice', 'Code', { nullable: false, existing: { type: 'varchar(20)' } }));
    expect(partial).toEqual({
      sql: 'ALTER TABLE `Invoice` MODIFY COLUMN `Code` varchar(20) NOT NULL',
      parameters: [],
      note:
        "The shape of `Invoice` is not known here: `Code` is restated from the op's existing fields and taken\n" +
        "to have no default, no comment, the table's default collation (an online run reads them from the database); if it has, pass existing.default/comment/collation.",
    });
    const [integer] = await compileOps(MYSQL.dialect, (op) => op.alterColumn('Invoice', 'Id', { type: 'bigint', existing: { nullable: false, comment: null } }));
    expect(integer!.note).toMatch(/taken\nto have no default, no AUTO_INCREMENT \(/);
    // Everything that applies given (as autogenerate writes it), or the table's shape known (online): no note.
    const [complete] = await compileOps(MYSQL.dialect, (op) =>
      op.alterColumn('Invoice', 'Total', { nullable: false, existing: { type: 'numeric(10,2)', default: 0, comment: null } }),
    );
    expect(complete).toEqual({ sql: 'ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0', parameters: [] });
    const [online] = await compileOps(MYSQL.dialect, (op) => op.alterColumn('Invoice', 'Code', { nullable: true, existing: { type: 'varchar(20)' } }), [invoiceSnapshot]);
    expect(online!.note).toBeUndefined();
  });

  it('offline, a generated column is restated with existing.generated (without it a STORED one would become plain)', async () => {
    const [widened] = await compileOps(MYSQL.dialect, (op) =>
      op.alterColumn('Line', 'Total', { type: 'bigint', existing: { nullable: true, comment: null, generated: { sql: '`Qty` * 2', stored: true } } }),
    );
    expect(widened).toEqual({ sql: 'ALTER TABLE `Line` MODIFY COLUMN `Total` bigint GENERATED ALWAYS AS (`Qty` * 2) STORED NULL', parameters: [] });
  });

  MYSQL.describeOnDatabase('on a real database', () => {
    const database = MYSQL.useDatabase('alter_column');

    it('alterColumn of a default with a rename, expression defaults; a renamed JSON column still reads as json', async () => {
      const conn = await database.connect();
      await runOps(conn, async (op) => {
        await op.createTable('Doc', [
          { name: 'Id', type: 'integer', primaryKey: true },
          { name: 'Created', type: 'datetime' },
          { name: 'Token', type: 'char(36)' },
          { name: 'Body', type: 'json' },
        ]);
        await op.alterColumn('Doc', 'Created', { default: { sql: 'CURRENT_TIMESTAMP' }, newName: 'CreatedAt' });
        await op.alterColumn('Doc', 'Token', { default: { sql: 'uuid()' } });
        await op.renameColumn('Doc', 'Body', 'Content');
      });
      const snapshot = await conn.introspectTable('Doc');
      expect(snapshot!.columns.map((c) => [c.name, c.type.name, c.default])).toEqual([
        ['Id', 'int', undefined],
        ['CreatedAt', 'datetime', { sql: 'current_timestamp()' }],
        ['Token', 'char', { sql: 'uuid()' }],
        ['Content', 'json', undefined],
      ]);
      expect(snapshot!.checkConstraints).toEqual([]);
      await q(conn, 'INSERT INTO `Doc` (`Id`) VALUES (1)');
      expect(await q(conn, 'SELECT `CreatedAt` IS NOT NULL AS c, CHAR_LENGTH(`Token`) AS t FROM `Doc`')).toEqual([{ c: 1, t: 36 }]);
    });
  });
});
