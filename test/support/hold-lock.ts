// Holding a bind's migration lock from the test process while a `migrate` process runs.
import { createModuleLoader, loadEnvironment, type DialectConnection, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import type { RunOutput, TempProject } from './project.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/** Runs `migrate ARGS` (a process of its own) in `p` while this process holds `bind`'s migration lock. */
export async function whileHeld(p: TempProject, bind: string, ...args: string[]): Promise<RunOutput> {
  const env: MigrationEnvironment = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  try {
    const conn: DialectConnection = await env.connection(bind);
    await conn.acquireLock({ name: 'multidb::multidb_version' });
    try {
      return await p.run(...args);
    } finally {
      await conn.releaseLock();
    }
  } finally {
    await env.close();
  }
}
