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
        await op.dropConstraint('PRIMARY', 'Invoice', { type: 'primary' });
        await op.dropConstraint('ck_amount', 'Invoice', { type: 'check' });
      },
    },
    expected: {
      postgres: ['ALTER TABLE "Invoice" DROP CONSTRAINT "uq_Invoice_Code"', 'ALTER TABLE "s"."Invoice" DROP CONSTRAINT "pk_Invoice"'],
      mysql: [
        'ALTER TABLE `Invoice` DROP INDEX `uq_Invoice_OwnerId`',
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
    // that one).
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

const INTEGER = { name: 'integer', args: [], modifiers: [], array: false } as const;
/** What an offline script says above an index dropped from a table it does not know. */
const indexNote = (index: string) =>
  `The shape of \`Invoice\` is not known here: taken that no foreign key needs index \`${index}\`. If one does (the\n` +
  'script stops: "needed in a foreign key constraint"), add an index over the key\'s columns first, named as the key.';
/** What an offline script says above a foreign key dropped from a table it does not know. */
const NOTE = 'The shape of `Invoice` is not known here. InnoDB made an index named `fk_x` for the key if no index\nserved it: it is dropped with the key if there is one, as an online run drops it.';

cases.push(
  {
    // Offline, a table the script did not make: whether InnoDB made an index for the key is not
    // known, so the index named as the key is dropped if there is one (as an online run drops it).
    name: 'dropConstraint of a foreign key of a table whose shape is not known (offline)',
    ops: { mysql: (op) => op.dropConstraint('fk_x', 'Invoice', { type: 'foreignkey' }) },
    expected: {
      mysql: [
        { sql: 'ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_x`', parameters: [], note: NOTE },
        {
          sql: "SET @multidb_ddl = IF((SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Invoice' AND INDEX_NAME = 'fk_x') > 0, 'ALTER TABLE `Invoice` DROP INDEX `fk_x`', 'DO 0')",
          parameters: [],
        },
        { sql: 'PREPARE multidb_ddl FROM @multidb_ddl', parameters: [] },
        { sql: 'EXECUTE multidb_ddl', parameters: [] },
        { sql: 'DEALLOCATE PREPARE multidb_ddl', parameters: [] },
      ],
      mariadb: [{ sql: 'ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_x`, DROP INDEX IF EXISTS `fk_x`', parameters: [], note: NOTE }],
    },
  },
  {
    // Offline, a table the script did not make: an index (or unique key) is dropped taking it that
    // no foreign key needs it (online, such a key first gets an index of its own); the note says so.
    name: 'dropIndex and dropConstraint of a unique key of a table whose shape is not known (offline)',
    ops: {
      mysql: async (op) => {
        await op.dropIndex('ix_owner', { table: 'Invoice' });
        await op.dropConstraint('uq_Invoice_OwnerId', 'Invoice', { type: 'unique' });
      },
    },
    expected: {
      mysql: [
        { sql: 'DROP INDEX `ix_owner` ON `Invoice`', parameters: [], note: indexNote('ix_owner') },
        { sql: 'ALTER TABLE `Invoice` DROP INDEX `uq_Invoice_OwnerId`', parameters: [], note: indexNote('uq_Invoice_OwnerId') },
      ],
    },
  },
  {
    // A snapshot from a createTable of the script keeps keys on their columns (named by the
    // convention), and a column's `unique` is an index that serves its key (no index of InnoDB's).
    name: 'dropConstraint of a foreign key on a column: the column-level unique index serves it',
    snapshots: [
      {
        name: 'Review',
        columns: [
          { name: 'ReviewId', type: INTEGER, nullable: false, primaryKey: true },
          { name: 'AlbumId', type: INTEGER, nullable: true, references: { table: 'Album', column: 'AlbumId' } },
          { name: 'ArtistId', type: INTEGER, nullable: true, unique: true, references: { table: 'Artist', column: 'ArtistId' } },
        ],
        foreignKeys: [],
        uniqueConstraints: [],
        checkConstraints: [],
        indexes: [],
      },
    ],
    ops: {
      mysql: async (op) => {
        await op.dropConstraint('fk_Review_AlbumId_Album', 'Review', { type: 'foreignkey' });
        await op.dropConstraint('fk_Review_ArtistId_Artist', 'Review', { type: 'foreignkey' });
      },
    },
    expected: {
      mysql: [
        'ALTER TABLE `Review` DROP FOREIGN KEY `fk_Review_AlbumId_Album`, DROP INDEX `fk_Review_AlbumId_Album`',
        'ALTER TABLE `Review` DROP FOREIGN KEY `fk_Review_ArtistId_Artist`',
      ],
    },
  },
  {
    // The index InnoDB made for fk_ab also serves fk_a (InnoDB keeps no index of fk_a's own, in
    // either order of creation): dropping fk_ab and its index gives fk_a the index InnoDB would
    // have made for it, in the same ALTER; dropping fk_a drops no index.
    name: 'dropConstraint of a foreign key whose index serves another key keeps an index for that key',
    snapshots: [
      {
        name: 'Line',
        columns: [
          { name: 'Id', type: INTEGER, nullable: false, primaryKey: true },
          { name: 'A', type: INTEGER, nullable: true },
          { name: 'B', type: INTEGER, nullable: true },
        ],
        foreignKeys: [
          { name: 'fk_ab', columns: ['A', 'B'], referredTable: 'Pair', referredColumns: ['A', 'B'] },
          { name: 'fk_a', columns: ['A'], referredTable: 'One', referredColumns: ['A'] },
        ],
        uniqueConstraints: [],
        checkConstraints: [],
        indexes: [],
      },
    ],
    ops: {
      mysql: async (op) => {
        await op.dropConstraint('fk_ab', 'Line', { type: 'foreignkey' });
        await op.dropConstraint('fk_a', 'Line', { type: 'foreignkey' });
      },
    },
    expected: { mysql: ['ALTER TABLE `Line` DROP FOREIGN KEY `fk_ab`, ADD INDEX `fk_a` (`A`), DROP INDEX `fk_ab`', 'ALTER TABLE `Line` DROP FOREIGN KEY `fk_a`'] },
  },
);

describeCompiles('constraints', cases);
