// Secrets never reach results, logs or error messages: credential headers are masked when an
// exchange is recorded, and every known secret string is scrubbed from the text of the results
// when they are assembled (not before: checks must see what the server really sent).

import { isSecretHeader, maskSecretValue } from '../model/secrets.js';

export class Redactor {
  #secrets: string[] = [];

  /**
   * A secret equal to a public value (a user name that appears in every URL) cannot be scrubbed
   * without destroying the report, and hides nothing; very short ones would mangle innocent text.
   */
  add(secret: string | undefined, publicValues: string[] = []): void {
    if (secret && secret.length >= 4 && !publicValues.includes(secret) && !this.#secrets.includes(secret)) {
      this.#secrets.push(secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret));
    }
  }

  text(value: string): string {
    let out = value;
    for (const s of this.#secrets) if (s && out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (isSecretHeader(lower)) out[lower] = maskSecretValue(value);
      else out[lower] = this.text(value);
    }
    return out;
  }
}
