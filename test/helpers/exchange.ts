// Building recorded exchanges by hand, for tests of checks and captures.
import type { Exchange } from '../../src/model/exchange.js';

export function exchange(
  status: number,
  body = '',
  headers: Record<string, string> = {},
  url = 'http://dav.test/cal/',
): Exchange {
  return {
    request: { method: 'REPORT', url, headers: {} },
    response: {
      status,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body,
    },
    timings: { startedAt: 0, totalMs: 1 },
  };
}

export function multistatus(responses: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" ` +
    `xmlns:CS="http://calendarserver.org/ns/">${responses}</D:multistatus>`
  );
}

export function response(href: string, props: string, status = 'HTTP/1.1 200 OK', extra = ''): string {
  return (
    `<D:response><D:href>${href}</D:href><D:propstat><D:prop>${props}</D:prop>` +
    `<D:status>${status}</D:status></D:propstat>${extra}</D:response>`
  );
}

export const EVENT = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:abc@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260105T100000Z',
  'DTEND:20260105T110000Z',
  'SUMMARY:Lunch',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
