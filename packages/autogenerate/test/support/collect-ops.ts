import { DEFAULT_NAMING_CONVENTION, Operations, type NamingConvention, type Op } from '@multidb/core';

/** A revision body, as tests write them. */
export type RevisionBodyFn = (op: Operations) => Promise<void>;

/**
 * A naming convention unlike the default: ops replayed with it keep their names only if the
 * rendered file gives every name explicitly.
 */
export const ODD_NAMING_CONVENTION: NamingConvention = { ix: 'zz_ix_%(table)s', uq: 'zz_uq_%(table)s', fk: 'zz_fk_%(table)s', ck: 'zz_ck_%(table)s', pk: 'zz_pk_%(table)s' };

/** An `Operations` whose runner collects the op objects instead of running them (no database). */
export function collectingOperations(namingConvention: NamingConvention = DEFAULT_NAMING_CONVENTION): { op: Operations; ops: Op[] } {
  const ops: Op[] = [];
  const op = new Operations({
    db: undefined as never,
    bind: 'test',
    namingConvention,
    runner: { dialect: { name: 'sqlite', inlineLiteral: (v) => String(v) }, run: async (o) => void ops.push(o) },
  });
  return { op, ops };
}

/** The op objects a revision body builds through core's `op` facade. */
export async function collectOps(fn: RevisionBodyFn, namingConvention?: NamingConvention): Promise<Op[]> {
  const { op, ops } = collectingOperations(namingConvention);
  await fn(op);
  return ops;
}
