/**
 * A worker thread of an upgrade of many SQLite tenants (see `RunOptions.workers`): loads the
 * environment again from the config file it is given as `workerData`, then runs the groups the
 * run sends it. Started by core's upgrade; not meant to be imported.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { DialectRegistry } from './dialect/dialect.js';
import { loadEnvironment } from './runtime/environment.js';
import { serveUpgradeWorker, type WorkerEnvironmentSource } from './runtime/upgrade-workers.js';
import { createModuleLoader } from './script/module-loader.js';

if (parentPort) {
  const source = workerData as WorkerEnvironmentSource;
  await serveUpgradeWorker(parentPort, async () => {
    const specifier = /^[a-z][a-z0-9+.-]*:/i.test(source.dialects) && !/^[a-z]:[\\/]/i.test(source.dialects) ? source.dialects : pathToFileURL(source.dialects).href;
    const { dialects } = (await import(specifier)) as { dialects: DialectRegistry };
    return loadEnvironment({
      dialects,
      cwd: source.cwd,
      config: source.config,
      loader: createModuleLoader(source.alias ? { alias: source.alias } : {}),
    });
  });
}
