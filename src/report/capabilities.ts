// The capabilities a run probed or took from its profile, as text for the console, Markdown and
// JUnit reports (the HTML page has its own view). Only non-present ones are worth a line each:
// they explain every "target lacks ..." skip and every run of a feature the target claims but breaks.
import type { Capability, CapabilityReport, RunResults } from '../model/result.js';

export function notable(report: CapabilityReport | undefined): Capability[] {
  return (report?.capabilities ?? []).filter((c) => c.state !== 'present');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "29 capabilities needed: 26 present, 2 absent, 1 broken; probed in 3.8 s (54 requests)" */
export function capabilityHeadline(report: CapabilityReport): string {
  const count = (s: Capability['state']) => report.capabilities.filter((c) => c.state === s).length;
  const parts = (['present', 'absent', 'broken'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`);
  const how = report.probed
    ? `probed in ${seconds(report.probeMs)} (${report.requestCount} requests)`
    : 'not probed (--no-probe)';
  return `${report.capabilities.length} capabilities needed: ${parts.join(', ') || 'none'}; ${how}`;
}

/** "lock absent (probe): LOCK refused with 405 (no DAV class 2)" */
export function capabilityLine(c: Capability): string {
  return `${c.feature} ${c.state} (${c.source}): ${c.evidence}`;
}

/** The console block: the headline, then one line per capability that is not present. */
export function capabilityConsoleLines(results: RunResults): string[] {
  const report = results.capabilities;
  if (!report || report.capabilities.length === 0) return [];
  return [
    capabilityHeadline(report),
    ...notable(report).map((c) => `  ${c.state === 'absent' ? '-' : '!'} ${capabilityLine(c)}`),
  ];
}

/** JUnit <property> pairs for one suite: the capabilities its scenarios need, plus the probe time. */
export function capabilityProperties(
  required: Iterable<string>,
  report: CapabilityReport | undefined,
): [string, string][] {
  if (!report) return [];
  const wanted = new Set(required);
  const out: [string, string][] = report.capabilities
    .filter((c) => wanted.has(c.feature))
    .map((c) => [`capability.${c.feature}`, `${c.state} (${c.source}): ${c.evidence}`]);
  if (out.length) out.push(['capabilities.probeMs', String(report.probeMs)]);
  return out;
}

/** A short Markdown section: the headline, a table of the capabilities that are not present. */
export function capabilityMarkdown(report: CapabilityReport | undefined, escape: (text: string) => string): string[] {
  if (!report || report.capabilities.length === 0) return [];
  const rows = notable(report);
  const out = ['### Capabilities', '', escape(capabilityHeadline(report))];
  if (rows.length)
    out.push(
      '',
      '| capability | state | from | evidence |',
      '|---|---|---|---|',
      ...rows.map((c) => `| ${escape(c.feature)} | ${c.state} | ${c.source} | ${escape(c.evidence)} |`),
    );
  return out;
}
