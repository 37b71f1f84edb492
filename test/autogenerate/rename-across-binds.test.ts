// A `--rename` given to `migrate migrate` goes to every bind of the run. It matches a candidate in
// one bind (db2 has txn.note, its models txn.memo) and none in the others: that is no reason to
// warn. Only a decision no bind matched gets a warning: one, without a bind prefix, naming the
// binds searched. Three SQLite binds, each with its own models; `main` runs in this process.
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
});
