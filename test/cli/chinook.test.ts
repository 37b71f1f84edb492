// The repository's own example (migrate.config.ts + migrations/, data included), run in a temp folder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';

const REPO = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('the Chinook example', () => {
  // The example's config reads these to point a bind at a server: keep both binds on SQLite here.
  const p = new TempProject([], { config: false, env: { MULTIDB_DEFAULT_URL: undefined, MULTIDB_DB2_URL: undefined } });
  afterAll(() => p.remove());
  const count = (bind: string, sql: string) => Object.values(p.query(bind, sql)[0]!)[0];
  /** Schema and row count of every table of a bind, plus its version table. */
  const snapshot = (bind: string) => ({
    schema: p.query(bind, `SELECT type, name, sql FROM sqlite_master ORDER BY type, name`),
    counts: Object.fromEntries(p.tables(bind).map((t) => [t, count(bind, `SELECT count(*) FROM "${t}"`)])),
    versions: p.versionsApplied(bind),
  });
  const columns = (bind: string, table: string) => p.query<{ name: string }>(bind, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).map((r) => r.name);

  beforeAll(() => {
    p.copyIn(REPO('migrate.config.ts'), 'migrate.config.ts');
    p.copyIn(REPO('migrations'), 'migrations');
    p.copyIn(REPO('models'), 'models');
  });

  it('upgrade loads both binds with the full data set', async () => {
    const out = await p.ok('upgrade');
    expect(lines(out.stderr)).toHaveLength(6);
    expect(out.stderr).toMatch(/^\[db2\] Running upgrade 6cd0a1d092b6 -> fd2415b8acac, add invoice currency$/m);

    const catalog: [string, number][] = [
      ['Artist', 275],
      ['Album', 347],
      ['Track', 3503],
      ['Genre', 25],
      ['MediaType', 5],
      ['Playlist', 18],
      ['PlaylistTrack', 8715],
    ];
    for (const [table, n] of catalog) expect(count('default', `SELECT count(*) FROM "${table}"`), table).toBe(n);
    const sales: [string, number][] = [
      ['Employee', 8],
      ['Customer', 59],
      ['Invoice', 412],
      ['InvoiceLine', 2240],
    ];
    for (const [table, n] of sales) expect(count('db2', `SELECT count(*) FROM "${table}"`), table).toBe(n);

    expect(count('db2', `SELECT count(*) FROM "Invoice" WHERE "Currency" IS NULL OR "Currency" <> 'USD'`)).toBe(0);
    expect(count('default', `SELECT count(*) FROM "Album" WHERE "TrackCount" IS NULL`)).toBe(0);
    expect(
      count('default', `SELECT count(*) FROM "Album" a WHERE a."TrackCount" <> (SELECT count(*) FROM "Track" t WHERE t."AlbumId" = a."AlbumId")`),
    ).toBe(0);
    expect(count('default', `SELECT sum("TrackCount") FROM "Album"`)).toBe(3503);
    expect(p.versionsApplied('default')).toEqual(['e00861d9f40d']);
    expect(p.versionsApplied('db2')).toEqual(['fd2415b8acac']);
  });

  it('codegen --verify: the committed types of both binds match the upgraded databases', async () => {
    const out = await p.ok('codegen', '--verify');
    expect(lines(out.stdout)).toEqual([
      '[default] migrations/types/default.ts matches the database.',
      '[db2] migrations/types/db2.ts matches the database.',
    ]);
    expect(p.read('migrations/types/db2.ts')).toBe(readFileSync(REPO('migrations/types/db2.ts'), 'utf8'));
  });

  it('check: the hand-written models (models/) match both databases at head', async () => {
    const out = await p.run('check');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual(['[default] No changes in schema detected.', '[db2] No changes in schema detected.']);
  });

  it('downgrade db2 removes only the Currency column', async () => {
    const defaultBefore = snapshot('default');
    const invoicesBefore = p.query('db2', `SELECT * FROM "Invoice" ORDER BY "InvoiceId"`);
    const linesBefore = p.query('db2', `SELECT * FROM "InvoiceLine" ORDER BY "InvoiceLineId"`);
    const columnsBefore = columns('db2', 'Invoice');
    expect(columnsBefore).toContain('Currency');

    const out = await p.ok('downgrade', 'db2');
    expect(lines(out.stderr)).toEqual(['[db2] Running downgrade fd2415b8acac -> 6cd0a1d092b6, add invoice currency']);

    expect(columns('db2', 'Invoice')).toEqual(columnsBefore.filter((c) => c !== 'Currency'));
    const withoutCurrency = invoicesBefore.map(({ Currency: _currency, ...rest }) => rest);
    expect(p.query('db2', `SELECT * FROM "Invoice" ORDER BY "InvoiceId"`)).toEqual(withoutCurrency);
    expect(p.query('db2', `SELECT * FROM "InvoiceLine" ORDER BY "InvoiceLineId"`)).toEqual(linesBefore);
    expect(p.query('db2', 'PRAGMA foreign_key_check')).toEqual([]);
    expect(p.versionsApplied('db2')).toEqual(['6cd0a1d092b6']);
    expect(snapshot('default')).toEqual(defaultBefore);
  });

  it('codegen --verify exits 4 (differences found) naming db2, whose types still have Currency', async () => {
    const out = await p.run('codegen', '--verify');
    expect(out.code).toBe(4);
    expect(lines(out.stdout)).toEqual(['[default] migrations/types/default.ts matches the database.', '[db2] migrations/types/db2.ts differs from the database.']);
    expect(out.stderr).toContain("Types out of date for db2: run 'migrate codegen db2' and commit the files.");
  });

  it("upgrade again restores the column, filled; codegen: 'after-upgrade' regenerates only db2's types", async () => {
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace('\n  binds: {', "\n  codegen: 'after-upgrade',\n  binds: {"));
    const out = await p.ok('upgrade');
    expect(lines(out.stdout)).toEqual(['[db2] migrations/types/db2.ts is up to date.']);
    expect(lines(out.stderr)).toEqual(['[db2] Running upgrade 6cd0a1d092b6 -> fd2415b8acac, add invoice currency']);
    expect(columns('db2', 'Invoice')).toContain('Currency');
    expect(count('db2', `SELECT count(*) FROM "Invoice" WHERE "Currency" = 'USD'`)).toBe(412);
    expect(p.versionsApplied('db2')).toEqual(['fd2415b8acac']);
    expect(p.versionsApplied('default')).toEqual(['e00861d9f40d']);
  });
});
