// Identifiers: quoted the dialect's way (embedded quote characters doubled) and qualified with the
// op's schema (SQLite: an attached database; MySQL: another database).
import { describe, expect, it } from 'vitest';
import { DIALECTS, flavoursIn, type PerDialect } from './support/dialects.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'renameTable quotes both names, doubling embedded quote characters',
    ops: {
      sqlite: (op) => op.renameTable('we"ird', 'new "name"'),
      postgres: (op) => op.renameTable('we"ird', 'new "name"'),
      mysql: (op) => op.renameTable('we`ird', 'new `name`'),
    },
    expected: {
      sqlite: ['ALTER TABLE "we""ird" RENAME TO "new ""name"""'],
      postgres: ['ALTER TABLE "we""ird" RENAME TO "new ""name"""'],
      mysql: ['RENAME TABLE `we``ird` TO `new ``name```'],
    },
  },
  {
    name: 'dropTable qualifies the table with the op schema',
    ops: {
      sqlite: (op) => op.dropTable('Invoice', { schema: 'aux', ifExists: true }),
      postgres: (op) => op.dropTable('Invoice', { schema: 'sales', ifExists: true }),
      mysql: (op) => op.dropTable('Invoice', { schema: 'sales', ifExists: true }),
    },
    expected: {
      sqlite: ['DROP TABLE IF EXISTS "aux"."Invoice"'],
      postgres: ['DROP TABLE IF EXISTS "sales"."Invoice"'],
      mysql: ['DROP TABLE IF EXISTS `sales`.`Invoice`'],
    },
  },
  {
    // SQLite qualifies the index (it lives in the attached database of its table); PostgreSQL the table.
    name: 'createIndex and dropIndex qualify with the op schema',
    ops: {
      sqlite: (op) => op.createIndex('ix', 'T', ['a'], { schema: 'aux' }),
      postgres: async (op) => {
        await op.createIndex('ix', 'T', ['a'], { schema: 's' });
        await op.dropIndex('ix', { schema: 's' });
      },
    },
    expected: {
      sqlite: ['CREATE INDEX "aux"."ix" ON "T" ("a")'],
      postgres: ['CREATE INDEX "ix" ON "s"."T" ("a")', 'DROP INDEX "s"."ix"'],
    },
  },
];

/** An identifier with the dialect's quote character in it, and how the dialect quotes it. */
const quoted: PerDialect<readonly [string, string]> = {
  sqlite: ['a"b', '"a""b"'],
  postgres: ['a"b', '"a""b"'],
  mysql: ['a`b', '`a``b`'],
};

for (const d of DIALECTS) {
  describe(`${d.name}: identifiers`, () => {
    itCompiles(d, cases);

    it('quoteIdentifier doubles the quote character', () => {
      for (const [, dialect, [name, expected]] of flavoursIn(d, quoted)) expect(dialect.quoteIdentifier(name)).toBe(expected);
    });
  });
}
