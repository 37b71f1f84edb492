// A bind given the application's own Kysely instance with `CamelCasePlugin`: its `op.db` keeps the
// plugin, so it takes camelCase names (`firstName` for the column `first_name`). `codegen` sees the
// plugin on the instance (its executor's plugins) and writes camelCase names in the types, so a
// revision typed with them compiles and one that uses the snake_case name does not. A real SQLite
// file; the revisions are compiled with the TypeScript compiler against the built @multidb/core.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { codegen, CodegenError, generateBindTypes } from '@multidb/autogenerate';
import { loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';

/** Inside the checkout (its `tmp/` is ignored), so the revisions resolve `@multidb/core` and `kysely`. */
const TMP = fileURLToPath(new URL('../../tmp/', import.meta.url));

/** A revision of bind `app` typed with its generated `DB`, whose upgrade is `body`. */
const revision = (body: string) =>
  `import type { Operations } from '@multidb/core';\n` +
  `import type { DB } from './types/app.js';\n` +
  `export async function upgrade(op: Operations<DB>): Promise<void> {\n  ${body}\n}\n`;

/** The errors of each file, as `line: message`. */
function compile(dir: string, names: readonly string[]): Map<string, string[]> {
  const files = names.map((n) => join(dir, n));
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [], skipLibCheck: true };
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const d of ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: files, options }))) {
    const name = d.file ? names[files.indexOf(d.file.fileName)] : undefined;
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const text = `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    if (name === undefined) throw new Error(`unexpected diagnostic outside the revisions: ${text}`);
    out.get(name)!.push(text);
  }
  return out;
}

describe("codegen of a bind whose Kysely instance has CamelCasePlugin writes the names its op.db takes", () => {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'codegen-camel-'));
  const file = join(dir, 'app.db');
  const sqlite = new Database(file);
  sqlite.exec('CREATE TABLE user_account (account_id integer PRIMARY KEY, first_name varchar(40) NOT NULL, last_login_at text)');
  sqlite.exec("INSERT INTO user_account (account_id, first_name) VALUES (1, 'ada')");
  const app = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
  let env: MigrationEnvironment | undefined;
  afterAll(async () => {
    await env?.close();
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the types name the table userAccount and the column firstName; a revision using them compiles, one using first_name does not', async () => {
    env = await loadEnvironment({
      dialects,
      cwd: dir,
      baseDir: dir,
      configObject: { directory: 'migrations', binds: { app: { kysely: app, dialect: 'sqlite', types: './types/app.ts' } } },
    });
    const [result] = await codegen(env);
    expect(result).toMatchObject({ bind: 'app', outcome: 'written' });
    const types = readFileSync(join(dir, 'types/app.ts'), 'utf8');
    expect(types).toContain('export interface UserAccount {\n  accountId: Generated<number | null>;\n  firstName: string;\n  lastLoginAt: string | null;\n}');
    expect(types).toContain('userAccount: UserAccount;');
    expect(types).not.toContain('first_name');

    writeFileSync(join(dir, 'camel.ts'), revision(`await op.db.updateTable('userAccount').set({ firstName: 'Ada', lastLoginAt: null }).where('accountId', '=', 1).execute();`));
    writeFileSync(join(dir, 'snake.ts'), revision(`await op.db.updateTable('user_account').set({ first_name: 'Ada' }).execute(); // error`));
    const errors = compile(dir, ['camel.ts', 'snake.ts']);
    expect(errors.get('camel.ts')).toEqual([]);
    expect(errors.get('snake.ts')!.join('\n')).toMatch(/^4: .*user_account/);

    // What the typed revision says is what the plugin's Kysely runs against the snake_case table.
    await app.updateTable('userAccount').set({ firstName: 'Ada' }).where('accountId', '=', 1).execute();
    expect(sqlite.prepare('SELECT first_name FROM user_account').all()).toEqual([{ first_name: 'Ada' }]);
  });
});

// A CamelCasePlugin whose options change names (`upperCase`: an all-uppercase `LAST_NAME` is
// `lastName` to it, `LASTNAME` to kysely-codegen's camelCase), or a subclass mapping names its own
// way, would get types naming columns otherwise than its op.db: codegen refuses the bind, naming
// the name and both spellings, and writes no types file. The same table with a plain
// CamelCasePlugin is generated (so the refusal is the options', not the table's).
describe('codegen of a bind whose CamelCasePlugin changes names refuses it, naming the name that would differ', () => {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'codegen-camel-opts-'));
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of open) await o.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A project of one bind `app` on its own SQLite file, given a Kysely instance with `plugin`. */
  async function project(name: string, plugin: CamelCasePlugin): Promise<{ env: MigrationEnvironment; dir: string }> {
    const root = join(dir, name);
    mkdirSync(root);
    const sqlite = new Database(join(root, 'app.db'));
    sqlite.exec('CREATE TABLE customer (customer_id integer PRIMARY KEY, LAST_NAME varchar(40) NOT NULL)');
    const app = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [plugin] });
    const env = await loadEnvironment({ dialects, cwd: root, baseDir: root, configObject: { directory: 'migrations', binds: { app: { kysely: app, dialect: 'sqlite', types: './types/app.ts' } } } });
    open.push({
      close: async () => {
        await env.close();
        await app.destroy();
      },
    });
    return { env, dir: root };
  }

  it.each([
    ['upperCase', new CamelCasePlugin({ upperCase: true }), 'lastName', '{"upperCase":true}'],
    [
      'a subclass of its own',
      new (class LowerCasePlugin extends CamelCasePlugin {
        override camelCase(name: string): string {
          return name.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase());
        }
      })(),
      'lastName',
      '{}',
    ],
  ] as const)('%s: the bind is an error naming LAST_NAME, its own spelling and LASTNAME; no types file', async (name, plugin, own, options) => {
    const { env, dir: root } = await project(name.replace(/\W+/g, '-'), plugin);
    const reason =
      `[app] the CamelCasePlugin of binds.app.kysely maps 'LAST_NAME' to '${own}', but kysely-codegen's camelCase writes 'LASTNAME' ` +
      `(plugin options ${options}): use a CamelCasePlugin without options that change names, or write the types yourself.`;
    expect(await codegen(env)).toEqual([{ bind: 'app', file: join(root, 'types/app.ts'), outcome: 'error', reason, code: 'CONFIG' }]);
    expect(existsSync(join(root, 'types'))).toBe(false);
    const error = await generateBindTypes(env, 'app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect(error).toMatchObject({ bind: 'app', message: reason });
  });

  it('the same table with a CamelCasePlugin without options is generated: LASTNAME, as both spell it', async () => {
    const { env, dir: root } = await project('plain', new CamelCasePlugin());
    expect((await codegen(env)).map((r) => r.outcome)).toEqual(['written']);
    expect(readFileSync(join(root, 'types/app.ts'), 'utf8')).toContain('export interface Customer {\n  customerId: Generated<number | null>;\n  LASTNAME: string;\n}');
  });
});
