// An enum's longest member sized a varchar by JavaScript's `.length`, which counts UTF-16 code
// units: an emoji (an astral character, '🌧') counted two. The databases count characters (code
// points) in a varchar's length: SQLite's length(), PostgreSQL's varchar(n), MySQL/MariaDB's
// VARCHAR(n) (utf8mb4). So enum('☀','🌧') became varchar(2) where it is varchar(1) (the size
// SQLAlchemy gives it too), and an enum column changed into varchar(1), which holds every member,
// was called data loss in the revision. Now members are counted in characters. PostgreSQL's enum
// labels are another unit: at most 63 bytes (NAMEDATALEN - 1); the server refused a longer one only
// when the upgrade ran, so migrate and check now refuse it before anything is written.
// MySQL/MariaDB's catalog writes an ENUM's members in utf8mb3, an emoji as '?': introspection read
// enum('☀','?') for a column that keeps '🌧', so check saw a change every time and a downgrade would
// have written '?'; the members are now read from the column itself. Through the CLI (its `main`, in
// this process), on real SQLite files and the real servers.
import { afterAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject } from '../support/project.js';
import { cliModelsProject, modelsModule as models, warningLines as warnings, writtenRevision as written } from '../support/models-project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const project = (url: string): Promise<TempProject> => cliModelsProject(url, projects);
const run = (p: TempProject, ...args: string[]) => runInProcess(p.dir, args);
const ok = (p: TempProject, ...args: string[]) => okInProcess(p.dir, args);

/** A table `item` with a column `weather` of `type`. */
const item = (type: string) => models({ tables: [{ name: 'item', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'weather', type }] }] });

/** The clean check after an upgrade: exit 0, no change. */
async function expectClean(p: TempProject): Promise<void> {
  const check = await run(p, 'check');
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toContain('[app] No changes in schema detected.');
}

describe('enum members counted in characters [sqlite]', () => {
  it("enum('☀','🌧') is varchar(1): an emoji is one character; the revision applies, the emoji is stored, check is clean", async () => {
    const p = await project('sqlite:.data/app.db');
    p.write('models.ts', item("enum('☀','🌧')"));
    const out = await ok(p, 'migrate', '-m', 'items');
    expect(warnings(out)).toEqual([expect.stringContaining("Column 'weather' of table 'item' is enum('☀','🌧') in the models, and the database gets varchar(1):")]);
    await ok(p, 'upgrade');
    expect(p.query('app', `SELECT type FROM pragma_table_info('item') WHERE name = 'weather'`)).toEqual([{ type: 'varchar(1)' }]);
    p.exec('app', `INSERT INTO item (id, weather) VALUES (1, '🌧')`);
    expect(p.query('app', 'SELECT weather, length(weather) AS n FROM item')).toEqual([{ weather: '🌧', n: 1 }]);
    await expectClean(p);

    // A longer member in characters (two emoji: four UTF-16 units) widens it to varchar(2).
    p.write('models.ts', item("enum('☀','🌧','🌧☀')"));
    const check = await run(p, 'check');
    expect(check.code).toBe(4);
    expect(check.stdout).toContain("[app] Detected type change from varchar(1) to enum('☀','🌧','🌧☀') on 'item.weather'");
  });
});

