import { describe, expect, it } from 'vitest';
import type { Dialect } from '../dialect/dialect.js';
import { NonTransactionalOpError, OperationError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import { checkOutsideTransaction } from './non-transactional-op.js';

/** A dialect that refuses concurrent index ops in a transaction, as PostgreSQL's does (only the method the check reads). */
const refusing = {
  forbidsTransaction: (op: Op) => (op.kind === 'CreateIndex' && op.concurrently ? 'the server refuses it in a transaction block' : undefined),
} as Pick<Dialect, 'forbidsTransaction'> as Dialect;
const CREATE: Op = { kind: 'CreateIndex', table: 'Invoice', index: { name: 'ix_Invoice_CustomerId', columns: ['CustomerId'], unique: false }, concurrently: true };
const SITE = { bind: 'db2', revision: '3f2a9c1d7b40', file: 'migrations/versions/db2/3f2a9c1d7b40_ix.ts' };

describe('checkOutsideTransaction', () => {
  it('refuses an op the dialect forbids in a transaction, naming the op, bind, revision and what to export', () => {
    let error: unknown;
    try {
      checkOutsideTransaction(CREATE, refusing, true, SITE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonTransactionalOpError);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'NON_TRANSACTIONAL_OP', bind: 'db2', revision: '3f2a9c1d7b40', reason: 'the server refuses it in a transaction block' });
    expect((error as Error).message).toBe(
      "op.createIndex('ix_Invoice_CustomerId') on 'Invoice' with concurrently: true cannot run inside a transaction (the server refuses it in a transaction block), " +
        "and revision 3f2a9c1d7b40 of bind 'db2' runs in one. Add `export const transaction = false;` to the revision (migrations/versions/db2/3f2a9c1d7b40_ix.ts): " +
        'its ops then run outside a transaction, each committed as it completes (keep such a revision to these ops: one that fails part way leaves the ops before it applied). ' +
        'Nothing of this op was sent.',
    );
  });

  it('lets it through outside a transaction, and lets through what the dialect allows', () => {
    expect(() => checkOutsideTransaction(CREATE, refusing, false, SITE)).not.toThrow();
    expect(() => checkOutsideTransaction({ ...CREATE, concurrently: false } as Op, refusing, true, SITE)).not.toThrow();
    expect(() => checkOutsideTransaction(CREATE, {} as Dialect, true, SITE)).not.toThrow();
  });
});
