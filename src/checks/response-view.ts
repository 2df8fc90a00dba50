// Lazily parsed views of one response body, shared by all checks and captures of a step,
// so a body is parsed at most once whatever the number of checks.
import type ICAL from 'ical.js';
import type { Exchange } from '../model/exchange.js';
import { parseICal } from '../ical/parse.js';
import { parseMultistatus, type Multistatus } from '../xml/multistatus.js';
import { parseXml } from '../xml/parse.js';
import type { XmlElement } from '../xml/element.js';
import { scopeMultistatus, type ObjectScope } from './scope.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export class ResponseView {
  #xml?: Parsed<XmlElement>;
  #ms?: Parsed<Multistatus>;
  #ical?: Parsed<ICAL.Component>;
  /** Responses left out of the multistatus because they are not the scenario's (shared-calendar mode). */
  foreign = 0;

  /** With a scope, the XML and multistatus views hold only the scenario's own responses (scope.ts). */
  constructor(
    readonly exchange: Exchange,
    readonly scope?: ObjectScope & { baseUrl: string },
  ) {}

  get status(): number | undefined {
    return this.exchange.response?.status;
  }

  get body(): string {
    return this.exchange.response?.body ?? '';
  }

  header(name: string): string | undefined {
    return this.exchange.response?.headers[name.toLowerCase()];
  }

  xml(): Parsed<XmlElement> {
    this.#xml ??= attempt(() => {
      const root = parseXml(this.body);
      if (!this.scope) return root;
      const scoped = scopeMultistatus(root, this.scope, this.exchange.request.url, this.scope.baseUrl);
      this.foreign = scoped.dropped;
      return scoped.root;
    });
    return this.#xml;
  }

  multistatus(): Parsed<Multistatus> {
    if (!this.#ms) {
      const xml = this.xml();
      this.#ms = xml.ok ? attempt(() => parseMultistatus(xml.value)) : xml;
    }
    return this.#ms;
  }

  ical(): Parsed<ICAL.Component> {
    this.#ical ??= attempt(() => parseICal(this.body));
    return this.#ical;
  }
}

function attempt<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Short rendering of a value for `actual`: first line, bounded length. */
export function brief(text: string, max = 160): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine || '(empty)';
}
