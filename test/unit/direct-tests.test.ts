// The map from a setup operation to the scenario that tests it directly: every key names a real
// scenario, that scenario sends the operation in its own steps (so the pointer is never circular),
// and requests are classified by what their body holds.
import assert from 'node:assert/strict';
import { CALENDAR_IS_CALENDAR, DIRECT_TESTS, directTest } from '../../src/engine/direct-tests.js';
import { loadSuites } from '../../src/suite/load.js';
import { scenarioKey, type ScenarioSpec } from '../../src/model/suite.js';

const req = (method: string, path: string, body?: string) => ({
  method,
  url: `http://127.0.0.1:1/calendars/test/${path}`,
  headers: {},
  ...(body === undefined ? {} : { body }),
});
const ical = (component: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n` +
  `BEGIN:${component}\r\nUID:u\r\nEND:${component}\r\nEND:VCALENDAR\r\n`;

describe('direct tests of setup operations', () => {
  const scenarios = new Map<string, ScenarioSpec>();
  for (const suite of loadSuites(['suites'], { fixturesDir: 'fixtures' }))
    for (const s of suite.scenarios) scenarios.set(scenarioKey(suite, s.id), s);

  it('every mapped key is a scenario of the loaded suites that sends that method in its steps', () => {
    assert.ok(DIRECT_TESTS.length >= 15, 'the map covers the writing methods');
    assert.ok(DIRECT_TESTS.some((d) => d.key === CALENDAR_IS_CALENDAR));
    for (const { key, method } of DIRECT_TESTS) {
      const scenario = scenarios.get(key);
      assert.ok(scenario, `${key} exists in suites/`);
      assert.ok(
        scenario.steps.some((s) => s.request.method === method),
        `${key} sends ${method} in its steps, not only in setup`,
      );
    }
  });

  it('the scenario calendar check points at the scenario that checks the resourcetype', () => {
    const s = scenarios.get(CALENDAR_IS_CALENDAR)!;
    assert.equal(s.calendar, false, 'it does not itself need a scenario calendar');
    assert.ok(JSON.stringify(s.steps.flatMap((x) => x.checks.map((c) => c.args))).includes('c:calendar'));
  });

  it('classifies by method and body', () => {
    const cases: [ReturnType<typeof req>, string | undefined][] = [
      [req('MKCALENDAR', 'c/'), 'rfc4791/5.3.1/mkcal-created'],
      [
        req('MKCALENDAR', 'c/', '<c:mkcalendar><d:set><d:prop><d:displayname>x</d:displayname>'),
        'rfc4791/5.3.1/mkcal-with-body-created',
      ],
      [req('MKCALENDAR', 'c/', '<c:supported-calendar-component-set>'), 'rfc4791/5.3.1/mkcal-sets-component-set'],
      [req('MKCALENDAR', 'c/', '<c:calendar-timezone>'), 'rfc4791/5.3.1/mkcal-sets-description-timezone'],
      [req('PUT', 'c/a.ics', ical('VEVENT')), 'rfc4791/5.3.2/put-event-created'],
      [req('PUT', 'c/a.ics', ical('VTODO')), 'rfc4791/5.3.2/put-todo-created'],
      [req('PUT', 'c/a.ics', ical('VJOURNAL')), 'rfc4791/5.3.2/put-journal-created'],
      [req('PUT', 'c/a.ics', ical('VFREEBUSY')), 'rfc4791/4.1/objrule-vfreebusy-object'],
      [req('PUT', 'c/note.txt', 'just a note'), undefined],
      [req('MKCOL', 'p/'), 'rfc4918/9.3/dav-mkcol-creates-collection'],
      [
        req('MKCOL', 'p/', '<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>'),
        'rfc5689/3/xmkcol-creates-calendar',
      ],
      [req('MKCOL', 'p/', '<d:resourcetype><d:collection/></d:resourcetype>'), 'rfc5689/3/xmkcol-plain-collection'],
      [req('PROPPATCH', 'c/', '<d:propertyupdate><d:set>'), 'rfc4918/9.2/dav-proppatch-set-displayname'],
      [req('PROPPATCH', 'c/', '<d:propertyupdate><d:remove>'), 'rfc4918/9.2/dav-proppatch-remove'],
      [req('DELETE', 'c/a.ics'), 'rfc4918/9.6/dav-delete-object'],
      [req('DELETE', 'c/'), 'rfc4918/9.6/dav-delete-collection-depth-infinity'],
      [req('MOVE', 'c/'), 'rfc4918/9.9/dav-move-collection'],
      [req('ACL', 'c/'), 'rfc3744/8.1/acl-grant-read-shares'],
      [req('PROPFIND', 'c/'), undefined],
      [req('REPORT', 'c/'), undefined],
    ];
    for (const [r, key] of cases) assert.equal(directTest(r), key, `${r.method} ${r.url} ${r.body ?? ''}`);
    assert.equal(directTest(req('PUT', 'c/a.ics', ical('VEVENT')), true), 'rfc4791/5.3.2/put-update-replaces');
  });
});
