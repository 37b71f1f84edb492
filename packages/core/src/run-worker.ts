/**
 * Core's worker thread (see `startRunWorker` and `RunOptions.workers`). Started with
 * `WorkerData`: `run` runs a whole upgrade or downgrade and posts its messages; `groups` loads
 * the environment once and runs the groups of an upgrade that another thread sends it. Not meant
 * to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnvironment } from './runtime/environment.js';
import { executeRunJob, loadSourceEnvironment, serveUpgradeWorker, type WorkerData } from './runtime/run-workers.js';
import { toTransfer } from './runtime/thread-transfer.js';

if (parentPort) {
  const port = parentPort;
  const data = workerData as WorkerData;
  if (data.mode === 'run') await executeRunJob(() => loadSourceEnvironment(data.source, loadEnvironment), data.job, (message) => port.postMessage(toTransfer(message)));
  else await serveUpgradeWorker(port, () => loadSourceEnvironment(data.source, loadEnvironment));
}
