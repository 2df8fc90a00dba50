// The HTML report: one self-contained file (inline CSS, inline script, embedded JSON data),
// rendered in the browser by vanilla JS. A Content-Security-Policy forbids any network load,
// so a report opened from a CI artefact can never call home or leak what it shows.
// The page script is written in TypeScript under ./browser/ and bundled at build time into
// ./generated/browser-bundle.ts by scripts/build-browser.mjs (run `npm run build` first).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResults } from '../../model/load.js';
import type { MatrixResults, RunResults } from '../../model/result.js';
import { CSS } from './css.js';
import { buildPayload, embedJson, type HtmlOptions } from './embed.js';
import { BROWSER_JS } from './generated/browser-bundle.js';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; " +
  "img-src data:; base-uri 'none'; form-action 'none'";

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pageTitle(data: RunResults | LoadResults | MatrixResults): string {
  if (data.kind === 'matrix') return `calspec matrix (${data.runs.length} targets)`;
  const target = data.target.name ?? data.target.url;
  return data.kind === 'load' ? `calspec load: ${target}` : `calspec: ${target}`;
}

/** Exchanges of passing scenarios are left out unless opts.allExchanges (results.json has them all). */
export function renderHtml(data: RunResults | LoadResults | MatrixResults, opts: HtmlOptions = {}): string {
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
    `<script type="application/json" id="calspec-data">${embedJson(buildPayload(data, opts))}</script>`,
    `<script>${BROWSER_JS}</script>`,
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
