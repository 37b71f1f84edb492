#!/usr/bin/env node
// Checks the repository's two-bind Chinook example after `npm run migrate -- upgrade` (SQLite binds).
//
//   node tools/scripts/check-chinook-counts.mjs [default.db] [db2.db]
//
// Defaults: .data/default.db and .data/db2.db under the repository root (the URLs of
// migrate.config.ts). Prints one line per check; exits 1 if any fails, 2 if a file is missing.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const files = {
  default: resolve(process.argv[2] ?? resolve(repoRoot, '.data/default.db')),
  db2: resolve(process.argv[3] ?? resolve(repoRoot, '.data/db2.db')),
};

/** Per bind: [label, SQL returning one number, expected value]. */
const CHECKS = {
  default: [
    ['Artist rows', 'SELECT count(*) FROM "Artist"', 275],
    ['Album rows', 'SELECT count(*) FROM "Album"', 347],
    ['Track rows', 'SELECT count(*) FROM "Track"', 3503],
    ['Genre rows', 'SELECT count(*) FROM "Genre"', 25],
    ['MediaType rows', 'SELECT count(*) FROM "MediaType"', 5],
    ['Playlist rows', 'SELECT count(*) FROM "Playlist"', 18],
    ['PlaylistTrack rows', 'SELECT count(*) FROM "PlaylistTrack"', 8715],
    ['Album without TrackCount', 'SELECT count(*) FROM "Album" WHERE "TrackCount" IS NULL', 0],
    [
      'Album with a wrong TrackCount',
      'SELECT count(*) FROM "Album" a WHERE a."TrackCount" <> (SELECT count(*) FROM "Track" t WHERE t."AlbumId" = a."AlbumId")',
      0,
    ],
    ['sum of TrackCount', 'SELECT sum("TrackCount") FROM "Album"', 3503],
  ],
  db2: [
    ['Employee rows', 'SELECT count(*) FROM "Employee"', 8],
    ['Customer rows', 'SELECT count(*) FROM "Customer"', 59],
    ['Invoice rows', 'SELECT count(*) FROM "Invoice"', 412],
    ['InvoiceLine rows', 'SELECT count(*) FROM "InvoiceLine"', 2240],
    ['Invoice not in USD', `SELECT count(*) FROM "Invoice" WHERE "Currency" IS NULL OR "Currency" <> 'USD'`, 0],
  ],
};

let failed = 0;
for (const [bind, file] of Object.entries(files)) {
  if (!existsSync(file)) {
    console.error(`check-chinook-counts: ${bind}: ${file} not found (run \`npm run migrate -- upgrade\` first).`);
    process.exit(2);
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    for (const [label, sql, expected] of CHECKS[bind]) {
      let actual;
      try {
        actual = db.prepare(sql).pluck().get();
      } catch (error) {
        actual = `error: ${error.message}`;
      }
      const ok = actual === expected;
      if (!ok) failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${bind.padEnd(7)} ${label.padEnd(30)} ${String(actual)}${ok ? '' : ` (expected ${expected})`}`);
    }
    const fk = db.pragma('foreign_key_check');
    if (fk.length) failed++;
    console.log(`${fk.length ? 'FAIL' : 'ok  '} ${bind.padEnd(7)} ${'foreign_key_check'.padEnd(30)} ${fk.length} violations`);
  } finally {
    db.close();
  }
}
if (failed) console.error(`check-chinook-counts: ${failed} check(s) failed.`);
process.exit(failed ? 1 : 0);
