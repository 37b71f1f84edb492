import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Operations } from '@multidb/core';

export const revision = '777187012aef';
export const downRevision = '54aab5d7fb66';
export const branchLabels = [];
export const dependsOn = [];
export const message = 'load catalog data';
export const createDate = '2026-11-23T21:41:00Z';

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

// Parents before children, so the rows satisfy the foreign keys on every database.
const TABLES = ['Artist', 'Album', 'Genre', 'MediaType', 'Track', 'Playlist', 'PlaylistTrack'] as const;

export async function upgrade(op: Operations): Promise<void> {
  for (const table of TABLES) {
    await op.bulkInsert(table, chinookRows(table));
  }
}

export async function downgrade(op: Operations): Promise<void> {
  // The tables were empty before this revision (created by 54aab5d7fb66): delete every row,
  // children first.
  for (const table of [...TABLES].reverse()) {
    await op.db.deleteFrom(table).execute();
  }
}
