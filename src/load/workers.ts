// Spreading one run over worker threads: each runs an LoadDriver with a slice of the connections
// (and of the rate and request budget); their histograms come back encoded and are added
// exactly. One worker runs in-process: no thread start-up, and nothing to gain from a thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LoadDriver, type LoadDriverConfig } from './driver.js';
import type { Partial } from './stats.js';

export interface RunningLoad {
  done: Promise<Partial[]>;
  stop(): void;
}

/** Split n into `parts` integers differing by at most one (the first ones get the remainder). */
export function slice(n: number, parts: number, index: number): number {
  return Math.floor(n / parts) + (index < n % parts ? 1 : 0);
}

/**
 * Under tsx (tests, bench) Node 20 does not apply tsx's loader hooks inside worker threads, so
 * a .ts worker is started through a one-line bootstrap that imports it with tsx's API.
 */
function tsBootstrap(url: URL): URL {
  // Resolved through package.json: under mocha+tsx this module may run as CJS without import.meta.resolve.
  const api = pathToFileURL(
    join(dirname(createRequire(url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const code =
    `import { tsImport } from ${JSON.stringify(api)}; ` +
    `await tsImport(${JSON.stringify(url.href)}, import.meta.url);`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export function startLoad(config: LoadDriverConfig, workers: number): RunningLoad {
  const count = Math.max(1, Math.min(workers, config.connections));
  if (count === 1) {
    const engine = new LoadDriver(config);
    return { done: engine.run().then((p) => [p]), stop: () => engine.stop() };
  }
  // Under tsx (tests, bench) this module is .ts and so is the worker; in the build both are .js.
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`./worker.${ext}`, import.meta.url);
  const threads: Worker[] = [];
  let base = config.connectionBase;
  let ready = 0;
  const done = Promise.all(
    Array.from({ length: count }, (_, i) => {
      const connections = slice(config.connections, count, i);
      const slice_: LoadDriverConfig = {
        ...config,
        connections,
        connectionBase: base,
        maxRequests: slice(config.maxRequests, count, i),
        ...(config.rate !== undefined ? { rate: (config.rate * connections) / config.connections } : {}),
      };
      base += connections;
      const worker = new Worker(ext === 'ts' ? tsBootstrap(url) : url, { workerData: slice_ });
      threads.push(worker);
      return new Promise<Partial>((resolve, reject) => {
        worker.on('message', (m: { ready: true } | { ok: true; partial: Partial } | { ok: false; error: string }) => {
          if ('ready' in m) {
            if (++ready === count) {
              const startAt = Date.now() + 20;
              threads.forEach((t) => t.postMessage({ startAt }));
            }
          } else if (m.ok) resolve(m.partial);
          else reject(new Error(m.error));
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`load worker ${i} exited with code ${code} before reporting`)));
      });
    }),
  );
  return { done, stop: () => threads.forEach((t) => t.postMessage('stop')) };
}
