// The bootstrap's verdicts against a scripted WebDAV server: what the RFCs allow (an absolute-URL
// href, a redirected context path) is no finding; what they forbid (a principal that is not there,
// a CalDAV server without calendar-home-set) is; a plain WebDAV server stays exit 3.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { discover } from '../../src/dav/bootstrap.js';
import { DavClient } from '../../src/dav/http.js';
import { Authenticator } from '../../src/dav/auth.js';
import { DiscoveryFailed } from '../../src/dav/discovery-findings.js';
import { CalspecError } from '../../src/model/exit-codes.js';

interface Script {
  dav: string;
  /** The current-user-principal href; `{origin}` in any answer becomes the server's own origin. */
  cup: string;
  /** Path → PROPFIND answer of the principal; absent: 404. */
  principals: Record<string, string>;
}

const ms = (href: string, props: string) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop>` +
  `<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
const homeSet = (href: string) => `<c:calendar-home-set><d:href>${href}</d:href></c:calendar-home-set>`;

async function scripted(script: Script): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (req.method === 'OPTIONS') return res.writeHead(200, { dav: script.dav }).end();
    // The context path the user was given moved: a redirect, followed like a client would.
    if (path === '/start/') return res.writeHead(301, { location: '/dav/' }).end();
    const body =
      path === '/dav/'
        ? ms(path, `<d:current-user-principal><d:href>${script.cup}</d:href></d:current-user-principal>`)
        : script.principals[path];
    if (!body) return res.writeHead(404).end();
    const origin = `http://${req.headers.host}`;
    res.writeHead(207, { 'content-type': 'application/xml' }).end(body.replaceAll('{origin}', origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/start/`, server };
}

async function bootstrap(script: Partial<Script> & { cup: string }) {
  const { url, server } = await scripted({ dav: '1, 2, calendar-access', principals: {}, ...script });
  const client = new DavClient({});
  const auth = new Authenticator({ user: 'alice', password: 'pw', kind: 'basic' });
  try {
    return await discover(client, url, auth, 'alice', {}, ['bob']);
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

const failedWith = (key: string) => (e: unknown) => {
  assert.ok(e instanceof DiscoveryFailed, String(e));
  assert.deepEqual(
    e.findings.map((f) => f.requirement.key),
    [key],
  );
  assert.equal(e.exitCode, 3, 'other commands still stop with exit 3');
  return true;
};

describe('bootstrap: lenient where the RFCs allow, findings where they do not', () => {
  it('an absolute-URL href after a redirected context path is no finding', async () => {
    const principal = '/dav/principals/alice/';
    const found = await bootstrap({
      cup: principal,
      principals: { [principal]: ms(principal, homeSet('/dav/calendars/alice')) },
    });
    assert.equal(found.principal, principal);
    assert.equal(found.home, '/dav/calendars/alice/');
  });

  it('a principal and a home written as full URLs resolve to their paths', async () => {
    const principal = '/dav/principals/alice/';
    const found = await bootstrap({
      cup: `{origin}${principal}`,
      principals: { [principal]: ms(`{origin}${principal}`, homeSet('{origin}/dav/calendars/alice/')) },
    });
    assert.equal(found.principal, principal);
    assert.equal(found.home, '/dav/calendars/alice/');
  });

  it('a principal URL that answers 404: RFC 5397 §3 finding', async () => {
    await assert.rejects(bootstrap({ cup: '/dav/principals/alice/' }), failedWith('rfc5397/3/cup-is-principal-url'));
  });

  it("a principal path naming the run's other user: RFC 5397 §3 finding", async () => {
    const principal = '/dav/principals/bob/';
    await assert.rejects(
      bootstrap({ cup: principal, principals: { [principal]: ms(principal, homeSet('/dav/calendars/bob/')) } }),
      failedWith('rfc5397/3/cup-differs-per-user'),
    );
  });

  it('a principal answering 207 with a body that is not XML is exit 3, not a verdict', async () => {
    const principal = '/dav/principals/alice/';
    await assert.rejects(bootstrap({ cup: principal, principals: { [principal]: '<html>oops' } }), (e: unknown) => {
      assert.ok(e instanceof CalspecError && !(e instanceof DiscoveryFailed), String(e));
      assert.match(e.message, /unreadable 207 response/);
      return true;
    });
  });

  it('no calendar-home-set: a finding if the server claims calendar-access, exit 3 if plain WebDAV', async () => {
    const principal = '/dav/principals/alice/';
    const principals = { [principal]: ms(principal, '<d:displayname>Alice</d:displayname>') };
    await assert.rejects(
      bootstrap({ cup: principal, principals }),
      failedWith('rfc4791/6.2/principal-calendar-home-set'),
    );
    await assert.rejects(bootstrap({ cup: principal, principals, dav: '1, 2' }), (e: unknown) => {
      assert.ok(e instanceof CalspecError && !(e instanceof DiscoveryFailed));
      assert.match(e.message, /does not look like a CalDAV server/);
      return true;
    });
  });
});
