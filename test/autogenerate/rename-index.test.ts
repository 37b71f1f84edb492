// A confirmed column rename (`event.kind` → `event.category`) whose index the models now name after
// the new column (`ix_event_kind` → `ix_event_category`, the naming convention's name): `migrate
// migrate --rename` detects both and writes renameColumn + renameIndex (on SQLite in the table's
// batch, the index's definition with it), the offline script (`upgrade --sql`, `downgrade --sql`)
// renders them, upgrade renames both, `check` is then clean, and downgrade gives both their old
// names back. On SQLite, PostgreSQL and MariaDB, through the CLI (its `main`, in this process).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, dialectOf, queryUrl, useDatabases } from '../support/servers.js';

function models(column: 'kind' | 'category'): string {
  return `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: 'event',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: '${column}', type: 'varchar(20)' },
        { name: 'note', type: 'varchar(40)' },
      ],
      indexes: [{ columns: ['${column}'] }],
    },
  ],
});
`;
}

function config(url: string): string {
  return `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`;
}

/** The indexes of `event` other than its primary key, as `name(columns)`, sorted. */
async function indexes(url: string, baseDir: string): Promise<string[]> {
  const sql = {
    sqlite: `SELECT il.name AS name, ii.name AS col FROM pragma_index_list('event') il JOIN pragma_index_info(il.name) ii WHERE il.origin = 'c' ORDER BY il.name, ii.seqno`,
    postgres: `SELECT i.relname AS name, a.attname AS col FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey) WHERE t.relname = 'event' AND NOT x.indisprimary ORDER BY 1, 2`,
    mysql: `SELECT INDEX_NAME AS name, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'event' AND INDEX_NAME <> 'PRIMARY' ORDER BY 1, SEQ_IN_INDEX`,
  }[dialectOf(url)];
  const rows = await queryUrl<{ name: string; col: string }>(url, sql, [], { baseDir });
  const byName = new Map<string, string[]>();
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r.col]);
  return [...byName].map(([name, cols]) => `${name}(${cols.join(',')})`).sort();
}

/** What each dialect writes and sends for the rename. */
interface Expected {
  /** The upgrade's and the downgrade's lines of the rendered revision. */
  readonly upgrade: readonly string[];
  readonly downgrade: readonly string[];
  /** The statements of the rename revision in `upgrade --sql`, and of `downgrade --sql`. */
  readonly upgradeSql: readonly string[];
  readonly downgradeSql: readonly string[];
}

const PLAIN_RENDER = {
  upgrade: ["  await op.renameColumn('event', 'kind', 'category');", "  await op.renameIndex('event', 'ix_event_kind', 'ix_event_category');"],
  downgrade: ["  await op.renameIndex('event', 'ix_event_category', 'ix_event_kind');", "  await op.renameColumn('event', 'category', 'kind');"],
};

const EXPECTED: Record<'sqlite' | 'postgres' | 'mysql', Expected> = {
  sqlite: {
    upgrade: [
      "  await op.batchAlterTable('event', (batch) => {",
      "    batch.renameColumn('kind', 'category');",
      "    batch.renameIndex('ix_event_kind', 'ix_event_category', {",
      "      existing: { columns: ['category'], unique: false },",
      '    });',
      '  });',
    ],
    // After the upgrade's renames offline mode no longer follows the table: the downgrade's batch
    // carries the table as it is then (copyFrom), for an offline script that would rebuild it.
    downgrade: [
      '  await op.batchAlterTable(',
      "    'event',",
      '    (batch) => {',
      "      batch.renameIndex('ix_event_category', 'ix_event_kind', {",
      "        existing: { columns: ['category'], unique: false },",
      '      });',
      "      batch.renameColumn('category', 'kind');",
      '    },',
      '    {',
      '      copyFrom: {',
      '        columns: [',
      "          { name: 'id', type: 'integer', primaryKey: true },",
      "          { name: 'category', type: 'varchar(20)' },",
      "          { name: 'note', type: 'varchar(40)' },",
      '        ],',
      "        indexes: [{ name: 'ix_event_category', columns: ['category'], unique: false }],",
      '      },',
      '    },',
      '  );',
    ],
    upgradeSql: ['ALTER TABLE "event" RENAME COLUMN "kind" TO "category";', 'DROP INDEX "ix_event_kind";', 'CREATE INDEX "ix_event_category" ON "event" ("category");'],
    downgradeSql: ['DROP INDEX "ix_event_category";', 'CREATE INDEX "ix_event_kind" ON "event" ("category");', 'ALTER TABLE "event" RENAME COLUMN "category" TO "kind";'],
  },
  postgres: {
    ...PLAIN_RENDER,
    upgradeSql: ['ALTER TABLE "event" RENAME COLUMN "kind" TO "category";', 'ALTER INDEX "ix_event_kind" RENAME TO "ix_event_category";'],
    downgradeSql: ['ALTER INDEX "ix_event_category" RENAME TO "ix_event_kind";', 'ALTER TABLE "event" RENAME COLUMN "category" TO "kind";'],
  },
  mysql: {
    ...PLAIN_RENDER,
    upgradeSql: ['ALTER TABLE `event` RENAME COLUMN `kind` TO `category`;', 'ALTER TABLE `event` RENAME INDEX `ix_event_kind` TO `ix_event_category`;'],
    downgradeSql: ['ALTER TABLE `event` RENAME INDEX `ix_event_category` TO `ix_event_kind`;', 'ALTER TABLE `event` RENAME COLUMN `category` TO `kind`;'],
  },
};

