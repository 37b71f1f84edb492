// createIndex and dropIndex: the exact SQL of each dialect. (Schemas: identifiers.test.ts. What a
// dialect refuses, such as MySQL's partial indexes: unsupported.test.ts. Indexes on a real
// database: alter-table.test.ts.)
import type { RevisionBody } from './support/op-harness.js';
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const uniquePartial: RevisionBody = (op) => op.createIndex(null, 'Invoice', ['Total', 'Ref'], { unique: true, where: '"Total" > 0', ifNotExists: true });
const dropIndex: RevisionBody = (op) => op.dropIndex('ix_x');

const cases: SqlCase[] = [
  {
    name: 'createIndex: unique (partial, IF NOT EXISTS where the dialect has them), named by the convention',
    ops: {
      sqlite: uniquePartial,
      postgres: uniquePartial,
      mysql: (op) => op.createIndex(null, 'Invoice', ['Amount', 'OwnerId'], { unique: true }),
    },
    expected: {
      sqlite: ['CREATE UNIQUE INDEX IF NOT EXISTS "ix_Invoice_Total_Ref" ON "Invoice" ("Total", "Ref") WHERE "Total" > 0'],
      postgres: ['CREATE UNIQUE INDEX IF NOT EXISTS "ix_Invoice_Total_Ref" ON "Invoice" ("Total", "Ref") WHERE "Total" > 0'],
      mysql: ['CREATE UNIQUE INDEX `ix_Invoice_Amount_OwnerId` ON `Invoice` (`Amount`, `OwnerId`)'],
    },
  },
  {
    // MySQL needs the index's table (without it: unsupported.test.ts).
    name: 'dropIndex',
    ops: { sqlite: dropIndex, postgres: dropIndex, mysql: (op) => op.dropIndex('ix_x', { table: 'Invoice' }) },
    expected: {
      sqlite: ['DROP INDEX "ix_x"'],
      postgres: ['DROP INDEX "ix_x"'],
      mysql: ['DROP INDEX `ix_x` ON `Invoice`'],
    },
  },
  {
    name: 'createIndex IF NOT EXISTS on MariaDB (MySQL has no such clause: unsupported.test.ts)',
    ops: { mariadb: (op) => op.createIndex('ix', 'T', ['a'], { ifNotExists: true }) },
    expected: { mariadb: ['CREATE INDEX IF NOT EXISTS `ix` ON `T` (`a`)'] },
  },
];

describeCompiles('indexes', cases);
