/**
 * The worker thread of a run: better-sqlite3 is synchronous, so a long revision would freeze the
 * screen if it ran on the UI's thread. It takes a {@link RunJob} as `workerData` and posts
 * {@link RunMessage}s back. Started by {@link workerRunDriver}; not meant to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeRun, type RunJob } from './execute-run.js';

if (parentPort) {
  const port = parentPort;
  await executeRun(workerData as RunJob, (message) => port.postMessage(message));
}
