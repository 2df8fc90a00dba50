// The user's own data in a shared calendar: events that overlap the time ranges, summaries and
// attendees the suites query for, a recurring one, a task, and an object named like another
// calspec run's. Shared-calendar runs must neither judge these nor touch them.
import { parseMultistatus } from '../../src/xml/multistatus.js';
import { findProp } from '../../src/xml/multistatus.js';
import { deepText } from '../../src/xml/element.js';

export interface Auth {
  header: string;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function event(uid: string, start: Date, extra: string[] = []): string {
  const end = new Date(start.getTime() + 3_600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//user//shared calendar seed//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${stamp(new Date())}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    'SUMMARY:Lunch with the dentist',
    'ORGANIZER:mailto:test@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:someone@example.com',
    ...extra,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Lunch',
    'TRIGGER:-PT15M',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Objects to seed: name → iCalendar text. Times spread over the days the suites query. */
export function seedObjects(now = new Date()): Map<string, string> {
  const out = new Map<string, string>();
  for (let h = -24; h <= 8 * 24; h += 7) {
    out.set(`user-${h + 24}.ics`, event(`user-${h}@example.com`, new Date(now.getTime() + h * 3_600_000)));
  }
  out.set('user-daily.ics', event('user-daily@example.com', now, ['RRULE:FREQ=DAILY;COUNT=20']));
  // Named like another calspec run's object: a run's fence must leave it alone too.
  out.set('calspec-20200101-000000-zzzz-000-lunch.ics', event('other-run@example.com', now));
  return out;
}

export async function seed(calendarUrl: string, auth: Auth, now = new Date()): Promise<void> {
  for (const [name, body] of seedObjects(now)) {
    const res = await fetch(new URL(name, calendarUrl), {
      method: 'PUT',
      headers: { Authorization: auth.header, 'Content-Type': 'text/calendar; charset=utf-8' },
      body,
    });
    if (res.status >= 300) throw new Error(`seeding ${name}: ${res.status}`);
  }
}

/** href → ETag of every member of the calendar (Depth 1 PROPFIND). */
export async function snapshot(calendarUrl: string, auth: Auth): Promise<Record<string, string>> {
  const res = await fetch(calendarUrl, {
    method: 'PROPFIND',
    headers: { Authorization: auth.header, Depth: '1', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
  });
  const ms = parseMultistatus(await res.text());
  const out: Record<string, string> = {};
  for (const r of ms.responses) {
    const etag = findProp(r, '{DAV:}getetag');
    out[r.href] = etag ? deepText(etag.prop).trim() : '';
  }
  return out;
}