/** The id of the revision a `revision` or `migrate` run generated (its output), read from the file's header. */
function generatedId(out: RunOutput): string {
  const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
  if (!file) throw new Error(`no 'Generating <file>.ts' line in:\n${out.stdout}`);
  const id = /^export const revision = '([^']+)';$/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (!id) throw new Error(`no revision header in ${file}`);
  return id;
}

/** The lines of `text` from the first that starts with `start` up to the line that ends the block. */
function block(text: string, start: string): string[] {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.startsWith(start));
  const to = lines.findIndex((l, i) => i > from && l === '}');
  return lines.slice(from + 1, to).filter((l) => !l.trimStart().startsWith('//') && l.trim() !== '');
}

/** The statements of `sql` that are among `wanted`, in order (the rest: transactions, version table). */
const among = (sql: string, wanted: readonly string[]) => sql.split('\n').filter((l) => wanted.includes(l));

function renameIndexE2e(name: string, url: () => string): void {
  describe(name, () => {
    let p: TempProject;
    const run = (...args: string[]) => runInProcess(p.dir, args);
    const ok = (...args: string[]) => okInProcess(p.dir, args);
    let first: string;
    let second: string;
    const dialect = () => dialectOf(url());
    beforeAll(async () => {
      p = new TempProject([], { config: config(url()) });
      p.write('models.ts', models('kind'));
      await ok('init', '--multidb');
      first = generatedId(await ok('revision', '--autogenerate', '-m', 'events'));
      await ok('upgrade');
      expect(await indexes(url(), p.dir)).toEqual(['ix_event_kind(kind)']);
      p.write('models.ts', models('category'));
    });
    afterAll(() => p?.remove());

    it('detects the renamed index with the confirmed column rename, and writes renameColumn + renameIndex', async () => {
      const out = await ok('migrate', '-m', 'category', '--rename', 'event.kind=event.category');
      expect(out.stderr).toContain("[app] Detected renamed column 'event.kind' to 'event.category'");
      expect(out.stderr).toContain("[app] Detected renamed index 'ix_event_kind' to 'ix_event_category' on 'event'");
      expect(out.stderr).not.toMatch(/WARNING/);
      const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)![1]!;
      second = /^export const revision = '([^']+)';$/m.exec(p.read(file.slice(p.dir.length + 1)))![1]!;
      const source = p.read(file.slice(p.dir.length + 1));
      const expected = EXPECTED[dialect()];
      expect(block(source, 'export async function upgrade')).toEqual(expected.upgrade);
      expect(block(source, 'export async function downgrade')).toEqual(expected.downgrade);
    });

    it('renders the rename offline (upgrade --sql, downgrade --sql)', async () => {
      const expected = EXPECTED[dialect()];
      const up = await ok('upgrade', '--sql', `app@${first}:head`);
      expect(among(up.stdout, expected.upgradeSql)).toEqual(expected.upgradeSql);
      const down = await ok('downgrade', '--sql', `app@head:${first}`);
      expect(among(down.stdout, expected.downgradeSql)).toEqual(expected.downgradeSql);
      // From base, SQLite knows the index from the script's own createTable.
      const all = await ok('upgrade', '--sql');
      expect(among(all.stdout, expected.upgradeSql)).toEqual(expected.upgradeSql);
    });

    it('upgrade renames the column and the index; check is then clean; downgrade gives both their old names back', async () => {
      await ok('upgrade');
      expect(await indexes(url(), p.dir)).toEqual(['ix_event_category(category)']);
      const check = await run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('[app] No changes in schema detected.');
      await ok('downgrade', 'app');
      expect(await indexes(url(), p.dir)).toEqual(['ix_event_kind(kind)']);
      await ok('upgrade');
      expect(await indexes(url(), p.dir)).toEqual(['ix_event_category(category)']);
      expect(second).toMatch(/^\w+$/);
    });
  });
}

