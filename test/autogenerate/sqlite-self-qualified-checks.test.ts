// A SQLite model whose check constraint or partial-index WHERE qualifies a column by its own table
// (`"users"."ratio" >= 0`, `users.ratio > 1`, as drizzle-kit writes them; `main.users.ratio >= 0`
// too): SQLite accepts that in
// the table's own CREATE TABLE, but a batch rebuild creates the new table under another name
// (`_multidb_tmp_users`), where `users.ratio` is no column ('no such column: users.ratio'). The
// rebuilt table gets the expression without its own table's name, online and in the offline
// script (`upgrade --sql`, run here with better-sqlite3 on a copy of the database), whether the
// expression comes from the batch's own op or from the table as earlier revisions created it
// (offline, the shape the script's revisions made). After every upgrade `check` is clean and
// SQLite enforces the check. Through the CLI (its `main`, in this process), on real SQLite files.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

/** `migrate revision ARGS`: the new revision's id and file, relative to the project (as `TempProject.revision`). */
async function revision(p: TempProject, ...args: string[]): Promise<{ id: string; file: string }> {
  const out = await ok(p, 'revision', ...args);
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1]?.slice(p.dir.length + 1);
  if (!file) throw new Error(`no 'Generating <file>.ts' line in:\n${out.stdout}`);
  const id = /^export const revision = '([^']+)';$/m.exec(p.read(file))?.[1];
  if (!id) throw new Error(`no revision header in ${file}`);
  return { id, file };
}

const COLUMNS = [
  { name: 'id', type: 'integer', primaryKey: true },
  { name: 'ratio', type: 'real' },
];
/**
 * The models: table `users`, with the check and partial index written qualified by `users` when
 * `qualified` (`'main'`: by the main schema and `users`).
 */
function models(options: { qualified: boolean | 'main'; nameRequired?: boolean }): string {
  const columns = [...COLUMNS, { name: 'name', type: 'text', nullable: !options.nameRequired }];
  const users =
    options.qualified === 'main'
      ? { checkConstraints: [{ name: 'ck_users_ratio', expression: 'main.users.ratio >= 0' }], indexes: [{ name: 'ix_users_ratio', columns: ['ratio'], where: '"main"."users"."ratio" > 1' }] }
      : options.qualified
        ? { checkConstraints: [{ name: 'ck_users_ratio', expression: '"users"."ratio" >= 0' }], indexes: [{ name: 'ix_users_ratio', columns: ['ratio'], where: 'users.ratio > 1' }] }
        : {};
  return `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify({ tables: [{ name: 'users', columns, ...users }] }, null, 2)});\n`;
}

/** The revision `migrate` wrote, relative to the project. */
function written(p: TempProject, out: RunOutput): string {
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
  expect(file, out.stdout + out.stderr).toBeDefined();
  return p.read(file!.slice(p.dir.length + 1));
}

/** Runs an offline script on a database file of the project, as the sqlite3 CLI would (one exec of the whole text). */
function apply(p: TempProject, file: string, script: string): void {
  const db = new Database(join(p.dir, file));
  try {
    db.exec(script);
  } finally {
    db.close();
  }
}

/** The schema (every object's SQL), the rows of `users` and the version table's. */
function state(p: TempProject, file: string) {
  const db = new Database(join(p.dir, file), { readonly: true, fileMustExist: true });
  try {
    return {
      schema: db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all(),
      rows: db.prepare('SELECT * FROM users ORDER BY id').all(),
      versions: db.prepare('SELECT version_num FROM multidb_version').all(),
    };
  } finally {
    db.close();
  }
}

const sqlOf = (p: TempProject, name: string) => p.query<{ sql: string }>('app', `SELECT sql FROM sqlite_master WHERE name = '${name}'`)[0]?.sql;

async function expectClean(p: TempProject): Promise<void> {
  const check = await run(p, 'check');
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toBe('[app] No changes in schema detected.\n');
}

