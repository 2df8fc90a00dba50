// Account-level probes, run before anything is written: authentication, OPTIONS (DAV classes and
// Allow), /.well-known/caldav, and how the principal and the calendar home were found.
import type { Exchange } from '../../model/exchange.js';
import type { ProfileQuirk } from '../../model/profile.js';
import {
  describe,
  hrefOf,
  ms,
  ok,
  prop,
  propfindBody,
  refusalGrade,
  send,
  status,
  XML,
  type ProbeContext,
} from '../context.js';
import type { FeatureGrade, ProbeResult } from '../types.js';
import { D, quirk, result } from './shared.js';

export async function probeAuth(
  ctx: ProbeContext,
): Promise<{ probe: ProbeResult; scheme: 'basic' | 'digest' | 'bearer' | 'none' }> {
  const ex = await send(ctx, 'PROPFIND', ctx.principal, {
    body: propfindBody(['d:resourcetype']),
    headers: { ...XML, depth: '0' },
    anonymous: true,
  });
  const s = status(ex);
  if (s === 401) {
    const challenge = ex.response!.headers['www-authenticate'] ?? '';
    const scheme =
      /digest/i.test(challenge) && !/basic/i.test(challenge)
        ? 'digest'
        : /bearer/i.test(challenge) && !/basic/i.test(challenge)
          ? 'bearer'
          : 'basic';
    return {
      scheme,
      probe: result(
        'auth',
        'authentication required',
        'full',
        `anonymous PROPFIND of the principal: 401, challenge ${challenge.split(/[ ,]/)[0] || '(none)'}`,
        { feature: 'auth' },
      ),
    };
  }
  if (s === 207 || s === 200) {
    return {
      scheme: 'none',
      probe: result(
        'auth',
        'authentication required',
        'unsupported',
        `anonymous PROPFIND of the principal answered ${s}: no authentication (single user)`,
        {
          feature: 'auth',
          quirks: [
            quirk(
              'no-auth',
              'The server does no authentication: any or no credentials are accepted, ' +
                'so multi-user scenarios cannot run.',
            ),
          ],
        },
      ),
    };
  }
  if (s === 403)
    return {
      scheme: 'basic',
      probe: result(
        'auth',
        'authentication required',
        'quirk',
        'anonymous PROPFIND of the principal answered 403 rather than 401',
        { feature: 'auth' },
      ),
    };
  return {
    scheme: 'basic',
    probe: result(
      'auth',
      'authentication required',
      'quirk',
      `anonymous PROPFIND of the principal answered ${describe(ex)}`,
      { feature: 'auth' },
    ),
  };
}

