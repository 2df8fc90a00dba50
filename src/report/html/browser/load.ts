// In-page view of load results: summary, thresholds, per-label latency table, and inline SVG
// charts (percentile curve per label, throughput and errors over time). No chart library: offline.
import type { LabelStats, LoadResults, ThroughputPoint } from '../../../model/load.js';
import { append, type Child, fmtDate, fmtMs, h, metaList } from './util.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a7d6c', '#9a6700', '#6e7781'];
function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | number> | null,
  children?: Child,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const k in attrs || {}) el.setAttribute(k, String((attrs || {})[k]));
  append(el, children);
  return el;
}
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
interface Series {
  name: string;
  color: string;
  points: [number, number][];
}
/** xTicks: [x, label] pairs. Returns an <svg>. */
function lineChart(title: string, series: Series[], xTicks: [number, string][], yUnit: string): SVGSVGElement {
  const W = 560,
    H = 260,
    L = 56,
    R = 12,
    T = 28,
    B = 34;
  const xs: number[] = [],
    ys: number[] = [];
  for (const se of series)
    for (const p of se.points) {
      xs.push(p[0]);
      ys.push(p[1]);
    }
  const x0 = Math.min(...xs, 0),
    x1 = Math.max(...xs, 1);
  const y1 = niceMax(Math.max(...ys, 0));
  const X = (x: number): number => L + ((W - L - R) * (x - x0)) / (x1 - x0 || 1);
  const Y = (y: number): number => T + (H - T - B) * (1 - y / y1);
  const svg = svgEl('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
  append(svg, svgEl('text', { x: L, y: 16, style: 'font-weight:600' }, title + ' (' + yUnit + ')'));
  for (let i = 0; i <= 4; i++) {
    const v = (y1 * i) / 4;
    append(svg, [
      svgEl('line', { class: 'grid', x1: L, x2: W - R, y1: Y(v), y2: Y(v) }),
      svgEl('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end' }, +v.toPrecision(3)),
    ]);
  }
  for (const t of xTicks) append(svg, svgEl('text', { x: X(t[0]), y: H - B + 16, 'text-anchor': 'middle' }, t[1]));
  append(svg, svgEl('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  series.forEach((se, i) => {
    const d = se.points.map((p, j) => (j ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1)).join(' ');
    append(svg, svgEl('path', { d: d, fill: 'none', stroke: se.color, 'stroke-width': 2 }));
    for (const p of se.points.length <= 12 ? se.points : []) {
      append(
        svg,
        svgEl(
          'circle',
          { cx: X(p[0]), cy: Y(p[1]), r: 3, fill: se.color },
          svgEl('title', null, se.name + ': ' + p[1]),
        ),
      );
    }
    const lx = L + 8 + (i % 3) * 160,
      ly = T + 12 + Math.floor(i / 3) * 15;
    if (series.length > 1) {
      append(svg, [
        svgEl('rect', { x: lx, y: ly - 8, width: 10, height: 10, fill: se.color }),
        svgEl('text', { x: lx + 14, y: ly + 1 }, se.name),
      ]);
    }
  });
  return svg;
}
type Pct = 'p50' | 'p90' | 'p99' | 'p999' | 'max';
const PCTS: [Pct, number][] = [
  ['p50', 50],
  ['p90', 90],
  ['p99', 99],
  ['p999', 99.9],
  ['max', 100],
];
/** x = "nines" (-log10(1 - p)), the usual axis of a latency percentile curve; max is drawn at 4 nines. */
function nines(p: number): number {
  return p >= 100 ? 4 : -Math.log10(1 - p / 100);
}
function latencyChart(labels: LabelStats[]): SVGSVGElement {
  const series = labels.map((l, i): Series => ({
    name: l.label,
    color: PALETTE[i % PALETTE.length],
    points: PCTS.map((p): [number, number] => [nines(p[1]), l.latencyUs[p[0]] / 1000]),
  }));
  const ticks = PCTS.map((p): [number, string] => [nines(p[1]), p[0] === 'max' ? 'max' : p[1] + '%']);
  return lineChart('Latency by percentile', series, ticks, 'ms');
}
function timelineCharts(tl: ThroughputPoint[]): SVGSVGElement[] {
  if (!tl.length) return [];
  // Points are per-interval counts; divide by the interval so the y axis is a rate.
  const step = tl.length > 1 ? tl[1].t - tl[0].t || 1 : 1;
  const ticks: [number, string][] = [];
  const every = Math.max(1, Math.ceil(tl.length / 8));
  tl.forEach((p, i) => {
    if (i % every === 0) ticks.push([p.t, p.t + 's']);
  });
  const rate = (k: 'requests' | 'errors') => tl.map((p): [number, number] => [p.t, p[k] / step]);
  return [
    lineChart('Throughput', [{ name: 'requests/s', color: PALETTE[0], points: rate('requests') }], ticks, 'req/s'),
    lineChart('Errors', [{ name: 'errors/s', color: PALETTE[1], points: rate('errors') }], ticks, 'err/s'),
  ];
}
function ms(us: number): string {
  return (us / 1000).toFixed(us < 10000 ? 2 : 1);
}
function labelTable(r: LoadResults): HTMLTableElement {
  const row = (l: LabelStats, strong: boolean): HTMLTableRowElement => {
    const pct = l.requests ? ((100 * l.errors) / l.requests).toFixed(2) + '%' : '0%';
    const q = l.latencyUs;
    const statuses = Object.keys(l.statusCounts)
      .map((k) => k + '×' + l.statusCounts[k])
      .join(' ');
    return h('tr', { style: strong ? 'font-weight:600' : null }, [
      h('td', null, l.label),
      h('td', { class: 'num' }, l.requests),
      h('td', { class: 'num' + (l.errors ? ' ko' : '') }, l.errors + ' (' + pct + ')'),
      h('td', { class: 'num' }, ms(q.p50)),
      h('td', { class: 'num' }, ms(q.p90)),
      h('td', { class: 'num' }, ms(q.p99)),
      h('td', { class: 'num' }, ms(q.p999)),
      h('td', { class: 'num' }, ms(q.max)),
      h('td', { class: 'mono' }, statuses),
    ]);
  };
  const heads = ['label', 'requests', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'statuses'];
  return h('table', { class: 'labels' }, [
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        heads.map((x, i) => h('th', { class: i && i < 8 ? 'num' : null }, x)),
      ),
    ),
    h('tbody', null, r.labels.map((l) => row(l, false)).concat([row(r.overall, true)])),
  ]);
}
export function renderLoad(r: LoadResults, root: HTMLElement): void {
  const secs = r.durationMs / 1000;
  append(root, [
    h('h1', null, 'calspec load: ' + (r.target.name || r.target.url)),
    metaList([
      ['Target', r.target.url],
      ['Workload', r.workload],
      ['Model', r.model + (r.rate ? ' (' + r.rate + ' req/s intended)' : '')],
      ['Connections', r.connections],
      ['Workers', r.workers],
      ['Shard', r.shard ? r.shard.index + 1 + ' of ' + r.shard.count : null],
      ['Started', fmtDate(r.startedAt)],
      ['Duration', fmtMs(r.durationMs) + ' (+ ' + fmtMs(r.warmupMs) + ' warm-up)'],
      ['Throughput', secs > 0 ? (r.overall.requests / secs).toFixed(1) + ' req/s' : ''],
      ['calspec', r.tool.version],
      ['Exit code', String(r.exitCode) + (r.interrupted ? ' (interrupted)' : '')],
    ]),
  ]);
  for (const w of r.warnings) append(root, h('div', { class: 'notice' }, w));
  if (r.thresholds.length) {
    append(root, [
      h('h2', null, 'Thresholds'),
      h(
        'ul',
        null,
        r.thresholds.map((t) =>
          h('li', null, [
            h('span', { class: t.ok ? 'ok' : 'ko' }, t.ok ? '✓ ' : '✗ '),
            h('code', null, t.expression),
            ' — ' + t.actual,
          ]),
        ),
      ),
    ]);
  }
  append(root, [
    h('h2', null, 'Per label'),
    labelTable(r),
    h('h2', null, 'Charts'),
    h('div', { class: 'charts' }, [latencyChart(r.labels.concat([r.overall])), ...timelineCharts(r.timeline)]),
  ]);
}
