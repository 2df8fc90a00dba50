// Stylesheet of the HTML report: system fonts only (the file must work offline), light theme with
// a dark variant, one colour per grade reused by chips, badges, bars and matrix cells.
export const CSS = String.raw`
:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --code: #f6f8fa;
  --accent: #0969da; --add: #dafbe1; --del: #ffebe9;
  --g-passed: #1a7f37; --g-failed: #cf222e; --g-non-strict: #9a6700; --g-informational: #0969da;
  --g-skipped: #6e7781; --g-errored: #8250df; --g-expected-fail: #bc4c00; --g-fixed: #0a7d6c; --g-absent: #d1d9e0;
  --g-blocked: #bf3989;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23; --code: #151b23;
    --accent: #4493f8; --add: #12361f; --del: #3d1214;
    --g-passed: #3fb950; --g-failed: #f85149; --g-non-strict: #d29922; --g-informational: #4493f8;
    --g-skipped: #8b949e; --g-errored: #ab7df8; --g-expected-fail: #db6d28; --g-fixed: #39c5cf; --g-absent: #3d444d;
    --g-blocked: #db61a2;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 64px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
h4 { font-size: 13px; margin: 0 0 6px; }
code, pre, .mono {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px;
}
pre {
  background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 4px 0;
  overflow: auto; max-height: 480px; white-space: pre-wrap; word-break: break-all;
}
.muted { color: var(--muted); }
.meta {
  display: grid; grid-template-columns: max-content minmax(0, 1fr) max-content minmax(0, 1fr); gap: 2px 14px;
  margin: 8px 0 12px;
}
.meta dt { color: var(--muted); }
@media (max-width: 800px) { .meta { grid-template-columns: max-content minmax(0, 1fr); } }
.detail .meta { grid-template-columns: max-content minmax(0, 1fr); } .meta dd { margin: 0; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.chip {
  border: 1px solid var(--gc, var(--line)); color: var(--gc, var(--fg)); background: transparent; border-radius: 999px;
  padding: 2px 10px; font: inherit; cursor: pointer;
}
.chip b { font-variant-numeric: tabular-nums; }
.chip.on { background: var(--gc, var(--accent)); color: #fff; }
.chip.zero { opacity: .45; }
.filters .chips { margin: 0; width: 100%; } .filters .chip { font-size: 12.5px; padding: 1px 8px; }
.badge {
  display: inline-block; min-width: 104px; text-align: center; border-radius: 4px; padding: 0 6px; color: #fff;
  background: var(--gc); font-size: 12px; font-weight: 600;
}
.lvl {
  display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; font-size: 11px;
  font-weight: 600;
}
.g-passed { --gc: var(--g-passed); } .g-failed { --gc: var(--g-failed); } .g-non-strict { --gc: var(--g-non-strict); }
.g-informational { --gc: var(--g-informational); } .g-skipped { --gc: var(--g-skipped); }
.g-errored { --gc: var(--g-errored); } .g-blocked { --gc: var(--g-blocked); }
.g-expected-fail { --gc: var(--g-expected-fail); } .g-fixed { --gc: var(--g-fixed); }
.g-absent { --gc: var(--g-absent); }
.bars {
  display: grid; grid-template-columns: minmax(140px, max-content) 1fr max-content; gap: 3px 10px; align-items: center;
}
.bar { display: flex; height: 12px; border-radius: 3px; overflow: hidden; background: var(--line); }
.bar > span { background: var(--gc); height: 100%; }
.bars a { color: var(--fg); text-decoration: none; } .bars a:hover { text-decoration: underline; }
.filters {
  position: sticky; top: 0; z-index: 5; background: var(--bg); border-bottom: 1px solid var(--line); padding: 8px 0;
  display: flex; flex-wrap: wrap; gap: 8px; align-items: center;
}
.filters select, .filters input[type=search] {
  font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg);
  color: var(--fg);
}
.filters input[type=search] { min-width: 240px; flex: 1; }
.count { color: var(--muted); margin-left: auto; }
.rfc > h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sec > h3 { color: var(--muted); font-weight: 600; }
details.sc, .sec { scroll-margin-top: 84px; }
/* Rows off screen skip layout and paint: keeps filtering 1,000+ rows cheap (browsers without
   content-visibility simply lay everything out). */
details.sc:not([open]) { content-visibility: auto; contain-intrinsic-size: auto 44px; }
details.sc {
  border: 1px solid var(--line); border-left: 4px solid var(--gc); border-radius: 6px; margin: 4px 0;
  background: var(--bg);
}
details.sc > summary {
  cursor: pointer; padding: 5px 10px; display: flex; gap: 10px; align-items: baseline; list-style: none;
}
details.sc > summary::-webkit-details-marker { display: none; }
details.sc[open] > summary { background: var(--panel); border-bottom: 1px solid var(--line); }
details.sc:target, details.sc.flash { box-shadow: 0 0 0 2px var(--accent); }
.sc .key { color: var(--muted); white-space: nowrap; }
.sc .title { flex: 1; min-width: 0; }
.sc .reason {
  display: block; color: var(--muted); font-size: 12.5px; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap;
}
.sc .dur { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.detail { padding: 10px 14px 14px; }
.step { border-top: 1px dashed var(--line); padding: 10px 0 4px; }
.step .phase {
  text-transform: uppercase; font-size: 11px; color: var(--muted); letter-spacing: .04em; margin-right: 6px;
}
.error { color: var(--g-failed); font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.checks td:first-child { width: 22px; font-weight: 700; }
.ok { color: var(--g-passed); } .ko { color: var(--g-failed); }
.xchg { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 8px; }
.xchg > div { min-width: 0; }
@media (max-width: 900px) { .xchg { grid-template-columns: 1fr; } }
.diff .add { background: var(--add); display: block; } .diff .del { background: var(--del); display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; font-size: 12.5px; }
.legend span.sw {
  display: inline-block; width: 14px; height: 14px; border-radius: 3px; background: var(--gc); vertical-align: -2px;
  margin-right: 4px;
}
table.matrix { width: auto; min-width: 60%; }
table.matrix td.cell {
  vertical-align: middle; width: 120px; text-align: center; cursor: pointer; color: #fff; background: var(--gc);
  font-weight: 700; min-width: 70px; border: 2px solid var(--bg);
}
table.matrix td.cell.g-absent { cursor: default; color: var(--muted); }
table.matrix tr.grp td { background: var(--panel); font-weight: 600; }
table.matrix th.tgt { text-align: center; }
dialog {
  width: min(1100px, 94vw); max-height: 90vh; border: 1px solid var(--line); border-radius: 8px; background: var(--bg);
  color: var(--fg); padding: 0;
}
dialog::backdrop { background: rgba(0, 0, 0, .35); }
dialog header {
  position: sticky; top: 0; background: var(--panel); padding: 8px 14px; display: flex; gap: 10px; align-items: center;
  border-bottom: 1px solid var(--line);
}
dialog header .title { flex: 1; }
button.close {
  font: inherit; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg);
  cursor: pointer;
}
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
svg.chart { width: 100%; height: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
svg.chart text { fill: var(--muted); font-size: 12px; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
.notice { border: 1px solid var(--g-non-strict); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
details.capabilities { margin: 8px 0; } details.capabilities > summary { cursor: pointer; font-weight: 600; }
details.capabilities pre { margin: 4px 0; font-size: 12px; }
.status { border-left: 6px solid var(--g-passed); padding: 8px 12px; margin: 8px 0; font-size: 15px; }
.status.regressed { border-left-color: var(--g-failed); } .status.regressed strong { color: var(--g-failed); }
#failures h3 { font-size: 14px; margin: 10px 0 2px; } #failures ul { margin: 0; padding-left: 18px; }
#failures li { margin: 2px 0; } #failures .reason { margin-left: 8px; }
details.noted, details.coverage { margin: 8px 0; }
details.noted > summary, details.coverage > summary { cursor: pointer; font-weight: 600; }
`;
