import type { DatabaseSnapshot, Op } from '@multidb/core';
import { compareSchemas } from '../compare/compare-schemas.js';
import type { CompareOptions } from '../compare/compare-options.js';
import type { Comparison } from '../compare/detected-change.js';
import { applyOps } from './apply-ops.js';
import { downgrade } from './snapshot-fixture.js';

/** What {@link roundTrip} found. */
export interface RoundTrip {
  readonly comparison: Comparison;
  /** The database after the upgrade ops. */
  readonly upgraded: DatabaseSnapshot;
  /** What comparing the models with the upgraded database still finds (empty when the ops are right). */
  readonly remainingAfterUpgrade: readonly Op[];
  /** What comparing the original database with the downgraded one finds (empty when the downgrade is right). */
  readonly remainingAfterDowngrade: readonly Op[];
}

/**
 * Compares, applies the upgrade ops to the database with the strict model of {@link applyOps}
 * (which throws on an op in the wrong order), compares again, then applies the downgrade (the ops
 * reversed with `reverseOp`) and compares with the original database.
 */
export function roundTrip(models: DatabaseSnapshot, database: DatabaseSnapshot, options: CompareOptions): RoundTrip {
  const comparison = compareSchemas(models, database, options);
  const enforceForeignKeys = options.capabilities.alterConstraints !== false;
  const apply = { enforceForeignKeys, namedEnums: options.capabilities.namedEnums };
  const upgraded = applyOps(database, comparison.ops, apply);
  const again = { ...options, renames: {} };
  const remainingAfterUpgrade = compareSchemas(models, upgraded, again).ops;
  const reversed = downgrade(comparison.ops);
  const irreversible = reversed.filter((o) => o.kind === 'Irreversible');
  if (irreversible.length && irreversible.some((o) => o.kind === 'Irreversible' && o.op.kind !== 'AddEnumValue')) {
    throw new Error(`irreversible ops: ${JSON.stringify(irreversible)}`);
  }
  const downgraded = applyOps(upgraded, reversed.filter((o): o is Op => o.kind !== 'Irreversible'), apply);
  const remainingAfterDowngrade = irreversible.length ? [] : compareSchemas(database, downgraded, again).ops;
  return { comparison, upgraded, remainingAfterUpgrade, remainingAfterDowngrade };
}
