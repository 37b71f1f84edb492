// A model column whose type the database does not know (`type: 'string'`) used to pass
// autogenerate and fail only at upgrade. `migrate migrate` (and `revision --autogenerate`) now warns
// of it, naming the bind, the table, the column and the type, and still writes the revision: a
// type an extension creates in raw SQL is unknown until the revision runs, and must not block.
// PostgreSQL asks the database (`to_regtype`: parameters, arrays, domains and enums it has, and
// enums the models declare, arrays of them too, are known; a type only a schema off the search
// path has is unknown unqualified, whatever the table's schema, as CREATE TABLE finds it, and the
// warning names the schema); MariaDB checks its list of type names; SQLite knows any
// name outside STRICT tables, and a STRICT table would declare an unplaced name ANY. Through the
// CLI (its `main`, in this process), on PostgreSQL, MariaDB and SQLite.
import { unlinkSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { cliModelsProject, modelsModule, warningLines, writtenRevision } from '../support/models-project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const project = (url: string): Promise<TempProject> => cliModelsProject(url, projects);
const run = (p: TempProject, ...args: string[]) => runInProcess(p.dir, args);
const ok = (p: TempProject, ...args: string[]) => okInProcess(p.dir, args);

const models = modelsModule;

const warnings = warningLines;
const written = writtenRevision;

describeWithServers('unknown column types [postgres]', ['postgres'], () => {
  const dbs = useDatabases('unknown_types_pg', { app: 'postgres' });

  it('warns of each type PostgreSQL does not know and writes the revision; an extension the revision creates in raw SQL makes its type work', async () => {
    const p = await project(dbs.app.url);
    await queryUrl(dbs.app.url, 'CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)', [], { write: true });
    const note = (body: string) => ({
      name: 'note',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'body', type: body },
        { name: 'code', type: 'varchar(20)' },
        { name: 'tags', type: 'int[]' },
        { name: 'at', type: 'timestamp(3) with time zone' },
        { name: 'amount', type: 'positive_int' },
        { name: 'mood', type: 'mood' },
        { name: 'moods', type: 'mood[]' },
        { name: 'email', type: 'citext' },
      ],
    });
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [note('string')] }));
    const out = await ok(p, 'migrate', '-m', 'notes');
    expect(warnings(out)).toEqual([
      "[app] WARNING: Unknown type 'string' for column 'body' of table 'note': PostgreSQL has no such type.",
      "[app] WARNING: Unknown type 'citext' for column 'email' of table 'note': PostgreSQL has no such type.",
    ]);
    const file = written(out);
    expect(file).toBeDefined();
    // What the warning foresaw.
    const failed = await run(p, 'upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/type "string" does not exist/);

    // The type fixed; citext comes from an extension that the revision creates in raw SQL.
    rmFile(p, file!);
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [note('text')] }));
    const again = await ok(p, 'revision', '--autogenerate', '-m', 'notes');
    expect(warnings(again)).toEqual(["[app] WARNING: Unknown type 'citext' for column 'email' of table 'note': PostgreSQL has no such type."]);
    const path = written(again)!;
    const source = p.read(relativeTo(p, path));
    p.write(relativeTo(p, path), source.replace(/(export async function upgrade\(op: Operations\): Promise<void> \{\n)/, "$1  await op.execute('CREATE EXTENSION IF NOT EXISTS citext');\n"));
    await ok(p, 'upgrade');
    const check = await ok(p, 'check');
    expect(warnings(check)).toEqual([]);

    // Now the database has citext: a column added with it is not warned of.
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [{ ...note('text'), columns: [...note('text').columns, { name: 'alias', type: 'citext' }] }] }));
    const third = await ok(p, 'migrate', '-m', 'alias');
    expect(warnings(third)).toEqual([]);
    expect(written(third)).toBeDefined();
  });
});

