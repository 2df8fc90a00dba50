// Credentials come from flags, environment variables or files; they are never printed.
import { readFileSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { AuthKind, Credentials } from '../dav/auth.js';
import { flag, str, type Parsed } from './args.js';

const AUTH_KINDS: AuthKind[] = ['basic', 'digest', 'bearer', 'auto'];

export const CREDENTIAL_OPTIONS = {
  user: { type: 'string', short: 'u' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  user2: { type: 'string' },
  password2: { type: 'string' },
  'password2-file': { type: 'string' },
  auth: { type: 'string' },
  'no-auth': { type: 'boolean' },
} as const;

function secret(p: Parsed, flagName: string, fileFlag: string, envName: string): string | undefined {
  const file = str(p, fileFlag);
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CalspecError(`--${fileFlag}: cannot read ${file}`, EXIT.usage);
    }
  }
  return str(p, flagName) ?? process.env[envName];
}

/**
 * TLS trust options: verification stays on unless --insecure; --ca FILE trusts the CA certificates in a PEM file
 * (instead of the public roots).
 */
export const TLS_OPTIONS = {
  insecure: { type: 'boolean', short: 'k' },
  ca: { type: 'string' },
} as const;

export function readTls(p: Parsed): { insecure?: true; ca?: string } {
  const file = str(p, 'ca');
  let ca: string | undefined;
  if (file) {
    try {
      ca = readFileSync(file, 'utf8');
    } catch {
      throw new CalspecError(`--ca: cannot read ${file}`, EXIT.usage);
    }
  }
  return { ...(flag(p, 'insecure') ? { insecure: true as const } : {}), ...(ca ? { ca } : {}) };
}

export function readCredentials(p: Parsed, defaultAuth: AuthKind = 'auto'): Credentials[] {
  const kind = (str(p, 'auth') ?? process.env.CALSPEC_AUTH ?? defaultAuth) as AuthKind;
  if (!AUTH_KINDS.includes(kind)) throw new CalspecError(`--auth must be one of ${AUTH_KINDS.join(', ')}`, EXIT.usage);
  const user = str(p, 'user') ?? process.env.CALSPEC_USER;
  if (flag(p, 'no-auth')) return [{ user: user ?? 'anonymous', password: '', kind: 'none' }];
  if (!user)
    throw new CalspecError(
      'a user is required: --user NAME (or CALSPEC_USER), or --no-auth for servers without authentication',
      EXIT.usage,
    );
  const password = secret(p, 'password', 'password-file', 'CALSPEC_PASSWORD');
  if (password === undefined)
    throw new CalspecError(
      `no password for '${user}': use --password-file FILE, CALSPEC_PASSWORD, or --password`,
      EXIT.usage,
    );
  const out: Credentials[] = [{ user, password, kind }];
  const user2 = str(p, 'user2') ?? process.env.CALSPEC_USER2;
  if (user2) {
    const password2 = secret(p, 'password2', 'password2-file', 'CALSPEC_PASSWORD2');
    if (password2 === undefined)
      throw new CalspecError(
        `no password for second user '${user2}': use --password2-file, CALSPEC_PASSWORD2 or --password2`,
        EXIT.usage,
      );
    out.push({ user: user2, password: password2, kind });
  }
  return out;
}