describeWithServers('enum members counted in characters [postgres]', ['postgres'], () => {
  const dbs = useDatabases('enum_chars_pg', { inline: 'postgres', named: 'postgres', labels: 'postgres' });

  it("an inline enum('☀','🌧') is varchar(1), which holds '🌧'; check is clean", async () => {
    const p = await project(dbs.inline.url);
    p.write('models.ts', item("enum('☀','🌧')"));
    await ok(p, 'migrate', '-m', 'items');
    await ok(p, 'upgrade');
    expect(await queryUrl(dbs.inline.url, `SELECT character_maximum_length AS n FROM information_schema.columns WHERE table_name = 'item' AND column_name = 'weather'`)).toEqual([{ n: 1 }]);
    await queryUrl(dbs.inline.url, `INSERT INTO item (id, weather) VALUES (1, '🌧')`);
    await expectClean(p);
  });

  it("a column of enum weather ('☀','🌧') into varchar(1), which holds every member, is no data loss; the row keeps its emoji", async () => {
    const p = await project(dbs.named.url);
    const table = (type: string) => models({ enums: [{ name: 'weather', values: ['☀', '🌧'] }], tables: [{ name: 'log', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'weather', type }] }] });
    p.write('models.ts', table('weather'));
    await ok(p, 'migrate', '-m', 'log');
    await ok(p, 'upgrade');
    await queryUrl(dbs.named.url, `INSERT INTO log (id, weather) VALUES (1, '🌧')`);

    p.write('models.ts', table('varchar(1)'));
    const revision = p.read(written(await ok(p, 'migrate', '-m', 'weather as text'))!.slice(p.dir.length + 1));
    const upgrade = revision.slice(revision.indexOf('export async function upgrade'), revision.indexOf('export async function downgrade'));
    expect(upgrade).toMatch(/alterColumn\('log', 'weather', \{\s*type: 'varchar\(1\)'/);
    expect(upgrade).not.toContain('Data loss');
    await ok(p, 'upgrade');
    expect(await queryUrl(dbs.named.url, 'SELECT weather, char_length(weather) AS n FROM log')).toEqual([{ weather: '🌧', n: 1 }]);
    await expectClean(p);

    // Shorter than a member in characters (two emoji), it is data loss.
    p.write('models.ts', models({ enums: [{ name: 'weather', values: ['☀', '🌧🌧'] }], tables: [{ name: 'log', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'weather', type: 'weather' }] }] }));
    const back = p.read(written(await ok(p, 'migrate', '-m', 'two emoji'))!.slice(p.dir.length + 1));
    expect(back.slice(back.indexOf('export async function downgrade'))).toContain('Data loss');
  });

  it('an enum label is limited to 63 bytes, not characters or UTF-16 units: 15 emoji and 3 letters (63 bytes) are kept; 16 emoji (64 bytes), which the server refuses at upgrade, are refused by migrate and check before anything is written', async () => {
    const p = await project(dbs.labels.url);
    const fits = `${'🌧'.repeat(15)}abc`;
    const over = '🌧'.repeat(16);
    const table = (values: readonly string[]) =>
      models({ enums: [{ name: 'sky', values }], tables: [{ name: 'sky_log', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'sky', type: 'sky' }] }] });
    p.write('models.ts', table(['clear', fits]));
    await ok(p, 'migrate', '-m', 'sky');
    await ok(p, 'upgrade');
    expect(await queryUrl(dbs.labels.url, `SELECT e.enumlabel AS label, octet_length(e.enumlabel::text) AS bytes FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'sky' ORDER BY e.enumsortorder`)).toEqual([
      { label: 'clear', bytes: 5 },
      { label: fits, bytes: 63 },
    ]);
    await expectClean(p);
    const versions = p.versions('app');

    // Added to the type, or in a new type: refused up front, naming the bind, the models file, the member, its type and its length.
    const message = (type: string) =>
      `an enum member is longer than postgres accepts an enum label (at most 63 bytes): '${over}' (member of enum type '${type}', 64 bytes). Shorten it in the models (the upgrade would fail on it).`;
    p.write('models.ts', table(['clear', fits, over]));
    const refused = await run(p, 'migrate', '-m', 'longer label');
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`ERROR: [app] models ${p.dir}/models.ts: ${message('sky')}`);
    expect(written(refused)).toBeUndefined();
    expect(p.versions('app')).toEqual(versions);
    const check = await run(p, 'check');
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(message('sky'));
    p.write('models.ts', models({ enums: [{ name: 'sky', values: ['clear', fits] }, { name: 'rain', values: [over] }], tables: [{ name: 'sky_log', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'sky', type: 'sky' }, { name: 'rain', type: 'rain' }] }] }));
    expect((await run(p, 'migrate', '-m', 'new type')).stderr).toContain(message('rain'));
    expect(p.versions('app')).toEqual(versions);
    expect(await queryUrl(dbs.labels.url, `SELECT count(*)::int AS n FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'sky'`)).toEqual([{ n: 2 }]);
  });
});

