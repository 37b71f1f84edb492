// What a dialect cannot do is refused when the op is compiled, with an error that says so
// (UnsupportedOperationError, or an OperationError asking for what is missing); it never pretends.
// (What SQLite does by a table rebuild instead: sqlite-batch-compile.test.ts.)
import { OperationError, UnsupportedOperationError } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { dialectsIn, forDialect, type PerDialect } from './support/dialects.js';
import { buildOps, context, type RevisionBody } from './support/op-harness.js';

/** An op a dialect refuses, and what the error must be: its class, its message, the dialect it names. */
interface Refusal {
  readonly name: string;
  readonly ops: RevisionBody;
  readonly error?: new (...args: any[]) => Error;
  readonly message?: RegExp;
  readonly dialect?: string;
}

const refusals: PerDialect<readonly Refusal[]> = {
  sqlite: [
    { name: "a batch with recreate: 'never' needing a rebuild", ops: (op) => op.batchAlterTable('T', (b) => b.dropConstraint('uq', { type: 'unique' }), { recreate: 'never' }), error: UnsupportedOperationError, message: /recreate: 'never' forbids/, dialect: 'sqlite' },
    { name: 'an array type', ops: (op) => op.addColumn('T', { name: 'c', type: 'text[]' }), error: UnsupportedOperationError, message: /array type 'text\[\]'/, dialect: 'sqlite' },
    { name: 'AUTOINCREMENT on a non-key column', ops: (op) => op.createTable('T', [{ name: 'id', type: 'integer', autoincrement: true }]), error: UnsupportedOperationError, message: /AUTOINCREMENT/, dialect: 'sqlite' },
    { name: 'AUTOINCREMENT on a text key', ops: (op) => op.createTable('T', [{ name: 'id', type: 'text', primaryKey: true, autoincrement: true }]), error: UnsupportedOperationError, message: /AUTOINCREMENT only on an INTEGER PRIMARY KEY/, dialect: 'sqlite' },
  ],
  postgres: [
    { name: 'a VIRTUAL generated column', ops: (op) => op.addColumn('T', { name: 'v', type: 'int', generated: { sql: '1', stored: false } }), error: UnsupportedOperationError },
    { name: 'an identity column of a text type', ops: (op) => op.addColumn('T', { name: 'v', type: 'text', autoincrement: true }), message: /identity columns are smallint, integer or bigint/ },
    { name: 'a blank SQL default', ops: (op) => op.addColumn('T', { name: 'v', type: 'text', default: { sql: ' ' } }), error: OperationError },
  ],
  mysql: [
    { name: 'a partial index', ops: (op) => op.createIndex('ix', 'T', ['a'], { where: 'a > 0' }), message: /partial index/ },
    { name: 'createIndex IF NOT EXISTS on MySQL', ops: (op) => op.createIndex('ix', 'T', ['a'], { ifNotExists: true }), error: UnsupportedOperationError },
    { name: 'dropIndex without its table', ops: (op) => op.dropIndex('ix'), message: /needs the index's table: op.dropIndex\('ix', \{ table: '…' \}\)/ },
    { name: 'an array type', ops: (op) => op.addColumn('T', { name: 'tags', type: 'text[]' }), error: UnsupportedOperationError },
  ],
};

for (const d of dialectsIn(refusals)) {
  describe(`${d.name}: what it cannot do`, () => {
    it.each(forDialect(d, refusals).map((r) => [r.name, r] as const))('%s → refused when compiled', async (_name, refusal) => {
      const ops = await buildOps(d.dialect, refusal.ops);
      let error: unknown;
      try {
        for (const o of ops) d.dialect.compile(o, context());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(refusal.error ?? Error);
      if (refusal.message) expect((error as Error).message).toMatch(refusal.message);
      if (refusal.dialect) expect((error as UnsupportedOperationError).dialect).toBe(refusal.dialect);
    });
  });
}
