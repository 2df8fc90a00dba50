// Credentials and the Authorization header. Basic and Bearer are computed up front; Digest
// (RFC 7616, MD5 and SHA-256, qop=auth) is answered after the server's challenge, and the nonce
// is reused with an increasing nonce-count so later requests cost one round trip, not two.
import { createHash, randomBytes } from 'node:crypto';

export type AuthKind = 'basic' | 'digest' | 'bearer' | 'auto' | 'none';

export interface Credentials {
  user: string;
  password: string;
  kind: AuthKind;
}

interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: string;
  algorithm: string;
}

export class Authenticator {
  #digest?: DigestChallenge;
  #nc = 0;

  constructor(readonly credentials: Credentials) {}

  /** Header to send before any challenge (undefined for Digest until challenged). */
  header(method: string, uri: string): string | undefined {
    const { kind, user, password } = this.credentials;
    if (kind === 'none') return undefined;
    if (kind === 'bearer') return `Bearer ${password}`;
    if (this.#digest) return this.digestHeader(method, uri);
    if (kind === 'basic' || kind === 'auto') return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    return undefined;
  }

  /** Learn from a 401's WWW-Authenticate; true when a retry with new credentials makes sense. */
  challenge(wwwAuthenticate: string | undefined): boolean {
    if (!wwwAuthenticate || this.credentials.kind === 'basic' || this.credentials.kind === 'bearer') return false;
    const digest = parseDigestChallenge(wwwAuthenticate);
    if (!digest) return false;
    const stale = this.#digest !== undefined && /stale\s*=\s*"?true/i.test(wwwAuthenticate);
    const fresh = !this.#digest || this.#digest.nonce !== digest.nonce;
    this.#digest = digest;
    this.#nc = 0;
    return fresh || stale;
  }

  private digestHeader(method: string, uri: string): string {
    const c = this.#digest!;
    const { user, password } = this.credentials;
    const algo = c.algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
    const h = (s: string) => createHash(algo).update(s).digest('hex');
    const ha1 = h(`${user}:${c.realm}:${password}`);
    const ha2 = h(`${method}:${uri}`);
    const parts = [
      `username="${user}"`,
      `realm="${c.realm}"`,
      `nonce="${c.nonce}"`,
      `uri="${uri}"`,
      `algorithm=${c.algorithm}`,
    ];
    if (c.qop && /\bauth\b/.test(c.qop)) {
      this.#nc += 1;
      const nc = this.#nc.toString(16).padStart(8, '0');
      const cnonce = randomBytes(8).toString('hex');
      parts.push(
        `qop=auth`,
        `nc=${nc}`,
        `cnonce="${cnonce}"`,
        `response="${h(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`,
      );
    } else {
      parts.push(`response="${h(`${ha1}:${c.nonce}:${ha2}`)}"`);
    }
    if (c.opaque) parts.push(`opaque="${c.opaque}"`);
    return `Digest ${parts.join(', ')}`;
  }
}

export function parseDigestChallenge(header: string): DigestChallenge | undefined {
  const at = header.search(/digest\s/i);
  if (at < 0) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(at + 7).matchAll(/([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  if (!params.nonce || params.realm === undefined) return undefined;
  const challenge: DigestChallenge = { realm: params.realm, nonce: params.nonce, algorithm: params.algorithm ?? 'MD5' };
  if (params.opaque) challenge.opaque = params.opaque;
  if (params.qop) challenge.qop = params.qop;
  return challenge;
}
