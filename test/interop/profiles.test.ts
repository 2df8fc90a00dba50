// Every server profile loads and validates; verified profiles come from real runs and their
// baselines name scenarios that exist in the suites.
import assert from 'node:assert/strict';
import { listProfiles, loadProfile } from '../../src/profile/load.js';
import { loadSuites } from '../../src/suite/load.js';

const REQUIRED = [
  'radicale',
  'xandikos',
  'sabre-1.8',
  'baikal',
  'nextcloud',
  'owncloud',
  'davical',
  'cyrus',
  'sogo',
  'apple-calendar-server',
  'bedework',
  'atmail',
  'google',
  'icloud',
  'ionos',
  'fastmail',
  'zimbra',
  'stalwart',
];
const VERIFIED = ['radicale', 'xandikos', 'sabre-1.8', 'baikal', 'davical', 'cyrus', 'nextcloud'];

describe('interop: server profiles', () => {
  it('every profile in fixtures/profiles/ validates', () => {
    for (const name of listProfiles()) {
      const p = loadProfile(name);
      assert.equal(p.name, name, `${name}.yaml declares name ${p.name}`);
    }
  });

  it('has the required profiles; only the ones run here are verified', () => {
    const names = listProfiles();
    for (const name of REQUIRED) assert.ok(names.includes(name), `missing ${name}.yaml`);
    for (const name of REQUIRED) {
      const p = loadProfile(name);
      assert.equal(p.verified, VERIFIED.includes(name), `${name}: verified`);
      if (!p.verified) assert.ok(p.homepage, `${name}: a documentation-only profile cites its homepage`);
    }
  });

  it('google is read-mostly: OAuth bearer, no MKCALENDAR, a layout.calendar to work in', () => {
    const g = loadProfile('google');
    assert.equal(g.auth, 'bearer');
    assert.equal(g.features.mkcalendar, false);
    assert.match(g.layout.calendar ?? '', /^\/caldav\/v2\/\{user\}\//);
  });

  it('xandikos has no authentication (multi-user scenarios skip)', () => {
    assert.equal(loadProfile('xandikos').auth, 'none');
  });

  it('baselines of verified profiles name scenarios that exist', () => {
    const keys = new Set(
      loadSuites(['suites'], { fixturesDir: 'fixtures' }).flatMap((s) =>
        s.scenarios.map((sc) => `rfc${s.rfc}/${s.section}/${sc.id}`),
      ),
    );
    for (const name of VERIFIED) {
      const stale = loadProfile(name)
        .baseline.filter((e) => !keys.has(e.scenario))
        .map((e) => e.scenario);
      assert.deepEqual(
        stale,
        [],
        `${name}: baseline entries for scenarios that no longer exist (run calspec baseline update --prune)`,
      );
    }
  });
});
