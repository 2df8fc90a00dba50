// The built-in time zone definitions behind RFC 7809 "time zones by reference". ical.js ships no
// zone database and the server must not fetch one, so the few zones it knows are written out here.
// Only the rules in force today are encoded (one yearly RRULE per transition): enough for current
// and future dates, not for history — times before a zone's first DTSTART get its earliest offset.

/** One STANDARD or DAYLIGHT observance of a VTIMEZONE (RFC 5545 §3.6.5). */
interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** Local wall-clock time of the first transition under the current rules. */
  start: string;
  from: string;
  to: string;
  name: string;
  /** The yearly transition rule; absent for zones that never change offset. */
  rule?: string;
}

const fixed = (offset: string, name: string): Observance[] => [
  { kind: 'STANDARD', start: '19700101T000000', from: offset, to: offset, name },
];

/** The EU rule (since 1996): summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
function european(
  std: string,
  dst: string,
  stdName: string,
  dstName: string,
  springLocal: string,
  autumnLocal: string,
): Observance[] {
  return [
    {
      kind: 'DAYLIGHT',
      start: `19700329T${springLocal}`,
      from: std,
      to: dst,
      name: dstName,
      rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    },
    {
      kind: 'STANDARD',
      start: `19701025T${autumnLocal}`,
      from: dst,
      to: std,
      name: stdName,
      rule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    },
  ];
}

/**
 * The US rule (since 2007): daylight time from the second Sunday of March to the first Sunday of November,
 * 02:00 local.
 */
function northAmerican(std: string, dst: string, stdName: string, dstName: string): Observance[] {
  return [
    {
      kind: 'DAYLIGHT',
      start: '20070311T020000',
      from: std,
      to: dst,
      name: dstName,
      rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    },
    {
      kind: 'STANDARD',
      start: '20071104T020000',
      from: dst,
      to: std,
      name: stdName,
      rule: 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    },
  ];
}

const ZONES: ReadonlyArray<[string, Observance[]]> = [
  ['UTC', fixed('+0000', 'UTC')],
  ['Europe/Berlin', european('+0100', '+0200', 'CET', 'CEST', '020000', '030000')],
  ['Europe/London', european('+0000', '+0100', 'GMT', 'BST', '010000', '020000')],
  ['America/New_York', northAmerican('-0500', '-0400', 'EST', 'EDT')],
  ['America/Los_Angeles', northAmerican('-0800', '-0700', 'PST', 'PDT')],
  ['Asia/Tokyo', fixed('+0900', 'JST')],
  // Southern hemisphere (since 2008): daylight time from the first Sunday of October to the first Sunday of April.
  [
    'Australia/Sydney',
    [
      {
        kind: 'STANDARD',
        start: '20080406T030000',
        from: '+1100',
        to: '+1000',
        name: 'AEST',
        rule: 'FREQ=YEARLY;BYMONTH=4;BYDAY=1SU',
      },
      {
        kind: 'DAYLIGHT',
        start: '20081005T020000',
        from: '+1000',
        to: '+1100',
        name: 'AEDT',
        rule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=1SU',
      },
    ],
  ],
];

function vtimezoneLines(tzid: string, observances: Observance[]): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`];
  for (const o of observances) {
    lines.push(`BEGIN:${o.kind}`, `DTSTART:${o.start}`);
    if (o.rule) lines.push(`RRULE:${o.rule}`);
    lines.push(`TZOFFSETFROM:${o.from}`, `TZOFFSETTO:${o.to}`, `TZNAME:${o.name}`, `END:${o.kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** TZID → its VTIMEZONE component as iCalendar text (CRLF line ends, no trailing newline). */
export const BUILTIN_VTIMEZONES: ReadonlyMap<string, string> = new Map(
  ZONES.map(([tzid, obs]) => [tzid, vtimezoneLines(tzid, obs).join('\r\n')]),
);

/** A VCALENDAR holding the one built-in VTIMEZONE of `tzid` (the shape of CALDAV:calendar-timezone), if known. */
export function calendarWithZone(tzid: string): string | undefined {
  const vtz = BUILTIN_VTIMEZONES.get(tzid);
  return (
    vtz &&
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calspec//reference server//EN', vtz, 'END:VCALENDAR', ''].join('\r\n')
  );
}
