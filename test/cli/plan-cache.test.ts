// A run's revisions, once seen, are compiled as one script from a code cache of the whole plan
// (core's ModuleEvaluator.precompile; issue #13, P3): stored by the plan's second run, used by
// the next. What a user sees must not change with it: every revision applied, an edited revision
// run as it is now, and a revision that throws named with its own file and line (the error's
// `file:` line, and the stack under `--raiseerr`), never the plan script's.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, lineOf } from '../faults/faults-support.js';
import { runMigrate, TempProject } from '../support/project.js';

const COUNT = 12;
const rev = (i: number): string => `ab${String(i).padStart(2, '0')}`;

describe('a plan compiled as one script from its code cache', () => {
  let p: TempProject;
  let cacheDir: string;
  const files: string[] = [];
  const plans = (): string[] => readdirSync(cacheDir).filter((f) => /^plan-.*\.tcp$/.test(f));

  beforeAll(async () => {
    p = new TempProject(['default']);
    mkdirSync(join(p.dir, 'node_modules')); // the cache folder: node_modules/.cache/multidb
    cacheDir = join(p.dir, 'node_modules', '.cache', 'multidb');
    for (let i = 0; i < COUNT; i++) {
      files.push(
        addRevision(p, 'default', {
          revision: rev(i),
          downRevision: i === 0 ? null : rev(i - 1),
          message: `step ${i}`,
          upgrade: `await op.createTable('t${i}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  if (${i} === 9 && process.env.FAIL_AT_9 === '1') throw new Error('step 9 refused');`,
          downgrade: `await op.dropTable('t${i}');`,
        }),
      );
    }
    // A file is trusted by its stamp only once it is 2 s old (see core's fileStamp).
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });
  afterAll(() => p.remove());

  it('is stored by the second run of a plan and used by the third; every revision applies; a throw names its own file and line', async () => {
    await p.ok('upgrade'); // first sight: transforms stored
    await p.ok('downgrade', 'base');
    expect(plans()).toHaveLength(1); // the downgrade's plan (the upgrade's modules were all known)
    await p.ok('upgrade');
    expect(plans()).toHaveLength(2);
    expect((await p.ok('current')).stdout).toContain(rev(COUNT - 1));
    await p.ok('downgrade', 'base');
    expect(plans()).toHaveLength(2); // both plans read, none written

    const failed = await runMigrate(p.dir, ['upgrade', '--raiseerr'], { FAIL_AT_9: '1' });
    expect(failed.code).toBe(1);
    const path = join(p.dir, files[9]!);
    const line = lineOf(p, files[9]!, 'step 9 refused');
    expect(failed.stderr).toContain(`revision ${rev(9)} failed: step 9 refused`);
    expect(failed.stderr).toContain(`file: ${path}:${line}`);
    expect(failed.stderr).toMatch(new RegExp(`Caused by: Error: step 9 refused\\n\\s+at .*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+`));
    expect(failed.stderr).not.toContain('multidb-plan-');
    expect(plans()).toHaveLength(2); // the plan was used, not rewritten
    expect((await p.ok('current')).stdout).toContain(rev(8));

    // An edited revision runs as it is now (another plan; its files' stamps changed).
    p.write(files[3]!, p.read(files[3]!).replace("createTable('t3'", "createTable('t3_edited'"));
    await p.ok('downgrade', 'base');
    await p.ok('upgrade');
    const tables = p.query<{ name: string }>('default', "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name").map((t) => t.name);
    expect(tables).toEqual(['t0', 't1', 't10', 't11', 't2', 't3_edited', 't4', 't5', 't6', 't7', 't8', 't9']);
  });
});
