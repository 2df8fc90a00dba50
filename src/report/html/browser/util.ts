// In-page helpers shared by every view: DOM building, formatting, XML pretty-printing, line diff.
// Browser code: type-checked by tsconfig.browser.json and bundled into the page's one inline script
// by scripts/build-browser.mjs (the report is one offline file). Only `import type` may reach
// outside this folder, so no Node code ends up in the page.
import type { LoadResults } from '../../../model/load.js';
import type { Grade, MatrixResults, RunResults } from '../../../model/result.js';
import { GRADES } from '../../../model/result.js';
import { isSecretHeader, maskSecretValue } from '../../../model/secrets.js';
import type { MatrixTable } from '../../matrix-table.js';

// The grade list and the secret headers are the model's own (bundled in), not copies.
export { GRADES };

/** What src/report/html/embed.ts puts in the page (PagePayload there). */
export interface PagePayload {
  data: RunResults | LoadResults | MatrixResults;
  /** Precomputed for matrix pages so the page and the markdown summary agree on every cell. */
  matrix?: MatrixTable;
  /** Exchanges of passing scenarios left out of the page (still in results.json). */
  omittedExchanges?: number;
}

export function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error('calspec: the page has no #' + id);
  return el;
}

export function readPayload(): PagePayload {
  return JSON.parse(byId('calspec-data').textContent ?? '') as PagePayload;
}

/** Anything append() accepts: nodes, text (numbers are shown as text), nothing, or nested lists of those. */
export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
/** Attributes for h(): `class`, `on<event>` listeners, and plain attributes (true: present, null/false: absent). */
export interface Attrs {
  [name: `on${string}`]: Handler | null | undefined;
  [name: string]: string | number | boolean | Handler | null | undefined;
}

export function append(el: Node, c: Child): void {
  if (c == null || c === false) return;
  if (Array.isArray(c)) {
    for (const x of c) append(el, x);
    return;
  }
  el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}
/** h('div', {class: 'x', onclick: f}, children): the only way views create elements. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: Child,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs)
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.className = String(v);
      else if (k.slice(0, 2) === 'on') {
        if (typeof v === 'function') el.addEventListener(k.slice(2), v);
      } else el.setAttribute(k, v === true ? '' : String(v));
    }
  append(el, children);
  return el;
}
export function fmtMs(ms: number | null | undefined): string {
  if (ms == null || isNaN(ms)) return '';
  if (ms === 0) return '0 ms';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}
/** Suites name their RFC as "4791" and the fixtures as "rfc4791": both read "RFC 4791". */
export function rfcLabel(rfc: string): string {
  const m = /^(?:rfc)?(\d+)$/i.exec(rfc);
  return m ? 'RFC ' + m[1] : rfc;
}
export function badge(grade: Grade): HTMLSpanElement {
  return h('span', { class: 'badge g-' + grade }, grade);
}
export function metaList(pairs: [string, Child][]): HTMLDListElement {
  const dl = h('dl', { class: 'meta' });
  for (const p of pairs) if (p[1] != null && p[1] !== '') append(dl, [h('dt', null, p[0]), h('dd', null, p[1])]);
  return dl;
}
export const collator = new Intl.Collator('en', { numeric: true });
export function sortedKeys(map: Map<string, unknown>): string[] {
  return Array.from(map.keys()).sort(collator.compare);
}

/** Mask credentials again in the page: the data was redacted when rendered, this is belt and braces. */
export function headerText(headers: Record<string, string> | undefined): string {
  const all = headers || {};
  return Object.keys(all)
    .map((k) => {
      const secret = isSecretHeader(k) && !/\[redacted\]$/.test(all[k]);
      return k + ': ' + (secret ? maskSecretValue(all[k]) : all[k]);
    })
    .join('\n');
}
function isXml(body: string, contentType: string | undefined): boolean {
  return /xml/i.test(contentType || '') || /^\s*<[?A-Za-z]/.test(body);
}
/** Indent XML for reading; falls back to the raw text when it is not well-formed. */
function prettyXml(src: string): string {
  if (/<!\[CDATA\[|<!--/.test(src)) return src;
  if (new DOMParser().parseFromString(src, 'application/xml').getElementsByTagName('parsererror').length) return src;
  const tokens = src
    .replace(/>\s+</g, '><')
    .trim()
    .split(/(<[^>]+>)/)
    .filter((t) => t !== '');
  const out: string[] = [];
  let depth = 0;
  const pad = (n: number): string => '  '.repeat(n);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next: string | undefined = tokens[i + 1],
      after: string | undefined = tokens[i + 2];
    if (t[0] !== '<') {
      if (t.trim()) out.push(pad(depth) + t.trim());
      continue;
    }
    if (t.slice(0, 2) === '</') {
      depth = Math.max(0, depth - 1);
      out.push(pad(depth) + t);
      continue;
    }
    if (t[1] === '?' || t[1] === '!' || t.slice(-2) === '/>') {
      out.push(pad(depth) + t);
      continue;
    }
    if (next !== undefined && next[0] !== '<' && after !== undefined && after.slice(0, 2) === '</') {
      out.push(pad(depth) + t + next + after);
      i += 2;
      continue;
    }
    if (next !== undefined && next.slice(0, 2) === '</') {
      out.push(pad(depth) + t + next);
      i += 1;
      continue;
    }
    out.push(pad(depth) + t);
    depth++;
  }
  return out.join('\n');
}
/** Body block: pretty XML, iCalendar as-is; long bodies folded so a detail stays scannable. */
export function bodyBlock(
  label: string,
  body: string | undefined,
  contentType: string | undefined,
  open: boolean,
): HTMLElement | HTMLElement[] {
  if (body == null || body === '') return h('div', { class: 'muted' }, label + ': (empty)');
  const text = isXml(body, contentType) ? prettyXml(body) : body.replace(/\r\n/g, '\n');
  const lines = text.split('\n').length;
  const pre = h('pre', { class: 'body' }, text);
  if (lines <= 30 && text.length <= 3000) return [h('div', { class: 'muted' }, label), pre];
  return h('details', { open: open && lines <= 200 ? true : null }, [
    h('summary', null, label + ' (' + body.length + ' chars, ' + lines + ' lines)'),
    pre,
  ]);
}
type DiffLine = [' ' | '-' | '+', string];
/** Line diff by LCS; null when the texts are too large for the quadratic table. */
function lineDiff(a: string, b: string): DiffLine[] | null {
  const A = a.replace(/\r\n/g, '\n').split('\n'),
    B = b.replace(/\r\n/g, '\n').split('\n');
  const n = A.length,
    m = B.length;
  if (n * m > 4000000) return null;
  const dp: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) dp.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = A[i] === B[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  const out: DiffLine[] = [];
  let i = 0,
    j = 0;
  while (i < n && j < m) {
    if (A[i] === B[j]) {
      out.push([' ', A[i]]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) out.push(['-', A[i++]]);
    else out.push(['+', B[j++]]);
  }
  while (i < n) out.push(['-', A[i++]]);
  while (j < m) out.push(['+', B[j++]]);
  return out;
}
export function diffBlock(expected: string, actual: string): HTMLPreElement | null {
  const d = lineDiff(expected, actual);
  if (!d) return null;
  return h(
    'pre',
    { class: 'diff' },
    d.map((x) => h('span', { class: x[0] === '-' ? 'del' : x[0] === '+' ? 'add' : null }, x[0] + ' ' + x[1] + '\n')),
  );
}
