// Implicit scheduling (RFC 6638 §3): a PUT by the organizer delivers iTIP REQUESTs to local
// attendees (their inbox and a copy in their default calendar) and annotates each ATTENDEE with
// SCHEDULE-STATUS; an attendee's PARTSTAT change flows back to the organizer's copy as a REPLY;
// an organizer DELETE sends CANCEL. Users are addressed as mailto:<user>@example.com.
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import type { ServerState } from './context.js';
import { isCollection, type Resource } from './store.js';

export const addressOf = (user: string): string => `mailto:${user}@example.com`;

/** The local user a calendar user address names, if any. */
export function userOfAddress(state: ServerState, address: string): string | undefined {
  const m = /^mailto:([^@]+)@example\.com$/i.exec(address.trim());
  const name = m?.[1];
  return name !== undefined && state.users.has(name)
    ? name
    : [...state.users.keys()].find((u) => u.toLowerCase() === name?.toLowerCase());
}

export function newScheduleTag(): string {
  return `"st-${randomUUID().slice(0, 13)}"`;
}

function parse(body: string): ICAL.Component | undefined {
  try {
    return new ICAL.Component(ICAL.parse(body) as unknown[]);
  } catch {
    return undefined;
  }
}

function components(root: ICAL.Component): ICAL.Component[] {
  return root.getAllSubcomponents().filter((c) => c.name === 'vevent' || c.name === 'vtodo');
}

function organizerOf(root: ICAL.Component): string | undefined {
  const v = components(root)[0]?.getFirstPropertyValue('organizer');
  return typeof v === 'string' ? v : undefined;
}

/** A scheduling object resource (RFC 6638 §3.1) has an ORGANIZER. */
export function isSchedulingObject(body: string): boolean {
  const root = parse(body);
  return root !== undefined && organizerOf(root) !== undefined;
}

function text(root: ICAL.Component): string {
  return root.toString() + '\r\n';
}

/** The calendars of a user's home (the first one is the default calendar). */
function calendarsOf(state: ServerState, user: string): Resource[] {
  const home = state.store.get(state.layout.home(user));
  return home ? state.store.members(home).filter((m) => m.kind === 'calendar') : [];
}

export function defaultCalendar(state: ServerState, user: string): string {
  return state.layout.home(user) + state.layout.initialCalendars[0]!;
}

function findByUid(state: ServerState, user: string, uid: string): Resource | undefined {
  for (const cal of calendarsOf(state, user)) {
    const hit = state.store.members(cal).find((m) => !isCollection(m) && m.uid === uid);
    if (hit) return hit;
  }
  return undefined;
}

/** Put an iTIP message in `user`'s inbox. */
function deliverToInbox(state: ServerState, user: string, root: ICAL.Component, method: string): void {
  const msg = new ICAL.Component(JSON.parse(JSON.stringify(root.toJSON())) as unknown[]);
  msg.removeAllProperties('method');
  msg.addPropertyWithValue('method', method);
  for (const c of components(msg)) for (const a of c.getAllProperties('attendee')) a.removeParameter('schedule-status');
  state.store.putObject(
    state.layout.inbox(user) + `${randomUUID()}.ics`,
    text(msg),
    'text/calendar; charset=utf-8',
    user,
    String(components(msg)[0]?.getFirstPropertyValue('uid') ?? ''),
  );
}

function attendeeAddresses(root: ICAL.Component): { address: string; agent: string }[] {
  const seen = new Map<string, string>();
  for (const c of components(root)) {
    for (const a of c.getAllProperties('attendee')) {
      seen.set(
        String(a.getFirstValue()).toLowerCase(),
        String(a.getParameter('schedule-agent') ?? 'SERVER').toUpperCase(),
      );
    }
  }
  return [...seen].map(([address, agent]) => ({ address, agent }));
}

/** Store (or update) an attendee's copy of the organizer's object, keeping the attendee's own PARTSTAT. */
function updateAttendeeCopy(
  state: ServerState,
  user: string,
  root: ICAL.Component,
  uid: string,
  cancelled: boolean,
): void {
  const copy = new ICAL.Component(JSON.parse(JSON.stringify(root.toJSON())) as unknown[]);
  const existing = findByUid(state, user, uid);
  const prior = existing ? parse(existing.body) : undefined;
  const mine = addressOf(user).toLowerCase();
  const oldPartstat =
    prior &&
    components(prior)[0]
      ?.getAllProperties('attendee')
      .find((a) => String(a.getFirstValue()).toLowerCase() === mine)
      ?.getParameter('partstat');
  for (const c of components(copy)) {
    for (const a of c.getAllProperties('attendee')) {
      a.removeParameter('schedule-status');
      if (oldPartstat && String(a.getFirstValue()).toLowerCase() === mine)
        a.setParameter('partstat', String(oldPartstat));
    }
    if (cancelled) c.updatePropertyWithValue('status', 'CANCELLED');
  }
  const path = existing?.path ?? defaultCalendar(state, user) + `${randomUUID()}.ics`;
  if (!existing && (cancelled || !state.store.get(defaultCalendar(state, user)))) return;
  const r = state.store.putObject(path, text(copy), 'text/calendar; charset=utf-8', user, uid).resource;
  r.scheduleTag = newScheduleTag();
}

