import { describe, expect, it } from 'vitest';
import { InterruptedError, LockTimeoutError, MigrationError, RunError } from '@multidb/core';
import { COMMANDS, commandToRun, formatError, formatInterrupted, formatRunError, main } from './main.js';
import { MaskingOutput, type Output } from './output.js';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('formatError', () => {
  it('prints one ERROR line with newlines folded and the password masked', () => {
    const error = new MigrationError(
      { bind: 'db2', revision: 'abc', file: '/m/abc.ts', statement: 'INSERT INTO t VALUES (1)' },
      new Error('cannot reach postgres://app:s3cret@127.0.0.1/db'),
    );
    const line = formatError(error, false);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^ERROR: \[db2\] revision abc failed: cannot reach postgres:\/\/app:\*\*\*@127\.0\.0\.1\/db; statement: INSERT INTO t VALUES \(1\); file: \/m\/abc\.ts; /);
    expect(line).not.toContain('s3cret');
  });

  it('adds the masked stack after the line with --raiseerr', () => {
    const error = new Error('bad postgres://u:pw1234@h/d');
    const text = formatError(error, true);
    const [first, ...rest] = text.split('\n');
    expect(first).toBe('ERROR: bad postgres://u:***@h/d');
    expect(rest.join('\n')).toContain('at ');
    expect(text).not.toContain('pw1234');
  });

  it('with --raiseerr, follows the stack with each cause’s, masked', () => {
    const cause = new Error('connect postgres://u:pw1234@h/d refused');
    const error = new MigrationError({ bind: 'db2', revision: 'abc', file: '/m/abc.ts', line: 4 }, cause);
    const text = formatError(error, true);
    expect(text.split('\n')[0]).toContain('file: /m/abc.ts:4');
    const caused = text.slice(text.indexOf('\nCaused by: '));
    expect(caused).toMatch(/^\nCaused by: Error: connect postgres:\/\/u:\*\*\*@h\/d refused\n\s+at /);
    expect(text).not.toContain('pw1234');
    expect(formatError(error, false)).not.toContain('Caused by');
  });

  it('formats non-Error values', () => {
    expect(formatError('plain', false)).toBe('ERROR: plain');
  });
});

describe('MaskingOutput', () => {
  it("masks every URL in a line, and the secrets of the URLs it was given wherever they appear", () => {
    const inner = capture();
    const output = new MaskingOutput(inner);
    output.err('at postgres://u:pw9x@h/db?sslpassword=k3y9 and raw Qx7@p:Vy8/w');
    output.addUrls(['postgres://u:Qx7@p:Vy8/w@h/db', undefined, 'mysql://r@h/db?password=z9z9']);
    output.out('config postgres://u:Qx7@p:Vy8/w@h/db; driver said Qx7@p:Vy8/w; z9z9 rejected');
    expect(inner.stderr).toEqual(['at postgres://u:***@h/db?sslpassword=*** and raw Qx7@p:Vy8/w']);
    expect(inner.stdout).toEqual(['config <unparsable postgres URL>; driver said ***; *** rejected']);
  });
});

