import type { Dialect } from '../dialect/dialect.js';
import { NonTransactionalOpError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';

/** Where an op runs, for {@link checkOutsideTransaction}'s error. */
export interface OpSite {
  /** The bind the revision runs on. */
  readonly bind: string;
  /** The revision that calls the op. */
  readonly revision: string;
  /** The revision's file, when known. */
  readonly file?: string;
}

/**
 * Refuses an op that the dialect cannot run inside a transaction block
 * ({@link Dialect.forbidsTransaction}, e.g. PostgreSQL's `CREATE INDEX CONCURRENTLY`) when the
 * revision runs in a transaction: the one check the runner and offline mode share, made before
 * anything of the op is sent or written.
 *
 * @param op - the op the revision called.
 * @param dialect - the bind's dialect.
 * @param inTransaction - whether the op would run inside the revision's transaction.
 * @param site - the bind, revision and file, for the message.
 * @throws {@link NonTransactionalOpError} naming the op, the bind, the revision and the dialect's
 *   reason, and telling to `export const transaction = false;` from the revision.
 * @example
 * ```ts
 * checkOutsideTransaction({ kind: 'DropIndex', table: 'Invoice', name: 'ix_a', concurrently: true }, dialect, true, { bind: 'db2', revision: '3f2a9c1d7b40' });
 * // postgres: throws NonTransactionalOpError; sqlite, mysql: returns
 * ```
 * @internal
 */
export function checkOutsideTransaction(op: Op, dialect: Dialect, inTransaction: boolean, site: OpSite): void {
  if (!inTransaction) return;
  const reason = dialect.forbidsTransaction?.(op);
  if (reason === undefined) return;
  throw new NonTransactionalOpError({ ...site, op: describeCall(op), reason });
}

/** `op.createIndex('ix_a') on 'Invoice' with concurrently: true`: the call, for the message. */
function describeCall(op: Op): string {
  const verb = op.kind.charAt(0).toLowerCase() + op.kind.slice(1);
  const name = op.kind === 'CreateIndex' ? op.index.name : 'name' in op && typeof op.name === 'string' ? op.name : undefined;
  const table = 'table' in op && typeof op.table === 'string' && op.table ? op.table : undefined;
  const concurrently = 'concurrently' in op && op.concurrently ? ' with concurrently: true' : '';
  return `op.${verb}(${name !== undefined ? `'${name}'` : ''})${table !== undefined ? ` on '${table}'` : ''}${concurrently}`;
}
