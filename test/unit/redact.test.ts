import assert from 'node:assert/strict';
import { Redactor } from '../../src/dav/redact.js';
import { redactHeaders } from '../../src/report/redact.js';

describe('redaction (one list of secret headers)', () => {
  it('masks a cookie whole when recording: its first word is the secret', () => {
    const out = new Redactor().headers({ Cookie: 'oc_sessionPassphrase=s3cr3t; nc_token=abc', Accept: '*/*' });
    assert.equal(out.cookie, '[redacted]');
    assert.equal(out.accept, '*/*');
  });

  it('keeps the auth scheme and drops the credential, when recording and when rendering', () => {
    assert.equal(new Redactor().headers({ Authorization: 'Basic dGVzdDp0ZXN0' }).authorization, 'Basic [redacted]');
    assert.equal(redactHeaders({ 'Set-Cookie': 'sid=1; Path=/' })['Set-Cookie'], '[redacted]');
    assert.equal(redactHeaders({ 'Proxy-Authorization': 'Digest x=y' })['Proxy-Authorization'], 'Digest [redacted]');
  });
});
