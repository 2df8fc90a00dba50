// Baseline triage: which entries have been judged against the RFC and which were only copied from
// a run. Untriaged entries are how a false failure becomes a "known server bug" for ever, so
// `calspec run` names them and the committed profiles must have none.
import type { BaselineEntry } from '../model/profile.js';

export function isTriaged(entry: BaselineEntry): boolean {
  return entry.class !== undefined && entry.class !== 'untriaged' && Boolean(entry.why);
}

export function untriaged(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return entries.filter((e) => !isTriaged(e));
}

/** One warning line listing untriaged entries (the first few by name), or undefined when none. */
export function untriagedWarning(entries: readonly BaselineEntry[], source: string, show = 5): string | undefined {
  const open = untriaged(entries);
  if (!open.length) return undefined;
  const names = open.slice(0, show).map((e) => e.scenario);
  const more = open.length > show ? `, … ${open.length - show} more` : '';
  return (
    `calspec: warning: ${open.length} of ${entries.length} baseline entries in ${source} are untriaged ` +
    `(no class and why): ${names.join(', ')}${more}. ` +
    'Judge each against the RFC and set class (server-bug | limitation:<name>) and why (with the RFC section).'
  );
}