export async function probeOptions(ctx: ProbeContext): Promise<{ probe: ProbeResult; allow?: string }> {
  const base = await send(ctx, 'OPTIONS', ctx.baseUrl);
  const home = await send(ctx, 'OPTIONS', ctx.home);
  const classes = (ex: Exchange) =>
    (ex.response?.headers.dav ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  const baseClasses = classes(base);
  const homeClasses = classes(home);
  const all = [...new Set([...baseClasses, ...homeClasses])];
  ctx.davClasses = all;
  const allow = home.response?.headers.allow ?? base.response?.headers.allow;
  const observed = `DAV: ${all.join(', ') || '(none)'}; Allow: ${allow ?? '(none)'}`;
  const quirks: ProfileQuirk[] = [];
  if (!ok(base) && !ok(home))
    return {
      probe: result(
        'options',
        'OPTIONS (DAV classes, Allow)',
        'broken',
        `OPTIONS answered ${describe(base)} / ${describe(home)}`,
      ),
    };
  let grade: FeatureGrade = 'full';
  let note = '';
  if (!all.includes('calendar-access')) {
    grade = 'broken';
    note = ' — calendar-access is not advertised';
  } else if (!baseClasses.includes('calendar-access')) {
    grade = 'quirk';
    note =
      ' — only the home advertises calendar-access, the base URL ' +
      `${baseClasses.length ? 'does not' : 'sends no DAV header'}`;
    quirks.push(
      quirk(
        'dav-header-only-on-home',
        `OPTIONS on the base URL ${baseClasses.length ? 'lacks calendar-access' : 'has no DAV header'}; ` +
          'the calendar home has it.',
      ),
    );
  }
  if (allow && !/MKCALENDAR/i.test(allow))
    quirks.push(
      quirk('allow-lacks-mkcalendar', 'The Allow header does not list MKCALENDAR although MKCALENDAR may work.'),
    );
  return {
    probe: result('options', 'OPTIONS (DAV classes, Allow)', grade, observed + note, { quirks }),
    ...(allow ? { allow } : {}),
  };
}

export async function probeWellKnown(ctx: ProbeContext): Promise<ProbeResult> {
  const url = new URL('/.well-known/caldav', ctx.baseUrl).toString();
  const ex = await send(ctx, 'PROPFIND', url, {
    body: propfindBody(['d:current-user-principal']),
    headers: { ...XML, depth: '0' },
  });
  const s = status(ex);
  if (s !== undefined && s >= 300 && s < 400) {
    const loc = ex.response!.headers.location ?? '(no Location)';
    return result(
      'well-known',
      'RFC 6764 /.well-known/caldav',
      loc === '(no Location)' ? 'broken' : 'full',
      `PROPFIND answered ${s} → ${loc}`,
      { feature: 'well-known' },
    );
  }
  if (s === 207) {
    const principal = hrefOf(prop(ms(ex), D('current-user-principal')));
    return result(
      'well-known',
      'RFC 6764 /.well-known/caldav',
      principal ? 'quirk' : 'broken',
      `PROPFIND answered 207 in place${
        principal ? ` (current-user-principal ${principal}) rather than redirecting` : ' without current-user-principal'
      }`,
      { feature: 'well-known' },
    );
  }
  const refusal = refusalGrade(ex);
  return result(
    'well-known',
    'RFC 6764 /.well-known/caldav',
    refusal.grade === 'broken' ? 'broken' : s === 404 ? 'unsupported' : refusal.grade,
    `PROPFIND ${refusal.observed}`,
    { feature: 'well-known' },
  );
}

export function probePrincipal(notes: string[], principal: string, home: string): ProbeResult[] {
  const viaWellKnown = notes.some((n) => n.includes('principal found through'));
  const principalFromProfile = notes.some((n) => n.includes('principal taken from the profile'));
  const homeFromProfile = notes.some((n) => n.includes('calendar home taken from the profile'));
  const same = principal.replace(/\/?$/, '/') === home;
  const quirks = same
    ? [quirk('principal-is-home', 'The principal URL and the calendar home are the same collection.')]
    : [];
  return [
    result(
      'principal',
      'RFC 5397 current-user-principal',
      principalFromProfile ? 'unsupported' : viaWellKnown ? 'quirk' : 'full',
      principalFromProfile
        ? `no current-user-principal; using the profile's ${principal}`
        : `${principal}${viaWellKnown ? ' (only through /.well-known/caldav)' : ''}`,
    ),
    result(
      'home-set',
      'RFC 4791 calendar-home-set',
      homeFromProfile ? 'unsupported' : 'full',
      homeFromProfile
        ? `no calendar-home-set; using the profile's ${home}`
        : `${home}${same ? ' (same collection as the principal)' : ''}`,
      { quirks },
    ),
  ];
}

/** RFC 7809 §3.1.1: a server that accepts time zones by reference says so in its DAV header. */
export function probeTimezoneByReference(ctx: ProbeContext): ProbeResult {
  const advertised = ctx.davClasses.includes('calendar-no-timezone');
  return result(
    'timezone-by-reference',
    'RFC 7809 time zones by reference',
    advertised ? 'full' : 'unsupported',
    `DAV header ${advertised ? 'lists' : 'does not list'} calendar-no-timezone (DAV: ${
      ctx.davClasses.join(', ') || 'none'
    })`,
    { feature: 'timezone-by-reference' },
  );
}
