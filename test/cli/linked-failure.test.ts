// A revision that fails in a run without --concurrency names the binds the run did not reach and,
// when one of them has a step that does not wait on the failure, says that '--concurrency N' goes
// on past a failing bind. Binds linked by depends-on (one group) run together: a step of the other
// bind that depends on the failed revision would not run with --concurrency either, so the message
// said it for nothing (bb's root depends on aa's root, aa1 fails: 'not run (the run stopped
// here): bb; '--concurrency N' goes on past a failing bind.'). A step of theirs that does not wait
// on it does run with --concurrency (aa2 fails, bb1 depends only on aa1), as do the binds of
// another group (cc). SQLite, through the built `migrate` binary.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const GOES_ON = "; '--concurrency N' goes on past a failing bind";

describe('a failing revision in binds linked by depends-on, without --concurrency', () => {
  let p: TempProject;
  /** Makes revision `id` throw at its next upgrade. */
  const failing = (id: string) => writeFileSync(join(p.dir, 'fail'), id);
  const errorLine = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('ERROR: '));

  beforeAll(() => {
    p = new TempProject(['aa', 'bb', 'cc']);
    const revision = (bind: string, id: string, downRevision: string | null, dependsOn: string[] = []) =>
      p.write(
        `migrations/versions/${bind}/${id}_t.ts`,
        revisionSource({
          revision: id,
          downRevision,
          branchLabels: downRevision === null ? [bind] : [],
          dependsOn,
          extra: "import { readFileSync } from 'node:fs';\n",
          upgrade: `if (readFileSync(new URL('../../../fail', import.meta.url), 'utf8') === revision) throw new Error(\`\${revision} fails\`);\n  await op.createTable('t_${id}', [{ name: 'id', type: 'integer' }]);`,
        }),
      );
    revision('aa', 'aa1', null);
    revision('aa', 'aa2', 'aa1');
    revision('bb', 'bb1', null, ['aa1']);
    revision('cc', 'cc1', null);
  });
  beforeEach(() => rmSync(join(p.dir, '.data'), { recursive: true, force: true }));
  afterAll(() => p?.remove());

  it("does not send to --concurrency when every step of the binds left waits on the failed revision (it would not run them either)", async () => {
    failing('aa1');
    const out = await p.run('upgrade', 'aa', 'bb');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    const error = errorLine(out.stderr)!;
    expect(error).toMatch(/^ERROR: \[aa\] revision aa1 failed: aa1 fails; file: .*; rolled back; 'aa' stays at <base>\. not run \(the run stopped here\): bb\.$/);
    // What --concurrency does there: bb1 waits on aa1, and is not run either.
    const concurrent = await p.run('upgrade', '--concurrency', '2', 'aa', 'bb');
    expect(concurrent.code, concurrent.stdout + concurrent.stderr).toBe(1);
    expect(concurrent.stderr).toMatch(/^Not run \(waiting on a failed bind\): .*\[bb\] bb1$/m);
    expect(p.versionsApplied('aa')).toEqual([]);
    expect(p.versionsApplied('bb')).toEqual([]);
  });

  it('sends to --concurrency when a bind left has a step that does not wait on the failed revision, which --concurrency then runs', async () => {
    failing('aa2');
    const out = await p.run('upgrade', 'aa', 'bb');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(errorLine(out.stderr)).toMatch(new RegExp(`^ERROR: \\[aa\\] revision aa2 failed: aa2 fails; file: .*; rolled back; 'aa' stays at aa1\\. not run \\(the run stopped here\\): bb${GOES_ON}\\.$`));
    expect(p.versionsApplied('bb')).toEqual([]);
    const concurrent = await p.run('upgrade', '--concurrency', '2', 'aa', 'bb');
    expect(concurrent.code, concurrent.stdout + concurrent.stderr).toBe(1);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
    expect(p.versionsApplied('bb')).toEqual(['bb1']);
  });

  it('sends to --concurrency when the binds left include those of another group', async () => {
    failing('aa1');
    const out = await p.run('upgrade');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(errorLine(out.stderr)).toMatch(new RegExp(`^ERROR: \\[aa\\] revision aa1 failed: aa1 fails; .* not run \\(the run stopped here\\): bb, cc${GOES_ON}\\.$`));
    const json = await p.run('upgrade', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'MIGRATION', bind: 'aa', notRun: ['bb', 'cc'] } });
  });
});
