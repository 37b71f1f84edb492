import { describe, expect, it } from 'vitest';
import type { Dialect } from '../dialect/dialect.js';
import { OperationError, UnsupportedIndexError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import type { IndexSnapshot } from '../schema/table-snapshot.js';
import { checkIndexes } from './unsupported-index.js';

/** A dialect without expression indexes, as MariaDB's (only the method the check reads). */
const noExpressions = {
  name: 'test',
  unsupportedIndex: (ix: IndexSnapshot) => (ix.columns.some((c) => typeof c === 'object' && 'sql' in c) ? 'the database has no expression indexes.' : undefined),
} as Pick<Dialect, 'name' | 'unsupportedIndex'> as Dialect;
const EXPRESSION: IndexSnapshot = { name: 'uq_person_email_lower', columns: [{ sql: '(lower(`email`))' }], unique: true };
const PLAIN: IndexSnapshot = { name: 'ix_person_email', columns: ['email'], unique: false };
const SITE = { bind: 'db3', revision: '3f2a9c1d7b40', file: 'migrations/versions/db3/3f2a9c1d7b40_ix.ts' };
const table = (indexes: IndexSnapshot[]) => ({ name: 'person', columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes });

function thrown(op: Op, dialect: Dialect = noExpressions): unknown {
  try {
    checkIndexes(op, dialect, SITE);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('checkIndexes', () => {
  it('refuses createIndex with an index the dialect cannot have, naming the op, table, index, reason, bind, revision and file', () => {
    const error = thrown({ kind: 'CreateIndex', table: 'person', index: EXPRESSION });
    expect(error).toBeInstanceOf(UnsupportedIndexError);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_INDEX', bind: 'db3', revision: '3f2a9c1d7b40', table: 'person', index: 'uq_person_email_lower', reason: 'the database has no expression indexes.' });
    expect((error as Error).message).toBe(
      "op.createIndex('person') creates the index 'uq_person_email_lower' on 'person', which bind 'db3' cannot have: the database has no expression indexes. " +
        "Nothing of this op was sent or written. Change it in revision 3f2a9c1d7b40 of bind 'db3' (migrations/versions/db3/3f2a9c1d7b40_ix.ts).",
    );
  });

  it("refuses a new table's index and a batch block's", () => {
    expect(thrown({ kind: 'CreateTable', table: table([PLAIN, EXPRESSION]) })).toMatchObject({ op: "op.createTable('person')", index: 'uq_person_email_lower' });
    expect(thrown({ kind: 'BatchAlterTable', table: 'person', options: {}, ops: [{ kind: 'CreateIndex', table: 'person', index: EXPRESSION }] } as Op)).toBeInstanceOf(UnsupportedIndexError);
  });

  it('lets through what the dialect can have, other ops, and every index of a dialect without the method', () => {
    expect(thrown({ kind: 'CreateIndex', table: 'person', index: PLAIN })).toBeUndefined();
    expect(thrown({ kind: 'CreateTable', table: table([PLAIN]) })).toBeUndefined();
    expect(thrown({ kind: 'DropTable', table: 'person' })).toBeUndefined();
    expect(thrown({ kind: 'CreateIndex', table: 'person', index: EXPRESSION }, { name: 'other' } as Dialect)).toBeUndefined();
  });
});
