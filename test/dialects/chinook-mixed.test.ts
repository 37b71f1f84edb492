// The repository's own Chinook example (migrate.config.ts + migrations/, data included) on all three
// dialects at once, through the built `migrate`.
//
// Bind layout, and why. The issue asks for `default` on SQLite, `db2` on PostgreSQL and a third bind
// `db3` on MariaDB. Here db3 shares db2's branch (`branch: 'db2'`): the same sales revisions, its
// own version table in its own database, which also exercises two binds on one branch. With only
// those three binds the catalog half of Chinook would run on SQLite alone, so the config adds one
// bind per missing (half, dialect) pair: `catalog_pg` and `catalog_maria` follow branch `default`,
// `sales_lite` follows branch `db2`. Every dialect thus loads the whole data set with the very same
// revisions, and `downgrade db3` is checked against a bind that shares its branch (db2,
// sales_lite) as well as against binds of the other branch.
//
//   bind           dialect     branch    database
//   default        SQLite      default   .data/default.db  (catalog)
//   db2            PostgreSQL  db2       multidb_e2e_chinook_…  (sales)
//   db3            MariaDB     db2       multidb_e2e_chinook_…  (sales)
//   catalog_pg     PostgreSQL  default   multidb_e2e_chinook_…  (catalog)
//   catalog_maria  MariaDB     default   multidb_e2e_chinook_…  (catalog)
//   sales_lite     SQLite      db2       .data/sales.db  (sales)
//
// One upgrade of everything, one downgrade of db3, one upgrade again: Chinook is loaded once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { columnsAt, describeWithServers, queryUrl, scalarUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

const REPO = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const chinook = (table: string) => JSON.parse(readFileSync(REPO(`migrations/data/chinook/${table}.json`), 'utf8')) as Record<string, unknown>[];

const CATALOG_HEAD = 'e00861d9f40d';
const SALES_HEAD = 'fd2415b8acac';
const SALES_BEFORE_HEAD = '6cd0a1d092b6';

const CATALOG_COUNTS: Record<string, number> = { Artist: 275, Album: 347, Genre: 25, MediaType: 5, Track: 3503, Playlist: 18, PlaylistTrack: 8715 };
const SALES_COUNTS: Record<string, number> = { Employee: 8, Customer: 59, Invoice: 412, InvoiceLine: 2240 };

type Half = 'catalog' | 'sales';
const BINDS: { bind: string; half: Half; dialect: string }[] = [
  { bind: 'default', half: 'catalog', dialect: 'SQLite' },
  { bind: 'db2', half: 'sales', dialect: 'PostgreSQL' },
  { bind: 'db3', half: 'sales', dialect: 'MariaDB' },
  { bind: 'catalog_pg', half: 'catalog', dialect: 'PostgreSQL' },
  { bind: 'catalog_maria', half: 'catalog', dialect: 'MariaDB' },
  { bind: 'sales_lite', half: 'sales', dialect: 'SQLite' },
];

