// `ical: { sameAs }` round trips: a change RFC 5545 gives the same meaning passes and is recorded
// as a note; a change of meaning fails, even when it looks like one of the legal changes.
import assert from 'node:assert/strict';
import { contextFor, evaluateCheck } from '../../src/checks/run.js';
import type { CheckResult } from '../../src/model/result.js';
import { compareICal } from '../../src/ical/compare.js';
import { EVENT, exchange } from '../helpers/exchange.js';

/** EVENT with extra lines inserted before SUMMARY (inside the VEVENT). */
const withLines = (...lines: string[]) => EVENT.replace('SUMMARY:', [...lines, 'SUMMARY:'].join('\r\n'));

function roundTrip(stored: string, readBack: string, ignore?: string[]): CheckResult {
  const ctx = contextFor(exchange(200, readBack), 'http://dav.test/');
  return evaluateCheck('ical', { sameAs: stored, ...(ignore ? { ignore } : {}) }, ctx);
}

function passesWithNote(stored: string, readBack: string, ...notes: RegExp[]): void {
  const result = roundTrip(stored, readBack);
  assert.equal(result.ok, true, result.actual);
  assert.equal(result.notes?.length ?? 0, notes.length, `notes: ${JSON.stringify(result.notes)}`);
  // Each expected note is there (in any order: notes follow the stored object's property order).
  for (const re of notes)
    assert.ok(
      result.notes!.some((n) => re.test(n)),
      `no note matches ${re}: ${result.notes}`,
    );
}

function fails(stored: string, readBack: string, mentions: RegExp): CheckResult {
  const result = roundTrip(stored, readBack);
  assert.equal(result.ok, false, `passed although: ${mentions}`);
  assert.match(result.actual.split('\n---')[0]!, mentions);
  return result;
}

