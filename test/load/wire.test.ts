// The load engine's own HTTP/1.1 wire code: the response framer on every framing a CalDAV server
// may use (Content-Length, chunked with extensions and trailers, close-delimited, bodiless
// statuses, interim 1xx, HTTP/1.0), in pieces split anywhere; its errors; and the exact bytes
// of a serialised request.
import assert from 'node:assert/strict';
import { LoadDriver } from '../../src/load/driver.js';
import { requestHead, serializeRequest } from '../../src/load/wire.js';
import {
  DONE,
  ERR_BODY_TOO_LARGE,
  ERR_HEAD_TOO_LARGE,
  ERR_MALFORMED,
  ERR_PREMATURE,
  MAX_HEAD,
  MORE,
  ResponseFramer,
} from '../../src/load/wire-parse.js';
import { config } from './helpers.js';

interface Outcome {
  /** feed() results, one per piece. */
  results: number[];
  status: number;
  keepAlive: boolean;
  body: string;
  headers: string[] | null;
  trailing: number;
}

function run(
  pieces: (string | Buffer)[],
  opts: { collect?: boolean; end?: boolean; framer?: ResponseFramer } = {},
): Outcome & { end?: number } {
  const f = opts.framer ?? new ResponseFramer();
  f.start(opts.collect ?? true);
  const results = pieces.map((p) => f.feed(Buffer.isBuffer(p) ? p : Buffer.from(p, 'latin1')));
  const end = opts.end ? f.end() : undefined;
  return {
    results,
    status: f.status,
    keepAlive: f.keepAlive,
    body: Buffer.concat(f.body).toString('latin1'),
    headers: f.rawHeaders,
    trailing: f.trailing,
    ...(end !== undefined ? { end } : {}),
  };
}

const bytewise = (s: string) => [...s];
/** All but the last piece need more; the last completes the response. */
function assertCompletesAtLast(o: Outcome): void {
  assert.deepEqual(o.results, [...o.results.slice(0, -1).map(() => MORE), DONE]);
}

const CL = 'HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\nCONTENT-LENGTH: 11\r\n\r\n<d:ms/>ABCD';
const CHUNKED =
  'HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n5;name="v a l"\r\n' +
  'hello\r\nA\r\n world 123\r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n';
const INTERIM =
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-Progress: 1\r\n\r\n' +
  'HTTP/1.1 207 Multi-Status\r\nContent-Length: 2\r\n\r\nok';

