import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Operations } from '@multidb/core';

export const revision = '6cd0a1d092b6';
export const downRevision = '4fcf6e3a8f8c';
export const branchLabels = [];
export const dependsOn = [];
export const message = 'load sales data';
export const createDate = '2026-11-23T21:44:00Z';

type Row = Record<string, unknown>;

/**
 * Reads the committed Chinook rows of one table (migrations/data/chinook/<table>.json), found
 * relative to this file, so the revision runs from any working directory. `import.meta.url` is
 * this file's URL both natively and when multidb loads the revision through jiti.
 */
function chinookRows(table: string): Row[] {
  const file = fileURLToPath(new URL(`../../data/chinook/${table}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Row[];
}

/**
 * Employees ordered so that every manager comes before the people reporting to them (by depth
 * in the ReportsTo tree). MySQL checks a foreign key row by row, even inside one multi-row
 * INSERT, so the order of the rows matters for the self reference.
 */
function managersFirst(employees: readonly Row[]): Row[] {
  const byId = new Map(employees.map((e) => [e.EmployeeId, e]));
  const depth = (e: Row): number => {
    let d = 0;
    for (let m = byId.get(e.ReportsTo); m; m = byId.get(m.ReportsTo)) {
      if (++d > employees.length) throw new Error(`Employee ${String(e.EmployeeId)}: ReportsTo forms a cycle.`);
    }
    return d;
  };
  return employees
    .map((e) => ({ e, d: depth(e) }))
    .sort((a, b) => a.d - b.d || Number(a.e.EmployeeId) - Number(b.e.EmployeeId))
    .map(({ e }) => e);
}

export async function upgrade(op: Operations): Promise<void> {
  await op.bulkInsert('Employee', managersFirst(chinookRows('Employee')));
  // Parents before children. InvoiceLine.TrackId points into the default bind; nothing to check here.
  for (const table of ['Customer', 'Invoice', 'InvoiceLine']) {
    await op.bulkInsert(table, chinookRows(table));
  }
}

export async function downgrade(op: Operations): Promise<void> {
  // The tables were empty before this revision (created by 4fcf6e3a8f8c): delete every row,
  // children first. Employee's self reference: clear it before deleting, so no row deleted in
  // one statement is still referred to by another (MySQL checks row by row).
  await op.db.deleteFrom('InvoiceLine').execute();
  await op.db.deleteFrom('Invoice').execute();
  await op.db.deleteFrom('Customer').execute();
  await op.db.updateTable('Employee').set({ ReportsTo: null }).execute();
  await op.db.deleteFrom('Employee').execute();
}