describe('SQLite: a check and a partial index that qualify a column by their own table, through a batch rebuild', () => {
  it('the autogenerated batch that adds them rebuilds the table online and offline (--sql), the same; check is clean and SQLite enforces the check', async () => {
    const p = await project();
    p.write('models.ts', models({ qualified: false }));
    await ok(p, 'migrate', '-m', 'users', '--rev-id', 'a0000000users');
    await ok(p, 'upgrade');
    p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a'), (2, 3, 'b')`);
    copyFileSync(join(p.dir, '.data', 'app.db'), join(p.dir, 'offline.db'));

    p.write('models.ts', models({ qualified: true }));
    const revision = written(p, await ok(p, 'migrate', '-m', 'ratio checked', '--rev-id', 'b0000000check'));
    expect(revision).toContain(`batch.createCheckConstraint('ck_users_ratio', '"users"."ratio" >= 0');`);

    const script = (await ok(p, 'upgrade', '--sql', 'a0000000users:b0000000check')).stdout;
    expect(script).toContain('CREATE TABLE "_multidb_tmp_users"');
    expect(script).not.toContain('"users"."ratio"');
    apply(p, 'offline.db', script);
    await ok(p, 'upgrade');
    expect(sqlOf(p, 'users')).toContain('CONSTRAINT "ck_users_ratio" CHECK ("ratio" >= 0)');
    expect(sqlOf(p, 'ix_users_ratio')).toBe('CREATE INDEX "ix_users_ratio" ON "users" ("ratio") WHERE ratio > 1');
    expect(state(p, 'offline.db')).toEqual(state(p, '.data/app.db'));
    expect(state(p, '.data/app.db').rows).toEqual([
      { id: 1, ratio: 0.5, name: 'a' },
      { id: 2, ratio: 3, name: 'b' },
    ]);
    expect(() => p.exec('app', `INSERT INTO users (id, ratio) VALUES (3, -1)`)).toThrow(/CHECK constraint failed: ck_users_ratio/);
    await expectClean(p);

    // The downgrade rebuilds the table without them.
    await ok(p, 'downgrade', '-1');
    expect(sqlOf(p, 'users')).not.toContain('CHECK');
    expect(sqlOf(p, 'ix_users_ratio')).toBeUndefined();
  });

  it('a table created with them by an earlier revision is rebuilt by a later batch online, and offline from the shape the script made', async () => {
    const p = await project();
    p.write('models.ts', models({ qualified: true }));
    await ok(p, 'migrate', '-m', 'users', '--rev-id', 'a0000000users');
    await ok(p, 'upgrade');
    p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a')`);
    p.write('models.ts', models({ qualified: true, nameRequired: true }));
    const revision = written(p, await ok(p, 'migrate', '-m', 'name required', '--rev-id', 'b0000000named'));
    expect(revision).toContain("await op.batchAlterTable('users'");

    const script = (await ok(p, 'upgrade', '--sql', 'app@base:head')).stdout;
    // The first revision creates the table as the models write it; the rebuild of the second drops the qualifier.
    expect(script).toContain('CONSTRAINT "ck_users_ratio" CHECK ("users"."ratio" >= 0)');
    expect(script).toMatch(/CREATE TABLE "_multidb_tmp_users" \([^;]*CONSTRAINT "ck_users_ratio" CHECK \("ratio" >= 0\)/);
    apply(p, 'offline.db', `${script}\nINSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a');`);
    await ok(p, 'upgrade');
    expect(sqlOf(p, 'users')).toMatch(/"name" text NOT NULL[\s\S]*CONSTRAINT "ck_users_ratio" CHECK \("ratio" >= 0\)/);
    expect(state(p, 'offline.db')).toEqual(state(p, '.data/app.db'));
    expect(() => p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (3, -1, 'c')`)).toThrow(/CHECK constraint failed: ck_users_ratio/);
    await expectClean(p);
  });

  it('qualified by the main schema too (main.users.ratio): a table created with them is rebuilt by a later batch online, and offline from the shape the script made; check stays clean', async () => {
    const p = await project();
    p.write('models.ts', models({ qualified: 'main' }));
    await ok(p, 'migrate', '-m', 'users', '--rev-id', 'a0000000users');
    await ok(p, 'upgrade');
    p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a')`);
    await expectClean(p);
    p.write('models.ts', models({ qualified: 'main', nameRequired: true }));
    const revision = written(p, await ok(p, 'migrate', '-m', 'name required', '--rev-id', 'b0000000named'));
    expect(revision).toContain("await op.batchAlterTable('users'");

    const script = (await ok(p, 'upgrade', '--sql', 'app@base:head')).stdout;
    expect(script).toContain('CONSTRAINT "ck_users_ratio" CHECK (main.users.ratio >= 0)');
    expect(script).toMatch(/CREATE TABLE "_multidb_tmp_users" \([^;]*CONSTRAINT "ck_users_ratio" CHECK \(ratio >= 0\)/);
    apply(p, 'offline.db', `${script}\nINSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a');`);
    await ok(p, 'upgrade');
    expect(sqlOf(p, 'users')).toMatch(/"name" text NOT NULL[\s\S]*CONSTRAINT "ck_users_ratio" CHECK \(ratio >= 0\)/);
    // The index is recreated as stored, on the table under its own name: its qualifier still resolves.
    expect(sqlOf(p, 'ix_users_ratio')).toBe('CREATE INDEX "ix_users_ratio" ON "users" ("ratio") WHERE "main"."users"."ratio" > 1');
    expect(state(p, 'offline.db')).toEqual(state(p, '.data/app.db'));
    expect(() => p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (3, -1, 'c')`)).toThrow(/CHECK constraint failed: ck_users_ratio/);
    await expectClean(p);
  });

  it('a batch that renames a column and then adds a check naming it qualified by the table (the new name) rebuilds the table', async () => {
    const p = await project();
    p.write('models.ts', models({ qualified: false }));
    await ok(p, 'migrate', '-m', 'users');
    await ok(p, 'upgrade');
    p.exec('app', `INSERT INTO users (id, ratio, name) VALUES (1, 0.5, 'a')`);
    const { file } = await revision(p, '-m', 'share', '--bind', 'app');
    p.fill(file, {
      upgrade:
        `await op.batchAlterTable('users', (batch) => {\n` +
        `    batch.alterColumn('ratio', { newName: 'share' });\n` +
        `    batch.createCheckConstraint('ck_users_share', '"users"."share" >= 0');\n` +
        `    batch.createIndex('ix_users_share', ['share'], { where: 'users.share > 1' });\n` +
        `  });`,
    });
    await ok(p, 'upgrade');
    expect(sqlOf(p, 'users')).toContain('CONSTRAINT "ck_users_share" CHECK ("share" >= 0)');
    expect(sqlOf(p, 'ix_users_share')).toBe('CREATE INDEX "ix_users_share" ON "users" ("share") WHERE "share" > 1');
    expect(p.query('app', 'SELECT * FROM users')).toEqual([{ id: 1, share: 0.5, name: 'a' }]);
    expect(() => p.exec('app', `INSERT INTO users (id, share) VALUES (2, -1)`)).toThrow(/CHECK constraint failed: ck_users_share/);
  });

  it('offline, a batch that renames a column and then the partial index on it (plain ALTERs) writes the index from the shape the script made, under the new column name', async () => {
    const p = await project();
    p.write('models.ts', models({ qualified: true }));
    await ok(p, 'migrate', '-m', 'users');
    const { file } = await revision(p, '-m', 'share', '--bind', 'app');
    p.fill(file, {
      upgrade:
        `await op.batchAlterTable('users', (batch) => {\n` +
        `    batch.alterColumn('ratio', { newName: 'share' });\n` +
        `    batch.renameIndex('ix_users_ratio', 'ix_users_share');\n` +
        `  });`,
    });
    const script = (await ok(p, 'upgrade', '--sql', 'app@base:head')).stdout;
    expect(script).not.toContain('CREATE TABLE "_multidb_tmp_users"');
    expect(script).toContain('CREATE INDEX "ix_users_share" ON "users" ("share") WHERE "share" > 1;');
    apply(p, 'offline.db', script);
    const db = new Database(join(p.dir, 'offline.db'), { readonly: true });
    try {
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users'`).all()).toEqual([{ name: 'ix_users_share' }]);
    } finally {
      db.close();
    }
  });

  it("a table renamed after a revision created it with such a check: online SQLite rewrites the name and the rebuild passes; offline the script is not written from the old name ('no such column: users.ratio') but asks for copyFrom", async () => {
    const p = await project();
    const { file: created } = await revision(p, '-m', 'users', '--bind', 'app');
    p.fill(created, {
      upgrade:
        `await op.createTable('users', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'ratio', type: 'real' }, { name: 'name', type: 'text' }], ` +
        `{ checkConstraints: [{ name: 'ck_users_ratio', expression: '"users"."ratio" >= 0' }] });`,
    });
    const { file: renamed, id } = await revision(p, '-m', 'members', '--bind', 'app');
    p.fill(renamed, { upgrade: `await op.renameTable('users', 'members');` });
    const { file: batch } = await revision(p, '-m', 'name required', '--bind', 'app');
    p.fill(batch, { upgrade: `await op.batchAlterTable('members', (batch) => {\n    batch.alterColumn('name', { nullable: false });\n  });` });

    const offline = await run(p, 'upgrade', '--sql', 'app@base:head');
    expect(offline.code, offline.stdout + offline.stderr).toBe(1);
    expect(offline.stdout).not.toContain('CREATE TABLE "_multidb_tmp_members"');
    expect(offline.stderr).toContain(`offline mode stopped following at revision ${id}, which calls op.renameTable('users'), whose check constraint, index or generated column names the table`);
    expect(offline.stderr).toContain('pass it as copyFrom');

    await ok(p, 'upgrade');
    expect(sqlOf(p, 'members')).toMatch(/"name" text NOT NULL[\s\S]*CONSTRAINT "ck_users_ratio" CHECK \("ratio" >= 0\)/);
    expect(() => p.exec('app', `INSERT INTO members (id, ratio, name) VALUES (1, -1, 'a')`)).toThrow(/CHECK constraint failed: ck_users_ratio/);
  });
});