describe('ical sameAs: legal server changes pass, with notes', () => {
  it('an identical object passes without notes', () => passesWithNote(EVENT, EVENT));

  it('properties added with their default value (RFC 5545 §3.8.1.3, §3.8.2.7, §3.8.1.9, §3.8.7.4)', () => {
    passesWithNote(
      EVENT,
      withLines('CLASS:PUBLIC', 'TRANSP:OPAQUE', 'PRIORITY:0', 'SEQUENCE:0'),
      /^VEVENT: server added CLASS:PUBLIC \(the default, RFC 5545 §3\.8\.1\.3\)$/,
      /server added TRANSP:OPAQUE .*§3\.8\.2\.7/,
      /server added PRIORITY:0 .*§3\.8\.1\.9/,
      /server added SEQUENCE:0 .*§3\.8\.7\.4/,
    );
  });

  it('a default value the client sent and the server dropped', () => {
    passesWithNote(withLines('CLASS:PUBLIC', 'PRIORITY:0'), EVENT, /dropped CLASS:PUBLIC/, /dropped PRIORITY:0/);
  });

  it('CALSCALE:GREGORIAN added to the VCALENDAR (§3.7.1)', () => {
    passesWithNote(
      EVENT,
      EVENT.replace('VERSION:2.0', 'VERSION:2.0\r\nCALSCALE:GREGORIAN'),
      /^VCALENDAR: server added CALSCALE:GREGORIAN .*§3\.7\.1/,
    );
  });

  it('REPEAT:0 and RELATED=START added to an alarm (§3.8.6.2, §3.2.14)', () => {
    const alarm = (trigger: string, ...more: string[]) =>
      withLines('BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', trigger, ...more, 'END:VALARM');
    passesWithNote(
      alarm('TRIGGER:-PT15M'),
      alarm('TRIGGER;RELATED=START:-PT15M', 'REPEAT:0'),
      /^VEVENT\/VALARM#0: server added RELATED=START on TRIGGER -PT15M .*§3\.2\.14/,
      /^VEVENT\/VALARM#0: server added REPEAT:0 .*§3\.8\.6\.2/,
    );
  });

  it('default parameters on ATTENDEE (§3.2.3, §3.2.12, §3.2.16, §3.2.17)', () => {
    passesWithNote(
      withLines('ATTENDEE;CN=Bob:mailto:bob@example.com'),
      withLines(
        'ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=false;CN=Bob' +
          ':mailto:bob@example.com',
      ),
      /server added CUTYPE=INDIVIDUAL on ATTENDEE mailto:bob@example\.com .*§3\.2\.3/,
      /PARTSTAT=NEEDS-ACTION .*§3\.2\.12/,
      /ROLE=REQ-PARTICIPANT .*§3\.2\.16/,
      /RSVP=false .*§3\.2\.17/,
    );
  });

  it('server-managed PRODID, DTSTAMP, CREATED, LAST-MODIFIED (§3.7.3, §3.8.7.2, §3.8.7.1, §3.8.7.3)', () => {
    const back = withLines('CREATED:20261201T000000Z', 'LAST-MODIFIED:20261201T000000Z')
      .replace('PRODID:-//test//EN', 'PRODID:-//server//EN')
      .replace('DTSTAMP:20260101T000000Z', 'DTSTAMP:20261201T120000Z');
    passesWithNote(
      EVENT,
      back,
      /^VCALENDAR: server changed PRODID -\/\/test\/\/EN → -\/\/server\/\/EN \(server-managed, RFC 5545 §3\.7\.3\)$/,
      /server changed DTSTAMP 20260101T000000Z → 20261201T120000Z .*§3\.8\.7\.2/,
      /server added CREATED:20261201T000000Z .*§3\.8\.7\.1/,
      /server added LAST-MODIFIED:20261201T000000Z .*§3\.8\.7\.3/,
    );
  });

  it('X- and IANA properties and parameters the server added (§3.8.8.2, §3.8.8.1, §3.2)', () => {
    passesWithNote(
      withLines('ATTENDEE:mailto:bob@example.com'),
      withLines('X-SERVER-THING:1', 'COLOR:red', 'ATTENDEE;X-NUM-GUESTS=0;SCHEDULE-STATUS=1.2:mailto:bob@example.com'),
      /server added X-SERVER-THING:1 \(X- property, RFC 5545 §3\.8\.8\.2\)/,
      /server added COLOR:red \(IANA property, RFC 5545 §3\.8\.8\.1\)/,
      /server added X-NUM-GUESTS=0 on ATTENDEE .*X- parameter, RFC 5545 §3\.2/,
      /server added SCHEDULE-STATUS=1\.2 on ATTENDEE .*IANA parameter/,
    );
  });

  it('a SEQUENCE change is recorded but not judged, as before (RFC 6638 §3.2.5)', () => {
    passesWithNote(withLines('SEQUENCE:1'), withLines('SEQUENCE:2'), /server changed SEQUENCE 1 → 2 \(not judged/);
  });

  it('equivalent forms pass without notes: list vs repeated lines, enumeration and parameter case, VALUE', () => {
    passesWithNote(
      withLines('CATEGORIES:WORK,calspec test', 'RDATE:20260106T100000Z,20260107T100000Z', 'CLASS:PRIVATE'),
      withLines(
        'CATEGORIES:calspec test',
        'CATEGORIES:WORK',
        'RDATE:20260107T100000Z',
        'RDATE:20260106T100000Z',
      ).replace('SUMMARY', 'CLASS:private\r\nSUMMARY'),
    );
    passesWithNote(
      withLines(
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.com',
        'X-A;VALUE=TEXT:v',
        'DUE;VALUE=DATE-TIME:20260106T100000Z',
      ),
      withLines('ATTENDEE;partstat=accepted:mailto:a@example.com', 'X-A:v', 'DUE:20260106T100000Z'),
    );
  });

  it('a suite `ignore:` list leaves properties out silently', () => {
    const result = roundTrip(EVENT, EVENT.replace('SUMMARY:Lunch', 'SUMMARY:Dinner'), ['summary']);
    assert.equal(result.ok, true);
    assert.equal(result.notes, undefined);
  });
});

describe('ical sameAs: changes of meaning still fail', () => {
  it('a changed SUMMARY', () =>
    fails(EVENT, EVENT.replace('SUMMARY:Lunch', 'SUMMARY:Dinner'), /SUMMARY: expected Lunch, got Dinner/));

  it('a dropped DTEND', () =>
    fails(EVENT, EVENT.replace('DTEND:20260105T110000Z\r\n', ''), /DTEND: expected 20260105T110000Z, got \(absent\)/));

  it('DTSTART moved to another instant', () => {
    fails(EVENT, EVENT.replace('DTSTART:20260105T100000Z', 'DTSTART:20260105T090000Z'), /DTSTART/);
  });

  it('DTSTART rewritten from UTC to a TZID local time: not the same form of DATE-TIME (§3.3.5)', () => {
    fails(EVENT, EVENT.replace('DTSTART:20260105T100000Z', 'DTSTART;TZID=Europe/Berlin:20260105T110000'), /DTSTART/);
  });

  it('a client-sent X- property dropped or changed', () => {
    fails(withLines('X-CLIENT-FLAG:yes'), EVENT, /X-CLIENT-FLAG: expected yes, got \(absent\)/);
    fails(withLines('X-CLIENT-FLAG:yes'), withLines('X-CLIENT-FLAG:no'), /X-CLIENT-FLAG: expected yes, got no/);
  });

  it('a client-sent X- parameter dropped', () => {
    fails(withLines('ATTENDEE;X-A=1:mailto:a@example.com'), withLines('ATTENDEE:mailto:a@example.com'), /ATTENDEE/);
  });

  it('a non-default CLASS, TRANSP or PRIORITY changed to the default or dropped', () => {
    fails(withLines('CLASS:PRIVATE'), withLines('CLASS:PUBLIC'), /CLASS: expected PRIVATE, got PUBLIC/);
    fails(withLines('CLASS:CONFIDENTIAL'), EVENT, /CLASS: expected CONFIDENTIAL, got \(absent\)/);
    fails(withLines('TRANSP:TRANSPARENT'), EVENT, /TRANSP/);
    fails(withLines('PRIORITY:1'), withLines('PRIORITY:0'), /PRIORITY/);
  });

  it('a property RFC 5545 defines, added with a value that is not its default', () => {
    fails(EVENT, withLines('CLASS:PRIVATE'), /CLASS: unexpected property PRIVATE/);
    fails(EVENT, withLines('STATUS:CANCELLED'), /STATUS: unexpected property CANCELLED/);
    fails(EVENT, withLines('TRANSP:TRANSPARENT'), /TRANSP/);
  });

  it('a parameter changed, dropped when not the default, or added with a non-default value', () => {
    const att = (params: string) => withLines(`ATTENDEE${params}:mailto:a@example.com`);
    fails(
      att(';PARTSTAT=ACCEPTED'),
      att(';PARTSTAT=DECLINED'),
      /ATTENDEE: expected PARTSTAT=ACCEPTED:mailto:a@example\.com, got PARTSTAT=DECLINED/,
    );
    fails(att(';PARTSTAT=ACCEPTED'), att(';PARTSTAT=NEEDS-ACTION'), /ATTENDEE/);
    fails(att(';PARTSTAT=ACCEPTED'), att(''), /ATTENDEE/);
    fails(att(''), att(';ROLE=CHAIR'), /ROLE=CHAIR/);
  });

  it('a value lost from a list, or a DATE turned into a DATE-TIME', () => {
    fails(
      withLines('CATEGORIES:WORK,MEETING'),
      withLines('CATEGORIES:WORK'),
      /CATEGORIES: expected MEETING, got \(absent\)/,
    );
    fails(withLines('RDATE;VALUE=DATE:20260106'), withLines('RDATE:20260106T000000Z'), /RDATE/);
  });

  it('whitespace lost at the end of a TEXT value, shown quoted', () => {
    fails(EVENT, EVENT.replace('SUMMARY:Lunch', 'SUMMARY:Lunch '), /SUMMARY: expected Lunch, got "Lunch "/);
  });

  it('a failure still carries the notes of the legal changes next to it', () => {
    const result = fails(EVENT, withLines('CLASS:PUBLIC').replace('SUMMARY:Lunch', 'SUMMARY:Dinner'), /SUMMARY/);
    assert.deepEqual(result.notes, ['VEVENT: server added CLASS:PUBLIC (the default, RFC 5545 §3.8.1.3)']);
  });

  it('a CALSCALE other than the default, or TRANSP added where it has no default, is a difference', () => {
    const gregorian = EVENT.replace('VERSION:2.0', 'VERSION:2.0\r\nCALSCALE:GREGORIAN');
    fails(gregorian, EVENT.replace('VERSION:2.0', 'VERSION:2.0\r\nCALSCALE:X-LUNAR'), /CALSCALE/);
    const vtodo = EVENT.replace(/VEVENT/g, 'VTODO').replace('DTEND', 'DUE');
    // TRANSP is defined for VEVENT only (§3.8.2.7): in a VTODO it has no default to fall back on.
    assert.deepEqual(compareICal(vtodo, vtodo.replace('SUMMARY', 'TRANSP:OPAQUE\r\nSUMMARY')).diffs, [
      '/VCALENDAR/VTODO[UID=abc@test] TRANSP: unexpected property OPAQUE',
    ]);
  });
});
