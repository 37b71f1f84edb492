// `migrate migrate` over several binds writes every branch's revision or none: a bind that fails
// (a model that cannot be rendered, a rename nobody decided) must not leave the binds before it
// with a revision written, which would refuse the next run ("Target database is not up to date").
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteModelsConfig, TempProject } from '../support/project.js';

const CONFIG = sqliteModelsConfig({ first: './first-models.ts', second: './second-models.ts' });

const models = (table: string, extra = '') =>
  `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: '${table}', columns: [{ name: 'id', type: 'integer', primaryKey: true }${extra}] }] });\n`;

describe('migrate migrate over several binds: every revision or none', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  it('a bind whose revision cannot be written leaves no revision for the binds compared before it; fixed, the same command writes both', async () => {
    p = new TempProject([], { config: CONFIG });
    expect((await p.run('init', '--multidb')).code).toBe(0);
    p.write('first-models.ts', models('alpha'));
    // A column key the revision renderer has no argument for: comparing works, rendering fails.
    p.write('second-models.ts', models('beta', `, { name: 'n', type: 'integer', serverDefault: '0' } as never`));
    const failed = await p.run('migrate', '-m', 'initial');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/serverDefault/);
    expect(p.versions('first')).toEqual([]);
    expect(p.versions('second')).toEqual([]);

    p.write('second-models.ts', models('beta', `, { name: 'n', type: 'integer' }`));
    const again = await p.run('migrate', '-m', 'initial');
    expect(again.stderr).not.toMatch(/not up to date/);
    expect(again.code).toBe(0);
    expect(p.versions('first')).toHaveLength(1);
    expect(p.versions('second')).toHaveLength(1);
    expect(existsSync(join(p.dir, 'migrations', 'versions', 'first', p.versions('first')[0]!))).toBe(true);
  });

  // --rev-id names one revision: it was left out without a word when more than one bind was
  // selected (every bind, by default), even when only one of them differed.
  it('--rev-id: refused, nothing written, when several binds differ; used when one does, without --bind', async () => {
    p = new TempProject([], { config: CONFIG });
    expect((await p.run('init', '--multidb')).code).toBe(0);
    p.write('first-models.ts', models('alpha'));
    p.write('second-models.ts', models('beta'));
    const refused = await p.run('migrate', '-m', 'initial', '--rev-id', 'initial_1');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(
      "ERROR: --rev-id 'initial_1' names one revision, but 2 binds' models differ from their databases (first, second): it needs a bind: name one of first, second (e.g. '--bind first').",
    );
    expect(p.versions('first')).toEqual([]);
    expect(p.versions('second')).toEqual([]);

    expect((await p.run('migrate', '-m', 'first only', '--rev-id', 'first_1', '--bind', 'first')).code).toBe(0);
    expect(p.versions('first')).toEqual(['first_1_first_only.ts']);
    await p.ok('upgrade', 'first');
    // Only second differs now: the id is used, without --bind.
    const one = await p.run('migrate', '-m', 'second only', '--rev-id', 'second_1');
    expect(one.code, one.stderr).toBe(0);
    expect(p.versions('second')).toEqual(['second_1_second_only.ts']);
  });
});
