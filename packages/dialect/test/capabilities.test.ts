// What a dialect says about itself, offline: its name, its capability flags (what core and the
// runner branch on instead of dialect names), and the table snapshots it asks the runner for
// before compiling an op. MySQL/MariaDB: the flavour comes from the URL scheme when offline.
import type { DialectCapabilities, Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../src/mysql/mysql-dialect.js';
import { mysqlDriver } from '../src/mysql/mysql-driver.js';
import { DIALECTS, forDialect, MYSQL, type PerDialect } from './support/dialects.js';
import { buildOps, context, type RevisionBody } from './support/op-harness.js';

const capabilities: PerDialect<DialectCapabilities> = {
  sqlite: { transactionalDdl: true, maxParameters: 32_766, alterColumn: false, alterConstraints: false, namedEnums: false, comments: false, foreignKeyIndexes: false, renameIndex: false, identityGeneration: false, retypeForeignKeyColumns: true, schemas: false, checksTypeSizes: false },
  postgres: { transactionalDdl: true, maxParameters: 65_535, alterColumn: true, alterConstraints: true, namedEnums: true, comments: true, foreignKeyIndexes: false, renameIndex: true, identityGeneration: true, retypeForeignKeyColumns: true, schemas: true, checksTypeSizes: true, identifierLimit: { max: 63, unit: 'bytes', longer: 'truncated' }, enumLabelLimit: { max: 63, unit: 'bytes', longer: 'refused' } },
  mysql: { transactionalDdl: false, maxParameters: 65_535, alterColumn: true, alterConstraints: true, namedEnums: false, comments: true, foreignKeyIndexes: true, renameIndex: true, identityGeneration: false, retypeForeignKeyColumns: false, schemas: false, checksTypeSizes: true, identifierLimit: { max: 64, unit: 'characters', longer: 'refused' } },
};

/** Ops, and the tables whose snapshots the dialect asks for to compile each. */
const requiredSnapshots: PerDialect<{ readonly ops: RevisionBody | readonly Op[]; readonly tables: readonly (readonly string[])[] }> = {
  // Adding a column (STRICT types) or dropping one (a rebuild may be needed). More: sqlite-batch-compile.test.ts.
  sqlite: {
    ops: async (op) => {
      await op.addColumn('T', { name: 'c', type: 'text' });
      await op.batchAlterTable('U', (b) => b.addColumn({ name: 'c', type: 'text' }));
      await op.dropColumn('T', 'c');
    },
    tables: [['T'], ['U'], ['T']],
  },
  postgres: { ops: [{ kind: 'DropTable', table: 'T' }], tables: [[]] },
  // MODIFY COLUMN restates the column as the database holds it. More: alter-column.test.ts.
  mysql: {
    ops: async (op) => {
      await op.alterColumn('Invoice', 'Total', { nullable: false });
      await op.alterColumn('Invoice', 'Total', { default: 1 });
    },
    tables: [['Invoice'], []],
  },
};

for (const d of DIALECTS) {
  describe(`${d.name}: the dialect`, () => {
    it('has its name and capabilities', () => {
      expect(d.dialect.name).toBe(d.name);
      expect(d.dialect.capabilities).toEqual(forDialect(d, capabilities));
    });

    it('asks for the snapshots of the tables it needs to compile an op', async () => {
      const { ops, tables } = forDialect(d, requiredSnapshots);
      const built = typeof ops === 'function' ? await buildOps(d.dialect, ops) : ops;
      expect(built.map((o) => d.dialect.requiredSnapshots(o))).toEqual(tables);
    });
  });
}

describe('mysql: flavours offline', () => {
  it('compiles every op kind without a connection; the flavour comes from the URL scheme offline', async () => {
    expect(mysqlDriver.dialect('mysql://u:p@h/db')).toBe(mysqlDialect);
    expect(mysqlDriver.dialect('mariadb://u:p@h/db')).toBe(mariadbDialect);
    expect(mysqlDriver.dialect()).toMatchObject({ name: 'mysql', flavour: 'mysql', capabilities: { transactionalDdl: false, maxParameters: 65_535, alterColumn: true, alterConstraints: true } });
    const ops: Op[] = await buildOps(MYSQL.dialect, async (op) => {
      await op.createTable('T', [{ name: 'a', type: 'int' }]);
      await op.dropTable('T');
    });
    expect(ops.flatMap((o) => mariadbDialect.compile(o, context())).length).toBe(2);
  });
});

describe('expression indexes: MySQL 8.0.13+ has them, MariaDB has none', () => {
  const expression = { name: 'uq_person_email_lower', columns: [{ sql: '(lower(`email`))' }], unique: true } as const;
  const prefix = { name: 'ix_person_email', columns: ['id', { sql: '`email`(10)' }, { sql: 'email(10)' }], unique: false } as const;

  it('MariaDB says why it cannot have an expression index, and what to do instead; a column prefix is no expression', () => {
    const reason = mariadbDialect.unsupportedIndex?.(expression);
    expect(reason).toBe(
      'MariaDB has no expression (functional) indexes (MySQL 8.0.13+ has): it cannot index (lower(`email`)). ' +
        "Index a generated column instead, which is MariaDB's way: add a column computed from the expression " +
        '(`email_lower varchar(255) AS (lower(`email`)) VIRTUAL`, or STORED; in Drizzle `.generatedAlwaysAs(…)`) and index that column.',
    );
    expect(mariadbDialect.unsupportedIndex?.(prefix)).toBeUndefined();
    expect(mariadbDialect.unsupportedIndex?.({ name: 'ix', columns: ['email'], unique: false })).toBeUndefined();
  });

  it('MariaDB indexes a column or a column prefix with its order (ASC/DESC, any case): no expression', () => {
    const ordered = { name: 'ix_person_ordered', columns: [{ sql: '`Name`(10) DESC' }, { sql: '`created_at` desc' }, { sql: 'name DESC' }, { sql: 'email(5)  Asc' }], unique: false } as const;
    expect(mariadbDialect.unsupportedIndex?.(ordered)).toBeUndefined();
    // An order is no licence for an expression, nor a word that is not one.
    expect(mariadbDialect.unsupportedIndex?.({ name: 'ix', columns: [{ sql: '(lower(`email`)) DESC' }], unique: false })).toMatch(/cannot index \(lower\(`email`\)\) DESC\./);
    expect(mariadbDialect.unsupportedIndex?.({ name: 'ix', columns: [{ sql: 'name descending' }], unique: false })).toMatch(/cannot index name descending\./);
  });

  it('MariaDB refuses to compile one (offline too: no statement), MySQL compiles it', async () => {
    const op: Op = { kind: 'CreateIndex', table: 'person', index: expression };
    expect(() => mariadbDialect.compile(op, context())).toThrow(/cannot create the expression index 'uq_person_email_lower' on 'person' natively\. MariaDB has no expression \(functional\) indexes/);
    const [createTable] = await buildOps(MYSQL.dialect, async (o) => {
      await o.createTable('person', [{ name: 'email', type: 'varchar(255)' }], { indexes: [expression] });
    });
    expect(() => mariadbDialect.compile(createTable!, context())).toThrow(/MariaDB has no expression/);
    expect(mysqlDialect.unsupportedIndex?.(expression)).toBeUndefined();
    expect(mysqlDialect.compile(op, context())).toEqual([{ sql: 'CREATE UNIQUE INDEX `uq_person_email_lower` ON `person` ((lower(`email`)))', parameters: [] }]);
    expect(mariadbDialect.compile({ kind: 'CreateIndex', table: 'person', index: prefix }, context())).toEqual([
      { sql: 'CREATE INDEX `ix_person_email` ON `person` (`id`, `email`(10), email(10))', parameters: [] },
    ]);
  });
});
