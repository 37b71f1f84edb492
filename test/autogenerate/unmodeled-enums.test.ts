// An enum type that only the database has is not autogenerate's to drop unless the revision takes
// away the columns that used it. Alembic never drops a type it did not create; a type no column
// uses may still be used by a function's body (no dependency PostgreSQL records, so its DROP TYPE
// would succeed and the function would fail at its next call) or by a table the models leave out.
// Autogenerate used to write `op.dropEnum` for every such type of a schema the models name.
// Through the CLI, on PostgreSQL.
import { afterAll, expect, it } from 'vitest';
import { TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const models = (definition: object) => `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify(definition, null, 2)});\n`;
const warnings = (out: RunOutput) => out.stderr.split('\n').filter((l) => l.includes('WARNING'));
const written = (out: RunOutput) => /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];

describeWithServers('enum types only the database has [postgres]', ['postgres'], () => {
  const dbs = useDatabases('unmodeled_enums_pg', { app: 'postgres' });
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  const types = async () =>
    (await queryUrl<{ typname: string }>(dbs.app.url, "SELECT typname FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace ORDER BY typname")).map((r) => r.typname);

  it('leaves an enum no column uses alone (a function uses it), and drops one with the last column that used it', async () => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(dbs.app.url)}, models: './models.ts' } } });\n`,
    });
    projects.push(p);
    await p.ok('init', '--multidb');
    const person = (withMood: boolean) => ({
      name: 'person',
      columns: [{ name: 'id', type: 'integer', primaryKey: true }, ...(withMood ? [{ name: 'mood', type: 'mood' }] : [])],
    });
    p.write('models.ts', models({ enums: [{ name: 'mood', values: ['sad', 'ok'] }], tables: [person(true)] }));
    await p.ok('migrate', '-m', 'people');
    await p.ok('upgrade');

    // Made by hand, in the schema the models name: a type only a function's body uses.
    await queryUrl(dbs.app.url, "CREATE TYPE audit_level AS ENUM ('low', 'high')", [], { write: true });
    await queryUrl(
      dbs.app.url,
      "CREATE FUNCTION audit_rank(level text) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN array_position(enum_range(NULL::audit_level), level::audit_level); END $$",
      [],
      { write: true },
    );
    const check = await p.run('check');
    expect(check.code).toBe(0);
    expect(check.stdout).not.toContain('audit_level');
    expect(warnings(check)).toEqual([
      "[app] WARNING: Enum 'audit_level' is in the database but not in the models, and no column of the tables compared uses it; left alone: " +
        'autogenerate drops an enum type only with the columns that used it (a function, or a table the models leave out, may use it). ' +
        "If nothing does, drop it by hand: await op.dropEnum('audit_level', { existing: { values: ['low', 'high'] } }).",
    ]);

    // The models drop the column and its enum: the revision drops both, and leaves audit_level.
    p.write('models.ts', models({ tables: [person(false)] }));
    const out = await p.ok('migrate', '-m', 'no mood');
    expect(out.stdout + out.stderr).toContain("[app] Detected removed enum 'mood'");
    const source = p.read(written(out)!.replace(`${p.dir}/`, ''));
    expect(source).toMatch(/op\.dropColumn\('person', 'mood'[^]*op\.dropEnum\('mood'/);
    expect(source).not.toContain('audit_level');
    await p.ok('upgrade');
    expect(await types()).toEqual(['audit_level']);
    expect(await queryUrl(dbs.app.url, "SELECT audit_rank('high') AS r")).toEqual([{ r: 2 }]);
    expect((await p.run('check')).code).toBe(0);

    // The downgrade creates mood again before its column.
    await p.ok('downgrade', 'app');
    expect(await types()).toEqual(['audit_level', 'mood']);
  });
});
