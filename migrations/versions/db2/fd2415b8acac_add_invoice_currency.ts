import type { Operations } from '@multidb/core';

export const revision = 'fd2415b8acac';
export const downRevision = '6cd0a1d092b6';
export const branchLabels = [];
export const dependsOn = [];
export const message = 'add invoice currency';
export const createDate = '2026-11-23T21:45:00Z';

// A schema change plus a data migration, Flask-Migrate style: add a nullable column, then fill
// it for the existing rows (every Chinook invoice is in US dollars).

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });
  await op.db.updateTable('Invoice').set({ Currency: 'USD' }).execute();
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', nullable: true } });
}
