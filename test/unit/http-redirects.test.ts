// Redirects followed by the DAV engine (followRedirects), against real node:http servers on
// 127.0.0.1: methods per status, credentials kept on the same origin and never sent to another,
// every hop recorded (schema-valid), loops and long chains ending in a one-line transport error.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Ajv } from 'ajv';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';
import { MAX_REDIRECTS, redirectMethod, sameOrigin } from '../../src/dav/redirects.js';
import { removeDotSegments, resolveReference, targetUrl } from '../../src/dav/target.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}
type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

class Origin {
  server: Server;
  url = '';
  seen: Seen[] = [];
  routes = new Map<string, Route>();
  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.seen.push({ method: req.method!, url: req.url!, body, headers: req.headers });
        const route = this.routes.get(req.url!.split('?')[0]!);
        if (route) route(req, res, body);
        else res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
      });
    });
  }
  async start(host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://${host}:${(this.server.address() as { port: number }).port}`;
    return this;
  }
  redirect(path: string, status: number, location: string): void {
    this.routes.set(path, (_req, res) => res.writeHead(status, { location, 'content-length': '0' }).end());
  }
  ok(path: string, status = 207, text = '<d:multistatus xmlns:d="DAV:"/>'): void {
    this.routes.set(path, (_req, res) => res.writeHead(status, { 'content-type': 'application/xml' }).end(text));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const schema = JSON.parse(readFileSync(new URL('../../schemas/results.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, formats: { 'date-time': () => true } });
ajv.addSchema(schema as object);
const validExchange = ajv.getSchema('results.schema.json#/definitions/exchange')!;
function assertSchemaValid(x: unknown): void {
  assert.equal(validExchange(JSON.parse(JSON.stringify(x))), true, ajv.errorsText(validExchange.errors));
}

const PROPFIND = '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>';
const basic = () => new Authenticator({ user: 'u', password: 'pw-redirects', kind: 'basic' });

describe('DAV engine: redirects (node:http)', () => {
  let a: Origin;
  let b: Origin;
  let client: DavClient;

  beforeEach(async () => {
    a = await new Origin().start();
    b = await new Origin().start();
    client = new DavClient({ timeoutMs: 5_000 });
  });
  afterEach(async () => {
    await client.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('follows 301, 302, 307 and 308 on the same origin keeping PROPFIND, its body and the credentials', async () => {
    a.redirect('/r1', 301, '/r2');
    a.redirect('/r2', 302, `${a.url}/r3`);
    a.redirect('/r3', 307, 'r4');
    a.redirect('/r4', 308, '/final/');
    a.ok('/final/');
    const ex = await client.send({
      method: 'PROPFIND',
      url: `${a.url}/r1`,
      body: PROPFIND,
      headers: { depth: '0', cookie: 'session=abc' },
      auth: basic(),
      followRedirects: true,
    });
    assert.equal(ex.error, undefined);
    assert.equal(ex.response?.status, 207);
    assert.deepEqual(
      a.seen.map((s) => `${s.method} ${s.url}`),
      ['PROPFIND /r1', 'PROPFIND /r2', 'PROPFIND /r3', 'PROPFIND /r4', 'PROPFIND /final/'],
    );
    for (const s of a.seen) {
      assert.equal(s.body, PROPFIND);
      assert.equal(s.headers.depth, '0');
      assert.equal(s.headers.cookie, 'session=abc');
      assert.match(s.headers.authorization ?? '', /^Basic /);
    }
    assert.equal(ex.request.url, `${a.url}/final/`);
    assert.deepEqual(
      ex.redirects?.map((h) => [h.status, h.request?.method, h.request?.url, h.redirectedTo, h.crossOrigin]),
      [
        [301, 'PROPFIND', `${a.url}/r1`, '/r2', false],
        [302, 'PROPFIND', `${a.url}/r2`, `${a.url}/r3`, false],
        [307, 'PROPFIND', `${a.url}/r3`, 'r4', false],
        [308, 'PROPFIND', `${a.url}/r4`, '/final/', false],
      ],
    );
    assert.equal(ex.redirects![0]!.request!.headers.authorization, 'Basic [redacted]');
    assert.equal(ex.redirects![0]!.request!.headers.cookie, '[redacted]');
    assertSchemaValid(ex);
  });

  it('303 turns PROPFIND into GET without a body; 301/302 keep REPORT, turn only POST into GET', async () => {
    a.redirect('/see-other', 303, '/result');
    a.redirect('/moved', 301, '/report-target');
    a.redirect('/found', 302, '/post-target');
    a.redirect('/head', 303, '/result');
    a.ok('/result', 200, 'result');
    a.ok('/report-target');
    a.ok('/post-target', 200, 'posted');
    const see = await client.send({
      method: 'PROPFIND',
      url: `${a.url}/see-other`,
      body: PROPFIND,
      followRedirects: true,
    });
    assert.equal(see.response?.status, 200);
    assert.deepEqual(
      [see.request.method, see.request.body, see.request.headers['content-type']],
      ['GET', undefined, undefined],
    );
    const report = await client.send({ method: 'REPORT', url: `${a.url}/moved`, body: '<r/>', followRedirects: true });
    assert.equal(report.response?.status, 207);
    const post = await client.send({ method: 'POST', url: `${a.url}/found`, body: 'x=1', followRedirects: true });
    assert.equal(post.response?.body, 'posted');
    const head = await client.send({ method: 'HEAD', url: `${a.url}/head`, followRedirects: true });
    assert.equal(head.response?.status, 200);
    assert.deepEqual(
      a.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'] ?? '']),
      [
        ['PROPFIND', '/see-other', PROPFIND, 'application/xml; charset=utf-8'],
        ['GET', '/result', '', ''],
        ['REPORT', '/moved', '<r/>', 'application/xml; charset=utf-8'],
        ['REPORT', '/report-target', '<r/>', 'application/xml; charset=utf-8'],
        ['POST', '/found', 'x=1', 'application/xml; charset=utf-8'],
        ['GET', '/post-target', '', ''],
        ['HEAD', '/head', '', ''],
        ['HEAD', '/result', '', ''],
      ],
    );
  });

  it('a hop to another origin goes without Authorization, Cookie or Proxy-Authorization, and says so', async () => {
    a.redirect('/start', 307, `${b.url}/elsewhere`);
    b.redirect('/elsewhere', 302, `${a.url}/back`);
    a.ok('/back');
    const ex = await client.send({
      method: 'PROPFIND',
      url: `${a.url}/start`,
      body: PROPFIND,
      headers: {
        Authorization: 'Bearer explicit-token',
        Cookie: 'sid=1',
        'Proxy-Authorization': 'Basic eDp5',
        'X-Keep': 'yes',
      },
      followRedirects: true,
    });
    assert.equal(ex.response?.status, 207);
    assert.equal(a.seen[0]!.headers.authorization, 'Bearer explicit-token');
    const [hopB] = b.seen;
    assert.equal(hopB!.method, 'PROPFIND');
    assert.equal(hopB!.body, PROPFIND);
    assert.equal(hopB!.headers['x-keep'], 'yes');
    for (const name of ['authorization', 'cookie', 'proxy-authorization'])
      assert.equal(hopB!.headers[name], undefined, `${name} not sent to ${b.url}`);
    // Once credentials were withheld they stay withheld for the rest of the chain.
    assert.equal(a.seen[1]!.headers.authorization, undefined);
    assert.deepEqual(
      ex.redirects?.map((h) => h.crossOrigin),
      [true, true],
    );
    assert.equal(ex.redirects![1]!.request!.headers.authorization, undefined);
    assertSchemaValid(ex);
  });

  it('a different host name on the same port is another origin (Authenticator not used there)', async () => {
    const local = `http://localhost:${new URL(a.url).port}`;
    a.redirect('/start', 301, `${local}/other-host`);
    a.ok('/other-host');
    const ex = await client.send({ method: 'PROPFIND', url: `${a.url}/start`, auth: basic(), followRedirects: true });
    assert.equal(ex.response?.status, 207);
    assert.match(a.seen[0]!.headers.authorization ?? '', /^Basic /);
    assert.equal(a.seen[1]!.headers.authorization, undefined);
    assert.equal(ex.redirects![0]!.crossOrigin, true);
  });

  it('a Digest challenge after a same-origin redirect is answered (uri= is the new target)', async () => {
    const h = (s: string) => createHash('md5').update(s).digest('hex');
    const digestOk = (req: IncomingMessage): boolean => {
      const m = /uri="([^"]+)".*nc=(\w+), cnonce="([^"]+)", response="([^"]+)"/.exec(req.headers.authorization ?? '');
      if (!m || m[1] !== req.url) return false;
      const expected = h(`${h('u:r:pw-digest')}:n1:${m[2]}:${m[3]}:auth:${h(`${req.method}:${req.url}`)}`);
      return m[4] === expected;
    };
    const challenge = { 'www-authenticate': 'Digest realm="r", nonce="n1", qop="auth"' };
    a.routes.set('/old/', (req, res) =>
      digestOk(req) ? res.writeHead(301, { location: '/new/' }).end() : res.writeHead(401, challenge).end(),
    );
    a.routes.set('/new/', (req, res) =>
      digestOk(req) ? res.writeHead(207).end('<d:multistatus xmlns:d="DAV:"/>') : res.writeHead(401, challenge).end(),
    );
    const auth = new Authenticator({ user: 'u', password: 'pw-digest', kind: 'digest' });
    const ex = await client.send({ method: 'PROPFIND', url: `${a.url}/old/`, auth, followRedirects: true });
    assert.equal(ex.response?.status, 207, ex.error);
    // 401 (challenge), 301 (answered), then /new/ at once with the learnt nonce.
    assert.deepEqual(
      a.seen.map((s) => `${s.url} ${s.headers.authorization ? 'auth' : '-'}`),
      ['/old/ -', '/old/ auth', '/new/ auth'],
    );
    assert.equal(ex.redirects?.length, 1);
  });

  it('a Location with dot segments is requested as sent, not normalised', async () => {
    a.redirect('/start', 301, '/cal/%2e%2e/x.ics');
    a.ok('/cal/%2e%2e/x.ics', 200, 'odd');
    const ex = await client.send({ method: 'GET', url: `${a.url}/start`, followRedirects: true });
    assert.equal(ex.response?.body, 'odd');
    assert.equal(ex.request.url, `${a.url}/cal/%2e%2e/x.ics`);
  });

  it('a redirect loop is a one-line transport error naming the URLs, not a hang', async () => {
    a.redirect('/loop-a', 302, '/loop-b');
    a.redirect('/loop-b', 302, '/loop-a');
    const started = Date.now();
    const ex = await client.send({ method: 'PROPFIND', url: `${a.url}/loop-a`, auth: basic(), followRedirects: true });
    assert.ok(Date.now() - started < 2_000);
    assert.equal(ex.response, undefined);
    assert.equal(ex.error, `redirect loop: ${a.url}/loop-a → ${a.url}/loop-b → ${a.url}/loop-a`);
    assert.equal(a.seen.length, 2);
    assert.equal(ex.redirects?.length, 2);
    assertSchemaValid(ex);
  });

  it('a chain longer than the limit stops with a transport error naming the URLs', async () => {
    for (let i = 0; i < 12; i++) a.redirect(`/hop/${i}`, 307, `/hop/${i + 1}`);
    const ex = await client.send({ method: 'GET', url: `${a.url}/hop/0`, followRedirects: true });
    assert.equal(ex.response, undefined);
    assert.equal(a.seen.length, MAX_REDIRECTS + 1);
    assert.equal(ex.redirects?.length, MAX_REDIRECTS + 1);
    const chain = Array.from({ length: MAX_REDIRECTS + 2 }, (_, i) => `${a.url}/hop/${i}`).join(' → ');
    assert.equal(ex.error, `too many redirects (more than ${MAX_REDIRECTS}): ${chain}`);
    assert.ok(!ex.error!.includes('\n'));
  });

  it('a hop the caller refuses (allowRedirect, e.g. the sandbox) is not sent', async () => {
    a.redirect('/cal/x.ics', 307, '/other-user/x.ics');
    a.ok('/other-user/x.ics', 204, '');
    const asked: string[] = [];
    const ex = await client.send({
      method: 'DELETE',
      url: `${a.url}/cal/x.ics`,
      followRedirects: true,
      allowRedirect: (method, url) => (asked.push(`${method} ${url}`), false),
    });
    assert.deepEqual(asked, [`DELETE ${a.url}/other-user/x.ics`]);
    assert.deepEqual(
      a.seen.map((s) => `${s.method} ${s.url}`),
      ['DELETE /cal/x.ics'],
    );
    assert.equal(ex.response, undefined);
    assert.equal(
      ex.error,
      `redirect refused: DELETE ${a.url}/other-user/x.ics is not allowed (from ${a.url}/cal/x.ics)`,
    );
  });

  it('without followRedirects a 3xx is returned as is; 304 and a 3xx without Location are final', async () => {
    a.redirect('/moved', 301, '/there');
    a.routes.set('/nowhere', (_req, res) => res.writeHead(302).end());
    a.routes.set('/cached', (_req, res) => res.writeHead(304, { etag: '"1"' }).end());
    const plain = await client.send({ method: 'GET', url: `${a.url}/moved` });
    assert.deepEqual(
      [plain.response?.status, plain.response?.redirectedTo, plain.redirects],
      [301, '/there', undefined],
    );
    const noLocation = await client.send({ method: 'GET', url: `${a.url}/nowhere`, followRedirects: true });
    assert.deepEqual(
      [noLocation.response?.status, noLocation.error, noLocation.redirects],
      [302, undefined, undefined],
    );
    const cached = await client.send({ method: 'GET', url: `${a.url}/cached`, followRedirects: true });
    assert.deepEqual([cached.response?.status, cached.error], [304, undefined]);
    assert.deepEqual(
      a.seen.map((s) => s.url),
      ['/moved', '/nowhere', '/cached'],
    );
  });
});

describe('redirect rules', () => {
  it('origin comparison covers scheme, host and port', () => {
    assert.equal(sameOrigin('http://h:80/a', 'http://h/b'), true);
    assert.equal(sameOrigin('https://h/a', 'https://H:443/b'), true);
    assert.equal(sameOrigin('http://h/a', 'https://h/a'), false);
    assert.equal(sameOrigin('http://h:8008/a', 'http://h:8443/a'), false);
    assert.equal(sameOrigin('http://h/a', 'http://h.example/a'), false);
  });

  it('method per status', () => {
    const rows: [number, string, string][] = [
      [301, 'PROPFIND', 'PROPFIND'],
      [302, 'REPORT', 'REPORT'],
      [301, 'POST', 'GET'],
      [302, 'POST', 'GET'],
      [303, 'PROPFIND', 'GET'],
      [303, 'HEAD', 'HEAD'],
      [307, 'POST', 'POST'],
      [308, 'DELETE', 'DELETE'],
    ];
    for (const [status, method, expected] of rows)
      assert.equal(redirectMethod(status, method), expected, `${status} ${method}`);
  });
});

describe('request-target helpers', () => {
  it('resolves Location references by RFC 3986 §5.4 (normal and abnormal examples)', () => {
    const base = 'http://a/b/c/d;p?q';
    const examples: [string, string][] = [
      ['g', 'http://a/b/c/g'],
      ['./g', 'http://a/b/c/g'],
      ['g/', 'http://a/b/c/g/'],
      ['/g', 'http://a/g'],
      ['//g', 'http://g'],
      ['?y', 'http://a/b/c/d;p?y'],
      ['g?y', 'http://a/b/c/g?y'],
      ['#s', 'http://a/b/c/d;p?q'],
      ['', 'http://a/b/c/d;p?q'],
      ['.', 'http://a/b/c/'],
      ['..', 'http://a/b/'],
      ['../g', 'http://a/b/g'],
      ['../../../g', 'http://a/g'],
      ['/./g', 'http://a/g'],
      ['g.', 'http://a/b/c/g.'],
      ['..g', 'http://a/b/c/..g'],
      ['./../g', 'http://a/b/g'],
      ['g;x=1/../y', 'http://a/b/c/y'],
      ['https://other/x/../y', 'https://other/y'],
    ];
    for (const [ref, expected] of examples) assert.equal(resolveReference(ref, base).split('#')[0], expected, ref);
    // Percent-encoded dots are data, not dot segments: they stay as the server wrote them.
    assert.equal(resolveReference('/cal/%2e%2e/x', 'http://h/a'), 'http://h/cal/%2e%2e/x');
    assert.equal(removeDotSegments('/a/b/c/./../../g'), '/a/g');
  });

  it('targetUrl keeps what the suite wrote', () => {
    const base = 'http://h:8080/dav/';
    assert.equal(targetUrl('/cal/%2e%2e/x.ics', base), 'http://h:8080/cal/%2e%2e/x.ics');
    assert.equal(targetUrl('/cal/../x.ics', base), 'http://h:8080/cal/../x.ics');
    assert.equal(targetUrl('//double//x', base), 'http://h:8080//double//x');
    assert.equal(targetUrl('https://elsewhere/a/../b', base), 'https://elsewhere/a/../b');
    assert.equal(targetUrl('cal/x.ics', base), 'http://h:8080/dav/cal/x.ics');
  });
});
