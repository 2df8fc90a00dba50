// Access control and scheduling probes: the owner's privileges and RFC 3744 ACL on the calendar,
// RFC 6638 scheduling collections on the principal, and Schedule-Tag on an attendee's copy.
import { deepText } from '../../xml/element.js';
import {
  describe,
  hrefOf,
  localNames,
  ms,
  ok,
  prop,
  propfindBody,
  send,
  vevent,
  XML,
  type ProbeContext,
} from '../context.js';
import type { FeatureGrade, ProbeResult } from '../types.js';
import { C, D, obj, put, result } from './shared.js';

export async function probeAcl(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.calendar!, {
    body: propfindBody(['d:current-user-privilege-set', 'd:acl', 'd:owner', 'd:supported-privilege-set']),
    headers: { ...XML, depth: '0' },
  });
  const m = ms(ex);
  const cups = prop(m, D('current-user-privilege-set'));
  const privileges = cups ? cups.children.map((p) => localNames(p).join('/')).filter(Boolean) : [];
  const acl = prop(m, D('acl'));
  const aces = acl ? acl.children.length : 0;
  const accessControl = ctx.davClasses.includes('access-control');
  const out: ProbeResult[] = [
    result(
      'current-user-privilege-set',
      'DAV:current-user-privilege-set',
      cups ? 'full' : 'unsupported',
      cups ? privileges.join(', ') || '(empty)' : 'not reported',
      { feature: 'current-user-privilege-set' },
    ),
  ];
  if (accessControl && acl)
    out.push(
      result(
        'acl',
        'RFC 3744 ACL',
        'full',
        `access-control advertised; DAV:acl readable (${aces} ACEs); owner ${hrefOf(prop(m, D('owner'))) ?? '(none)'}`,
        { feature: 'acl' },
      ),
    );
  else if (accessControl)
    out.push(
      result('acl', 'RFC 3744 ACL', 'quirk', 'access-control advertised, but DAV:acl is not readable by the owner', {
        feature: 'acl',
      }),
    );
  else
    out.push(
      result(
        'acl',
        'RFC 3744 ACL',
        'unsupported',
        `no access-control DAV class${acl ? ' (yet DAV:acl is reported)' : ''}`,
        { feature: 'acl' },
      ),
    );
  return out;
}

export async function probeScheduling(ctx: ProbeContext): Promise<ProbeResult[]> {
  const ex = await send(ctx, 'PROPFIND', ctx.principal, {
    body: propfindBody([
      'c:schedule-inbox-URL',
      'c:schedule-outbox-URL',
      'c:calendar-user-address-set',
      'c:calendar-user-type',
    ]),
    headers: { ...XML, depth: '0' },
  });
  const m = ms(ex);
  const inbox = hrefOf(prop(m, C('schedule-inbox-URL')));
  const outbox = hrefOf(prop(m, C('schedule-outbox-URL')));
  const addresses = prop(m, C('calendar-user-address-set'))?.children.map((c) => deepText(c).trim()) ?? [];
  const auto = ctx.davClasses.includes('calendar-auto-schedule');
  const parts = [
    `calendar-auto-schedule ${auto ? 'advertised' : 'not advertised'}`,
    `inbox ${inbox ?? 'none'}`,
    `outbox ${outbox ?? 'none'}`,
    `addresses ${addresses.join(' ') || 'none'}`,
  ];
  const out: ProbeResult[] = [];
  if (!auto && ctx.davClasses.includes('calendar-auto-scheduling'))
    parts.push("advertises the non-standard token 'calendar-auto-scheduling'");
  const full = auto && inbox && outbox;
  // Without calendar-auto-schedule there is no implicit scheduling, whatever collections exist.
  const grade: FeatureGrade = full ? 'full' : auto ? 'broken' : 'unsupported';
  out.push(result('scheduling', 'RFC 6638 scheduling', grade, parts.join('; '), { feature: 'scheduling' }));
  // Schedule-Tag on an attendee's copy (no other attendee of ours: nothing is delivered locally).
  if (full) {
    const me = addresses.find((a) => /^mailto:/i.test(a)) ?? `mailto:${ctx.user}@example.invalid`;
    const body = vevent(
      `calspec-${ctx.runId}-sched`,
      '20300501T100000Z',
      '20300501T110000Z',
      `ORGANIZER:mailto:organizer@example.invalid\nATTENDEE;PARTSTAT=NEEDS-ACTION:${me}`,
    );
    const made = await put(ctx, 'sched.ics', body);
    const get = ok(made) ? await send(ctx, 'GET', obj(ctx, 'sched.ics')) : undefined;
    const tag = made.response?.headers['schedule-tag'] ?? get?.response?.headers['schedule-tag'];
    if (!ok(made))
      out.push(
        result('schedule-tag', 'RFC 6638 Schedule-Tag', 'broken', `PUT of an attendee's copy ${describe(made)}`, {
          feature: 'schedule-tag',
        }),
      );
    else
      out.push(
        result(
          'schedule-tag',
          'RFC 6638 Schedule-Tag',
          tag ? 'full' : 'unsupported',
          tag ? `Schedule-Tag ${tag} on a scheduling object` : 'no Schedule-Tag on a scheduling object resource',
          { feature: 'schedule-tag' },
        ),
      );
  } else {
    out.push(
      result('schedule-tag', 'RFC 6638 Schedule-Tag', 'unsupported', 'no implicit scheduling', {
        feature: 'schedule-tag',
      }),
    );
  }
  return out;
}
