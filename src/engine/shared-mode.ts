// Shared-calendar mode: when calspec cannot or must not create calendars (a hosted service where
// the calendar is given, MKCALENDAR refused or a no-op), scenarios that need only objects run inside
// one existing calendar, under run-prefixed names; the others are skipped with the reason.
import type { Authenticator } from '../dav/auth.js';
import type { DavClient } from '../dav/http.js';
import type { Sandbox } from '../dav/sandbox.js';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import type { ServerProfile } from '../model/profile.js';
import type { Capability } from '../model/result.js';
import { hrefPath } from '../xml/href.js';
import { findExistingCalendar, probeMkcalendar } from '../discover/probes/index.js';
import { Interrupted, localNames, ms, prop, send, type ProbeContext } from '../discover/context.js';
import { stateOf, requestLine } from './capability-state.js';

export interface SharedMode {
  /** The calendar every scenario works in (decoded path ending with /). */
  calendar: string;
  /** Why the run is in this mode, for skip reasons and the report. */
  why: string;
  /**
   * Whether scenarios may still create collections of their own (`${coll:x}`): only when MKCALENDAR
   * was seen to work (the user chose the calendar with --calendar).
   */
  collections: boolean;
}

export interface SharedModeOptions {
  client: DavClient;
  baseUrl: string;
  auth: Authenticator;
  user: string;
  principal: string;
  home: string;
  runId: string;
  sandbox: Sandbox;
  davClasses: string[];
  profile?: ServerProfile;
  /** --calendar URL. */
  calendar?: string;
  /** False with --no-probe: MKCALENDAR is then not tried. */
  probe: boolean;
  signal?: AbortSignal;
}

export interface SharedModeDecision {
  shared?: SharedMode;
  /** What the MKCALENDAR probe showed, when it ran (wins over "assumed present"). */
  mkcalendar?: Capability;
  /** A line for the run's notes. */
  note?: string;
}

export async function decideSharedMode(o: SharedModeOptions): Promise<SharedModeDecision> {
  const ctx: ProbeContext = {
    client: o.client,
    auth: o.auth,
    baseUrl: o.baseUrl,
    user: o.user,
    runId: o.runId,
    principal: o.principal,
    home: o.home,
    sandbox: o.sandbox,
    davClasses: o.davClasses,
    objectPrefix: '',
    ownCalendar: false,
    exchanges: [],
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const pinned = o.profile?.features?.mkcalendar;
  const given = o.profile?.layout.calendar?.replace('{user}', encodeURIComponent(o.user));
  if (pinned === false && given && !o.calendar) {
    const calendar = dirPath(given, o.baseUrl);
    const why = `profile ${o.profile!.name}: mkcalendar: false, calendar ${calendar}`;
    return { shared: { calendar, why, collections: false }, note: `shared-calendar mode (${why})` };
  }
  let mkcalendar: Capability | undefined;
  if (pinned === undefined && o.probe) {
    try {
      const path = `${o.home}calspec-${o.runId}-mkcalendar-probe/`;
      const probe = await probeMkcalendar(ctx, path);
      // A request that got no answer (reset, timeout) proves nothing: a network hiccup must never move
      // the run into the user's own calendar. Only an answer decides; otherwise MKCALENDAR is assumed.
      if (ctx.exchanges.some((ex) => !ex.response)) return {};
      mkcalendar = {
        feature: 'mkcalendar',
        state: stateOf(probe.grade, undefined),
        source: 'probe',
        evidence: `MKCALENDAR ${probe.observed}`,
        requests: ctx.exchanges.map(requestLine),
      };
    } catch (error) {
      // Ctrl-C during the probe: no verdict; the run stops before its first scenario anyway.
      if (!(error instanceof Interrupted)) throw error;
    } finally {
      await o.sandbox.remove('discover', Date.now() + 30_000);
    }
  }
  const works = pinned === true || (pinned === undefined && (!mkcalendar || mkcalendar.state === 'present'));
  if (o.calendar) {
    if (!URL.canParse(o.calendar, o.baseUrl))
      throw new CalspecError(`--calendar: '${o.calendar}' is not a URL or path`, EXIT.usage);
    if (new URL(o.calendar, o.baseUrl).origin !== new URL(o.baseUrl).origin)
      throw new CalspecError(`--calendar ${o.calendar} is not on the target ${o.baseUrl}`, EXIT.usage);
    const calendar = await checkCalendar(ctx, dirPath(o.calendar, o.baseUrl));
    const why = `--calendar ${calendar}`;
    return {
      shared: { calendar, why, collections: works },
      ...(mkcalendar ? { mkcalendar } : {}),
      note: `shared-calendar mode (${why})`,
    };
  }
  if (works) return mkcalendar ? { mkcalendar } : {};
  const found = given ? dirPath(given, o.baseUrl) : await findExistingCalendar(ctx);
  const cause = mkcalendar ? mkcalendar.evidence : `profile ${o.profile?.name ?? ''} sets mkcalendar: false`;
  if (!found) {
    throw new CalspecError(
      `${cause}, and no calendar was found in ${o.home} to work in instead: pass --calendar URL`,
      EXIT.target,
    );
  }
  const why = `${cause}; working in ${found}`;
  return {
    shared: { calendar: found, why, collections: false },
    ...(mkcalendar ? { mkcalendar } : {}),
    note: `shared-calendar mode (${why})`,
  };
}

/** --calendar must name a calendar collection (RFC 4791 §4.2: its resourcetype holds CALDAV:calendar). */
async function checkCalendar(ctx: ProbeContext, path: string): Promise<string> {
  const ex = await send(ctx, 'PROPFIND', path, {
    body:
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
    headers: { 'content-type': 'application/xml; charset=utf-8', depth: '0' },
  }).catch((error: unknown) => {
    if (error instanceof Interrupted) throw new CalspecError('interrupted before the run began', EXIT.interrupted);
    throw error;
  });
  if (!localNames(prop(ms(ex), '{DAV:}resourcetype')).includes('calendar')) {
    const got = ex.response ? `answered ${ex.response.status}` : (ex.error ?? 'no answer');
    throw new CalspecError(
      `--calendar ${path} is not a calendar collection (PROPFIND ${got}, resourcetype without CALDAV:calendar)`,
      EXIT.usage,
    );
  }
  return path;
}

function dirPath(url: string, baseUrl: string): string {
  const p = hrefPath(url, baseUrl);
  return p.endsWith('/') ? p : `${p}/`;
}