describeWithServers('unknown column types of a baseline [postgres]', ['postgres'], () => {
  const dbs = useDatabases('unknown_types_baseline', { adopted: 'postgres', fresh: 'postgres' });

  it("a baseline (no database opened) warns of the types a fresh database lacks (an extension's citext, a domain), as an online compare with a fresh database does; the fresh upgrade fails as warned", async () => {
    const p = await project(dbs.adopted.url);
    p.write('fresh.config.ts', p.read('migrate.config.ts').replace(JSON.stringify(dbs.adopted.url), JSON.stringify(dbs.fresh.url)));
    for (const sql of [
      'CREATE EXTENSION citext',
      'CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)',
      'CREATE TABLE account (id integer PRIMARY KEY, email citext NOT NULL, credits positive_int, tags text[], at timestamp(3) with time zone, span interval day to second)',
    ]) {
      await queryUrl(dbs.adopted.url, sql, [], { write: true });
    }
    await ok(p, 'models', '--from-database', '--bind', 'app', '--output', 'models.ts', '--force');
    const baseline = await ok(p, 'revision', '--autogenerate', '--baseline', '-m', 'baseline');
    const lines = (reason: string) => [
      `[app] WARNING: Unknown type 'citext' for column 'email' of table 'account': ${reason}.`,
      `[app] WARNING: Unknown type 'positive_int' for column 'credits' of table 'account': ${reason}.`,
    ];
    expect(warnings(baseline)).toEqual(
      lines(
        "a fresh PostgreSQL database has no such type (not built in: an extension's type, such as citext, or a domain or type made in the database); " +
          "create it first in the upgrade (await op.execute('CREATE EXTENSION IF NOT EXISTS …') or 'CREATE DOMAIN …'), or the upgrade of a fresh database fails",
      ),
    );
    const file = written(baseline)!;
    // The same types an online compare with a fresh database warns of.
    rmFile(p, file);
    const online = await ok(p, '-c', 'fresh.config.ts', 'migrate', '-m', 'online');
    expect(warnings(online)).toEqual(lines('PostgreSQL has no such type'));
    rmFile(p, written(online)!);
    await ok(p, 'revision', '--autogenerate', '--baseline', '-m', 'baseline');
    // What the warning foresaw; the adopted database, stamped, compares clean without a warning.
    const failed = await run(p, '-c', 'fresh.config.ts', 'upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/type "citext" does not exist/);
    await ok(p, 'stamp', 'app@head');
    const check = await ok(p, 'check');
    expect(check.stdout).toBe('[app] No changes in schema detected.\n');
    expect(warnings(check)).toEqual([]);
  });
});

describeWithServers('unknown column types in a schema off the search path [postgres]', ['postgres'], () => {
  const dbs = useDatabases('unknown_types_schema', { app: 'postgres' });

  it("a table in schema 'other' naming other.mood unqualified is warned of, with the schema that has it (the upgrade fails as warned); declared with its schema, it is not, and the upgrade works", async () => {
    const p = await project(dbs.app.url);
    await queryUrl(dbs.app.url, 'CREATE SCHEMA other', [], { write: true });
    await queryUrl(dbs.app.url, "CREATE TYPE other.mood AS ENUM ('sad', 'ok')", [], { write: true });
    const table = { name: 'entry', schema: 'other', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'mood', type: 'mood' }] };
    p.write('models.ts', models({ tables: [table] }));
    const out = await ok(p, 'revision', '--autogenerate', '-m', 'entries');
    expect(warnings(out)).toEqual([
      // The enum the models do not declare is left alone (no column of the database uses it yet), not dropped.
      "[app] WARNING: Enum 'other.mood' is in the database but not in the models, and no column of the tables compared uses it; left alone: autogenerate drops an enum type only with the columns that used it (a function, or a table the models leave out, may use it). If nothing does, drop it by hand: await op.dropEnum('mood', { schema: 'other', existing: { values: ['sad', 'ok'] } }).",
      "[app] WARNING: Unknown type 'mood' for column 'mood' of table 'other.entry': PostgreSQL has no such type on the search path (schema 'other' has one, which an unqualified type is not looked up in: declare the enum in the models' enums with its schema).",
    ]);
    const failed = await run(p, 'upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/type "mood" does not exist/);

    // As the warning says: the enum declared with its schema, the column names it qualified.
    rmFile(p, written(out)!);
    p.write('models.ts', models({ enums: [{ name: 'mood', schema: 'other', values: ['sad', 'ok'] }], tables: [table] }));
    const again = await ok(p, 'revision', '--autogenerate', '-m', 'entries');
    expect(warnings(again)).toEqual([]);
    await ok(p, 'upgrade');
    expect(warnings(await ok(p, 'check'))).toEqual([]);
  });
});

