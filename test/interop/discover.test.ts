// `calspec discover` against the in-process reference server: the clean server grades
// sync-collection full; with the sync-token-static fault it is not full. The scratch calendar is
// always removed, and the profile draft is valid.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverCommand } from '../../src/cli/discover.js';
import { runDiscover, type DiscoverReport } from '../../src/discover/index.js';
import { loadProfile } from '../../src/profile/load.js';
import { captured, reference, tempDir, USERS } from './helpers.js';

const credentials = { user: USERS[0]!.name, password: USERS[0]!.password, kind: 'basic' as const };

async function discoverWith(faults: string[]): Promise<DiscoverReport> {
  const server = await reference(faults);
  try {
    return await runDiscover({ target: server.url, credentials });
  } finally {
    await server.stop();
  }
}

const grade = (r: DiscoverReport, id: string) => r.probes.find((p) => p.id === id)?.grade;

describe('interop: discover (reference server)', function () {
  this.timeout(30_000);

  it('grades the clean reference server full everywhere and cleans up', async () => {
    const r = await discoverWith([]);
    assert.equal(grade(r, 'sync-collection'), 'full');
    const notFull = r.probes.filter((p) => p.grade !== 'full').map((p) => `${p.id}: ${p.grade}: ${p.observed}`);
    assert.deepEqual(notFull, []);
    assert.equal(r.features['sync-collection'], true);
    assert.equal(r.cleanup.leftover.length, 0);
    assert.ok(r.cleanup.created.some((p) => /calspec-.*-discover\/$/.test(p)));
    assert.equal(r.cleanup.removed.length, r.cleanup.created.length);
    assert.ok(!JSON.stringify(r).includes(USERS[0]!.password), 'the password never appears');
  });

  it('grades sync-collection not full when the sync-token never changes', async () => {
    const r = await discoverWith(['sync-token-static']);
    const g = grade(r, 'sync-collection');
    assert.ok(g && g !== 'full', `got ${g}`);
    assert.equal(g, 'broken');
  });

  it('sees weak ETags, a static ctag and omitted multiget hrefs', async () => {
    const r = await discoverWith(['etag-weak', 'ctag-static', 'multiget-drops-missing']);
    assert.equal(grade(r, 'put-get'), 'broken');
    assert.equal(grade(r, 'getctag'), 'broken');
    assert.equal(grade(r, 'calendar-multiget'), 'quirk');
    assert.ok(r.quirks.some((q) => q.id === 'weak-etag'));
  });

  it('CLI: prints the table and writes a valid profile draft', async () => {
    const server = await reference([]);
    const file = join(tempDir('discover'), 'draft.yaml');
    try {
      const { value, out } = await captured(() =>
        discoverCommand([
          server.url,
          '-u',
          credentials.user,
          '--password',
          credentials.password,
          '--write-profile',
          file,
          '--name',
          'draft-ref',
        ]),
      );
      assert.equal(value, 0);
      assert.match(out, /^sync-collection\s+full\s+initial \+ incremental/m);
      assert.match(out, /cleanup: removed/);
    } finally {
      await server.stop();
    }
    const p = loadProfile(file);
    assert.equal(p.name, 'draft-ref');
    assert.equal(p.verified, false);
    assert.equal(p.features['sync-collection'], true);
    assert.equal(p.layout.home, '/calendars/{user}/');
    assert.match(readFileSync(file, 'utf8'), /^# Draft written by `calspec discover`/);
  });

  it('CLI --json prints the report', async () => {
    const server = await reference([]);
    try {
      const { out } = await captured(() =>
        discoverCommand([server.url, '-u', credentials.user, '--password', credentials.password, '--json']),
      );
      const r = JSON.parse(out) as DiscoverReport;
      assert.equal(r.kind, 'discover');
      assert.equal(r.auth, 'basic');
    } finally {
      await server.stop();
    }
  });
});
