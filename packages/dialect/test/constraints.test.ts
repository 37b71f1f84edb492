// Constraints added to and dropped from an existing table (unique, check, foreign key, primary
// key): the exact SQL of each dialect. SQLite adds and drops them by a table rebuild
// (sqlite-batch-compile.test.ts, sqlite-batch-rebuild.test.ts). Constraints on a real database:
// alter-table.test.ts.
import { describeCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'createUniqueConstraint, named by the convention',
    ops: {
      postgres: (op) => op.createUniqueConstraint(null, 'Invoice', ['Code']),
      mysql: (op) => op.createUniqueConstraint(null, 'Invoice', ['OwnerId']),
    },
    expected: {
      postgres: ['ALTER TABLE "Invoice" ADD CONSTRAINT "uq_Invoice_Code" UNIQUE ("Code")'],
      mysql: ['ALTER TABLE `Invoice` ADD CONSTRAINT `uq_Invoice_OwnerId` UNIQUE (`OwnerId`)'],
    },
  },
  {
    name: 'createCheckConstraint',
    ops: {
      postgres: (op) => op.createCheckConstraint('positive', 'Invoice', '"Total" >= 0'),
      mysql: (op) => op.createCheckConstraint('ck_amount', 'Invoice', '`Amount` >= 0'),
    },
    expected: {
      postgres: ['ALTER TABLE "Invoice" ADD CONSTRAINT "positive" CHECK ("Total" >= 0)'],
      mysql: ['ALTER TABLE `Invoice` ADD CONSTRAINT `ck_amount` CHECK (`Amount` >= 0)'],
    },
  },
  {
    name: 'createForeignKey: named by the convention or by the op, with actions, across schemas',
    ops: {
      postgres: async (op) => {
        await op.createForeignKey(null, 'Invoice', 'Customer', ['CustomerId'], ['Id'], { onDelete: 'restrict', onUpdate: 'cascade' });
        await op.createForeignKey('fk_x', 'Invoice', 'Customer', ['A', 'B'], ['A', 'B'], { schema: 's', referredSchema: 'crm' });
      },
      mysql: (op) => op.createForeignKey(null, 'Invoice', 'Customer', ['CustomerId'], ['CustomerId'], { onDelete: 'restrict', onUpdate: 'cascade' }),
    },
    expected: {
      postgres: [
        'ALTER TABLE "Invoice" ADD CONSTRAINT "fk_Invoice_CustomerId_Customer" FOREIGN KEY ("CustomerId") REFERENCES "Customer" ("Id") ON DELETE RESTRICT ON UPDATE CASCADE',
        'ALTER TABLE "s"."Invoice" ADD CONSTRAINT "fk_x" FOREIGN KEY ("A", "B") REFERENCES "crm"."Customer" ("A", "B")',
      ],
      mysql: [
        'ALTER TABLE `Invoice` ADD CONSTRAINT `fk_Invoice_CustomerId_Customer` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`) ON DELETE RESTRICT ON UPDATE CASCADE',
      ],
    },
  },
  {
    // MySQL's primary key is always named PRIMARY: the op's name is not written.
    name: 'createPrimaryKey',
    ops: {
      postgres: (op) => op.createPrimaryKey(null, 'Invoice', ['InvoiceId']),
      mysql: (op) => op.createPrimaryKey('pk_ignored', 'Invoice', ['InvoiceId']),
    },
    expected: {
      postgres: ['ALTER TABLE "Invoice" ADD CONSTRAINT "pk_Invoice" PRIMARY KEY ("InvoiceId")'],
      mysql: ['ALTER TABLE `Invoice` ADD PRIMARY KEY (`InvoiceId`)'],
    },
  },
  {
    // MySQL drops each kind its own way: a unique constraint is an index there.
    name: 'dropConstraint of each type',
    ops: {
      postgres: async (op) => {
        await op.dropConstraint('uq_Invoice_Code', 'Invoice', { type: 'unique' });
        await op.dropConstraint('pk_Invoice', 'Invoice', { type: 'primary', schema: 's' });
      },
      mysql: async (op) => {
        await op.dropConstraint('uq_Invoice_OwnerId', 'Invoice', { type: 'unique' });
        await op.dropConstraint('fk_x', 'Invoice', { type: 'foreignkey' });
        await op.dropConstraint('PRIMARY', 'Invoice', { type: 'primary' });
        await op.dropConstraint('ck_amount', 'Invoice', { type: 'check' });
      },
    },
    expected: {
      postgres: ['ALTER TABLE "Invoice" DROP CONSTRAINT "uq_Invoice_Code"', 'ALTER TABLE "s"."Invoice" DROP CONSTRAINT "pk_Invoice"'],
      mysql: [
        'ALTER TABLE `Invoice` DROP INDEX `uq_Invoice_OwnerId`',
        'ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_x`',
        'ALTER TABLE `Invoice` DROP PRIMARY KEY',
        'ALTER TABLE `Invoice` DROP CHECK `ck_amount`',
      ],
    },
  },
  {
    name: 'dropConstraint of a CHECK per flavour: DROP CHECK on MySQL, DROP CONSTRAINT on MariaDB',
    ops: { mysql: (op) => op.dropConstraint('ck_total', 'Invoice', { type: 'check' }) },
    expected: {
      mysql: ['ALTER TABLE `Invoice` DROP CHECK `ck_total`'],
      mariadb: ['ALTER TABLE `Invoice` DROP CONSTRAINT `ck_total`'],
    },
  },
  {
    // InnoDB made an index named as the key for it (introspection does not report it): dropping
    // the key drops it too, unless another index starts with the key's columns (then InnoDB used
    // that one). Offline, with no snapshot, only the key is dropped.
    name: 'dropConstraint of a foreign key drops the index InnoDB made for it',
    snapshots: [
      {
        name: 'Invoice',
        columns: [
          { name: 'Id', type: { name: 'integer', args: [], modifiers: [], array: false }, nullable: false, primaryKey: true },
          { name: 'CustomerId', type: { name: 'integer', args: [], modifiers: [], array: false }, nullable: true },
          { name: 'OwnerId', type: { name: 'integer', args: [], modifiers: [], array: false }, nullable: true },
        ],
        foreignKeys: [
          { name: 'fk_c', columns: ['CustomerId'], referredTable: 'Customer', referredColumns: ['Id'] },
          { name: 'fk_o', columns: ['OwnerId'], referredTable: 'Owner', referredColumns: ['Id'] },
        ],
        uniqueConstraints: [],
        checkConstraints: [],
        indexes: [{ name: 'ix_owner', columns: ['OwnerId', 'Id'], unique: false }],
      },
    ],
    ops: {
      mysql: async (op) => {
        await op.dropConstraint('fk_c', 'Invoice', { type: 'foreignkey' });
        await op.dropConstraint('fk_o', 'Invoice', { type: 'foreignkey' });
      },
    },
    expected: {
      mysql: ['ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_c`, DROP INDEX `fk_c`', 'ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_o`'],
    },
  },
];

describeCompiles('constraints', cases);
