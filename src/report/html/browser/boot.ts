// Entry point of the page script (bundled by scripts/build-browser.mjs into one IIFE, inlined by
// ../index.ts): reads the embedded data, renders the view for its kind, records the render time.
import { renderLoad } from './load.js';
import { renderMatrix } from './matrix.js';
import { renderRun } from './run.js';
import { byId, h, readPayload } from './util.js';

declare global {
  interface Window {
    /** performance.now() when rendering finished; the browser test reads it. */
    __calspecRenderMs?: number;
  }
}

const payload = readPayload();
const D = payload.data;
const root = byId('app');
try {
  if (D.kind === 'load') renderLoad(D, root);
  else if (D.kind === 'matrix') {
    if (!payload.matrix) throw new Error('matrix data without its table');
    renderMatrix(D, payload.matrix, root);
  } else renderRun(D, root, payload.omittedExchanges);
} catch (e) {
  root.prepend(h('div', { class: 'notice error' }, 'calspec: the report failed to render: ' + String(e)));
  throw e;
}
window.__calspecRenderMs = performance.now();
