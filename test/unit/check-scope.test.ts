// Shared-calendar mode: checks over a multistatus judge only the scenario's own objects. A
// violation among them is still caught; responses for anyone else's objects are never judged.
import assert from 'node:assert/strict';
import { contextFor, evaluateCheck, type ObjectScope } from '../../src/checks/run.js';
import { CAPTURES } from '../../src/checks/capture.js';
import { inScope } from '../../src/checks/scope.js';
import { exchange, multistatus, response } from '../helpers/exchange.js';

const BASE = 'http://dav.test/';
const CAL = 'http://dav.test/cal/';
const PREFIX = 'calspec-20260101-000000-abcd-00x-';
const scope: ObjectScope = { objectPrefix: PREFIX, calendar: '/cal/' };
const own = (name: string) => `/cal/${PREFIX}${name}`;
const etag = '<D:getetag>"1"</D:getetag>';
// The user's own data and another scenario's object (same run, other token), both in range.
const foreign = [response('/cal/user-lunch.ics', etag), response('/cal/calspec-20260101-000000-abcd-00y-a.ics', etag)];

function run(kind: string, args: unknown, body: string, withScope = true) {
  const ctx = contextFor(exchange(207, body, {}, CAL), BASE, withScope ? scope : undefined);
  return evaluateCheck(kind, args, ctx);
}

describe('check scope (shared-calendar mode)', () => {
  it('multistatus only: foreign hrefs are ignored, an extra own href still fails', () => {
    const body = multistatus([response(own('a.ics'), etag), ...foreign].join(''));
    assert.equal(run('multistatus', { hrefs: [own('a.ics')], only: true }, body).ok, true);
    // Without the scope the same answer would be a (false) failure.
    assert.equal(run('multistatus', { hrefs: [own('a.ics')], only: true }, body, false).ok, false);
    const extra = multistatus([response(own('a.ics'), etag), response(own('b.ics'), etag), ...foreign].join(''));
    const r = run('multistatus', { hrefs: [own('a.ics')], only: true }, extra);
    assert.equal(r.ok, false);
    assert.match(r.actual, /00x-b\.ics/);
    assert.doesNotMatch(r.actual, /user-lunch/);
  });

  it('multistatus count and absent: counted over own responses (and the request URL) only', () => {
    const body = multistatus([response('/cal/', ''), response(own('a.ics'), etag), ...foreign].join(''));
    assert.equal(run('multistatus', { count: 2 }, body).ok, true);
    assert.equal(run('multistatus', { count: 1 }, body).ok, false);
    assert.equal(run('multistatus', { absent: [own('a.ics')] }, body).ok, false);
    assert.equal(run('multistatus', { absent: [own('gone.ics')] }, body).ok, true);
  });

  it('xml counts see only own responses: a forbidden own propstat is still caught', () => {
    const path = 'd:multistatus/d:response/d:propstat/d:prop/d:getetag';
    const body = multistatus(foreign.join(''));
    assert.equal(run('xml', { path, count: 0 }, body).ok, true);
    assert.equal(run('xml', { path, count: 0 }, body, false).ok, false);
    const withOwn = multistatus([response(own('deleted.ics'), etag), ...foreign].join(''));
    assert.equal(run('xml', { path, count: 0 }, withOwn).ok, false);
  });

  it('propstat without href picks an own response, never a foreign one', () => {
    const body = multistatus([...foreign, response(own('a.ics'), '<D:getetag>"own"</D:getetag>')].join(''));
    assert.equal(run('propstat', { prop: 'd:getetag', equals: '"own"' }, body).ok, true);
    assert.equal(run('propstat', { prop: 'd:getetag', equals: '"wrong"' }, body).ok, false);
  });

  it('captures read own responses only', () => {
    const body = multistatus([...foreign, response(own('a.ics'), '<D:getetag>"own"</D:getetag>')].join(''));
    const scoped = contextFor(exchange(207, body, {}, CAL), BASE, scope);
    assert.equal(CAPTURES.get('prop')!.extract({ prop: 'd:getetag' }, scoped.view, BASE), '"own"');
    const plain = contextFor(exchange(207, body, {}, CAL), BASE);
    assert.equal(CAPTURES.get('prop')!.extract({ prop: 'd:getetag' }, plain.view, BASE), '"1"');
  });

  it('inScope: in the shared calendar only the calendar and prefixed names; elsewhere everything', () => {
    assert.equal(inScope('/cal/', scope, CAL, BASE), true);
    assert.equal(inScope('/cal', scope, CAL, BASE), true);
    assert.equal(inScope(`http://dav.test${own('x.ics')}`, scope, CAL, BASE), true);
    // Outside the shared calendar nothing is foreign (e.g. what scheduling delivered to an inbox).
    assert.equal(inScope(`/home/${PREFIX}coll/`, scope, CAL, BASE), true);
    assert.equal(inScope('/home/u2/inbox/server-named.ics', scope, CAL, BASE), true);
    assert.equal(inScope('/calendar-other/user-lunch.ics', scope, CAL, BASE), true);
    assert.equal(inScope('/cal/user-lunch.ics', scope, CAL, BASE), false);
    assert.equal(inScope(`/cal/x-${PREFIX}a.ics`, scope, CAL, BASE), false);
    assert.equal(inScope('/cal/calspec-20260101-000000-abcd-00y-a.ics', scope, CAL, BASE), false);
  });
});
