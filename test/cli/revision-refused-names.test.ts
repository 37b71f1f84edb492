// `revision` and `merge` with a `--rev-id` or `--branch-label` that the repository would refuse
// once the file exists (a reserved word, a label taken or malformed, an id equal to a label, an
// id declared already): the command fails with one line naming the value, writes no file, and
// every command still reads the repository afterwards. Before, the file was written and every
// later command failed on it until it was deleted by hand. Binds with unusual but valid names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { TempProject } from '../support/project.js';

describe('revision and merge refuse names the repository would refuse, and write nothing', () => {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: { Main: { url: 'sqlite:.data/main.db' }, _x: { url: 'sqlite:.data/x.db' }, 'tenant-01': { url: 'sqlite:.data/t 01.db' } } });\n`,
  });
  afterAll(() => p.remove());
  const run = (...args: string[]) => runInProcess(p.dir, args);
  /** Every file under versions/, to compare before and after a refused command. */
  const files = () => p.files('migrations/versions');
  let main = '';
  let x = '';

  beforeAll(async () => {
    const init = await run('init', '--multidb');
    expect(init.code, init.stderr).toBe(0);
    main = (await p.revision('-m', 'main root', '--bind', 'Main', '--rev-id', 'A_b_1')).id;
    x = (await p.revision('-m', 'x root', '--bind', '_x')).id;
    // Two heads on _x, for merge.
    await p.revision('-m', 'x left', '--bind', '_x', '--rev-id', 'x_left');
    await p.revision('-m', 'x right', '--head', x, '--splice', '--rev-id', 'x_right');
  }, 120_000);

  // [case, arguments, exit code (2: a reserved word, a usage error), the error]
  const refused: [string, string[], number, RegExp][] = [
    ['a reserved word as id', ['--rev-id', 'head'], 2, /argument 'head' is invalid. 'head' is a reserved word/],
    ['another reserved word as id', ['--rev-id', 'current'], 2, /argument 'current' is invalid. 'current' is a reserved word/],
    ['a branch label as id', ['--rev-id', 'Main'], 1, /Revision id 'Main' is the branch label of revision 'A_b_1'/],
    ['a reserved word as label', ['--branch-label', 'heads'], 1, /Branch label 'heads' is not allowed/],
    ['a label with a space', ['--branch-label', 'x y'], 1, /Branch label 'x y' is not allowed/],
    ['a label with a non-ASCII letter', ['--branch-label', 'café'], 1, /Branch label 'café' is not allowed/],
    ['an empty label', ['--branch-label', ''], 1, /Branch label '' is not allowed/],
    ["another branch's name and label as label", ['--branch-label', 'Main'], 1, /Branch label 'Main' is already carried by revision 'A_b_1'/],
    ['a revision id as label', ['--branch-label', 'A_b_1'], 1, /Branch label 'A_b_1' is the id of revision 'A_b_1'/],
    ['its own id as label', ['--rev-id', 'same_1', '--branch-label', 'same_1'], 1, /Branch label 'same_1' is the new revision's own id/],
  ];

  for (const [name, args, code, why] of refused) {
    it(`revision with ${name}: one error line, no file, the repository still reads`, async () => {
      const before = files();
      const out = await run('revision', '-m', 'refused', '--bind', 'tenant-01', ...args);
      expect(out.code, out.stderr).toBe(code);
      expect(out.stderr).toMatch(/^ERROR: /);
      expect(out.stderr).toMatch(why);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(files()).toEqual(before);
      const heads = await run('heads');
      expect(heads.code, heads.stderr).toBe(0);
    });
  }

  it('merge with a reserved word or a taken id as --rev-id: refused, no file', async () => {
    const before = files();
    for (const [id, code, why] of [
      ['base', 2, /argument 'base' is invalid. 'base' is a reserved word/],
      [main, 1, /Revision id 'A_b_1' already exists/],
      ['_x', 1, /Revision id '_x' is the branch label of revision/],
    ] as const) {
      const out = await run('merge', 'heads', '--bind', '_x', '-m', 'join', '--rev-id', id);
      expect(out.code, out.stderr).toBe(code);
      expect(out.stderr).toMatch(why);
      expect(files()).toEqual(before);
    }
    expect((await run('heads')).code).toBe(0);
  });

  it('labels with dots and dashes are valid and written, and name the revision as targets', async () => {
    const dotted = await p.revision('-m', 'dotted', '--bind', 'tenant-01', '--branch-label', 'eu.west', '--branch-label', 'tenant-01-extra');
    expect(p.read(dotted.file)).toContain(`export const branchLabels = ['tenant-01', 'eu.west', 'tenant-01-extra'];`);
    const show = await run('show', 'eu.west');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`Rev: ${dotted.id}`);
  });
});
