// JUnit XML (Ant/Jenkins dialect) so CI systems show calspec scenarios as test cases.
// One <testsuite> per suite file, one <testcase> per scenario; see schemas/junit.xsd.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exchange } from '../model/exchange.js';
import type { RunResults, ScenarioResult, StepResult, SuiteResult } from '../model/result.js';
import { capabilityProperties } from './capabilities.js';
import { redactExchange } from './redact.js';
import type { Reporter } from './types.js';

/** Bodies are cut so a CI page stays readable; the HTML report has everything. */
const BODY_LIMIT = 2048;

/**
 * XML 1.0 forbids most C0 controls and lone surrogates even as character references, so they are
 * replaced by a visible escape rather than dropped (a stray NUL in a body is itself a finding).
 */
function clean(text: string): string {
  return text.replace(
    /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

export function xmlText(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: newlines and tabs as references, or parsers normalise them to spaces. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function attrs(map: Record<string, string | number | undefined>): string {
  return Object.entries(map)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function truncate(body: string): string {
  return body.length <= BODY_LIMIT
    ? body
    : `${body.slice(0, BODY_LIMIT)}\n… [${body.length - BODY_LIMIT} more characters]`;
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
}

export function formatExchange(raw: Exchange): string {
  const x = redactExchange(raw);
  const out = [`> ${x.request.method} ${x.request.url}`, ...headerLines(x.request.headers).map((l) => `> ${l}`)];
  if (x.request.body) out.push('>', truncate(x.request.body));
  for (const hop of x.redirects ?? [])
    out.push(`< ${hop.status} ${hop.statusText ?? ''} (redirect to ${hop.redirectedTo ?? '?'})`.trimEnd());
  if (x.response) {
    const r = x.response;
    out.push('', `< ${r.status} ${r.statusText ?? ''}`.trimEnd(), ...headerLines(r.headers).map((l) => `< ${l}`));
    if (r.body) out.push('<', truncate(r.body) + (r.truncated ? '\n… [body truncated at capture]' : ''));
  }
  if (x.error) out.push('', `transport error: ${x.error}`);
  out.push(`(${Math.round(x.timings.totalMs)} ms)`);
  return out.join('\n');
}

/** Steps that explain the grade: a failed check or an error; the first one is "the" failing exchange. */
function culprits(s: ScenarioResult): StepResult[] {
  return s.steps.filter((st) => st.error !== undefined || st.checks.some((c) => !c.ok));
}

function checkDetails(s: ScenarioResult): string {
  const out: string[] = [];
  for (const st of culprits(s)) {
    out.push(`step "${st.name}" (${st.phase})`);
    if (st.error) out.push(`  error: ${st.error}`);
    for (const c of st.checks.filter((ch) => !ch.ok)) {
      out.push(`  ✗ ${c.description}${c.at ? ` [${c.at}]` : ''}`);
      for (const e of c.expected) out.push(`    expected: ${e}`);
      out.push(`    actual:   ${c.actual}`);
    }
  }
  return out.join('\n');
}

/** Informational check notes (e.g. legal server changes to a stored object), for every grade. */
function checkNotes(s: ScenarioResult): string {
  const notes = s.steps.flatMap((st) => st.checks.flatMap((c) => c.notes ?? []));
  return notes.length ? `notes:\n${notes.map((n) => `  - ${n}`).join('\n')}` : '';
}

function exchangeDump(s: ScenarioResult): string {
  const first = culprits(s).find((st) => st.exchange);
  return first?.exchange ? `--- exchange of step "${first.name}" ---\n${formatExchange(first.exchange)}` : '';
}

function join2(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('\n\n');
}

function testcase(s: ScenarioResult, strict: boolean): string {
  const classname = `calspec.${s.rfc}.${s.section.replace(/[^A-Za-z0-9]+/g, '_')}`;
  // No testcase@file: Jenkins' published junit-10.xsd does not allow it (the suite file is on <testsuite>).
  const head = `<testcase${attrs({ name: `${s.key}: ${s.title}`, classname, time: seconds(s.durationMs) })}>`;
  const reason = s.reason ?? '';
  const where = `${s.level} — RFC ${s.rfc.replace(/^rfc/i, '')} §${s.section}: ${s.requirement}\nat ${s.at}`;
  let child = '';
  let out = '';
  switch (s.grade) {
    case 'failed':
      child =
        `<failure${attrs({ message: reason, type: s.level })}>` +
        `${xmlText(join2(checkDetails(s), exchangeDump(s)))}</failure>`;
      out = join2(where, exchangeDump(s));
      break;
    case 'non-strict':
      if (strict)
        child =
          `<failure${attrs({ message: reason, type: 'non-strict' })}>` +
          `${xmlText(join2(checkDetails(s), exchangeDump(s)))}</failure>`;
      out = join2(
        `non-strict (${s.level} not met${strict ? ', failing because --strict' : ', passes without --strict'}): ` +
          `${reason}`,
        where,
        exchangeDump(s),
      );
      break;
    case 'errored':
      child =
        `<error${attrs({ message: reason, type: 'errored' })}>` +
        `${xmlText(join2(checkDetails(s), exchangeDump(s)))}</error>`;
      out = join2(where, exchangeDump(s));
      break;
    case 'skipped':
      child = `<skipped${attrs({ message: reason })}/>`;
      break;
    case 'blocked':
      // Not a failure of this requirement, and junit-10 has no fourth outcome: skipped, saying why,
      // with the setup exchange that failed (skipped may be followed by system-out).
      child = `<skipped${attrs({ message: `blocked: ${reason}` })}/>`;
      out = join2(`blocked: ${reason}`, where, exchangeDump(s));
      break;
    case 'expected-fail':
      out = join2(
        `expected failure: ${s.baselineReason ?? reason}`,
        reason && s.baselineReason ? `observed: ${reason}` : '',
        exchangeDump(s),
      );
      break;
    case 'fixed':
      out = `fixed: remove from baseline${s.baselineReason ? ` (baseline said: ${s.baselineReason})` : ''}`;
      break;
    case 'informational':
      out = join2(`informational${reason ? `: ${reason}` : ''}`, exchangeDump(s));
      break;
    case 'passed':
      break;
  }
  out = join2(out, checkNotes(s));
  const sysout = out ? `<system-out>${xmlText(out)}</system-out>` : '';
  return `    ${head}${child}${sysout}</testcase>`;
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function tally(scenarios: ScenarioResult[], strict: boolean): Tally {
  const t: Tally = { tests: scenarios.length, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const s of scenarios) {
    t.ms += s.durationMs;
    if (s.grade === 'failed' || (s.grade === 'non-strict' && strict)) t.failures++;
    else if (s.grade === 'errored') t.errors++;
    else if (s.grade === 'skipped' || s.grade === 'blocked') t.skipped++;
  }
  return t;
}

function testsuite(suite: SuiteResult, results: RunResults): string {
  const t = tally(suite.scenarios, results.strict);
  const props = {
    target: results.target.url,
    profile: results.target.profile,
    rfc: suite.rfc,
    section: suite.section,
    file: suite.file,
    runId: results.runId,
  };
  // The capabilities this suite's scenarios need (junit-10.xsd allows <properties> only here).
  const needed = suite.scenarios.flatMap((s) => s.requires);
  const propXml = [...Object.entries(props), ...capabilityProperties(needed, results.capabilities)]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`);
  return [
    '  <testsuite' +
      attrs({
        name: suite.id,
        tests: t.tests,
        failures: t.failures,
        errors: t.errors,
        skipped: t.skipped,
        time: seconds(t.ms),
        timestamp: results.startedAt,
        hostname: results.target.name ?? results.target.url,
        file: suite.file,
      }) +
      '>',
    `    <properties>\n${propXml.join('\n')}\n    </properties>`,
    ...suite.scenarios.map((s) => testcase(s, results.strict)),
    '  </testsuite>',
  ].join('\n');
}

export function renderJUnit(results: RunResults): string {
  const t = tally(
    results.suites.flatMap((s) => s.scenarios),
    results.strict,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // Only the attributes Jenkins' junit-10.xsd allows on <testsuites> (skipped counts are per suite).
    '<testsuites' +
      attrs({
        name: `calspec ${results.target.name ?? results.target.url}`,
        tests: t.tests,
        failures: t.failures,
        errors: t.errors,
        time: seconds(results.durationMs),
      }) +
      '>',
    ...results.suites.map((s) => testsuite(s, results)),
    '</testsuites>',
    '',
  ].join('\n');
}

export async function writeJUnit(results: RunResults, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'junit.xml');
  await writeFile(path, renderJUnit(results), 'utf8');
  return path;
}

export const junitReporter: Reporter = {
  name: 'junit',
  async onRunEnd(results, outDir) {
    return [await writeJUnit(results, outDir)];
  },
};
