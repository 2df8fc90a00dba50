// The DAV engine through undici's MockAgent: auth, redirects, caps, timeouts, redaction.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MockAgent } from 'undici';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';

const ORIGIN = 'http://dav.test';

function agent(): MockAgent {
  const mock = new MockAgent();
  mock.disableNetConnect();
  return mock;
}

describe('DAV engine (MockAgent)', () => {
  it('answers a Digest challenge once, then reuses the nonce with an increasing nc', async () => {
    const mock = agent();
    const pool = mock.get(ORIGIN);
    const seen: string[] = [];
    pool.intercept({ path: '/cal/', method: 'PROPFIND' }).reply(401, '', {
      headers: { 'www-authenticate': 'Digest realm="SabreDAV", qop="auth", nonce="n1", opaque="o1"' },
    });
    pool
      .intercept({ path: '/cal/', method: 'PROPFIND' })
      .reply((opts) => {
        seen.push(String((opts.headers as Record<string, string>).authorization));
        return { statusCode: 207, data: '<d:multistatus xmlns:d="DAV:"/>' };
      })
      .times(2);
    const client = new DavClient({ dispatcher: mock });
    const auth = new Authenticator({ user: 'test', password: 'secret-pw', kind: 'auto' });
    const first = await client.send({ method: 'PROPFIND', url: `${ORIGIN}/cal/`, auth, body: '<x/>' });
    const second = await client.send({ method: 'PROPFIND', url: `${ORIGIN}/cal/`, auth, body: '<x/>' });
    assert.equal(first.response?.status, 207);
    assert.equal(second.response?.status, 207);
    assert.match(seen[0]!, /^Digest .*nc=00000001/);
    assert.match(seen[1]!, /nc=00000002/);
    const m = /cnonce="([^"]+)".*response="([^"]+)"/.exec(seen[0]!)!;
    const h = (s: string) => createHash('md5').update(s).digest('hex');
    const expected = h(`${h('test:SabreDAV:secret-pw')}:n1:00000001:${m[1]}:auth:${h('PROPFIND:/cal/')}`);
    assert.equal(m[2], expected, 'RFC 7616 response digest');
    assert.equal(first.request.headers.authorization, 'Digest [redacted]');
  });

  it('records redirects without following them, and follows them when asked', async () => {
    const mock = agent();
    const pool = mock.get(ORIGIN);
    pool
      .intercept({ path: '/.well-known/caldav', method: 'PROPFIND' })
      .reply(301, '', { headers: { location: '/dav/' } })
      .times(2);
    pool.intercept({ path: '/dav/', method: 'PROPFIND' }).reply(207, '<d:multistatus xmlns:d="DAV:"/>');
    const client = new DavClient({ dispatcher: mock });
    const plain = await client.send({ method: 'PROPFIND', url: `${ORIGIN}/.well-known/caldav` });
    assert.equal(plain.response?.status, 301);
    assert.equal(plain.response?.redirectedTo, '/dav/');
    const followed = await client.send({
      method: 'PROPFIND',
      url: `${ORIGIN}/.well-known/caldav`,
      followRedirects: true,
    });
    assert.equal(followed.response?.status, 207);
    assert.equal(followed.redirects?.length, 1);
    assert.equal(followed.request.url, `${ORIGIN}/dav/`);
  });

  it('caps response bodies and says so', async () => {
    const mock = agent();
    mock.get(ORIGIN).intercept({ path: '/big', method: 'GET' }).reply(200, 'x'.repeat(200_000));
    const client = new DavClient({ dispatcher: mock, maxBodyBytes: 64 * 1024 });
    const ex = await client.send({ method: 'GET', url: `${ORIGIN}/big` });
    assert.equal(ex.response?.truncated, true);
    assert.ok(ex.response!.body.length <= 64 * 1024);
    assert.match(ex.error!, /exceeds the 64 KiB cap/);
  });

  it('times out a stalled request with a one-line error', async () => {
    const mock = agent();
    mock.get(ORIGIN).intercept({ path: '/slow', method: 'GET' }).reply(200, 'late').delay(2_000);
    const client = new DavClient({ dispatcher: mock, timeoutMs: 100 });
    const started = Date.now();
    const ex = await client.send({ method: 'GET', url: `${ORIGIN}/slow` });
    assert.ok(Date.now() - started < 1_500);
    assert.equal(ex.response, undefined);
    assert.equal(ex.error, 'timed out after 100 ms');
  });

  it('decodes the declared charset', async () => {
    const mock = agent();
    mock
      .get(ORIGIN)
      .intercept({ path: '/latin1', method: 'GET' })
      .reply(200, Buffer.from([0x63, 0x61, 0x66, 0xe9]), {
        headers: { 'content-type': 'text/plain; charset=iso-8859-1' },
      });
    const client = new DavClient({ dispatcher: mock });
    const ex = await client.send({ method: 'GET', url: `${ORIGIN}/latin1` });
    assert.equal(ex.response?.body, 'café');
  });

  it('sends Bearer tokens and never records them', async () => {
    const mock = agent();
    let header = '';
    mock
      .get(ORIGIN)
      .intercept({ path: '/x', method: 'GET' })
      .reply((opts) => {
        header = String((opts.headers as Record<string, string>).authorization);
        return { statusCode: 200, data: '' };
      });
    const client = new DavClient({ dispatcher: mock });
    const ex = await client.send({
      method: 'GET',
      url: `${ORIGIN}/x`,
      auth: new Authenticator({ user: 'u', password: 'tok-123', kind: 'bearer' }),
    });
    assert.equal(header, 'Bearer tok-123');
    assert.equal(ex.request.headers.authorization, 'Bearer [redacted]');
  });
});
