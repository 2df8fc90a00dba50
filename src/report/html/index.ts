// The HTML report: one self-contained file (inline CSS, inline script, embedded JSON data),
// rendered in the browser by vanilla JS. A Content-Security-Policy forbids any network load,
// so a report opened from a CI artefact can never call home or leak what it shows.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResults } from '../../model/load.js';
import type { MatrixResults, RunResults } from '../../model/result.js';
import type { Reporter } from '../types.js';
import { CSS } from './css.js';
import { buildPayload, embedJson } from './embed.js';
import { JS_DETAIL } from './js-detail.js';
import { JS_LOAD } from './js-load.js';
import { JS_MATRIX } from './js-matrix.js';
import { JS_RUN } from './js-run.js';
import { JS_UTIL } from './js-util.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const BOOT = String.raw`
const root = document.getElementById('app');
try {
  if (D.kind === 'load') renderLoad(D, root);
  else if (D.kind === 'matrix') renderMatrix(D, PAYLOAD.matrix, root);
  else renderRun(D, root);
} catch (e) {
  root.prepend(h('div', { class: 'notice error' }, 'calspec: the report failed to render: ' + e));
  throw e;
}
window.__calspecRenderMs = performance.now();
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pageTitle(data: RunResults | LoadResults | MatrixResults): string {
  if (data.kind === 'matrix') return `calspec matrix (${data.runs.length} targets)`;
  const target = data.target.name ?? data.target.url;
  return data.kind === 'load' ? `calspec load: ${target}` : `calspec: ${target}`;
}

export function renderHtml(data: RunResults | LoadResults | MatrixResults): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(pageTitle(data))}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main id="app"><noscript>This report needs JavaScript; the raw data is in results.json.</noscript></main>',
    `<script type="application/json" id="calspec-data">${embedJson(buildPayload(data))}</script>`,
    `<script>(function () {\n'use strict';\n${JS_UTIL}${JS_DETAIL}${JS_RUN}${JS_LOAD}${JS_MATRIX}${BOOT}})();</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export async function writeHtml(data: RunResults | LoadResults | MatrixResults, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'index.html');
  await writeFile(path, renderHtml(data), 'utf8');
  return path;
}

export const htmlReporter: Reporter = {
  name: 'html',
  async onRunEnd(results, outDir) {
    return [await writeHtml(results, outDir)];
  },
};
