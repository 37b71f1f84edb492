import { describe, expect, it } from 'vitest';
import { raiseOptimizationBudget } from './optimization-budget.js';

// Only the cases that leave V8's flags alone run in-process; test/cli/optimization-budget.test.ts
// runs the bin and watches when a hot function is optimized.
describe('raiseOptimizationBudget', () => {
  it.each(['--interrupt-budget=100000', '--interrupt_budget=1', '--max-opt=1', '--no-opt', '--jitless', '-r x.cjs --max_opt=2', '--always-turbofan', '--no-turbofan'])(
    'keeps the tiering the user chose: %s',
    (execArgv) => {
      expect(raiseOptimizationBudget(execArgv)).toBe(false);
    },
  );
});
