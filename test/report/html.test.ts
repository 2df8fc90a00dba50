import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { renderHtml } from '../../src/report/html/index.js';
import { htmlReporter } from '../../src/report/html/reporter.js';
import { embedJson } from '../../src/report/html/embed.js';
import type { RunResults } from '../../src/model/result.js';
import { fixture, tempDir } from './helpers.js';

/** The embedded payload, read back the way the page reads it. */
function payload(html: string): { data: RunResults } {
  const m = /<script type="application\/json" id="calspec-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'data script present');
  return JSON.parse(m[1]!) as { data: RunResults };
}

function planted(): RunResults {
  const run = structuredClone(fixture('run'));
  const x = run.suites[0]!.scenarios[0]!.steps[1]!.exchange!;
  x.request.headers.authorization = 'Basic dGVzdDp0ZXN0';
  x.request.headers.Cookie = 'sid=s3cr3t-cookie';
  x.response!.headers['set-cookie'] = 'sid=s3cr3t-set-cookie; HttpOnly';
  x.response!.body += '</script><script>alert(1)</script><!-- \u2028\u2029';
  return run;
}

describe('html report (static checks)', () => {
  for (const kind of ['run', 'load', 'matrix'] as const) {
    it(`${kind}: one self-contained file with no network loads`, () => {
      const html = renderHtml(fixture(kind as 'run'));
      assert.match(html, /^<!DOCTYPE html>/);
      assert.doesNotMatch(html, /\b(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?\/\//i);
      assert.doesNotMatch(html, /@import|url\(\s*["']?(https?:)?\/\//i);
      assert.doesNotMatch(html, /<link\b/i);
      assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
      assert.equal((html.match(/<script\b/g) ?? []).length, 2);
      assert.equal(payload(html).data.kind, fixture(kind as 'run').kind);
      // The page script is the esbuild bundle of src/report/html/browser: make sure it parses as inlined.
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
      assert.doesNotThrow(() => new Script(script));
    });
  }

  it('redacts a planted Authorization header, cookies and set-cookie', () => {
    const html = renderHtml(planted());
    assert.doesNotMatch(html, /dGVzdDp0ZXN0/);
    assert.doesNotMatch(html, /s3cr3t/);
    const headers = payload(html).data.suites[0]!.scenarios[0]!.steps[1]!.exchange!.request.headers;
    assert.equal(headers.authorization, 'Basic [redacted]');
    assert.equal(headers.Cookie, '[redacted]');
  });

  it('cannot be broken out of by bodies containing </script>, comments or U+2028', () => {
    const html = renderHtml(planted());
    assert.equal((html.match(/<script\b/g) ?? []).length, 2);
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
    assert.doesNotMatch(html, /[\u2028\u2029]/);
    assert.match(
      payload(html).data.suites[0]!.scenarios[0]!.steps[1]!.exchange!.response!.body,
      /<\/script><script>alert\(1\)<\/script><!-- \u2028\u2029$/,
    );
    assert.equal(embedJson({ a: '</script>' }), '{"a":"\\u003c/script\\u003e"}');
  });

  it('does not modify the results it renders', () => {
    const run = planted();
    const before = JSON.stringify(run);
    renderHtml(run);
    assert.equal(JSON.stringify(run), before);
  });

  it('embeds the complete data, so the page can render every detail', () => {
    const run = fixture('run');
    const data = payload(renderHtml(run)).data;
    assert.deepEqual(
      data.suites.map((s) => s.scenarios.length),
      [3, 5],
    );
    assert.equal(
      data.suites[0]!.scenarios[1]!.steps[0]!.checks[0]!.expected[0],
      run.suites[0]!.scenarios[1]!.steps[0]!.checks[0]!.expected[0],
    );
  });

  it('writes index.html', async () => {
    const [path] = await htmlReporter.onRunEnd!(fixture('run'), tempDir());
    assert.match(path!, /index\.html$/);
    assert.match(readFileSync(path!, 'utf8'), /calspec: radicale/);
  });
});
