// SQLite has no enum types: a model column `enum('s','m')` is stored as `varchar(1)`, the length
// of its longest member, and its members are kept nowhere. So a change of the longest member's
// length is a type change (a batch rebuild widens or narrows the varchar, both ways), while a member
// added or removed that keeps that length is no change to the database: autogenerate says so in the
// warning of every revision that writes such a column (as Alembic, whose SQLite enum is a plain
// VARCHAR unless it also creates a CHECK). Members a model keeps in a check constraint are compared
// as that constraint: a member added is a changed check, the batch rebuilds the table with it, and
// SQLite then refuses other values; a member replaced by one of the same length likewise, the rows
// kept by the rebuild and the old members restored by the downgrade. After every upgrade `check` is
// clean. Through the CLI (its `main`, in this process), on real SQLite files.
import { afterAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const run = (p: TempProject, ...args: string[]) => runInProcess(p.dir, args);
const ok = (p: TempProject, ...args: string[]) => okInProcess(p.dir, args);

async function project(): Promise<TempProject> {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts' } } });\n`,
  });
  projects.push(p);
  await ok(p, 'init', '--multidb');
  return p;
}

const models = (definition: object) => `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify(definition, null, 2)});\n`;
const list = (members: readonly string[]) => members.map((m) => `'${m}'`).join(',');
const warnings = (out: RunOutput) => out.stderr.split('\n').filter((l) => l.includes('WARNING'));
/** The revision `migrate` wrote, relative to the project. */
function written(p: TempProject, out: RunOutput): string {
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
  expect(file, out.stdout + out.stderr).toBeDefined();
  return p.read(file!.slice(p.dir.length + 1));
}
const declared = (p: TempProject) => p.query<{ name: string; type: string }>('app', `SELECT name, type FROM pragma_table_info('item') WHERE name IN ('size', 'mood')`);

async function expectClean(p: TempProject): Promise<void> {
  const check = await run(p, 'check');
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toContain('[app] No changes in schema detected.');
}

