// Worker-thread entry: runs one LoadDriver over its slice of the connections and posts back the
// encoded partial results. The parent posts 'stop' on Ctrl-C.
import { parentPort, workerData } from 'node:worker_threads';
import { LoadDriver, type LoadDriverConfig } from './driver.js';

const engine = new LoadDriver(workerData as LoadDriverConfig);
// Start together: thread start-up (and compiling under tsx) takes a variable time, so the
// parent sends the common start time only once every worker is ready.
const started = new Promise<number>((resolve) => {
  parentPort?.on('message', (message: unknown) => {
    if (message === 'stop') engine.stop();
    else if (typeof message === 'object' && message && 'startAt' in message)
      resolve((message as { startAt: number }).startAt);
  });
});
parentPort?.postMessage({ ready: true });
started
  .then((startAt) => engine.run(startAt))
  .then((partial) => parentPort?.postMessage({ ok: true, partial }))
  .catch((error: Error) => parentPort?.postMessage({ ok: false, error: error.message }))
  .finally(() => parentPort?.close());
