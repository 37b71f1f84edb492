#!/usr/bin/env node
// Extracts the Chinook sample database into one JSON file per table, for the repository's own
// two-bind example (migrations/versions/{default,db2}/ load these files with op.bulkInsert).
//
//   node tools/scripts/extract-chinook.mjs [path/to/Chinook_Sqlite.sql] [outDir]
//
// Defaults: /work/shared/datasets/chinook/Chinook_Sqlite.sql (or $CHINOOK_SQL) and
// migrations/data/chinook/. The SQL script is run in an in-memory better-sqlite3 database; each
// table is written as a JSON array of row objects (PascalCase column names as in the script), one
// row per line so diffs stay readable. LICENSE.md (MIT) is copied next to the data.
// The output is committed: a fresh clone needs neither this script nor the SQL source.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sqlPath = resolve(process.argv[2] ?? process.env.CHINOOK_SQL ?? '/work/shared/datasets/chinook/Chinook_Sqlite.sql');
const outDir = resolve(process.argv[3] ?? join(repoRoot, 'migrations/data/chinook'));

/** Tables, with their primary key for a stable row order, and the expected row counts. */
const TABLES = {
  Artist: { orderBy: ['ArtistId'], count: 275 },
  Album: { orderBy: ['AlbumId'], count: 347 },
  Genre: { orderBy: ['GenreId'], count: 25 },
  MediaType: { orderBy: ['MediaTypeId'], count: 5 },
  Track: { orderBy: ['TrackId'], count: 3503 },
  Playlist: { orderBy: ['PlaylistId'], count: 18 },
  PlaylistTrack: { orderBy: ['PlaylistId', 'TrackId'], count: 8715 },
  Employee: { orderBy: ['EmployeeId'], count: 8 },
  Customer: { orderBy: ['CustomerId'], count: 59 },
  Invoice: { orderBy: ['InvoiceId'], count: 412 },
  InvoiceLine: { orderBy: ['InvoiceLineId'], count: 2240 },
};

if (!existsSync(sqlPath)) {
  console.error(`extract-chinook: ${sqlPath} not found (pass the path to Chinook_Sqlite.sql).`);
  process.exit(1);
}

let sql = readFileSync(sqlPath, 'utf8');
if (sql.charCodeAt(0) === 0xfeff) sql = sql.slice(1); // BOM
if (sql.includes('\uFFFD')) {
  console.error('extract-chinook: the SQL script is not valid UTF-8 (found U+FFFD).');
  process.exit(1);
}

const db = new Database(':memory:');
// The script creates Album before Artist and so on: load first, check after.
db.pragma('foreign_keys = OFF');
db.exec(sql);
const violations = db.pragma('foreign_key_check');
if (violations.length) {
  console.error('extract-chinook: foreign key violations in the source data:', violations.slice(0, 5));
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
let failed = false;
for (const [table, { orderBy, count }] of Object.entries(TABLES)) {
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table).map((c) => c.name);
  if (columns.length === 0) throw new Error(`table ${table} not found in ${sqlPath}`);
  const quoted = (c) => `"${c.replace(/"/g, '""')}"`;
  const rows = db.prepare(`SELECT ${columns.map(quoted).join(', ')} FROM ${quoted(table)} ORDER BY ${orderBy.map(quoted).join(', ')}`).all();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v)) || (v !== null && typeof v === 'object')) {
        throw new Error(`${table}.${k}: value ${String(v)} cannot be written as JSON`);
      }
    }
  }
  const text = `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
  writeFileSync(join(outDir, `${table}.json`), text, 'utf8');
  const ok = rows.length === count;
  if (!ok) failed = true;
  console.log(`${ok ? 'ok ' : 'BAD'} ${table.padEnd(13)} ${String(rows.length).padStart(5)} rows${ok ? '' : ` (expected ${count})`}`);
}

const licence = join(dirname(sqlPath), 'LICENSE.md');
// Copy the text, not the file mode (the source may be read-only).
if (existsSync(licence)) writeFileSync(join(outDir, 'LICENSE.md'), readFileSync(licence));
else console.warn(`extract-chinook: ${licence} not found; LICENSE.md not copied.`);

db.close();
process.exit(failed ? 1 : 0);