describe('enum members on SQLite', () => {
  it("a change of the longest member's length widens or narrows the varchar (batch, both ways); a change of members of the same length is no change, as the warning says", async () => {
    const p = await project();
    const item = (size: readonly string[], mood: readonly string[]) =>
      models({
        enums: [{ name: 'mood', values: mood }],
        tables: [{ name: 'item', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'size', type: `enum(${list(size)})` }, { name: 'mood', type: 'mood' }] }],
      });
    const seen = "SQLite has no enum types: the column does not check its members, and autogenerate sees a change of them only when the longest member's length changes (add a check constraint to keep them).";

    p.write('models.ts', item(['s', 'm'], ['ok']));
    const created = await ok(p, 'migrate', '-m', 'items');
    expect(warnings(created)).toEqual([
      `[app] WARNING: Column 'size' of table 'item' is enum('s','m') in the models, and the database gets varchar(1): ${seen}`,
      `[app] WARNING: Column 'mood' of table 'item' is enum('ok') in the models, and the database gets varchar(2): ${seen}`,
    ]);
    await ok(p, 'upgrade');
    expect(declared(p)).toEqual([
      { name: 'size', type: 'varchar(1)' },
      { name: 'mood', type: 'varchar(2)' },
    ]);

    // Members added that keep the longest length: the database keeps nothing else, so no change.
    p.write('models.ts', item(['s', 'm', 'l'], ['ok', 'no']));
    await expectClean(p);

    // A longer member: a type change on each column, made by a batch rebuild.
    p.write('models.ts', item(['s', 'm', 'l', 'xl'], ['ok', 'no', 'sad']));
    const check = await run(p, 'check');
    expect(check.code).toBe(4);
    expect(check.stdout).toContain("[app] Detected type change from varchar(1) to enum('s','m','l','xl') on 'item.size'");
    expect(check.stdout).toContain("[app] Detected type change from varchar(2) to enum mood on 'item.mood'");
    const widened = await ok(p, 'migrate', '-m', 'wider');
    const revision = written(p, widened);
    expect(revision).toContain("await op.batchAlterTable('item'");
    expect(revision).toMatch(/batch\.alterColumn\('size', \{\s*type: "enum\('s','m','l','xl'\)",\s*existing: \{ type: 'varchar\(1\)'/);
    expect(revision).toMatch(/batch\.alterColumn\('mood', \{\s*type: enumType\('mood', \['ok', 'no', 'sad'\]\),\s*existing: \{ type: 'varchar\(2\)'/);
    await ok(p, 'upgrade');
    expect(declared(p)).toEqual([
      { name: 'size', type: 'varchar(2)' },
      { name: 'mood', type: 'varchar(3)' },
    ]);
    await expectClean(p);
    p.exec('app', `INSERT INTO item (id, size, mood) VALUES (1, 'xl', 'sad')`);

    // The longest member removed: narrowed back. SQLite cuts nothing (it enforces no varchar
    // length), so the revision says no data loss but that the values are kept, and the row keeps its value.
    p.write('models.ts', item(['s', 'm', 'l'], ['ok', 'no']));
    const narrowed = await ok(p, 'migrate', '-m', 'narrower');
    const narrower = written(p, narrowed);
    expect(narrower).not.toContain('Data loss');
    // The comments' text, their lines joined.
    const comments = narrower.replace(/\s*\n\s*\/\/\s*/g, ' ');
    expect(comments).toContain("Note: changes 'item'.'size' from varchar(2) to enum('s','m','l'): the database does not check the new size and keeps every value as stored.");
    expect(comments).toContain("Note: changes 'item'.'mood' from varchar(3) to enum('ok','no'): the database does not check the new size and keeps every value as stored.");
    await ok(p, 'upgrade');
    expect(declared(p)).toEqual([
      { name: 'size', type: 'varchar(1)' },
      { name: 'mood', type: 'varchar(2)' },
    ]);
    await expectClean(p);
    expect(p.query('app', 'SELECT size, mood FROM item')).toEqual([{ size: 'xl', mood: 'sad' }]);

    // The downgrade widens again.
    await ok(p, 'downgrade', '-1');
    expect(declared(p)).toEqual([
      { name: 'size', type: 'varchar(2)' },
      { name: 'mood', type: 'varchar(3)' },
    ]);
  });

  it('members kept in a check constraint of the models: a member of the same length added is a changed check, rebuilt by the batch; SQLite then refuses other values', async () => {
    const p = await project();
    const item = (members: readonly string[]) =>
      models({
        tables: [
          {
            name: 'item',
            columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'size', type: `enum(${list(members)})` }],
            checkConstraints: [{ name: 'ck_item_size', expression: `size IN (${members.map((m) => `'${m}'`).join(', ')})` }],
          },
        ],
      });
    p.write('models.ts', item(['s', 'm']));
    await ok(p, 'migrate', '-m', 'items');
    await ok(p, 'upgrade');
    await expectClean(p);
    expect(() => p.exec('app', `INSERT INTO item (id, size) VALUES (1, 'l')`)).toThrow(/CHECK constraint failed/);

    p.write('models.ts', item(['s', 'm', 'l']));
    const out = await ok(p, 'migrate', '-m', 'large');
    expect(out.stderr).toContain("[app] Detected changed check constraint 'ck_item_size' on table 'item': size IN ('s', 'm') to size IN ('s', 'm', 'l')");
    const revision = written(p, out);
    expect(revision).toContain("await op.batchAlterTable('item'");
    expect(revision).toContain(`batch.createCheckConstraint('ck_item_size', "size IN ('s', 'm', 'l')")`);
    await ok(p, 'upgrade');
    await expectClean(p);
    p.exec('app', `INSERT INTO item (id, size) VALUES (1, 'l')`);
    expect(() => p.exec('app', `INSERT INTO item (id, size) VALUES (2, 'x')`)).toThrow(/CHECK constraint failed/);
    expect(p.query('app', 'SELECT id, size FROM item')).toEqual([{ id: 1, size: 'l' }]);
  });
  it("a member replaced by one of the same length (['a','b'] → ['a','c']): no change without a check constraint; with one, a changed check whose batch rebuild keeps the rows and whose downgrade restores the old members", async () => {
    const p = await project();
    const item = (members: readonly string[], check: boolean) =>
      models({
        tables: [
          {
            name: 'item',
            columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'size', type: `enum(${list(members)})` }],
            ...(check ? { checkConstraints: [{ name: 'ck_item_size', expression: `size IN (${members.map((m) => `'${m}'`).join(', ')})` }] } : {}),
          },
        ],
      });
    p.write('models.ts', item(['a', 'b'], false));
    await ok(p, 'migrate', '-m', 'items');
    await ok(p, 'upgrade');
    // Nothing in the database names the members: the same varchar(1) either way.
    p.write('models.ts', item(['a', 'c'], false));
    await expectClean(p);

    p.write('models.ts', item(['a', 'b'], true));
    await ok(p, 'migrate', '-m', 'checked');
    await ok(p, 'upgrade');
    await expectClean(p);
    p.exec('app', `INSERT INTO item (id, size) VALUES (1, 'a'), (2, 'a')`);

    p.write('models.ts', item(['a', 'c'], true));
    const check = await run(p, 'check');
    expect(check.code).toBe(4);
    expect(check.stdout).toContain("[app] Detected changed check constraint 'ck_item_size' on table 'item': size IN ('a', 'b') to size IN ('a', 'c')");
    const out = await ok(p, 'migrate', '-m', 'c for b');
    const revision = written(p, out);
    expect(revision).toContain("await op.batchAlterTable('item'");
    expect(revision).toContain(`batch.createCheckConstraint('ck_item_size', "size IN ('a', 'c')")`);
    expect(revision).toContain(`batch.createCheckConstraint('ck_item_size', "size IN ('a', 'b')")`);
    await ok(p, 'upgrade');
    await expectClean(p);
    expect(p.query('app', 'SELECT id, size FROM item ORDER BY id')).toEqual([{ id: 1, size: 'a' }, { id: 2, size: 'a' }]);
    expect(() => p.exec('app', `INSERT INTO item (id, size) VALUES (3, 'b')`)).toThrow(/CHECK constraint failed/);
    p.exec('app', `INSERT INTO item (id, size) VALUES (3, 'c')`);

    // The downgrade puts 'b' back; a row of 'c' would now break the old check, so it goes first.
    p.exec('app', `DELETE FROM item WHERE id = 3`);
    await ok(p, 'downgrade', '-1');
    expect(p.query('app', 'SELECT id, size FROM item ORDER BY id')).toEqual([{ id: 1, size: 'a' }, { id: 2, size: 'a' }]);
    expect(() => p.exec('app', `INSERT INTO item (id, size) VALUES (3, 'c')`)).toThrow(/CHECK constraint failed/);
    p.exec('app', `INSERT INTO item (id, size) VALUES (3, 'b')`);
  });
});
