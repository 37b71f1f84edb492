// The mirror of downgrade-not-null.test.ts. A column the models make nullable is made NOT NULL
// again by the downgrade, which fails once a row holds NULL in it (PostgreSQL: the column contains
// null values; SQLite: the batch copy breaks the NOT NULL constraint). Autogenerate said nothing:
// it now says so on stderr, naming bind, table and column, and the downgrade carries a WARNING
// comment above that alterColumn saying what to do. A type the models widen (varchar(50) →
// varchar(100)) is narrowed back by the downgrade, which cuts a longer value (or fails) where the
// database checks sizes (PostgreSQL): said on stderr too (the downgrade already had its
// `// Data loss:` comment); not on SQLite, which keeps the value, and not for a change of kind
// (jsonb → json, timestamptz → timestamp): only a narrowing within a kind. These warnings come
// from the revision written: `check`, which writes none, says none of them. The ops stay as they
// were (the downgrade restores the exact schema). Through the CLI, on SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject, type RunOutput } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

/** `extra`: more columns of Customer (PostgreSQL: types changed with no warning). */
const models = (nullable: boolean, name: string, extra: readonly object[] = []) =>
  `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify({
    tables: [
      {
        name: 'Customer',
        columns: [
          { name: 'CustomerId', type: 'integer', primaryKey: true },
          { name: 'Fax', type: 'text', nullable },
          { name: 'Name', type: name },
          ...extra,
        ],
      },
    ],
  })});\n`;
