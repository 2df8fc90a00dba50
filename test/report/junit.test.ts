import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitReporter, renderJUnit } from '../../src/report/junit.js';
import type { RunResults } from '../../src/model/result.js';
import { fixture, generateRun, tempDir } from './helpers.js';

interface Case {
  '@_name': string;
  '@_classname': string;
  '@_time': string;
  failure?: Outcome;
  error?: Outcome;
  skipped?: Outcome | '';
  'system-out'?: string;
}
interface Outcome {
  '@_message'?: string;
  '@_type'?: string;
  '#text'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: Case[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => name === 'testcase' || name === 'testsuite',
});

function parse(xml: string): { suites: Suite[]; cases: Map<string, Case> } {
  const doc = parser.parse(xml) as { testsuites: { testsuite: Suite[] } };
  const cases = new Map<string, Case>();
  for (const s of doc.testsuites.testsuite) for (const c of s.testcase) cases.set(c['@_name'].split(':')[0]!, c);
  return { suites: doc.testsuites.testsuite, cases };
}

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const XSD = new URL('../../schemas/junit.xsd', import.meta.url).pathname;

function xmllint(xml: string): void {
  const file = join(tempDir(), 'junit.xml');
  writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
}

describe('junit reporter', () => {
  const run = fixture('run');

  it('is well-formed XML', () => {
    assert.equal(XMLValidator.validate(renderJUnit(run)), true);
  });

  it('maps grades to failure / error / skipped and notes', () => {
    const { suites, cases } = parse(renderJUnit(run));
    assert.deepEqual(
      suites.map((s) => s['@_name']),
      ['rfc4791/7.8', 'rfc4918/9.1'],
    );
    assert.equal(suites[0]!['@_tests'], '3');
    assert.equal(suites[0]!['@_failures'], '1');
    assert.equal(suites[1]!['@_errors'], '1');
    assert.equal(suites[1]!['@_skipped'], '1');

    const failed = cases.get('rfc4791/7.8/time-range-basic')!;
    assert.equal(failed['@_classname'], 'calspec.rfc4791.7_8');
    assert.equal(failed['@_time'], '0.087');
    assert.equal(
      failed.failure?.['@_message'],
      'multistatus contains /alice/cal/outside.ics, which does not overlap the time-range',
    );
    assert.equal(failed.error, undefined);
    const body = failed.failure?.['#text'] ?? '';
    assert.match(body, /hrefs are exactly the events overlapping the range/);
    assert.match(body, /expected: \/alice\/cal\/inside\.ics/);
    assert.match(body, /> REPORT http:\/\/localhost:5232\/alice\/cal\//);
    assert.match(body, /< 207 Multi-Status/);
    assert.match(body, /<href>\/alice\/cal\/outside\.ics<\/href>/);
    assert.match(failed['system-out'] ?? '', /REPORT/);

    const errored = cases.get('rfc4918/9.1/bad-xml')!;
    assert.equal(errored.error?.['@_message'], 'transport error: socket hang up');
    assert.equal(errored.failure, undefined);

    const skipped = cases.get('rfc4918/9.1/second-user-acl')!;
    assert.notEqual(skipped.skipped, undefined);
    assert.equal((skipped.skipped as Outcome)['@_message'], 'no second user configured (profile users.second)');

    const nonStrict = cases.get('rfc4791/7.8/etag-in-response')!;
    assert.equal(nonStrict.failure, undefined);
    assert.match(nonStrict['system-out'] ?? '', /non-strict/);

    assert.match(
      cases.get('rfc4791/7.8/calendar-data-expand')!['system-out'] ?? '',
      /^expected failure: radicale does not expand/,
    );
    assert.match(cases.get('rfc4918/9.1/empty-body')!['system-out'] ?? '', /^fixed: remove from baseline/);
    assert.match(cases.get('rfc4918/9.1/depth-infinity')!['system-out'] ?? '', /^informational/);
    const passed = cases.get('rfc4918/9.1/allprop')!;
    assert.equal(passed.failure ?? passed.error ?? passed.skipped ?? passed['system-out'], undefined);
  });

  it('fails non-strict scenarios under --strict', () => {
    const { cases, suites } = parse(renderJUnit({ ...run, strict: true }));
    assert.equal(cases.get('rfc4791/7.8/etag-in-response')!.failure?.['@_type'], 'non-strict');
    assert.equal(suites[0]!['@_failures'], '2');
  });

  it('escapes markup, control characters, lone surrogates and CDATA terminators', () => {
    const hostile = structuredClone(run) as RunResults;
    const s = hostile.suites[0]!.scenarios[0]!;
    s.reason = 'bad \u0001 "quoted" <tag> & ]]> \uD800 end\nnext';
    s.steps[1]!.exchange!.response!.body += '\u0000\u001b]]><![CDATA[x]]>';
    const xml = renderJUnit(hostile);
    assert.equal(XMLValidator.validate(xml), true);
    // XML 1.0 forbids these control characters; the test looks for exactly them.
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const { cases } = parse(xml);
    assert.match(cases.get(s.key)!.failure!['@_message']!, /^bad \\u\{1\} "quoted" <tag> & ]]> \\u\{d800\} end/);
    if (hasXmllint) xmllint(xml);
  });

  it('redacts credential headers even when the results were not redacted', () => {
    const leaky = structuredClone(run) as RunResults;
    leaky.suites[0]!.scenarios[0]!.steps[1]!.exchange!.request.headers.authorization = 'Basic dGVzdDp0ZXN0';
    const xml = renderJUnit(leaky);
    assert.doesNotMatch(xml, /dGVzdDp0ZXN0/);
    assert.match(xml, /authorization: Basic \[redacted\]/);
  });

  it('validates against schemas/junit.xsd with xmllint', function () {
    if (!hasXmllint) {
      console.log('      skipped: xmllint not found (apt-get install libxml2-utils)');
      this.skip();
    }
    xmllint(renderJUnit(run));
    xmllint(renderJUnit({ ...run, strict: true }));
    xmllint(renderJUnit(generateRun(200)));
  });

  it('writes junit.xml from onRunEnd', async () => {
    const dir = tempDir();
    const paths = await junitReporter.onRunEnd!(run, dir);
    assert.deepEqual(paths, [join(dir, 'junit.xml')]);
  });
});
