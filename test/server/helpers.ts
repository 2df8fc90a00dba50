// Shared helpers for the reference-server tests: start a server, send DAV requests with undici.
import { request } from 'undici';
import { parseMultistatus, type Multistatus } from '../../src/xml/index.js';
import { startReferenceServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';

export interface Res {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class Client {
  constructor(
    readonly server: RunningServer,
    private readonly auth: string | null = 'Basic ' + Buffer.from('test:test').toString('base64'),
  ) {}

  get origin(): string {
    return new URL(this.server.url).origin;
  }

  as(user: string, password: string): Client {
    return new Client(this.server, 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'));
  }

  bearer(token: string): Client {
    return new Client(this.server, `Bearer ${token}`);
  }

  anonymous(): Client {
    return new Client(this.server, null);
  }

  async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.auth) h.authorization = this.auth;
    if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
      h['content-type'] = 'application/xml; charset=utf-8';
    const res = await request(this.origin + path, { method: method as 'GET', headers: h, body });
    const text = await res.body.text();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, body: text };
  }

  async ms(
    method: string,
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Multistatus & { res: Res }> {
    const res = await this.send(method, path, body, headers);
    if (res.status !== 207) throw new Error(`${method} ${path}: expected 207, got ${res.status}: ${res.body}`);
    return { ...parseMultistatus(res.body), res };
  }

  put(path: string, ical: string, headers: Record<string, string> = {}): Promise<Res> {
    return this.send('PUT', path, ical, { 'content-type': 'text/calendar; charset=utf-8', ...headers });
  }
}

export async function withServer(opts: ServerOptions = {}): Promise<{ server: RunningServer; client: Client }> {
  const server = await startReferenceServer({ quiet: true, ...opts });
  return { server, client: new Client(server) };
}

export function vevent(uid: string, lines: string[], extra = ''): string {
  return (
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//calspec//test//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260101T000000Z',
      ...lines,
      'END:VEVENT',
      extra,
      'END:VCALENDAR',
      '',
    ]
      .filter((l) => l !== '')
      .join('\r\n') + '\r\n'
  );
}

export const NSDECL = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';

export function propfindBody(props: string): string {
  return `<?xml version="1.0"?><d:propfind ${NSDECL}><d:prop>${props}</d:prop></d:propfind>`;
}

export function lockinfo(scope: 'exclusive' | 'shared' = 'exclusive'): string {
  return (
    `<?xml version="1.0"?><d:lockinfo xmlns:d="DAV:"><d:lockscope><d:${scope}/></d:lockscope>` +
    `<d:locktype><d:write/></d:locktype><d:owner><d:href>urn:x:me</d:href></d:owner></d:lockinfo>`
  );
}

/** An ACL body granting `privileges` (inner XML, e.g. `<d:read/>`) to `principal`. */
export function aclBody(principal: string, privileges: string): string {
  return (
    `<?xml version="1.0"?><d:acl ${NSDECL}><d:ace><d:principal><d:href>${principal}</d:href>` +
    `</d:principal><d:grant><d:privilege>${privileges}</d:privilege></d:grant></d:ace></d:acl>`
  );
}

/** An event organized by test@example.com with user1 invited. */
export function invite(uid: string, summary = 'Planning', extraAttendee = ''): string {
  return vevent(uid, [
    'DTSTART:20260105T100000Z',
    'DTEND:20260105T110000Z',
    `SUMMARY:${summary}`,
    'ORGANIZER:mailto:test@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:test@example.com',
    'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:user1@example.com',
    extraAttendee,
  ]);
}
