// Files in a versions folder that are not quite revisions, through `migrate` (run in this process,
// InProcessProject): a helper module without headers is skipped and a revision file named after
// another id is read by its header, each with a `WARNING:` line on stderr, once per command; a
// file with some headers but not the required ones stays an error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { InProcessProject } from '../support/in-process-project.js';
import { type RunOutput } from '../support/project.js';

const warnings = (out: RunOutput) => out.stderr.split('\n').filter((l) => l.startsWith('WARNING:'));

describe('warnings about the repository', () => {
  let p: InProcessProject;
  let helper: string;
  let misnamed: string;

  beforeEach(() => {
    p = new InProcessProject(['default']);
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one', upgrade: `await op.createTable('one', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    // A revision whose file name says another id.
    misnamed = `${p.dir}/${addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'second', file: 'ff99_second.ts' })}`;
    // A helper module the revisions could import.
    helper = p.write('migrations/versions/default/helpers.ts', "export const TABLE = 'one';\nexport function rows(n: number): number[] { return Array.from({ length: n }, (_, i) => i); }\n");
  });
  afterEach(() => p.remove());

  const EXPECTED = () => [
    `WARNING: ${misnamed} declares revision 'aa02', but its name says 'ff99'; rename it to aa02_second.ts (or fix its header) so that the file and the revision agree.`,
    `WARNING: ${helper} exports none of the revision headers (revision, downRevision, branchLabels, dependsOn, message, createDate), so it is not a revision: skipped. Move helper modules out of the versions folder.`,
  ];

  it('every command works and prints each warning once on stderr, nothing of it on stdout', async () => {
    for (const args of [['history'], ['heads'], ['show', 'aa02'], ['status'], ['upgrade'], ['current'], ['downgrade', 'default']]) {
      const out = await p.ok(...args);
      expect(warnings(out), `migrate ${args.join(' ')}\n${out.stderr}`).toEqual(EXPECTED());
      expect(out.stdout).not.toContain('WARNING');
    }
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    expect((await p.ok('history')).stdout).toMatch(/aa01 -> aa02 \(default\) \(head\), second/);
  });

  it('revision writes the next revision after the right head, and warns once', async () => {
    p.write(
      'migrations/script.ts.tmpl',
      [
        'export const revision = ${revision};',
        'export const downRevision = ${downRevision};',
        'export const branchLabels = ${branchLabels};',
        'export const dependsOn = ${dependsOn};',
        'export const message = ${message};',
        'export const createDate = ${createDate};',
        'export async function upgrade(): Promise<void> {}',
        'export async function downgrade(): Promise<void> {}',
        '',
      ].join('\n'),
    );
    const out = await p.ok('revision', '-m', 'third', '--rev-id', 'aa03');
    expect(warnings(out)).toEqual(EXPECTED());
    expect(p.read('migrations/versions/default/aa03_third.ts')).toContain("export const downRevision = 'aa02';");
    expect((await p.ok('heads')).stdout).toMatch(/aa03 \(default\) \(head\)/);
  });

  it('a command that fails warns first, and the error stays the last line', async () => {
    const out = await p.run('upgrade', 'nope');
    expectOneLineError(out, ["'nope'"]);
    expect(warnings(out)).toEqual(EXPECTED());
  });

  it('a file with some headers but not the required ones stays an error naming it', async () => {
    const partial = p.write('migrations/versions/default/partial.ts', "export const message = 'half a header';\nexport const downRevision = 'aa01';\n");
    for (const args of [['history'], ['upgrade']]) expectOneLineError(await p.run(...args), [partial, 'revision']);
  });
});
