// Servers such as Nextcloud set a session cookie on every answer, and a client that sends it back
// stays logged in as that user whatever credentials it sends. calspec keeps no cookie jar: over
// the real undici Agent (not a mock), user B's request must carry B's credentials and no cookie
// that user A's answer set, on a fresh and on a reused connection alike.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../../src/dav/auth.js';
import { DavClient } from '../../src/dav/http.js';

describe('DAV client: no cookies carried between users', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      const user = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':')[0];
      res.setHeader('set-cookie', [`oc_sessionPassphrase=${user}-session; path=/; HttpOnly`, `nc_username=${user}`]);
      res.writeHead(207, { 'content-type': 'application/xml' });
      res.end('<d:multistatus xmlns:d="DAV:"/>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("user B's requests carry B's credentials and none of the cookies A's answers set", async () => {
    const client = new DavClient({});
    const a = new Authenticator({ user: 'test', password: 'test', kind: 'basic' });
    const b = new Authenticator({ user: 'user1', password: 'pass1', kind: 'basic' });
    try {
      seen.length = 0;
      const first = await client.send({ method: 'PROPFIND', url: `${base}/remote.php/dav/`, auth: a });
      assert.ok(first.response?.headers['set-cookie'], 'the server set a cookie');
      await client.send({ method: 'PROPFIND', url: `${base}/remote.php/dav/`, auth: a });
      await client.send({ method: 'PROPFIND', url: `${base}/remote.php/dav/calendars/user1/`, auth: b });
      assert.equal(seen.length, 3);
      for (const h of seen) assert.equal(h.cookie, undefined, 'no Cookie header is ever sent');
      const bAuth = Buffer.from(String(seen[2]!.authorization).replace(/^Basic /, ''), 'base64').toString();
      assert.equal(bAuth, 'user1:pass1');
    } finally {
      await client.close();
    }
  });

  it('the recorder would see a Cookie header if one were sent (so the test above can fail)', async () => {
    const client = new DavClient({});
    try {
      seen.length = 0;
      await client.send({ method: 'PROPFIND', url: `${base}/`, headers: { cookie: 'nc_username=test' } });
      assert.equal(seen[0]!.cookie, 'nc_username=test');
    } finally {
      await client.close();
    }
  });
});