describeWithServers('the Chinook example on SQLite, PostgreSQL and MariaDB at once', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('chinook', { db2: 'postgres', catalog_pg: 'postgres', db3: 'mysql', catalog_maria: 'mysql' });
  // Made in beforeAll (not while collecting), so a skipped suite leaves no temp folder behind.
  let p: TempProject;
  afterAll(() => p?.remove());

  const urls: Record<string, string> = {};
  const q = (bind: string, sql: string) => queryUrl(urls[bind]!, sql, [], { baseDir: p.dir });
  const n = (bind: string, sql: string) => scalarUrl(urls[bind]!, sql, { baseDir: p.dir });

  /** Everything the tests compare before and after: version rows, tables, row counts, columns of the altered tables. */
  async function fingerprint(bind: string) {
    const url = urls[bind]!;
    const tables = await tablesAt(url, { baseDir: p.dir });
    const counts: Record<string, number | null> = {};
    for (const t of tables) counts[t] = await n(bind, `SELECT count(*) FROM "${t}"`);
    const altered = tables.includes('Invoice') ? 'Invoice' : 'Album';
    return { versions: await versionsAt(url, { baseDir: p.dir }), tables, counts, columns: await columnsAt(url, altered, { baseDir: p.dir }) };
  }

  /** Every count and backfill of a bind's half of Chinook, at head. */
  async function expectComplete(bind: string, half: Half) {
    if (half === 'catalog') {
      for (const [table, count] of Object.entries(CATALOG_COUNTS)) expect(await n(bind, `SELECT count(*) FROM "${table}"`), `${bind}.${table}`).toBe(count);
      expect(await n(bind, `SELECT count(*) FROM "Album" WHERE "TrackCount" IS NULL`), `${bind}: Album without TrackCount`).toBe(0);
      expect(
        await n(bind, `SELECT count(*) FROM "Album" a WHERE a."TrackCount" <> (SELECT count(*) FROM "Track" t WHERE t."AlbumId" = a."AlbumId")`),
        `${bind}: Album with a wrong TrackCount`,
      ).toBe(0);
      expect(await n(bind, `SELECT sum("TrackCount") FROM "Album"`), `${bind}: sum of TrackCount`).toBe(3503);
      expect(await versionsAt(urls[bind]!, { baseDir: p.dir })).toEqual([CATALOG_HEAD]);
    } else {
      for (const [table, count] of Object.entries(SALES_COUNTS)) expect(await n(bind, `SELECT count(*) FROM "${table}"`), `${bind}.${table}`).toBe(count);
      expect(await n(bind, `SELECT count(*) FROM "Invoice" WHERE "Currency" = 'USD'`), `${bind}: invoices in USD`).toBe(412);
      expect(await n(bind, `SELECT count(*) FROM "Invoice" WHERE "Currency" IS NULL OR "Currency" <> 'USD'`), `${bind}: invoices not in USD`).toBe(0);
      expect(await n(bind, `SELECT sum("Total") FROM "Invoice"`), `${bind}: sum of Invoice.Total`).toBeCloseTo(2328.6, 2);
      expect(await n(bind, `SELECT count(*) FROM "Employee" WHERE "ReportsTo" IS NOT NULL`), `${bind}: employees with a manager`).toBe(7);
      expect(await versionsAt(urls[bind]!, { baseDir: p.dir })).toEqual([SALES_HEAD]);
    }
  }

  beforeAll(() => {
    // The example's config reads these to point its binds at servers: the config below ignores them.
    p = new TempProject([], { config: false, env: { MULTIDB_DEFAULT_URL: undefined, MULTIDB_DB2_URL: undefined } });
    p.copyIn(REPO('migrations'), 'migrations');
    for (const b of ['db2', 'db3', 'catalog_pg', 'catalog_maria'] as const) urls[b] = dbs[b].url;
    urls.default = 'sqlite:.data/default.db';
    urls.sales_lite = 'sqlite:.data/sales.db';
    // The repository's config (naming convention, version table and all), with the binds above.
    const config = readFileSync(REPO('migrate.config.ts'), 'utf8');
    const binds =
      `binds: {\n` +
      `    default: { url: ${JSON.stringify(urls.default)} },\n` +
      `    db2: { url: ${JSON.stringify(urls.db2)} },\n` +
      `    db3: { url: ${JSON.stringify(urls.db3)}, branch: 'db2' },\n` +
      `    catalog_pg: { url: ${JSON.stringify(urls.catalog_pg)}, branch: 'default' },\n` +
      `    catalog_maria: { url: ${JSON.stringify(urls.catalog_maria)}, branch: 'default' },\n` +
      `    sales_lite: { url: ${JSON.stringify(urls.sales_lite)}, branch: 'db2' },\n` +
      `  },`;
    const replaced = config.replace(/binds: \{\n[^]*?\n {2}\},/, binds);
    if (replaced === config) throw new Error('migrate.config.ts: no `binds: { … },` block to replace');
    p.write('migrate.config.ts', replaced);
  });

  it('upgrade brings all six binds to their heads, each with the whole of its half of Chinook', async () => {
    const out = await p.ok('upgrade');
    const steps = lines(out.stderr);
    // Three revisions per bind, in order within each bind.
    for (const { bind, half } of BINDS) {
      const revs = half === 'catalog' ? ['<base>', '54aab5d7fb66', '777187012aef', CATALOG_HEAD] : ['<base>', '4fcf6e3a8f8c', SALES_BEFORE_HEAD, SALES_HEAD];
      const mine = steps.filter((l) => l.startsWith(`[${bind}] `)).map((l) => /Running upgrade (\S+) -> (\S+),/.exec(l)?.slice(1, 3).join(' -> '));
      expect(mine, bind).toEqual(revs.slice(1).map((r, i) => `${revs[i]} -> ${r}`));
    }
    expect(steps).toHaveLength(18);

    for (const { bind, half } of BINDS) await expectComplete(bind, half);
  });

  it('the rows are the committed data on every dialect (text with accents, numerics, self references)', async () => {
    const artists = chinook('Artist');
    const customers = chinook('Customer');
    const tracks = chinook('Track').map((t) => ({ ...t, UnitPrice: Number(t.UnitPrice) }));
    for (const { bind, half } of BINDS) {
      if (half === 'catalog') {
        expect(await q(bind, `SELECT "ArtistId", "Name" FROM "Artist" ORDER BY "ArtistId"`), `${bind}.Artist`).toEqual(artists);
        const rows = await q(bind, `SELECT "TrackId", "Name", "AlbumId", "MediaTypeId", "GenreId", "Composer", "Milliseconds", "Bytes", "UnitPrice" FROM "Track" ORDER BY "TrackId"`);
        expect(rows.map((r) => ({ ...r, UnitPrice: Number(r.UnitPrice) })), `${bind}.Track`).toEqual(tracks);
      } else {
        const cols = Object.keys(customers[0]!).map((c) => `"${c}"`).join(', ');
        expect(await q(bind, `SELECT ${cols} FROM "Customer" ORDER BY "CustomerId"`), `${bind}.Customer`).toEqual(customers);
      }
    }
  });

  it('downgrade db3 removes Invoice.Currency on MariaDB only: its branch mates and every other bind stay as they were', async () => {
    const before = Object.fromEntries(await Promise.all(BINDS.map(async ({ bind }) => [bind, await fingerprint(bind)] as const)));
    expect(before.db3!.columns).toContain('Currency');

    const out = await p.ok('downgrade', 'db3');
    expect(lines(out.stderr)).toEqual([`[db3] Running downgrade ${SALES_HEAD} -> ${SALES_BEFORE_HEAD}, add invoice currency`]);

    const after = await fingerprint('db3');
    expect(after.versions).toEqual([SALES_BEFORE_HEAD]);
    expect(after.columns).toEqual(before.db3!.columns.filter((c) => c !== 'Currency'));
    expect(after.counts).toEqual(before.db3!.counts);
    for (const { bind } of BINDS.filter((b) => b.bind !== 'db3')) expect(await fingerprint(bind), bind).toEqual(before[bind]);
  });

  it('current shows db3 one step behind, the others at head', async () => {
    const out = await p.ok('current');
    expect(lines(out.stdout)).toEqual([
      `[default] ${CATALOG_HEAD} (head)`,
      `[db2] ${SALES_HEAD} (head)`,
      `[db3] ${SALES_BEFORE_HEAD}`,
      `[catalog_pg] ${CATALOG_HEAD} (head)`,
      `[catalog_maria] ${CATALOG_HEAD} (head)`,
      `[sales_lite] ${SALES_HEAD} (head)`,
    ]);
    expect((await p.ok('current', 'db3')).stdout).toBe(`[db3] ${SALES_BEFORE_HEAD}\n`);
  });

  it('history --indicate-current marks, per revision, the binds of a shared branch that are there', async () => {
    const out = await p.ok('history', '--indicate-current');
    expect(lines(out.stdout)).toEqual([
      `[default] 777187012aef -> ${CATALOG_HEAD} (default) (head) (current: default, catalog_pg, catalog_maria), add album track count`,
      `[default] 54aab5d7fb66 -> 777187012aef (default), load catalog data`,
      `[default] <base> -> 54aab5d7fb66 (default), create catalog tables`,
      `[db2] ${SALES_BEFORE_HEAD} -> ${SALES_HEAD} (db2) (head) (current: db2, sales_lite), add invoice currency`,
      `[db2] 4fcf6e3a8f8c -> ${SALES_BEFORE_HEAD} (db2) (current: db3), load sales data`,
      `[db2] <base> -> 4fcf6e3a8f8c (db2), create sales tables`,
    ]);
    expect(lines((await p.ok('history', 'db3', '--indicate-current')).stdout)).toEqual([
      `[db2] ${SALES_BEFORE_HEAD} -> ${SALES_HEAD} (db2) (head), add invoice currency`,
      `[db2] 4fcf6e3a8f8c -> ${SALES_BEFORE_HEAD} (db2) (current: db3), load sales data`,
      `[db2] <base> -> 4fcf6e3a8f8c (db2), create sales tables`,
    ]);
  });

  it('upgrade again re-adds and refills Currency on db3 alone; every count is intact everywhere', async () => {
    const out = await p.ok('upgrade');
    expect(lines(out.stderr)).toEqual([`[db3] Running upgrade ${SALES_BEFORE_HEAD} -> ${SALES_HEAD}, add invoice currency`]);
    expect(await columnsAt(urls.db3!, 'Invoice')).toContain('Currency');
    for (const { bind, half } of BINDS) await expectComplete(bind, half);
    // Nothing left to do.
    expect((await p.ok('upgrade')).stderr).not.toContain('Running upgrade');
  });
});