describe('load: wire framing', () => {
  it('Content-Length: status, case-insensitive framing headers, body, keep-alive', () => {
    const o = run([CL]);
    assert.deepEqual(o.results, [DONE]);
    assert.equal(o.status, 207);
    assert.equal(o.keepAlive, true);
    assert.equal(o.body, '<d:ms/>ABCD');
    assert.deepEqual(o.headers, ['Content-Type', 'application/xml', 'CONTENT-LENGTH', '11']);
    assert.equal(o.trailing, 0);
    // Head first, body later: not complete until the 11th body byte.
    const split = run([CL.slice(0, -4), CL.slice(-4, -1), CL.slice(-1)]);
    assert.deepEqual(split.results, [MORE, MORE, DONE]);
    assert.equal(split.body, '<d:ms/>ABCD');
  });

  it('collects headers and body only when asked (and headers for a 401)', () => {
    const o = run([CL], { collect: false });
    assert.deepEqual(o.results, [DONE]);
    assert.equal(o.headers, null);
    assert.equal(o.body, '');
    const challenge = run(
      ['HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", nonce="n"\r\nContent-Length: 0\r\n\r\n'],
      { collect: false },
    );
    assert.deepEqual(challenge.results, [DONE]);
    assert.deepEqual(challenge.headers, ['WWW-Authenticate', 'Digest realm="r", nonce="n"', 'Content-Length', '0']);
  });

  it('chunked, with chunk extensions, upper-case hex and trailers', () => {
    const o = run([CHUNKED]);
    assert.deepEqual(o.results, [DONE]);
    assert.equal(o.status, 200);
    assert.equal(o.body, 'hello world 123');
    assert.equal(o.keepAlive, true);
    assert.equal(o.trailing, 0);
    // The trailer is part of the message: without its blank line, not done.
    assert.deepEqual(run([CHUNKED.slice(0, -2)]).results, [MORE]);
    // Chunked wins over a Content-Length (RFC 9112 §6.3).
    assert.equal(
      run(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n']).body,
      'abc',
    );
  });

  it('close-delimited: the body runs to the end of the connection, which is then not reused', () => {
    const o = run(['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc', 'def'], { end: true });
    assert.deepEqual(o.results, [MORE, MORE]);
    assert.equal(o.end, DONE);
    assert.equal(o.body, 'abcdef');
    assert.equal(o.keepAlive, false);
    // A transfer coding other than chunked is also read to the close.
    const gz = run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz'], { end: true });
    assert.deepEqual([gz.results, gz.end, gz.body, gz.keepAlive], [[MORE], DONE, 'xyz', false]);
  });

  it('an end before the response is complete is premature, except for a close-delimited body', () => {
    assert.equal(run([CL.slice(0, -1)], { end: true }).end, ERR_PREMATURE);
    assert.equal(run(['HTTP/1.1 200 OK\r\n'], { end: true }).end, ERR_PREMATURE);
    assert.equal(run([], { end: true }).end, ERR_PREMATURE);
    assert.equal(run([CHUNKED.slice(0, 60)], { end: true }).end, ERR_PREMATURE);
  });

  it('204 and 304 have no body, whatever their headers say', () => {
    const nc = run(['HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n']);
    assert.deepEqual([nc.results, nc.status, nc.body, nc.keepAlive], [[DONE], 204, '', true]);
    const nm = run(['HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: "1"\r\n\r\n']);
    assert.deepEqual([nm.results, nm.status, nm.body, nm.trailing], [[DONE], 304, '', 0]);
    // The same Content-Length on a 200 is a body to wait for.
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n']).results, [MORE]);
  });

  it('skips interim 1xx responses and frames the final one', () => {
    const o = run([INTERIM]);
    assert.deepEqual(o.results, [DONE]);
    assert.equal(o.status, 207);
    assert.equal(o.body, 'ok');
    assert.deepEqual(o.headers, ['Content-Length', '2']);
    const split = run(['HTTP/1.1 100 Continue\r\n\r\n', INTERIM.slice(25)]);
    assert.deepEqual(split.results, [MORE, DONE]);
    assert.equal(split.status, 207);
  });

  it('HTTP/1.0 closes unless it says keep-alive; Connection: close closes HTTP/1.1', () => {
    const old = run(['HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok']);
    assert.deepEqual([old.results, old.status, old.body, old.keepAlive], [[DONE], 200, 'ok', false]);
    assert.equal(run(['HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok']).keepAlive, true);
    assert.equal(
      run(['HTTP/1.1 207 Multi-Status\r\nconnection: CLOSE\r\nContent-Length: 2\r\n\r\nok']).keepAlive,
      false,
    );
    assert.equal(
      run(['HTTP/1.1 207 Multi-Status\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok']).keepAlive,
      true,
    );
    // Radicale-style: HTTP/1.0 without a length, the body ends with the connection.
    const radicale = run(['HTTP/1.0 207 Multi-Status\r\nServer: WSGIServer/0.2\r\n\r\n<ms/>'], { end: true });
    assert.deepEqual([radicale.results, radicale.end, radicale.body], [[MORE], DONE, '<ms/>']);
  });

  it('gives the same result fed one byte at a time and split at every byte boundary', () => {
    for (const message of [
      CL,
      CHUNKED,
      INTERIM,
      'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc',
    ]) {
      const whole = run([message]);
      const bytes = run(bytewise(message));
      assertCompletesAtLast(bytes);
      assert.deepEqual(
        [bytes.status, bytes.body, bytes.headers, bytes.keepAlive],
        [whole.status, whole.body, whole.headers, whole.keepAlive],
        message,
      );
      for (let i = 1; i < message.length; i++) {
        const two = run([message.slice(0, i), message.slice(i)]);
        assert.deepEqual(two.results, [MORE, DONE], `split at ${i}: ${JSON.stringify(message.slice(0, i))}`);
        assert.deepEqual(
          [two.status, two.body, two.headers],
          [whole.status, whole.body, whole.headers],
          `split at ${i}`,
        );
      }
    }
    // Close-delimited, a byte at a time.
    const o = run(bytewise('HTTP/1.1 200 OK\r\n\r\nabc'), { end: true });
    assert.ok(o.results.every((r) => r === MORE));
    assert.deepEqual([o.end, o.body], [DONE, 'abc']);
  });

  it('reuses one framer across responses (state does not leak between them)', () => {
    const f = new ResponseFramer();
    assert.equal(run([CHUNKED.slice(0, 70)], { framer: f }).results[0], MORE); // abandoned mid-body
    const next = run([CL], { framer: f });
    assert.deepEqual([next.results, next.status, next.body], [[DONE], 207, '<d:ms/>ABCD']);
    assert.equal(run(bytewise(CL).slice(0, 20), { framer: f }).results.at(-1), MORE); // abandoned mid-head
    assert.deepEqual(run([CHUNKED], { framer: f }).results, [DONE]);
  });

  it('reports bytes after the response (a server sending what we did not ask for)', () => {
    assert.equal(run([`${CL}HTTP/1.1 200 OK\r\n`]).trailing, 17);
    assert.equal(run([`${CHUNKED}x`]).trailing, 1);
  });

  it('rejects malformed status lines, header lines and chunk sizes', () => {
    for (const bad of [
      'HTTX/1.1 200 OK\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 200OK\r\n\r\n',
      'HTTP/1.1 20\r\n\r\n',
      'HTTP/1.1 099 Low\r\n\r\n',
      'hello\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    ]) {
      assert.deepEqual(run([bad]).results, [ERR_MALFORMED], bad);
    }
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n']).results, [ERR_MALFORMED]);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n']).results, [ERR_MALFORMED]);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc']).results, [
      ERR_MALFORMED,
    ]);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']).results, [ERR_MALFORMED]);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX']).results, [ERR_MALFORMED]);
    // The same framing, well formed, is fine.
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab']).results, [DONE]);
  });

  it('caps the head at 64 KiB, in one piece or trickling in', () => {
    const head = (size: number) => `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(size)}\r\nContent-Length: 0\r\n\r\n`;
    assert.deepEqual(run([head(MAX_HEAD)]).results, [ERR_HEAD_TOO_LARGE]);
    assert.deepEqual(run([head(MAX_HEAD - 100)]).results, [DONE]);
    // Without an end in sight: fails once 64 KiB are buffered, not later.
    const endless = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD + 10)}`;
    const pieces = Array.from({ length: Math.ceil(endless.length / 1000) }, (_, i) =>
      endless.slice(i * 1000, (i + 1) * 1000),
    );
    const o = run(pieces);
    assert.equal(o.results.at(-1), ERR_HEAD_TOO_LARGE);
    assert.ok(
      o.results.slice(0, Math.floor(MAX_HEAD / 1000)).every((r) => r === MORE),
      'not before 64 KiB',
    );
    // A head just under the cap, a few bytes at a time, is fine.
    const near = head(MAX_HEAD - 100);
    assert.equal(
      run(Array.from({ length: Math.ceil(near.length / 7) }, (_, i) => near.slice(i * 7, (i + 1) * 7))).results.at(-1),
      DONE,
    );
  });

  it('caps the body (Content-Length, chunked, close-delimited)', () => {
    const small = () => new ResponseFramer(10);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n'], { framer: small() }).results, [
      ERR_BODY_TOO_LARGE,
    ]);
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'], { framer: small() }).results, [
      DONE,
    ]);
    assert.deepEqual(
      run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n'], { framer: small() }).results,
      [ERR_BODY_TOO_LARGE],
    );
    assert.deepEqual(run(['HTTP/1.1 200 OK\r\n\r\n0123456789', 'x'], { framer: small() }).results, [
      MORE,
      ERR_BODY_TOO_LARGE,
    ]);
  });
});

describe('load: wire serialisation', () => {
  it('one Buffer per variant: request line, host, headers with Authorization, content-length, body', () => {
    const body = '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>';
    const engine = new LoadDriver(config('http://127.0.0.1:8080/cal/'));
    assert.equal(
      engine.ops[0]!.requests[0]!.toString('latin1'),
      `REPORT /cal/ HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nuser-agent: calspec-load\r\n` +
        `depth: 1\r\nauthorization: Basic dTpw\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
  });

  it('counts body bytes, not characters; says content-length: 0 only for methods that take a body', () => {
    const put = serializeRequest('PUT', '/c/%C3%A9.ics', 'h', ['content-type', 'text/calendar'], 'SUMMARY:é');
    assert.deepEqual(
      put,
      Buffer.concat([
        Buffer.from(
          'PUT /c/%C3%A9.ics HTTP/1.1\r\nhost: h\r\ncontent-type: text/calendar\r\ncontent-length: 10\r\n\r\n',
        ),
        Buffer.from('SUMMARY:é'),
      ]),
    );
    assert.equal(requestHead('DELETE', '/c/a.ics', 'h', [], 0), 'DELETE /c/a.ics HTTP/1.1\r\nhost: h\r\n\r\n');
    assert.equal(
      requestHead('PROPFIND', '/c/', 'h', ['depth', '0'], 0),
      'PROPFIND /c/ HTTP/1.1\r\nhost: h\r\ndepth: 0\r\ncontent-length: 0\r\n\r\n',
    );
    // Framing headers are ours: a variant's own host/content-length is dropped.
    assert.equal(
      requestHead('GET', '/', 'h', ['Host', 'evil', 'Content-Length', '99', 'x', 'y'], 0),
      'GET / HTTP/1.1\r\nhost: h\r\nx: y\r\n\r\n',
    );
  });

  it('refuses what would split the message: CR/LF in values, bad names, spaces in the path', () => {
    assert.throws(
      () => requestHead('GET', '/', 'h', ['authorization', 'Bearer x\r\nevil: 1'], 0),
      /invalid character in header authorization/,
    );
    assert.throws(() => requestHead('GET', '/', 'h', ['bad name', 'v'], 0), /invalid header name/);
    assert.throws(() => requestHead('GET', '/a b', 'h', [], 0), /invalid request target/);
    assert.throws(() => requestHead('GE T', '/', 'h', [], 0), /invalid HTTP method/);
  });
});