const warnings = (out: RunOutput) => out.stderr.split('\n').filter((l) => l.includes('WARNING'));
/** The revision `migrate` wrote, relative to the project. */
function written(p: TempProject, out: RunOutput): string {
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
  expect(file, out.stdout + out.stderr).toBeDefined();
  return p.read(file!.slice(p.dir.length + 1));
}
/** The lines of a revision's `downgrade` (or `upgrade`) function. */
const bodyOf = (source: string, fn: 'upgrade' | 'downgrade') => new RegExp(`export async function ${fn}\\(op[^)]*\\)[^{]*\\{\\n([^]*?)\\n\\}`).exec(source)?.[1] ?? '';
/** A body with each comment on one line: a `// ` line that goes on from a comment line is joined to it. */
const unwrapped = (body: string) => body.replace(/(\/\/ [^\n]*)\n +\/\/ (?!WARNING:|Data loss:|Note:|#)/g, '$1 ');

/**
 * `kinds`: on PostgreSQL, columns whose type the models change to another kind that the downgrade
 * changes back (jsonb → json keeps every value; timestamptz → timestamp is a change of meaning,
 * which its Data loss comment says): no warning on stderr, which is only for a narrowing within a
 * kind (varchar(100) → varchar(50)).
 */
async function scenario(url: string, checksTypeSizes: boolean, kinds?: { readonly before: readonly object[]; readonly after: readonly object[] }): Promise<void> {
  const p = new InProcessProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`,
  });
  projects.push(p);
  const write = (sql: string) => queryUrl(url, sql, [], { write: true, baseDir: p.dir });
  const rows = () => queryUrl(url, 'SELECT "CustomerId", "Fax", "Name" FROM "Customer" ORDER BY "CustomerId"', [], { baseDir: p.dir });
  await p.ok('init', '--multidb');
  p.write('models.ts', models(false, 'varchar(50)', kinds?.before));
  expect(warnings(await p.ok('migrate', '-m', 'customers'))).toEqual([]);
  await p.ok('upgrade');
  await write(`INSERT INTO "Customer" ("CustomerId", "Fax", "Name") VALUES (1, '555-0100', 'Ada')`);

  // The models make Fax nullable and widen Name: the downgrade makes Fax NOT NULL and narrows Name again.
  p.write('models.ts', models(true, 'varchar(100)', kinds?.after));
  // check writes no revision: it says nothing about a downgrade (text or --json).
  const checked = await p.run('check');
  expect(checked.code, checked.stdout + checked.stderr).toBe(4);
  expect(checked.stdout).toContain("Detected NULL on column 'Customer.Fax'");
  expect(checked.stderr).not.toContain('downgrade');
  const checkedJson = await p.run('check', '--json');
  expect(checkedJson.stdout).toContain('Customer.Fax');
  expect(checkedJson.stdout + checkedJson.stderr).not.toContain('downgrade');
  // migrate writes one: it says what its downgrade may fail at or lose, as the downgrade runs.
  const relaxed = await p.ok('migrate', '-m', 'relaxed');
  expect(warnings(relaxed)).toEqual([
    ...(checksTypeSizes
      ? ["[app] WARNING: Column 'Customer.Name' is changed back from varchar(100) to varchar(50) by the downgrade: values that do not fit are cut, rounded or make the downgrade fail."]
      : []),
    "[app] WARNING: Column 'Customer.Fax' is set NOT NULL again by the downgrade: the downgrade fails if a row of 'Customer' holds NULL in it.",
  ]);
  const source = written(p, relaxed);
  const downgrade = bodyOf(source, 'downgrade');
  // Right above the op, in a batch (SQLite rebuilds) or not (its lines joined: they wrap by indent).
  expect(unwrapped(downgrade)).toMatch(
    /\n {2,4}\/\/ WARNING: sets column 'Customer'\.'Fax' NOT NULL: this fails if a row of 'Customer' holds NULL in it\. Fill those rows first \(an UPDATE with op\.execute\), or leave the column nullable\.\n {2,4}(await op\.alterColumn\('Customer', 'Fax'|batch\.alterColumn\('Fax'), \{\n +nullable: false,/,
  );
  expect(downgrade.match(/WARNING/g)).toHaveLength(1);
  expect(downgrade).toContain(checksTypeSizes ? "// Data loss: changes 'Customer'.'Name' from varchar(100) to varchar(50)" : "// Note: changes 'Customer'.'Name' from varchar(100) to varchar(50)");
  expect(bodyOf(source, 'upgrade')).not.toContain('WARNING');
  if (kinds) {
    // The Data loss comments stay as they judge: timestamptz → timestamp drops the time zone; jsonb → json loses nothing.
    expect(unwrapped(downgrade)).toContain("// Data loss: changes 'Customer'.'At' from timestamptz to timestamp");
    expect(downgrade).not.toContain("'Customer'.'Doc' from");
  }
  await p.ok('upgrade');

  // As the comment says: with a NULL in Fax, the downgrade fails (and leaves the upgrade in place).
  await write(`INSERT INTO "Customer" ("CustomerId", "Fax", "Name") VALUES (2, NULL, '${'x'.repeat(60)}')`);
  const down = await p.run('downgrade', 'app@-1');
  expect(down.code, down.stdout + down.stderr).not.toBe(0);
  expect(await rows()).toEqual([
    { CustomerId: 1, Fax: '555-0100', Name: 'Ada' },
    { CustomerId: 2, Fax: null, Name: 'x'.repeat(60) },
  ]);
  // Filled, as it says to: the downgrade runs. The longer Name is cut to the narrowed size where
  // the database checks sizes (PostgreSQL casts it), as the warning says; SQLite keeps it.
  await write(`UPDATE "Customer" SET "Fax" = '' WHERE "Fax" IS NULL`);
  await p.ok('downgrade', 'app@-1');
  expect(await rows()).toEqual([
    { CustomerId: 1, Fax: '555-0100', Name: 'Ada' },
    { CustomerId: 2, Fax: '', Name: 'x'.repeat(checksTypeSizes ? 50 : 60) },
  ]);
}

describe('a column made nullable, set NOT NULL again by the downgrade [sqlite]', () => {
  it('check says nothing about a downgrade; migrate warns on stderr and the downgrade carries a WARNING comment above the alterColumn; the downgrade fails on a NULL until it is filled', async () => {
    await scenario('sqlite:.data/app.db', false);
  });
});

describeWithServers('a column made nullable, set NOT NULL again by the downgrade [postgres]', ['postgres'], () => {
  const dbs = useDatabases('downgrade_nullable_pg', { app: 'postgres' });
  it('check says nothing about a downgrade; migrate warns on stderr (the narrowed type too, not jsonb → json or timestamptz → timestamp) and the downgrade carries a WARNING comment above the alterColumn; the downgrade fails on a NULL, and cuts a longer value', async () => {
    await scenario(dbs.app.url, true, {
      before: [
        { name: 'Doc', type: 'json' },
        { name: 'At', type: 'timestamp' },
      ],
      after: [
        { name: 'Doc', type: 'jsonb' },
        { name: 'At', type: 'timestamptz' },
      ],
    });
  });
});
