// `${...}` templates in suite strings: variables, captured values, unique ids and relative dates.
// Dates are relative to the run's anchor time so suite data never goes stale.

const TEMPLATE = /\$\{([^}]*)\}/g;

/**
 * Filters after `|`: `xml` escapes for XML text and attributes (a captured sync-token may hold
 * `&`), `url` percent-encodes one path segment.
 */
const FILTERS: Record<string, (value: string) => string> = {
  xml: (v) =>
    v
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;'),
  url: (v) => encodeURIComponent(v),
};

function splitFilters(raw: string): { name: string; filters: string[] } {
  const [name, ...filters] = raw.split('|').map((p) => p.trim());
  return { name: name!, filters };
}

/** Names used in a template string (`${cal}` → `cal`, `${uid:b}` → `uid:b`, `${t|xml}` → `t`). */
export function templateNames(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => splitFilters(m[1]!).name);
}

/** Filters used in a template string that do not exist (reported at load time). */
export function unknownFilters(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].flatMap((m) => splitFilters(m[1]!).filters.filter((f) => !(f in FILTERS)));
}

/** Replace every `${name}` (with optional `|filter`s) using `lookup`; unknown names throw with the name. */
export function interpolate(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(TEMPLATE, (_whole, raw: string) => {
    const { name, filters } = splitFilters(raw);
    const value = lookup(name);
    if (value === undefined) throw new Error(`unknown variable \${${name}}`);
    return filters.reduce((v, f) => {
      const filter = FILTERS[f];
      if (!filter) throw new Error(`unknown filter '|${f}' in \${${raw.trim()}}`);
      return filter(v);
    }, value);
  });
}

const RELATIVE = /^(now|date)(?:([+-])(\d+)([smhdw]))?$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

export function isRelativeDate(name: string): boolean {
  return RELATIVE.test(name);
}

/**
 * `now+7d` → 20261130T190000Z (UTC date-time), `date-1d` → 20261122 (DATE).
 * The anchor is truncated to the hour so times line up with whole-hour fixtures.
 */
export function relativeDate(name: string, anchor: Date): string | undefined {
  const match = RELATIVE.exec(name);
  if (!match) return undefined;
  const [, kind, sign, amount, unit] = match;
  const base = Math.floor(anchor.getTime() / 3600e3) * 3600e3;
  const offset = amount ? Number(amount) * UNIT_MS[unit!]! * (sign === '-' ? -1 : 1) : 0;
  const iso = new Date(base + offset).toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '');
  return kind === 'date' ? date : `${date}T${iso.slice(11, 19).replace(/:/g, '')}Z`;
}

/** Builtin variables the runner always provides (besides captures, relative dates and `uid:x` / `coll:x`). */
export const BUILTIN_VARIABLES = [
  'cal',
  'home',
  'principal',
  'user',
  'email',
  'home2',
  'principal2',
  'user2',
  'email2',
  'runid',
  'base',
  'uid',
  'obj',
  'scenario',
] as const;

export function isBuiltinName(name: string): boolean {
  return (
    (BUILTIN_VARIABLES as readonly string[]).includes(name) ||
    isRelativeDate(name) ||
    /^uid:[A-Za-z0-9_-]+$/.test(name) ||
    /^coll:[A-Za-z0-9_-]+$/.test(name)
  );
}
