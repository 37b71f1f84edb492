// A model column typed `timestamp with time zone` became `datetime` on MySQL/MariaDB with no word:
// the time zone was lost silently, and neither the revision nor `migrate check` said so. Now a
// type the bind's database gets as another type that loses something (a time zone, fractional
// seconds, exact decimals, an enum's members) is a warning on stderr naming the bind, the table,
// the column, the models' type and the database's, and a `// WARNING:` comment above the op in the
// revision; a type that keeps its meaning (uuid → char(36)) is a `// Note:` comment only; a type
// the dialect cannot write (an array on MySQL/SQLite) is a warning that the upgrade fails. The
// revision applies, and a later `check` is clean (the column matches its models). PostgreSQL,
// which has every one of these types, says nothing. Through the CLI, on the real servers.
import { afterAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { cliModelsProject, modelsModule, warningLines, writtenRevision } from '../support/models-project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const project = (url: string): Promise<TempProject> => cliModelsProject(url, projects);

const models = modelsModule;
const warnings = warningLines;
const written = writtenRevision;

/** The comments of the revision's upgrade, each one (wrapped over several lines) joined back into one line. */
function comments(p: TempProject, path: string): string[] {
  const file = p.read(path.startsWith(p.dir) ? path.slice(p.dir.length + 1) : path);
  const source = file.slice(file.indexOf('export async function upgrade'), file.indexOf('export async function downgrade'));
  const out: string[] = [];
  for (const line of source.split('\n').map((l) => l.trim())) {
    if (!line.startsWith('//')) continue;
    const text = line.replace(/^\/\/\s?/, '');
    if (/^(WARNING|Note|Data loss|###|Irreversible):?/.test(text) || out.length === 0) out.push(text);
    else out[out.length - 1] += ` ${text}`;
  }
  return out.filter((c) => !c.startsWith('###'));
}

/** The clean check after the upgrade: exit 0, no change, no warning. */
async function expectClean(p: TempProject): Promise<void> {
  const check = await runInProcess(p.dir, ['check']);
  expect(check.code, check.stderr).toBe(0);
  expect(check.stdout).toContain('[app] No changes in schema detected.');
  expect(warnings(check)).toEqual([]);
}

const event = {
  name: 'event',
  columns: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'at', type: 'timestamptz' },
    { name: 'at3', type: 'timestamp(3) with time zone' },
    { name: 'local', type: 'timestamp without time zone' },
    { name: 'local6', type: 'timestamp(6) without time zone' },
    { name: 'opens', type: 'time with time zone' },
    { name: 'amount', type: 'numeric' },
    { name: 'price', type: 'numeric(10,2)' },
    { name: 'ref', type: 'uuid' },
    { name: 'doc', type: 'jsonb' },
    { name: 'flag', type: 'boolean' },
    { name: 'name', type: 'varchar(40)' },
  ],
};

describeWithServers('types the database keeps as another type [mariadb]', ['mysql'], () => {
  const dbs = useDatabases('type_subst_my', { app: 'mysql' });

  it('warns of the time zones, fractional seconds and precision MariaDB loses, notes uuid and jsonb in the revision only; the revision applies and check is clean', async () => {
    const p = await project(dbs.app.url);
    p.write('models.ts', models({ tables: [event] }));
    const out = await okInProcess(p.dir, ['migrate', '-m', 'events']);
    const fraction = (time: string, example: string) =>
      `${time} keeps no fractional seconds (PostgreSQL keeps microseconds by default; declare a precision, e.g. '${example}', to keep them)`;
    expect(warnings(out)).toEqual([
      `[app] WARNING: Column 'at' of table 'event' is timestamptz in the models, and the database gets datetime: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('datetime', 'timestamp(6) with time zone')}.`,
      "[app] WARNING: Column 'at3' of table 'event' is timestamp(3) with time zone in the models, and the database gets datetime(3): MariaDB has no time zone types: values are stored without their time zone.",
      `[app] WARNING: Column 'local' of table 'event' is timestamp without time zone in the models, and the database gets datetime: MariaDB's ${fraction('datetime', 'timestamp(6)')}.`,
      `[app] WARNING: Column 'opens' of table 'event' is time with time zone in the models, and the database gets time: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('time', 'time(6) with time zone')}.`,
      "[app] WARNING: Column 'amount' of table 'event' is numeric in the models, and the database gets decimal: MariaDB's decimal without a precision is decimal(10,0): fractions are rounded away and at most 10 digits fit (PostgreSQL's numeric keeps any number); declare a precision, e.g. 'numeric(20,6)'.",
    ]);
    const file = written(out)!;
    expect(file).toBeDefined();
    const notes = comments(p, file);
    expect(notes).toEqual([
      `WARNING: column 'at': timestamptz becomes datetime: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('datetime', 'timestamp(6) with time zone')}.`,
      "WARNING: column 'at3': timestamp(3) with time zone becomes datetime(3): MariaDB has no time zone types: values are stored without their time zone.",
      `WARNING: column 'local': timestamp without time zone becomes datetime: MariaDB's ${fraction('datetime', 'timestamp(6)')}.`,
      `WARNING: column 'opens': time with time zone becomes time: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('time', 'time(6) with time zone')}.`,
      "WARNING: column 'amount': numeric becomes decimal: MariaDB's decimal without a precision is decimal(10,0): fractions are rounded away and at most 10 digits fit (PostgreSQL's numeric keeps any number); declare a precision, e.g. 'numeric(20,6)'.",
      "Note: column 'ref': uuid becomes char(36): the UUID is kept as its 36-character text.",
      'Note: column \'doc\': jsonb becomes json: MariaDB has no jsonb: MariaDB keeps JSON as text checked by json_valid.',
    ]);
    // The comments sit above the op that declares the columns.
    expect(p.read(file.slice(p.dir.length + 1))).toMatch(/json_valid\.\n\s*await op\.createTable\('event'/);

    await okInProcess(p.dir, ['upgrade']);
    await expectClean(p);

    // A column added with a lossy type: `check` shows the warning with the difference (and exits 4
    // for the difference, as ever); an array cannot be stored at all: the warning says the upgrade fails.
    p.write('models.ts', models({ tables: [{ ...event, columns: [...event.columns, { name: 'closes', type: 'timetz' }, { name: 'tags', type: 'text[]' }] }] }));
    const check = await runInProcess(p.dir, ['check']);
    expect(check.code).toBe(4);
    expect(warnings(check)).toEqual([
      `[app] WARNING: Column 'closes' of table 'event' is timetz in the models, and the database gets time: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('time', 'time(6) with time zone')}.`,
      "[app] WARNING: Column 'tags' of table 'event' is text[] in the models, which the database cannot store: MariaDB has no array types (use json instead); the upgrade fails.",
    ]);
    const added = await okInProcess(p.dir, ['migrate', '-m', 'closes']);
    expect(warnings(added)).toEqual(warnings(check));
    expect(comments(p, written(added)!)).toEqual([
      `WARNING: column 'closes': timetz becomes time: MariaDB has no time zone types: values are stored without their time zone, and ${fraction('time', 'time(6) with time zone')}.`,
      "WARNING: column 'tags': text[] cannot be stored: MariaDB has no array types (use json instead); the upgrade fails.",
    ]);
    const failed = await runInProcess(p.dir, ['upgrade']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/array type 'text\[\]'/);
  });
});

describeWithServers('types the database keeps as another type [postgres]', ['postgres'], () => {
  const dbs = useDatabases('type_subst_pg', { app: 'postgres' });

  it('says nothing of types PostgreSQL has; the revision applies and check is clean', async () => {
    const p = await project(dbs.app.url);
    p.write('models.ts', models({ tables: [{ ...event, columns: [...event.columns, { name: 'tags', type: 'text[]' }] }] }));
    const out = await okInProcess(p.dir, ['migrate', '-m', 'events']);
    expect(warnings(out)).toEqual([]);
    expect(comments(p, written(out)!)).toEqual([]);
    await okInProcess(p.dir, ['upgrade']);
    await expectClean(p);
  });
});

describe('types the database keeps as another type [sqlite]', () => {
  it('warns of enums (no member check) and exact decimals in a STRICT table; time zones are kept as declared; the revision applies and check is clean', async () => {
    const p = await project('sqlite:.data/app.db');
    const columns = [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'at', type: 'timestamptz' },
      { name: 'ref', type: 'uuid' },
      { name: 'mood', type: 'mood' },
      { name: 'size', type: "enum('s','m','xl')" },
      { name: 'price', type: 'numeric(10,2)' },
      { name: 'doc', type: 'jsonb' },
    ];
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [{ name: 'strict_item', strict: true, columns }, { name: 'item', columns }] }));
    const out = await okInProcess(p.dir, ['migrate', '-m', 'items']);
    const enumLoss = (seen: string) => `SQLite has no enum types: the column does not check its members, and autogenerate ${seen} (add a check constraint to keep them)`;
    const varcharLoss = enumLoss("sees a change of them only when the longest member's length changes");
    const textLoss = enumLoss('sees no change of them');
    expect(warnings(out)).toEqual([
      `[app] WARNING: Column 'mood' of table 'item' is enum('sad','ok') in the models, and the database gets varchar(3): ${varcharLoss}.`,
      `[app] WARNING: Column 'size' of table 'item' is enum('s','m','xl') in the models, and the database gets varchar(2): ${varcharLoss}.`,
      `[app] WARNING: Column 'mood' of table 'strict_item' is enum('sad','ok') in the models, and the database gets TEXT: ${textLoss}.`,
      `[app] WARNING: Column 'size' of table 'strict_item' is enum('s','m','xl') in the models, and the database gets TEXT: ${textLoss}.`,
      "[app] WARNING: Column 'price' of table 'strict_item' is numeric(10,2) in the models, and the database gets REAL: a STRICT table keeps it as REAL, a binary floating-point number: exact decimals are rounded (about 15 significant digits).",
    ]);
    expect(comments(p, written(out)!)).toEqual([
      `WARNING: column 'mood': enum('sad','ok') becomes varchar(3): ${varcharLoss}.`,
      `WARNING: column 'size': enum('s','m','xl') becomes varchar(2): ${varcharLoss}.`,
      "Note: column 'doc': jsonb becomes json: SQLite keeps JSON as text.",
      `WARNING: column 'mood': enum('sad','ok') becomes TEXT: ${textLoss}.`,
      `WARNING: column 'size': enum('s','m','xl') becomes TEXT: ${textLoss}.`,
      "WARNING: column 'price': numeric(10,2) becomes REAL: a STRICT table keeps it as REAL, a binary floating-point number: exact decimals are rounded (about 15 significant digits).",
      "Note: column 'doc': jsonb becomes TEXT: SQLite keeps JSON as text.",
    ]);
    await okInProcess(p.dir, ['upgrade']);
    expect(p.query('app', `SELECT name, type FROM pragma_table_info('item') WHERE name IN ('at', 'mood')`)).toEqual([
      { name: 'at', type: 'timestamptz' },
      { name: 'mood', type: 'varchar(3)' },
    ]);
    await expectClean(p);

    // An array cannot be stored: the warning says the upgrade fails.
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [{ name: 'strict_item', strict: true, columns }, { name: 'item', columns: [...columns, { name: 'tags', type: 'text[]' }] }] }));
    const added = await okInProcess(p.dir, ['migrate', '-m', 'tags']);
    expect(warnings(added)).toEqual(["[app] WARNING: Column 'tags' of table 'item' is text[] in the models, which the database cannot store: SQLite has no array types (use json instead); the upgrade fails."]);
    expect((await runInProcess(p.dir, ['upgrade'])).code).not.toBe(0);
  });
});
