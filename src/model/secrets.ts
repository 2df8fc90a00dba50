// Which headers carry credentials, and how they are masked. One list, read both where exchanges
// are recorded (src/dav) and again where reports are rendered (src/report).

export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Keep the auth scheme (useful when debugging) and drop the credential itself. A value without a
 *  scheme (a cookie) is masked whole: its first word is the secret. */
export function maskSecretValue(value: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9-]*(?= )/.exec(value)?.[0];
  return scheme && scheme.length < value.length ? `${scheme} [redacted]` : '[redacted]';
}