describe('main', () => {
  it('prints help and exits 0 with no arguments', async () => {
    const output = capture();
    expect(await main([], { output })).toBe(0);
    expect(output.stdout.join('\n')).toContain('Usage: migrate');
    expect(output.stdout.join('\n')).toMatch(/upgrade \[options\] \[targets\.\.\.\]/);
  });

  it('exits 2 with one ERROR line on an unknown option', async () => {
    const output = capture();
    expect(await main(['upgrade', '--bogus'], { output })).toBe(2);
    expect(output.stderr).toEqual(["ERROR: unknown option '--bogus' (run 'migrate --help' for usage)"]);
  });

  it('exits 2 on a bad --lock-timeout', async () => {
    const output = capture();
    expect(await main(['upgrade', '--lock-timeout', 'soon'], { output })).toBe(2);
    expect(output.stderr.join('\n')).toContain('expected a number of seconds');
  });

  it('exits 1 with a clear line when no config is found', async () => {
    const output = capture();
    expect(await main(['heads'], { output, cwd: '/' })).toBe(1);
    expect(output.stderr).toHaveLength(1);
    expect(output.stderr[0]).toMatch(/^ERROR: No migrate\.config\.ts found in \/ or any parent folder\. Run 'migrate init --multidb'/);
  });

  it('defines every command of its help: the commands it defines alone are those `migrate --help` lists', async () => {
    const output = capture();
    expect(await main(['--help'], { output })).toBe(0);
    const help = output.stdout.join('\n');
    const listed = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed.sort()).toEqual([...COMMANDS].sort());
  });

  it('reads which command runs past the global options and their values', () => {
    expect(commandToRun(['heads'])).toBe('heads');
    expect(commandToRun(['-c', 'heads', 'current', 'db2'])).toBe('current');
    expect(commandToRun(['--config=a.ts', '-x', 'k=v', '--x-arg', 'upgrade', '--raiseerr', '--env-file', 'e', 'upgrade', 'db2'])).toBe('upgrade');
    expect(commandToRun(['-ca.ts', '-xk=v', '--env-file=e', 'show', 'abc'])).toBe('show');
    // commander decides, with every command defined:
    expect(commandToRun([])).toBeUndefined();
    expect(commandToRun(['--help', 'heads'])).toBeUndefined();
    expect(commandToRun(['-V'])).toBeUndefined();
    expect(commandToRun(['--bogus', 'heads'])).toBeUndefined();
    expect(commandToRun(['--', 'heads'])).toBeUndefined();
    expect(commandToRun(['help', 'heads'])).toBeUndefined();
    expect(commandToRun(['hed'])).toBeUndefined();
  });

  it("a command's help and usage errors read as with every command defined", async () => {
    const help = capture();
    expect(await main(['-c', 'x.ts', 'heads', '--help'], { output: help })).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/^Usage: migrate heads \[options\]\n\nshow the head revisions of every branch\n\nOptions:\n {2}-v, --verbose/);
    const typo = capture();
    expect(await main(['hed'], { output: typo })).toBe(2);
    expect(typo.stderr).toEqual(["ERROR: unknown command 'hed'; (Did you mean one of heads, help?) (run 'migrate --help' for usage)"]);
    const help2 = capture();
    expect(await main(['help', 'heads'], { output: help2 })).toBe(0);
    expect(help2.stdout.join('\n')).toBe(help.stdout.join('\n'));
  });

  it('names the bind and the wait in a lock timeout (exit code 3 is checked end to end)', () => {
    expect(new LockTimeoutError('db2', 1000).message).toBe('Timed out after 1 s waiting for the migration lock on db2: another run holds it.');
  });
});