export interface ScheduleResult {
  /** The body to store (SCHEDULE-STATUS parameters added), unchanged when nothing was scheduled. */
  body: string;
  /** Whether this PUT changes the Schedule-Tag (RFC 6638 §3.2.10). */
  scheduling: boolean;
}

/**
 * Implicit scheduling for a PUT of `body` into a calendar owned by `owner`. `previous` is the body it
 * replaces. Deliveries happen here; the caller stores the returned body.
 */
export function scheduleOnPut(
  state: ServerState,
  owner: string,
  body: string,
  previous: string | undefined,
): ScheduleResult {
  const root = parse(body);
  const organizer = root && organizerOf(root);
  if (!root || !organizer) return { body, scheduling: false };
  const uid = String(components(root)[0]?.getFirstPropertyValue('uid') ?? '');
  const orgUser = userOfAddress(state, organizer);
  if (orgUser === owner) {
    const status = new Map<string, string>();
    for (const { address, agent } of attendeeAddresses(root)) {
      if (address === organizer.toLowerCase() || agent !== 'SERVER') continue;
      const user = userOfAddress(state, address);
      if (!user) {
        status.set(address, '3.7');
        continue;
      }
      deliverToInbox(state, user, root, 'REQUEST');
      updateAttendeeCopy(state, user, root, uid, false);
      status.set(address, '1.2');
    }
    // Attendees dropped by this update are told the event is cancelled for them.
    const old = previous ? parse(previous) : undefined;
    for (const { address, agent } of old ? attendeeAddresses(old) : []) {
      const user = userOfAddress(state, address);
      if (!user || user === owner || agent !== 'SERVER' || status.has(address)) continue;
      deliverToInbox(state, user, old!, 'CANCEL');
      updateAttendeeCopy(state, user, old!, uid, true);
    }
    if (status.size === 0) return { body, scheduling: true };
    for (const c of components(root)) {
      for (const a of c.getAllProperties('attendee')) {
        const s = status.get(String(a.getFirstValue()).toLowerCase());
        if (s) a.setParameter('schedule-status', s);
      }
    }
    return { body: text(root), scheduling: true };
  }
  if (orgUser) replyToOrganizer(state, owner, orgUser, root, uid, previous);
  return { body, scheduling: true };
}

function partstatOf(root: ICAL.Component | undefined, address: string): string | undefined {
  const a =
    root &&
    components(root)[0]
      ?.getAllProperties('attendee')
      .find((p) => String(p.getFirstValue()).toLowerCase() === address);
  const v = a?.getParameter('partstat');
  return v === undefined || v === null ? undefined : String(v).toUpperCase();
}

/** RFC 6638 §3.2.2: an attendee's participation change is sent to the organizer as a REPLY. */
function replyToOrganizer(
  state: ServerState,
  attendee: string,
  organizer: string,
  root: ICAL.Component,
  uid: string,
  previous: string | undefined,
): void {
  const me = addressOf(attendee).toLowerCase();
  const now = partstatOf(root, me);
  if (!now || now === (previous ? partstatOf(parse(previous), me) : 'NEEDS-ACTION')) return;
  const orgCopy = findByUid(state, organizer, uid);
  const orgRoot = orgCopy && parse(orgCopy.body);
  if (orgCopy && orgRoot) {
    for (const c of components(orgRoot)) {
      for (const a of c.getAllProperties('attendee'))
        if (String(a.getFirstValue()).toLowerCase() === me) a.setParameter('partstat', now);
    }
    // A merged reply changes the ETag but not the organizer's Schedule-Tag (§3.2.10).
    const tag = orgCopy.scheduleTag;
    state.store.putObject(orgCopy.path, text(orgRoot), orgCopy.contentType, orgCopy.owner, uid).resource.scheduleTag =
      tag;
  }
  const reply = new ICAL.Component(JSON.parse(JSON.stringify(root.toJSON())) as unknown[]);
  for (const c of components(reply))
    for (const a of c.getAllProperties('attendee'))
      if (String(a.getFirstValue()).toLowerCase() !== me) c.removeProperty(a);
  deliverToInbox(state, organizer, reply, 'REPLY');
}

/** RFC 6638 §3.2.1.4: the organizer deleting a scheduling object cancels it for the attendees. */
export function scheduleOnDelete(state: ServerState, owner: string, body: string): void {
  const root = parse(body);
  const organizer = root && organizerOf(root);
  if (!root || !organizer || userOfAddress(state, organizer) !== owner) return;
  const uid = String(components(root)[0]?.getFirstPropertyValue('uid') ?? '');
  for (const { address, agent } of attendeeAddresses(root)) {
    const user = userOfAddress(state, address);
    if (!user || user === owner || agent !== 'SERVER') continue;
    deliverToInbox(state, user, root, 'CANCEL');
    updateAttendeeCopy(state, user, root, uid, true);
  }
}
