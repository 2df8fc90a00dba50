// A server profile draft from a discover report: features from the grades, quirks from what was
// observed, the probe table as comments for the reviewer. Valid per the profile schema.
import { stringify } from 'yaml';
import { FEATURES, type ServerProfile } from '../model/profile.js';
import type { DiscoverReport } from './types.js';

export interface DraftOptions {
  name: string;
  displayName?: string;
  version?: string;
  homepage?: string;
}

export function profileName(report: DiscoverReport): string {
  const server = report.target.serverHeader
    ?.split(/[/\s]/)[0]
    ?.toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
  if (server && /^[a-z0-9]/.test(server)) return server;
  return (
    new URL(report.target.url).hostname
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+/, '') || 'server'
  );
}

/** Replace the user's name in discovered paths by {user}. */
function templated(path: string | undefined, user: string): string | undefined {
  if (!path) return undefined;
  return path
    .split('/')
    .map((seg) => (seg === user || seg === encodeURIComponent(user) ? '{user}' : seg))
    .join('/');
}

export function profileDraftObject(report: DiscoverReport, opts: DraftOptions): ServerProfile {
  const features: ServerProfile['features'] = {};
  for (const f of FEATURES) if (report.features[f] !== undefined) features[f] = report.features[f];
  const layout: ServerProfile['layout'] = {};
  const principal = templated(report.target.principal, report.target.user);
  const home = templated(report.target.home, report.target.user);
  if (principal) layout.principal = principal;
  if (home) layout.home = home;
  if (report.features.mkcalendar === false && report.scratch && !report.features['extended-mkcol'])
    layout.calendar = templated(report.scratch, report.target.user)!;
  const profile: ServerProfile = {
    name: opts.name,
    displayName: opts.displayName ?? opts.name,
    verified: false,
    ...((opts.version ?? report.target.serverHeader) ? { version: opts.version ?? report.target.serverHeader! } : {}),
    ...(opts.homepage ? { homepage: opts.homepage } : {}),
    auth: report.auth,
    layout,
    features,
    quirks: report.quirks,
    baseline: [],
  };
  return profile;
}

export function profileDraft(report: DiscoverReport, opts: DraftOptions): string {
  const profile = profileDraftObject(report, opts);
  const header = [
    `# Draft written by \`calspec discover\` on ${report.startedAt.slice(0, 10)} against ${report.target.url}`,
    `# (Server: ${report.target.serverHeader ?? 'not sent'}). Review it, then set verified: true.`,
    '# Probe grades:',
    ...report.probes.map((p) => `#   ${p.id}: ${p.grade} — ${p.observed.replace(/\n/g, ' ')}`),
  ];
  return `${header.join('\n')}\n${stringify(profile, { lineWidth: 0 })}`;
}