describe('formatInterrupted', () => {
  it('what completed, where each bind stands with what it did not run, the binds not started (20 named, then a count)', () => {
    const tenants = Array.from({ length: 23 }, (_, i) => `t${i + 3}`);
    const error = new InterruptedError({
      reason: 'SIGTERM',
      completed: [{ bind: 't1', revision: 'ab01', direction: 'up', elapsedMs: 1 }],
      pending: [{ bind: 't1', revision: 'ab02' }, { bind: 't1', revision: 'ab03' }],
      heads: new Map([['t1', ['ab01']], ['t2', []]]),
      notStarted: tenants,
    });
    expect(formatInterrupted(error)).toEqual([
      'Interrupted (SIGTERM): stopped after 1 revision.',
      '[t1] at ab01; not run: ab02, ab03',
      '[t2] at <base>',
      `Not started (nothing read or changed there): ${tenants.slice(0, 20).join(', ')} and 3 more`,
      'Run the same command again to go on.',
    ]);
  });

  it("relative targets: not the same command again (it would step again the binds that ran) but the targets that finish what they meant (the error's retry)", () => {
    const fields = {
      reason: 'SIGINT',
      completed: [{ bind: 't1', revision: 'ab01', direction: 'up' as const, elapsedMs: 1 }],
      pending: [{ bind: 't1', revision: 'ab02' }],
      heads: new Map([['t1', ['ab01']]]),
      notStarted: ['t2'],
    };
    const error = new InterruptedError({ ...fields, retry: { command: 'upgrade', relative: ['+2'], targets: ['t1@ab02', 't2@ab02'] } });
    expect(error.retry).toEqual(['t1@ab02', 't2@ab02']);
    expect(formatInterrupted(error).at(-1)).toBe("Running '+2' again would step again the binds that ran; to finish just what it meant, run instead: migrate upgrade t1@ab02 t2@ab02.");
    // A downgrade: one command per bind.
    const down = new InterruptedError({ ...fields, retry: { command: 'downgrade', relative: ['tenant@-2'], targets: ['t1@ab01', 't2@base'] } });
    expect(formatInterrupted(down).at(-1)).toBe("Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, run instead: migrate downgrade t1@ab01; migrate downgrade t2@base.");
    // Nothing left (the signal came during the last revisions): nothing to finish.
    const none = new InterruptedError({ ...fields, pending: [], notStarted: [], retry: { command: 'upgrade', relative: ['+2'], targets: [] } });
    expect(none.retry).toEqual([]);
    expect(formatInterrupted(none).at(-1)).toBe('Nothing was left to run: every bind is at its target.');
  });
});