renameIndexE2e('a renamed column and its index on SQLite', () => 'sqlite:.data/app.db');

describeWithServers('a renamed column and its index on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_rename_index', { pg: 'postgres', my: 'mysql' });
  renameIndexE2e('PostgreSQL', () => dbs.pg.url);
  renameIndexE2e('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'));
});

// A unique index the database named itself (created by hand, or PostgreSQL's `CREATE UNIQUE INDEX
// ON event (code)`), where the models declare a unique index over the same column: renamed to the
// models' name as a plain index is, and back on downgrade. On MariaDB a unique index reads as a
// unique constraint, which keeps its name (see compareUniques), so it is not run there.
const UNIQUE_MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: 'event',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'code', type: 'varchar(20)' },
      ],
      indexes: [{ columns: ['code'], unique: true }],
    },
  ],
});
`;

function renameUniqueIndexE2e(name: string, url: () => string, databaseName: string): void {
  describe(name, () => {
    let p: TempProject;
    const run = (...args: string[]) => runInProcess(p.dir, args);
    const ok = (...args: string[]) => okInProcess(p.dir, args);
    beforeAll(async () => {
      p = new TempProject([], { config: config(url()) });
      p.write('models.ts', UNIQUE_MODELS);
      await ok('init', '--multidb');
      await ok('upgrade'); // the version table (and the SQLite file)
      const create = dialectOf(url()) === 'postgres' ? 'CREATE UNIQUE INDEX ON event (code)' : `CREATE UNIQUE INDEX ${databaseName} ON event (code)`;
      await queryUrl(url(), 'CREATE TABLE event (id integer PRIMARY KEY, code varchar(20))', [], { baseDir: p.dir, write: true });
      await queryUrl(url(), create, [], { baseDir: p.dir, write: true });
      expect(await indexes(url(), p.dir)).toEqual([`${databaseName}(code)`]);
    });
    afterAll(() => p?.remove());

    it('writes renameIndex to the models\' name; upgrade renames it, check is clean, downgrade gives the old name back', async () => {
      const out = await ok('migrate', '-m', 'name the unique index');
      expect(out.stderr).toContain(`[app] Detected renamed index '${databaseName}' to 'ix_event_code' on 'event'`);
      expect(out.stderr).not.toMatch(/Detected (added|removed)/);
      await ok('upgrade');
      expect(await indexes(url(), p.dir)).toEqual(['ix_event_code(code)']);
      const check = await run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      await ok('downgrade', 'app');
      expect(await indexes(url(), p.dir)).toEqual([`${databaseName}(code)`]);
      await expect(queryUrl(url(), "INSERT INTO event (id, code) VALUES (1, 'x'), (2, 'x')", [], { baseDir: p.dir, write: true })).rejects.toThrow(/unique|duplicate/i);
    });
  });
}

renameUniqueIndexE2e('a unique index the database named, on SQLite', () => 'sqlite:.data/app.db', 'event_code_uniq');

describeWithServers('a unique index the database named, on PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('autogenerate_rename_unique_index', { pg: 'postgres' });
  renameUniqueIndexE2e('PostgreSQL', () => dbs.pg.url, 'event_code_idx');
});