describeWithServers('enum members outside utf8mb3 [mariadb]', ['mysql'], () => {
  const dbs = useDatabases('enum_chars_my', { app: 'mysql', days: 'mysql' });

  it("ENUM('☀','🌧') is read with its emoji (the catalog writes '?'): check is clean; into VARCHAR(1), which holds every member, no data loss, the row kept", async () => {
    const p = await project(dbs.app.url);
    p.write('models.ts', item("enum('☀','🌧')"));
    await ok(p, 'migrate', '-m', 'items');
    await ok(p, 'upgrade');
    // What the catalog says, though the column keeps '🌧'.
    expect(await queryUrl(dbs.app.url, `SELECT COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND COLUMN_NAME = 'weather'`)).toEqual([{ type: "enum('☀','?')" }]);
    await queryUrl(dbs.app.url, `INSERT INTO item (id, weather) VALUES (1, '🌧')`);
    await expectClean(p);

    // A member changed for another emoji is seen.
    p.write('models.ts', item("enum('☀','🌞')"));
    const changed = await run(p, 'check');
    expect(changed.code).toBe(4);
    expect(changed.stdout).toContain("[app] Detected type change from enum('☀','🌧') to enum('☀','🌞') on 'item.weather'");

    p.write('models.ts', item('varchar(1)'));
    const revision = p.read(written(await ok(p, 'migrate', '-m', 'weather as text'))!.slice(p.dir.length + 1));
    const upgrade = revision.slice(revision.indexOf('export async function upgrade'), revision.indexOf('export async function downgrade'));
    expect(upgrade).toMatch(/alterColumn\('item', 'weather', \{\s*type: 'varchar\(1\)',\s*existing: \{ type: "enum\('☀','🌧'\)"/);
    expect(upgrade).not.toContain('Data loss');
    await ok(p, 'upgrade');
    expect(await queryUrl(dbs.app.url, 'SELECT weather, CHAR_LENGTH(weather) AS n FROM item')).toEqual([{ weather: '🌧', n: 1 }]);
    await expectClean(p);

    // The downgrade restores the emoji member, and the row.
    await ok(p, 'downgrade', '-1');
    expect(await queryUrl(dbs.app.url, 'SELECT weather, weather + 0 AS i FROM item')).toEqual([{ weather: '🌧', i: 2 }]);
  });

  it("an emoji default (the catalog writes '?') is read as its member: check is clean, and a later change restates it whole", async () => {
    const p = await project(dbs.days.url);
    const day = (type: string) =>
      models({ tables: [{ name: 'day', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'weather', type, nullable: false, default: '🌧' }] }] });
    p.write('models.ts', day("enum('☀','🌧')"));
    await ok(p, 'migrate', '-m', 'days');
    await ok(p, 'upgrade');
    expect(await queryUrl(dbs.days.url, `SELECT COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'day' AND COLUMN_NAME = 'weather'`)).toEqual([{ d: "'?'" }]);
    await expectClean(p);

    // A new member: the MODIFY restates the default as the member, not '?'.
    p.write('models.ts', day("enum('☀','🌧','❄')"));
    await ok(p, 'migrate', '-m', 'snow');
    await ok(p, 'upgrade');
    await queryUrl(dbs.days.url, 'INSERT INTO day (id) VALUES (1)');
    expect(await queryUrl(dbs.days.url, 'SELECT weather FROM day')).toEqual([{ weather: '🌧' }]);
    await expectClean(p);
  });
});
