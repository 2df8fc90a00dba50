import assert from 'node:assert/strict';
import { parseXml, parseMultistatus, findProp, selectPath, sameHref, serializeXml } from '../../src/xml/index.js';

describe('XML', () => {
  it('resolves prefixes and default namespaces into Clark names', () => {
    const root = parseXml(
      '<multistatus xmlns="DAV:" xmlns:x="urn:x"><x:a b="1" x:c="2"><d xmlns="">t</d></x:a></multistatus>',
    );
    assert.equal(root.name, '{DAV:}multistatus');
    const a = root.children[0]!;
    assert.equal(a.name, '{urn:x}a');
    assert.deepEqual(a.attrs, { b: '1', '{urn:x}c': '2' });
    assert.equal(a.children[0]!.name, 'd');
  });

  it('keeps text verbatim: sync tokens and ctags stay strings', () => {
    const ms = parseMultistatus(
      '<d:multistatus xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:response><d:href>/c/</d:href>' +
        '<d:propstat><d:prop><cs:getctag>0012</cs:getctag></d:prop><d:status>HTTP/1.1 200 OK</d:status>' +
        '</d:propstat></d:response><d:sync-token>1e10</d:sync-token></d:multistatus>',
    );
    assert.equal(ms.syncToken, '1e10');
    assert.equal(findProp(ms.responses[0]!, '{http://calendarserver.org/ns/}getctag')!.prop.text, '0012');
  });

  it('keeps each propstat status separate', () => {
    const ms = parseMultistatus(
      '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/a</d:href><d:propstat><d:prop><d:getetag>"x"</d:getetag>' +
        '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop><d:displayname/>' +
        '</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response></d:multistatus>',
    );
    assert.equal(findProp(ms.responses[0]!, '{DAV:}getetag')!.status, 200);
    assert.equal(findProp(ms.responses[0]!, '{DAV:}displayname')!.status, 404);
  });

  it('refuses DOCTYPE (entity expansion, external entities) and malformed XML with a position', () => {
    assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'), /DOCTYPE/);
    assert.throws(() => parseXml('<a><b></a>'), /malformed XML at 1:/);
    assert.throws(() => parseXml('<p:a/>'), /undeclared namespace prefix/);
  });

  it('selects paths with Clark names containing slashes, prefixes, * and **', () => {
    const root = parseXml('<a xmlns="http://apple.com/ns/ical/"><b><c>1</c></b><b><c>2</c></b></a>');
    assert.equal(selectPath(root, '{http://apple.com/ns/ical/}a/{http://apple.com/ns/ical/}b/*').length, 2);
    assert.equal(selectPath(root, '**/ical:c').length, 2);
  });

  it('compares hrefs as decoded paths', () => {
    assert.ok(sameHref('http://h/cal/a%20b.ics', '/cal/a b.ics'));
    assert.ok(sameHref('/cal/x/', '/cal/x'));
    assert.ok(!sameHref('/cal/a.ics', '/cal/b.ics'));
  });

  it('round-trips through the serializer', () => {
    const text = serializeXml(
      parseXml(
        '<d:prop xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
          '<c:calendar-data>a &lt; b</c:calendar-data></d:prop>',
      ),
    );
    const again = parseXml(text);
    assert.equal(again.children[0]!.text, 'a < b');
  });
});

describe('XML entities', () => {
  it('decodes predefined and numeric references once, and leaves CDATA literal', () => {
    const el = parseXml('<a x="&amp;#13;">a&amp;#13;b&#13;&#x41;&lt;<![CDATA[&amp;]]></a>');
    assert.equal(el.attrs.x, '&#13;');
    assert.equal(el.text, 'a&#13;b\rA<&amp;');
  });
});
