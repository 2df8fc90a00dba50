// Deterministic event generator for seeding: single, weekly-recurring with an exception and an
// EXDATE, all-day, and TZID'd events with a VTIMEZONE, at a size mix close to real calendars
// (mostly small, some with long descriptions and attendee lists). Each event carries its
// occurrence intervals so time-range queries can be checked against what was seeded.
import type { SeedPlan } from './workload.js';

export interface SeededEvent {
  name: string;
  uid: string;
  body: string;
  /** UTC [start, end) in ms of each occurrence (± a few hours for TZID/all-day; checks keep a margin). */
  occurrences: [number, number][];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** mulberry32: tiny, seedable, good enough for picking a mix. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickWeighted<K extends string>(weights: Record<K, number>, r: number): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0) || 1;
  let x = r * total;
  for (const [k, w] of entries) if ((x -= w) < 0) return k;
  return entries[entries.length - 1]![0];
}

const BERLIN =
  `BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n` +
  `TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n` +
  `END:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n` +
  `DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n`;

const WORDS = (
  'agenda review budget planning sync retro design launch roadmap quarterly team customer offsite travel hiring ' +
  'interview demo standup'
).split(' ');

function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
function local(ms: number): string {
  return utc(ms).replace('Z', '');
}
function date(ms: number): string {
  return utc(ms).slice(0, 8);
}

/** Fold content lines at 75 octets (RFC 5545 §3.1); ASCII-only text here, so chars = octets. */
function fold(line: string): string {
  if (line.length <= 75) return line;
  const parts = [line.slice(0, 75)];
  for (let i = 75; i < line.length; i += 74) parts.push(` ${line.slice(i, i + 74)}`);
  return parts.join('\r\n');
}

function text(rand: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}

export function generateEvent(plan: SeedPlan, prefix: string, index: number, seed: number): SeededEvent {
  const rand = prng(seed * 7919 + index);
  const kind = pickWeighted(plan.kinds, rand());
  const size = pickWeighted(plan.sizes, rand());
  const base = Date.parse(`${plan.start}T00:00:00Z`);
  const day = Math.floor(rand() * plan.spanDays);
  const start = base + day * DAY + (8 + Math.floor(rand() * 10)) * HOUR;
  const length = (1 + Math.floor(rand() * 4)) * 30 * 60_000;
  const uid = `${prefix}-${index}@calspec.load`;
  const lines = [`UID:${uid}`, `DTSTAMP:${utc(base)}`, `SUMMARY:${text(rand, 3)}`, `SEQUENCE:0`];
  let occurrences: [number, number][] = [[start, start + length]];
  let extra = '';
  let tz = '';
  if (kind === 'allDay') {
    const d0 = base + day * DAY;
    lines.push(`DTSTART;VALUE=DATE:${date(d0)}`, `DTEND;VALUE=DATE:${date(d0 + DAY)}`, 'TRANSP:TRANSPARENT');
    occurrences = [[d0, d0 + DAY]];
  } else if (kind === 'timezone') {
    tz = BERLIN;
    // Local wall time in Berlin is UTC+1/+2: the recorded interval is approximate by ≤ 2 h.
    lines.push(`DTSTART;TZID=Europe/Berlin:${local(start)}`, `DTEND;TZID=Europe/Berlin:${local(start + length)}`);
    occurrences = [[start - 2 * HOUR, start + length]];
  } else {
    lines.push(`DTSTART:${utc(start)}`, `DTEND:${utc(start + length)}`);
  }
  if (kind === 'recurring') {
    const count = 8;
    lines.push(`RRULE:FREQ=WEEKLY;COUNT=${count}`, `EXDATE:${utc(start + 2 * 7 * DAY)}`);
    occurrences = [];
    for (let k = 0; k < count; k++)
      if (k !== 2) occurrences.push([start + k * 7 * DAY, start + k * 7 * DAY + length + (k === 1 ? 2 * HOUR : 0)]);
    // The second instance moved two hours later: an exception component with RECURRENCE-ID.
    const moved = start + 7 * DAY;
    extra =
      [
        'BEGIN:VEVENT',
        `UID:${uid}`,
        `DTSTAMP:${utc(base)}`,
        `RECURRENCE-ID:${utc(moved)}`,
        `DTSTART:${utc(moved + 2 * HOUR)}`,
        `DTEND:${utc(moved + 2 * HOUR + length)}`,
        `SUMMARY:moved ${text(rand, 2)}`,
        'END:VEVENT',
      ].join('\r\n') + '\r\n';
  }
  if (size !== 'small') {
    const words = size === 'medium' ? 150 + Math.floor(rand() * 300) : 2500 + Math.floor(rand() * 3000);
    lines.push(`DESCRIPTION:${text(rand, words)}`, `LOCATION:Room ${Math.floor(rand() * 500)}`);
    const attendees = size === 'medium' ? 5 : 60;
    lines.push('ORGANIZER;CN=Organizer:mailto:organizer@example.com');
    for (let a = 0; a < attendees; a++)
      lines.push(`ATTENDEE;CN=Person ${a};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:p${a}@example.com`);
  }
  const vevent = ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].map(fold).join('\r\n') + '\r\n';
  const body =
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calspec//load//EN\r\n` + `${tz}${vevent}${extra}END:VCALENDAR\r\n`;
  return { name: `${prefix}-${index}.ics`, uid, body, occurrences };
}

/** A churn object: far outside every query range (year 2099), so it never changes query answers. */
export function churnEvent(uid: string, version: number): string {
  return (
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calspec//load//EN\r\nBEGIN:VEVENT\r\n` +
    `UID:${uid}\r\nDTSTAMP:20990101T000000Z\r\nDTSTART:20990601T100000Z\r\nDTEND:20990601T110000Z\r\n` +
    `SUMMARY:churn ${version}\r\nSEQUENCE:${version}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
  );
}
