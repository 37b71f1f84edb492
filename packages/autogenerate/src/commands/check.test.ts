// checkVerdict: the verdict of a whole check is its most severe outcome: a bind that could not be
// compared (failed, the CLI's exit 1) outranks one that differs (exit 4), whatever their order.
import { describe, expect, it } from 'vitest';
import { checkVerdict, isCheckFailure } from './check.js';

describe('checkVerdict', () => {
  it.each([
    [[], 'ok'],
    [['match', 'skipped'], 'ok'],
    [['match', 'differs', 'skipped'], 'differs'],
    [['differs', 'not-up-to-date'], 'failed'],
    [['in-flight', 'match'], 'failed'],
    [['unreachable'], 'failed'],
    [['misconfigured', 'differs'], 'failed'],
    [['error'], 'failed'],
  ] as const)('%j: %s', (outcomes, verdict) => {
    expect(checkVerdict(outcomes.map((outcome) => ({ outcome })))).toBe(verdict);
  });
});

describe('isCheckFailure', () => {
  it('is true for the outcomes of a bind that could not be compared', () => {
    const outcomes = ['match', 'differs', 'skipped', 'not-up-to-date', 'in-flight', 'unreachable', 'misconfigured', 'error'] as const;
    expect(outcomes.filter((o) => isCheckFailure(o))).toEqual(['not-up-to-date', 'in-flight', 'unreachable', 'misconfigured', 'error']);
    expect(isCheckFailure({ outcome: 'differs' })).toBe(false);
  });
});