describe('formatRunError', () => {
  it('prints the steps not run, then one ERROR line per failed bind', () => {
    const failures = [
      new MigrationError({ bind: 'a', revision: 'r1', file: '/m/r1.ts', at: [] }, new Error('boom one')),
      new MigrationError({ bind: 'b', revision: 'r2', file: '/m/r2.ts', at: ['r0'] }, new Error('boom two')),
    ];
    const error = new RunError(failures, [{ bind: 'c', revision: 'r3' }]);
    expect(error.code).toBe('RUN');
    expect(error.message.split('\n')).toEqual([
      '2 binds failed:',
      "  [a] revision r1 failed: boom one; file: /m/r1.ts; rolled back; 'a' stays at <base>.",
      "  [b] revision r2 failed: boom two; file: /m/r2.ts; rolled back; 'b' stays at r0.",
      '  not run (waiting on a failed bind): [c] r3',
    ]);
    expect(formatRunError(error, false)).toEqual([
      'Not run (waiting on a failed bind): [c] r3',
      "ERROR: [a] revision r1 failed: boom one; file: /m/r1.ts; rolled back; 'a' stays at <base>.",
      "ERROR: [b] revision r2 failed: boom two; file: /m/r2.ts; rolled back; 'b' stays at r0.",
    ]);
  });

  it('a run interrupted as well: what the signal left apart from what waits on the failure', () => {
    const failure = new MigrationError({ bind: 'a', revision: 'r1', file: '/m/r1.ts', at: [] }, new Error('boom'));
    const stop = new InterruptedError({ reason: 'SIGINT', pending: [{ bind: 'b', revision: 'r2' }, { bind: 'c', revision: 'r1' }], heads: new Map([['b', ['r1']], ['c', []]]), notStarted: ['t9'] });
    const error = new RunError([failure], [{ bind: 'a', revision: 'r2' }], [], [], [], stop);
    expect(error.message.split('\n').slice(2)).toEqual(['  not run (waiting on a failed bind): [a] r2', '  not run (the run was interrupted): [b] r2, [c] r1', '  not started (the run was interrupted): t9']);
    expect(formatRunError(error, false)).toEqual([
      'Not run (waiting on a failed bind): [a] r2',
      'Not run (the run was interrupted): [b] r2, [c] r1',
      'Not started (the run was interrupted; nothing read or changed there): t9',
      "ERROR: [a] revision r1 failed: boom; file: /m/r1.ts; rolled back; 'a' stays at <base>.",
    ]);
  });

  it('how to finish the run: the same command again for absolute targets; for relative ones, the targets each bind left needs', () => {
    const failure = new MigrationError({ bind: 't2', revision: 'r3', at: ['r2'] }, new Error('boom'));
    const done = [{ bind: 't1', revision: 'r2', direction: 'up' as const, elapsedMs: 1 }];
    const absolute = new RunError([failure], [], [], [], done, undefined, { retry: { command: 'upgrade' } });
    expect(absolute.retry).toEqual([]);
    expect(formatRunError(absolute, false)).toEqual([
      'Running the same command again, once what failed is fixed, runs only what is left.',
      "ERROR: [t2] revision r3 failed: boom; rolled back; 't2' stays at r2.",
    ]);
    const relative = new RunError([failure], [], [], [], done, undefined, { relative: ['+2'], retry: { command: 'upgrade', targets: ['t2@r3'] } });
    expect(relative.retry).toEqual(['t2@r3']);
    expect(formatRunError(relative, false)[0]).toBe("Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@r3.");
    // A downgrade takes one target: one command per bind.
    const down = new RunError([failure], [], [], [], done, undefined, { relative: ['tenant@-2'], retry: { command: 'downgrade', targets: ['t2@r1', 't5@base'] } });
    expect(formatRunError(down, false)[0]).toBe(
      "Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@r1; migrate downgrade t5@base.",
    );
    // Nothing completed: the same command again steps no bind twice.
    expect(new RunError([failure], [], [], [], [], undefined, { relative: ['+2'], retry: { command: 'upgrade', targets: ['t2@r3'] } }).retry).toEqual([]);
    // A RunError that says nothing of how it ran (a run of one group): no such line.
    expect(formatRunError(new RunError([failure]), false)).toEqual(["ERROR: [t2] revision r3 failed: boom; rolled back; 't2' stays at r2."]);
  });

  it('more than 20 targets to give: the first 20, then how many more', () => {
    const tenants = Array.from({ length: 25 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
    const failures = tenants.map((bind) => new MigrationError({ bind, revision: 'r3', at: ['r2'] }, new Error('boom')));
    const error = new RunError(failures, [], [], [], [{ bind: 'x', revision: 'r2', direction: 'up', elapsedMs: 1 }], undefined, { relative: ['+2'], retry: { command: 'upgrade', targets: tenants.map((t) => `${t}@r3`) } });
    expect(error.retry).toHaveLength(25);
    expect(formatRunError(error, false)[0]).toBe(
      `Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade ${tenants
        .slice(0, 20)
        .map((t) => `${t}@r3`)
        .join(' ')} (and 5 more: the error's retry lists every target).`,
    );
  });

  it('a group stopped before its steps: its error, then where its bind stays', () => {
    const failure = new MigrationError({ bind: 'b', revision: 'r2', at: ['r1'] }, new Error('boom'));
    const stopped = [
      { bind: 't3', binds: ['t3'], at: ['r1'], error: new LockTimeoutError('t3', 1000) },
      { bind: 'c1', binds: ['c1', 'c2'], at: undefined, error: new LockTimeoutError('c1', 2000) },
    ];
    const error = new RunError([failure], [], [], stopped);
    expect(error.message.split('\n')).toEqual([
      '3 binds failed:',
      "  Timed out after 1 s waiting for the migration lock on t3: another run holds it. 't3' stays at r1 (nothing ran on t3)",
      "  Timed out after 2 s waiting for the migration lock on c1: another run holds it. 'c1' stays where it was (nothing ran on c1, c2)",
      "  [b] revision r2 failed: boom; rolled back; 'b' stays at r1.",
    ]);
    expect(error.stopped.map((s) => s.bind)).toEqual(['t3', 'c1']);
    expect(formatRunError(error, false)).toEqual([
      "ERROR: Timed out after 1 s waiting for the migration lock on t3: another run holds it. 't3' stays at r1 (nothing ran on t3)",
      "ERROR: Timed out after 2 s waiting for the migration lock on c1: another run holds it. 'c1' stays where it was (nothing ran on c1, c2)",
      "ERROR: [b] revision r2 failed: boom; rolled back; 'b' stays at r1.",
    ]);
  });
});
