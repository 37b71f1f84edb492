// `migrate check` and a possible table rename (a table dropped from the models, a table of the
// same shape added), with `autogenerate.dropUnmodeledTables` off and on. A candidate is a
// candidate either way: `migrate migrate` refuses until it is decided, and `--no-rename` writes an
// add (and, with dropUnmodeledTables only, a drop; off, the old table is left alone). Was: check
// counted the candidate as not a rename without saying so, so with the setting off it reported
// only the added table, nothing naming the candidate, and said "run 'migrate migrate'", which
// then refused. Now check's changes are exactly what `migrate migrate --no-rename` detects, and a
// warning (and `renameCandidates` in --json) names the candidate with the decisions to type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckJson } from '@multidb/cli';
import { InProcessProject } from '../support/in-process-project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const models = (table: string) =>
  `import { defineModels } from '@multidb/core';\n` +
  `export default defineModels({ tables: [{ name: '${table}', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'text' }] }] });\n`;
const config = (dropUnmodeledTables: boolean) =>
  `import { defineConfig } from '@multidb/core';\n` +
  `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
  `    app: { url: 'sqlite:.data/app.db', models: './models/app.ts', autogenerate: { dropUnmodeledTables: ${dropUnmodeledTables} } },\n` +
  `  },\n});\n`;
const CANDIDATE = "table 'users' -> 'members': --rename users=members  or  --no-rename users=members";
const POSSIBLE = `[app] WARNING: Possible rename, counted as not one (what 'migrate migrate --no-rename' writes); 'migrate migrate' needs a decision: ${CANDIDATE}`;
const LEFT_ALONE = "[app] WARNING: Table 'users' is in the database but not in the models; left alone (set autogenerate.dropUnmodeledTables to drop it)";

describe.each([
  { dropUnmodeledTables: false, detected: ["[app] Detected added table 'members'"], leftAlone: [LEFT_ALONE] },
  { dropUnmodeledTables: true, detected: ["[app] Detected added table 'members'", "[app] Detected removed table 'users'"], leftAlone: [] },
])('check with a table rename candidate, dropUnmodeledTables $dropUnmodeledTables', ({ dropUnmodeledTables, detected, leftAlone }) => {
  const p = new InProcessProject([], { config: config(dropUnmodeledTables) });
  afterAll(() => p.remove());

  beforeAll(async () => {
    await p.ok('init');
    p.write('models/app.ts', models('users'));
    await p.ok('migrate', '-m', 'users');
    await p.ok('upgrade');
    p.write('models/app.ts', models('members'));
  });

  it('reports what migrate --no-rename would detect, and names the candidate with the decisions migrate needs (exit 4)', async () => {
    const out = await p.run('check');
    expect(out.code, out.stderr).toBe(4);
    expect(lines(out.stdout)).toEqual(detected);
    expect(lines(out.stderr)).toEqual([POSSIBLE, ...leftAlone, "Differences found in app: run 'migrate migrate -m <message>' to write a revision."]);
  });

  it('--json: the same changes, the warning, and renameCandidates', async () => {
    const out = await p.run('check', '--json');
    expect(out.code, out.stderr).toBe(4);
    const [app] = (JSON.parse(out.stdout) as CheckJson).binds;
    expect(app!.changes.map((c) => `[app] ${c.line}`)).toEqual(detected);
    expect(app!.warnings.map((w) => `[app] WARNING: ${w}`)).toEqual([POSSIBLE, ...leftAlone]);
    expect(app!.renameCandidates).toEqual([{ kind: 'table', table: 'users', newName: 'members', argument: 'users=members' }]);
  });

  it('migrate without a decision refuses naming the same candidate; with --no-rename it writes what check reported', async () => {
    const refused = await p.run('migrate', '-m', 'members');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(CANDIDATE);
    expect(p.versions('app')).toHaveLength(1);

    const written = await p.ok('migrate', '-m', 'members', '--no-rename', 'users=members');
    expect(lines(written.stderr).filter((l) => l.includes('Detected'))).toEqual(detected);
    expect(p.versions('app')).toHaveLength(2);
    await p.ok('upgrade');
    expect(p.tables('app')).toEqual(['members', 'multidb_version', ...(dropUnmodeledTables ? [] : ['users'])]);
    // Decided and applied: no candidate is left, as migrate finds none either.
    const again = await p.run('check');
    expect(again.stderr).not.toContain('Possible rename');
    if (!dropUnmodeledTables) expect(lines(again.stderr)).toEqual([LEFT_ALONE]);
    expect(again.code, again.stderr).toBe(0);
  });
});
