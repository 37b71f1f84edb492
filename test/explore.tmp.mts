import { readFileSync } from 'node:fs';
import { dialects } from '@multidb/dialect/registry';
import { createDatabase } from '/work/wt/adopt/test/support/servers.ts';
const CH = '/work/shared/datasets/chinook';
function schema(file: string) { const t = readFileSync(`${CH}/${file}`, 'utf8'); return t.slice(t.search(/^CREATE TABLE/m), t.search(/^INSERT INTO/m)).replace(/\/\*[\s\S]*?\*\//g, '').split(/;\s*$/m).map(s=>s.trim()).filter(Boolean); }
const which = process.argv[2];
const drv = await dialects.find(d => d.name === which)!.load();
let url = 'sqlite:///tmp/adopt/x.db'; let db: any;
if (which !== 'sqlite') { db = await createDatabase(which === 'postgres' ? 'postgres' : 'mysql', 'explore'); url = db.url; }
const conn = await drv.connect({ bind: 'x', url, baseDir: '/tmp' });
for (const sql of schema({ sqlite: 'Chinook_Sqlite.sql', postgres: 'Chinook_PostgreSql.sql', mysql: 'Chinook_MySql.sql' }[which]!)) await conn.execute({ sql, parameters: [] });
const snap = await conn.introspect();
console.log(JSON.stringify(snap.tables.filter(t => /track|invoice_?line|playlist_?track/i.test(t.name)), null, 1));
await conn.close(); if (db) await db.drop();
