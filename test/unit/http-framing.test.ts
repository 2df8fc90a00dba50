// calspec's own HTTP handling against a real node:http server on 127.0.0.1: message framing of
// responses that have no content whatever Content-Length says (RFC 9112 §6.3), and request-targets
// sent byte for byte as the suite wrote them (no WHATWG dot-segment or slash normalisation).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('DAV engine: no-content responses with a Content-Length (node:http)', () => {
  let server: Server;
  let origin: string;

  before(async () => {
    ({ server, origin } = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = Number(/^\/(\d{3})\//.exec(req.url ?? '')?.[1] ?? 200);
        if (status === 200 && req.method !== 'HEAD') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
          return;
        }
        // The header describes the representation (304, HEAD) or is simply wrong (204): no body follows.
        res.writeHead(status, { 'content-length': '42', etag: '"v1"' });
        res.end();
      });
    }));
  });
  after(() => close(server));

  const cases: [method: string, status: number, body?: string][] = [
    ['GET', 304],
    ['PROPFIND', 304, '<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'],
    ['REPORT', 304, '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>'],
    ['GET', 204],
    ['PUT', 204, 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'],
    ['DELETE', 204],
    ['PROPPATCH', 204, '<d:propertyupdate xmlns:d="DAV:"/>'],
    ['HEAD', 200],
    ['HEAD', 304],
  ];
  for (const [method, status, body] of cases) {
    it(`${method} answered ${status} with Content-Length: 42 and no body: empty body, no error, no hang`, async () => {
      const client = new DavClient({ timeoutMs: 5_000 });
      try {
        const started = Date.now();
        const ex = await client.send({
          method,
          url: `${origin}/${status}/x.ics`,
          ...(body === undefined ? {} : { body }),
          auth: new Authenticator({ user: 'u', password: 'pw-framing', kind: 'basic' }),
        });
        assert.equal(ex.error, undefined, `no transport error (got: ${ex.error})`);
        assert.equal(ex.response?.status, status);
        assert.equal(ex.response?.body, '');
        assert.equal(ex.response?.headers['content-length'], '42', 'the header is recorded as the server sent it');
        assert.equal(ex.response?.headers.etag, '"v1"');
        assert.ok(Date.now() - started < 2_000, 'answered at once, not after a timeout');
        // The connection (or its replacement) still serves the next request correctly.
        const next = await client.send({ method: 'GET', url: `${origin}/200/after` });
        assert.equal(next.error, undefined);
        assert.equal(next.response?.status, 200);
        assert.equal(next.response?.body, 'fine');
      } finally {
        await client.close();
      }
    });
  }
});

describe('DAV engine: the request-target is sent as written (node:http)', () => {
  let server: Server;
  let origin: string;
  let urls: string[] = [];

  before(async () => {
    ({ server, origin } = await listen((req, res) => {
      urls.push(req.url ?? '');
      if (req.headers.authorization === undefined && req.url?.startsWith('/digest/')) {
        res.writeHead(401, { 'www-authenticate': 'Digest realm="r", nonce="n1", qop="auth"' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-auth': req.headers.authorization ?? '' }).end('ok');
    }));
  });
  after(() => close(server));
  beforeEach(() => (urls = []));

  const targets = [
    '/cal/%2e%2e/x.ics',
    '/cal/.%2E/x',
    '/cal/%2E%2E/%2e/x.ics',
    '/cal/../x.ics',
    '/cal/./x.ics',
    '/cal/..',
    '//double//slashes//x.ics',
    '/cal/a%2Fb/x.ics',
    '/cal/%7Euser/Caf%C3%A9.ics',
    '/cal/x.ics?a=..&b=%2e%2e&c=/./',
    '/cal/x%zz.ics',
    '/cal/|pipe|^caret^/x.ics',
  ];
  for (const target of targets) {
    it(`${target} reaches the server byte for byte and is recorded as sent`, async () => {
      const client = new DavClient({ timeoutMs: 5_000 });
      try {
        const url = `${origin}${target}`;
        const ex = await client.send({ method: 'PROPFIND', url, body: '<x/>' });
        assert.equal(ex.error, undefined);
        assert.deepEqual(urls, [target]);
        assert.equal(ex.request.url, url);
      } finally {
        await client.close();
      }
    });
  }

  it('a fragment is not sent; characters that cannot go on the wire are percent-encoded', async () => {
    const client = new DavClient({ timeoutMs: 5_000 });
    try {
      await client.send({ method: 'GET', url: `${origin}/cal/x.ics#frag` });
      await client.send({ method: 'GET', url: `${origin}/cal/my cal/Café.ics` });
      await client.send({ method: 'GET', url: `${origin}` });
      await client.send({ method: 'GET', url: `${origin}?q=1` });
      assert.deepEqual(urls, ['/cal/x.ics', '/cal/my%20cal/Caf%C3%A9.ics', '/', '/?q=1']);
    } finally {
      await client.close();
    }
  });

  it('Digest computes its uri= over the request-target actually sent', async () => {
    const client = new DavClient({ timeoutMs: 5_000 });
    try {
      const auth = new Authenticator({ user: 'u', password: 'pw-digest', kind: 'digest' });
      const ex = await client.send({ method: 'GET', url: `${origin}/digest/%2e%2e/x.ics`, auth });
      assert.equal(ex.response?.status, 200);
      assert.deepEqual(urls, ['/digest/%2e%2e/x.ics', '/digest/%2e%2e/x.ics']);
      // x-auth echoes the Authorization the server received (it is not a secret header name).
      assert.match(ex.response!.headers['x-auth']!, /uri="\/digest\/%2e%2e\/x\.ics"/);
    } finally {
      await client.close();
    }
  });
});
