import { describe, expect, it } from 'vitest';
import { unmatchedRenameWarnings } from './unmatched-rename-warnings.js';

describe('unmatchedRenameWarnings', () => {
  it('says nothing of a decision one bind matched, however many others did not', () => {
    // `--rename txn.note=txn.memo` matched in db2 only: default and analytics have no txn table.
    const results = [
      { bind: 'default', unmatchedRenames: ['--rename txn.note=txn.memo'] },
      { bind: 'analytics', unmatchedRenames: ['--rename txn.note=txn.memo'] },
      { bind: 'db2', unmatchedRenames: [] },
    ];
    expect(unmatchedRenameWarnings(results)).toEqual([]);
  });

  it('warns once, without a bind prefix, about a decision no bind matched, naming the binds searched', () => {
    const results = [
      { bind: 'default', unmatchedRenames: ['--rename txn.note=txn.memo', '--no-rename a=b'] },
      { bind: 'nomodels' }, // not compared: not searched
      { bind: 'db2', unmatchedRenames: ['--no-rename a=b'] },
    ];
    expect(unmatchedRenameWarnings(results)).toEqual(['--no-rename a=b matches no rename candidate in binds default, db2; ignored.']);
    expect(unmatchedRenameWarnings([{ bind: 'db2', unmatchedRenames: ['--rename x=y'] }])).toEqual(['--rename x=y matches no rename candidate in bind db2; ignored.']);
  });

  it('says nothing when no bind was compared', () => {
    expect(unmatchedRenameWarnings([{ bind: 'default' }, { bind: 'db2' }])).toEqual([]);
    expect(unmatchedRenameWarnings([])).toEqual([]);
  });
});
