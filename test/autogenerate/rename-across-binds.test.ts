// A `--rename` given to `migrate migrate` goes to every bind of the run. It matches a candidate in
// one bind (db2 has txn.note, its models txn.memo) and none in the others: that is no reason to
// warn. Only a decision no bind matched gets a warning: one, without a bind prefix, naming the
// binds searched. Undecided candidates in several binds are all named by one refusal (it used to
// stop at the first bind, so a run per bind was needed to learn them all), and nothing is written.
// Three SQLite binds, each with its own models; `main` runs in this process.
import { main } from '@multidb/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteModelsConfig, TempProject } from '../support/project.js';

const CONFIG = sqliteModelsConfig({ default: './models/default.ts', analytics: './models/analytics.ts', db2: './models/db2.ts' });

function models(table: string, column: string): string {
  return (
    `import { defineModels } from '@multidb/core';\n` +
    `export default defineModels({ tables: [{ name: '${table}', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: '${column}', type: 'text' }] }] });\n`
  );
}

async function migrate(p: TempProject, ...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd: p.dir, output: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) } });
  return { code, stdout, stderr };
}

describe('--rename across the binds of one run', () => {
  const p = new TempProject([], { config: CONFIG });
  afterAll(() => p.remove());
  beforeAll(async () => {
    p.write('models/default.ts', models('account', 'name'));
    p.write('models/analytics.ts', models('event', 'kind'));
    p.write('models/db2.ts', models('txn', 'note'));
    expect((await migrate(p, 'init', '--multidb')).code).toBe(0);
    const first = await migrate(p, 'migrate', '-m', 'first');
    expect(first.code, first.stderr.join('\n')).toBe(0);
    expect((await migrate(p, 'upgrade')).code).toBe(0);
    p.write('models/db2.ts', models('txn', 'memo'));
  });

  it('renames in the bind it matches and warns about no bind', async () => {
    const out = await migrate(p, 'migrate', '-m', 'second', '--rename', 'txn.note=txn.memo');
    expect(out.code, out.stderr.join('\n')).toBe(0);
    expect(out.stderr).toContain("[db2] Detected renamed column 'txn.note' to 'txn.memo'");
    expect(out.stderr.filter((l) => l.includes('WARNING'))).toEqual([]);
  });

  it('warns once about a decision no bind matched, naming the binds searched', async () => {
    expect((await migrate(p, 'upgrade')).code).toBe(0);
    const out = await migrate(p, 'migrate', '-m', 'third', '--rename', 'txn.memo=txn.body', '--no-rename', 'event.kind=event.sort');
    expect(out.code, out.stderr.join('\n')).toBe(0);
    expect(out.stderr.filter((l) => l.includes('WARNING'))).toEqual([
      'WARNING: --rename txn.memo=txn.body matches no rename candidate in binds default, analytics, db2; ignored.',
      'WARNING: --no-rename event.kind=event.sort matches no rename candidate in binds default, analytics, db2; ignored.',
    ]);
  });

  it('names the undecided renames of every bind in one refusal, writing nothing', async () => {
    expect((await migrate(p, 'upgrade')).code).toBe(0);
    p.write('models/default.ts', models('account', 'full_name'));
    p.write('models/analytics.ts', models('event', 'category'));
    const before = p.files('migrations/versions');
    const out = await migrate(p, 'migrate', '-m', 'fourth');
    expect(out.code).toBe(1);
    expect(out.stderr).toEqual([
      'ERROR: 2 tables or columns in binds default, analytics look renamed: the database has one the models lack, and the models one of the same shape the database lacks. ' +
        "Say for each whether it is a rename (or drop the old one and add the new one): [default] column 'account.name' -> 'account.full_name': " +
        '--rename account.name=account.full_name  or  --no-rename account.name=account.full_name; ' +
        "[analytics] column 'event.kind' -> 'event.category': --rename event.kind=event.category  or  --no-rename event.kind=event.category",
    ]);
    expect(p.files('migrations/versions')).toEqual(before);
    // One decision each, given together, is all it takes.
    const decided = await migrate(p, 'migrate', '-m', 'fourth', '--rename', 'account.name=account.full_name', '--no-rename', 'event.kind=event.category');
    expect(decided.code, decided.stderr.join('\n')).toBe(0);
    expect(decided.stderr).toContain("[default] Detected renamed column 'account.name' to 'account.full_name'");
    expect(decided.stderr).toContain("[analytics] Detected removed column 'event.kind'");
  });
});
