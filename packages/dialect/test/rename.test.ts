// renameColumn: the exact SQL of each dialect. (renameTable, with names that need quoting:
// identifiers.test.ts. Renames on a real database: alter-table.test.ts.)
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'renameColumn',
    ops: (op) => op.renameColumn('Invoice', 'Total', 'Amount'),
    expected: {
      sqlite: ['ALTER TABLE "Invoice" RENAME COLUMN "Total" TO "Amount"'],
      postgres: ['ALTER TABLE "Invoice" RENAME COLUMN "Total" TO "Amount"'],
      mysql: ['ALTER TABLE `Invoice` RENAME COLUMN `Total` TO `Amount`'],
    },
  },
];

describeCompiles('rename', cases);
