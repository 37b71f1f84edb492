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
  ])('keeps the sizing the user chose: %s', (execArgv) => {
    expect(limitYoungGeneration(execArgv)).toBe(false);
    // No flag set: worker threads keep Node's sizing too (test/cli/young-generation.test.ts
    // measures a worker's young generation when the bin set the flag).
    expect(workerResourceLimits()).toBeUndefined();
  });
});
