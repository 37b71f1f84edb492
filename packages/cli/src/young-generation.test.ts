import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitYoungGeneration, workerResourceLimits } from './young-generation.js';

// Only the cases that leave V8's flags alone run in-process; test/cli/young-generation.test.ts
// runs the bin and measures the young generation.
describe('limitYoungGeneration', () => {
  it.each([
    '--max-semi-space-size=16',
    '--max_semi_space_size=16',
    '--min-semi-space-size=4 --inspect',
    '--semi-space-growth-factor=4',
    '-r x.cjs --max-heap-size=512',
    '--minor-gc-task',
    '--no_minor_gc_task --inspect',
  ])('keeps the sizing the user chose: %s', (execArgv) => {
    expect(limitYoungGeneration(execArgv)).toBe(false);
    // No flag set: worker threads keep Node's sizing too (test/cli/young-generation.test.ts
    // measures a worker's young generation when the bin set the flag).
    expect(workerResourceLimits()).toBeUndefined();
  });

  // In a process of its own (the call sets V8's flags for the whole process), on the build.
  it('sets its flags when the user only tuned when the task runs (--minor-gc-task-trigger)', () => {
    const module = new URL('../dist/young-generation.js', import.meta.url).href;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(module)}); console.log(m.limitYoungGeneration('--minor-gc-task-trigger=90'), m.limitYoungGeneration('--minor-gc-task=false'))`], { encoding: 'utf8' });
    expect(out.trim()).toBe('true false');
  });
});
