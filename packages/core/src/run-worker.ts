/**
 * Core's worker thread (see `startRunWorker` and `RunOptions.workers`). Started with
 * `WorkerData`: `run` runs a whole upgrade or downgrade and posts its messages; `groups` loads
 * the environment once and runs the groups of an upgrade that another thread sends it. Not meant
 * to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnvironment, type MigrationEnvironment } from './runtime/environment.js';
import { executeRunJob, loadSourceEnvironment, RUN_WORKER_CANCELLED, serveUpgradeWorker, type ToRunWorker, type WorkerData } from './runtime/run-workers.js';
import { fromTransfer, toTransfer } from './runtime/thread-transfer.js';

if (parentPort) {
  const port = parentPort;
  const data = workerData as WorkerData;
  if (data.mode === 'run') {
    // `interrupt()` of the thread that started the run: stop after the revisions in progress;
    // `stop()`: cancel what the connections run on their servers, then answer (the thread ends next).
    const stop = new AbortController();
    let env: MigrationEnvironment | undefined;
    const onMessage = (message: ToRunWorker) => {
      if (message.type === 'interrupt') stop.abort(fromTransfer(message.reason));
      else if (message.type === 'cancel') {
        void Promise.resolve(env?.cancelInFlight({ timeoutMs: message.timeoutMs }))
          .catch(() => undefined)
          .then(() => port.postMessage(toTransfer({ type: RUN_WORKER_CANCELLED })));
      }
    };
    port.on('message', onMessage);
    const load = async () => (env = await loadSourceEnvironment(data.source, loadEnvironment));
    await executeRunJob(load, data.job, (message) => port.postMessage(toTransfer(message)), { signal: stop.signal });
    port.off('message', onMessage); // nothing more to wait for: the thread may end
  } else await serveUpgradeWorker(port, () => loadSourceEnvironment(data.source, loadEnvironment));
}
