// Worker-thread entry: runs one Engine over its slice of the connections and posts back the
// encoded partial results. The parent posts 'stop' on Ctrl-C.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, type EngineConfig } from './engine.js';

const engine = new Engine(workerData as EngineConfig);
parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') engine.stop();
});
engine
  .run()
  .then((partial) => parentPort?.postMessage({ ok: true, partial }))
  .catch((error: Error) => parentPort?.postMessage({ ok: false, error: error.message }))
  .finally(() => parentPort?.close());
