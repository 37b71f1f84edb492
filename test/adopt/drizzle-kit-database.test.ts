// A SQLite database made by drizzle-kit itself (the SQL `drizzle-kit generate` writes for
// fixtures/drizzle-sqlite.ts, applied with its `__drizzle_migrations` table, as `drizzle-kit
// migrate` leaves it) adopted with the same Drizzle tables as models: `check` finds nothing to
// do, and a batch rebuild of a table keeps its CHECK. drizzle-kit qualifies the columns of a CHECK
// and of a partial index's WHERE with the table's name (`"users"."ratio" >= 0`), which SQLite keeps
// as written.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/drizzle-sqlite.ts', import.meta.url));

/** `drizzle-kit generate` (0.31) for fixtures/drizzle-sqlite.ts, as it wrote it. */
const DRIZZLE_KIT_SQL = `CREATE TABLE \`post_tags\` (
	\`post_id\` integer NOT NULL,
	\`tag\` text NOT NULL,
	\`position\` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(\`post_id\`, \`tag\`),
	FOREIGN KEY (\`post_id\`) REFERENCES \`posts\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`post_tags_tag_position_unique\` ON \`post_tags\` (\`tag\`,\`position\`);--> statement-breakpoint
CREATE TABLE \`posts\` (
	\`id\` integer PRIMARY KEY NOT NULL,
	\`author_id\` integer NOT NULL,
	\`title\` text NOT NULL,
	\`views\` integer DEFAULT 0,
	FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX \`posts_author_idx\` ON \`posts\` (\`author_id\`) WHERE "posts"."views" > 0;--> statement-breakpoint
CREATE TABLE \`users\` (
	\`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	\`email\` text NOT NULL,
	\`name\` text,
	\`mood\` text DEFAULT 'ok',
	\`active\` integer DEFAULT true NOT NULL,
	\`score\` numeric DEFAULT '0',
	\`ratio\` real,
	\`avatar\` blob,
	\`created_at\` integer DEFAULT (unixepoch()) NOT NULL,
	CONSTRAINT "ratio_positive" CHECK("users"."ratio" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE INDEX \`users_name_idx\` ON \`users\` (\`name\`);--> statement-breakpoint
CREATE UNIQUE INDEX \`users_lower_email\` ON \`users\` (lower("email"));`;

/** What `drizzle-kit migrate` adds: its bookkeeping table and the row of the migration it ran. */
const DRIZZLE_KIT_BOOKKEEPING = `CREATE TABLE "__drizzle_migrations" (
				id SERIAL PRIMARY KEY,
				hash text NOT NULL,
				created_at numeric
			);
INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ('b7abd6644a68e81533c9f5c343e909e46efc76ad1a35b141a2ab8b65c1175b61', 1796662994676);`;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function drizzleKitProject(): TempProject {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db', models: { drizzle: ${JSON.stringify(FIXTURE)} } } } });\n`,
  });
  projects.push(p);
  mkdirSync(join(p.dir, '.data'));
  const db = new Database(join(p.dir, '.data', 'app.db'));
  try {
    for (const statement of DRIZZLE_KIT_SQL.split('--> statement-breakpoint')) db.exec(statement);
    db.exec(DRIZZLE_KIT_BOOKKEEPING);
  } finally {
    db.close();
  }
  return p;
}

describe('a SQLite database made by drizzle-kit, adopted with its Drizzle tables', () => {
  it('check finds no changes (a CHECK and a partial index written with the table-qualified columns drizzle-kit writes)', async () => {
    const p = drizzleKitProject();
    await p.ok('init', '--multidb');
    const out = await p.run('check');
    expect(out.stdout).toBe('[app] No changes in schema detected.\n');
    expect(out.code).toBe(0);
  });

  it("a batch rebuild of a table keeps its CHECK (the copy is made under another name, where 'users.ratio' is no column)", async () => {
    const p = drizzleKitProject();
    await p.ok('init', '--multidb');
    const { file } = await p.revision('-m', 'name required', '--bind', 'app');
    p.fill(file, {
      upgrade: `await op.batchAlterTable('users', (batch) => {\n    batch.alterColumn('name', { nullable: false, existing: { type: 'text', nullable: true } });\n  });`,
    });
    await p.ok('upgrade');
    const db = new Database(join(p.dir, '.data', 'app.db'));
    try {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'users'`).get() as { sql: string }).sql;
      expect(sql).toMatch(/CONSTRAINT "ratio_positive" CHECK \("ratio" >= 0\)/);
      expect(() => db.prepare(`INSERT INTO users (email, name, ratio) VALUES ('a@b', 'a', -1)`).run()).toThrow(/CHECK constraint failed: ratio_positive/);
    } finally {
      db.close();
    }
  });
});
