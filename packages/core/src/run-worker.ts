/**
 * Core's worker thread (see `startRunWorker` and `RunOptions.workers`). Started with
 * `WorkerData`: `run` runs a whole upgrade or downgrade and posts its messages; `groups` loads
 * the environment once and runs the groups of an upgrade that another thread sends it. Not meant
 * to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnvironment } from './runtime/environment.js';
import { executeRunJob, loadSourceEnvironment, serveUpgradeWorker, type ToRunWorker, type WorkerData } from './runtime/run-workers.js';
import { fromTransfer, toTransfer } from './runtime/thread-transfer.js';

if (parentPort) {
  const port = parentPort;
  const data = workerData as WorkerData;
  if (data.mode === 'run') {
    // `interrupt()` of the thread that started the run: stop after the revisions in progress.
    const stop = new AbortController();
    const onMessage = (message: ToRunWorker) => {
      if (message.type === 'interrupt') stop.abort(fromTransfer(message.reason));
    };
    port.on('message', onMessage);
    await executeRunJob(() => loadSourceEnvironment(data.source, loadEnvironment), data.job, (message) => port.postMessage(toTransfer(message)), { signal: stop.signal });
    port.off('message', onMessage); // nothing more to wait for: the thread may end
  } else await serveUpgradeWorker(port, () => loadSourceEnvironment(data.source, loadEnvironment));
}
