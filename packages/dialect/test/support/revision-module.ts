import type { Operations, RevisionModule } from '@multidb/core';

/** A revision module whose upgrade is `upgrade` (what `loadRevisionModule` returns, without a file). */
export function revisionModule(upgrade: (op: Operations) => Promise<void>): RevisionModule {
  return {
    upgrade,
    downgrade: async () => {},
    transaction: true,
    script: { revision: 'aa01', downRevisions: [], branchLabels: [], dependsOn: [], message: 'one', branch: 'main', path: '/nowhere/aa01_one.ts' },
  } as unknown as RevisionModule;
}