describeWithServers('unknown column types [mariadb]', ['mysql'], () => {
  const dbs = useDatabases('unknown_types_my', { app: 'mysql' });

  it("warns of a name outside MariaDB's types (its own inet6 and the dialect's mappings are known); the upgrade fails as warned", async () => {
    const p = await project(dbs.app.url);
    p.write(
      'models.ts',
      models({
        tables: [
          {
            name: 'note',
            columns: [
              { name: 'id', type: 'integer', primaryKey: true },
              { name: 'body', type: 'string' },
              { name: 'code', type: 'varchar(20)' },
              { name: 'flag', type: 'boolean' },
              { name: 'ref', type: 'uuid' },
              { name: 'addr', type: 'inet6' },
              { name: 'n', type: 'int unsigned' },
              { name: 'amount', type: 'numeric(10,2)' },
              { name: 'doc', type: 'jsonb' },
              { name: 'at', type: 'timestamptz' },
            ],
          },
        ],
      }),
    );
    const out = await ok(p, 'migrate', '-m', 'notes');
    expect(warnings(out)).toEqual([
      "[app] WARNING: Unknown type 'string' for column 'body' of table 'note': MariaDB has no such type.",
      // Known, but kept as datetime (see type-substitutions.test.ts).
      "[app] WARNING: Column 'at' of table 'note' is timestamptz in the models, and the database gets datetime: MariaDB has no time zone types: values are stored without their time zone, and datetime keeps no fractional seconds (PostgreSQL keeps microseconds by default; declare a precision, e.g. 'timestamp(6) with time zone', to keep them).",
    ]);
    expect(written(out)).toBeDefined();
    const failed = await run(p, 'upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/Unknown data type: 'string'/);
  });
});

describe('unknown column types [sqlite]', () => {
  it('warns of a name a STRICT table would declare ANY; any name outside STRICT tables is fine', async () => {
    const p = await project('sqlite:.data/app.db');
    const columns = [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'body', type: 'string' },
      { name: 'code', type: 'varchar(20)' },
      { name: 'flag', type: 'boolean' },
      { name: 'at', type: 'timestamp' },
      { name: 'extra', type: 'any' },
    ];
    p.write('models.ts', models({ tables: [{ name: 'strict_note', strict: true, columns }, { name: 'loose_note', columns }] }));
    const out = await ok(p, 'migrate', '-m', 'notes');
    expect(warnings(out)).toEqual([
      "[app] WARNING: Unknown type 'string' for column 'body' of table 'strict_note': SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY.",
    ]);
    await ok(p, 'upgrade');
    expect(p.query('app', `SELECT type FROM pragma_table_info('strict_note') WHERE name = 'body'`)).toEqual([{ type: 'ANY' }]);

  });

  it('checks a column added to a STRICT table', async () => {
    const p = await project('sqlite:.data/app.db');
    const kv = (extra: object[]) => ({ name: 'kv', strict: true, columns: [{ name: 'k', type: 'text', primaryKey: true }, { name: 'v', type: 'integer' }, ...extra] });
    p.write('models.ts', models({ tables: [kv([])] }));
    expect(warnings(await ok(p, 'migrate', '-m', 'kv'))).toEqual([]);
    await ok(p, 'upgrade');
    p.write('models.ts', models({ tables: [kv([{ name: 'shape', type: 'geometry' }, { name: 'note', type: 'varchar(40)' }])] }));
    const added = await ok(p, 'migrate', '-m', 'shape');
    expect(warnings(added)).toEqual([
      "[app] WARNING: Unknown type 'geometry' for column 'shape' of table 'kv': SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY.",
    ]);
    expect(written(added)).toBeDefined();
  });
});

function relativeTo(p: TempProject, path: string): string {
  return path.startsWith(p.dir) ? path.slice(p.dir.length + 1) : path;
}

function rmFile(p: TempProject, path: string): void {
  unlinkSync(isAbsolute(path) ? path : join(p.dir, path));
}
