// dropTable: the exact SQL of each dialect. (IF EXISTS and schemas: identifiers.test.ts. Dropping
// tables on a real database: alter-table.test.ts.)
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'dropTable',
    ops: (op) => op.dropTable('Invoice'),
    expected: {
      sqlite: ['DROP TABLE "Invoice"'],
      postgres: ['DROP TABLE "Invoice"'],
    },
  },
];

describeCompiles('dropTable', cases);
