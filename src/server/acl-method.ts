// The ACL method (RFC 3744 §8.1) and the access-control properties (§5.4-5.7). The server is
// grant-only and has no invert (DAV:acl-restrictions says so); the owner's DAV:all ACE is protected
// and always listed first; ACEs of ancestors are shown as inherited. Principals are named by href
// (a user's principal URL or mailto address), DAV:all or DAV:authenticated.
import { el, hrefPath, parseXml, type XmlElement } from '../xml/index.js';
import { AGGREGATES, hasPrivilege, needPrivileges, privilegesOf, SUPPORTED_PRIVILEGES } from './acl.js';
import { CAL, DAV, davError, hrefEl, textReply, type Ctx, type Reply } from './context.js';
import { userOfAddress } from './schedule.js';
import { keyOf, parentPath, type Ace, type Resource } from './store.js';

/** RFC 4791 §6.1 and RFC 6638 §6: privilege descriptions for supported-privilege-set. */
const DESCRIPTIONS: Record<string, string> = {
  [DAV('all')]: 'Any operation',
  [DAV('read')]: 'Read resources and properties',
  [DAV('write')]: 'Write resources and properties',
  [CAL('read-free-busy')]: 'Read free-busy information',
  [CAL('schedule-send')]: 'Send scheduling messages',
  [CAL('schedule-deliver')]: 'Receive scheduling messages',
};

function supportedEl(priv: string): XmlElement {
  const children: XmlElement[] = [el(DAV('privilege'), [el(priv)])];
  if (priv === DAV('all')) children.push(el(DAV('abstract')));
  children.push(
    el(DAV('description'), [DESCRIPTIONS[priv] ?? priv.replace(/^\{[^}]*\}/, '')], {
      '{http://www.w3.org/XML/1998/namespace}lang': 'en',
    }),
  );
  for (const sub of AGGREGATES[priv] ?? []) children.push(supportedEl(sub));
  return el(DAV('supported-privilege'), children);
}

export function supportedPrivilegeSet(): XmlElement {
  return el(DAV('supported-privilege-set'), [supportedEl(DAV('all'))]);
}

/** RFC 3744 §5.4: the privileges the requesting user holds, aggregates included. */
export function currentUserPrivilegeSet(ctx: Ctx, r: Resource): XmlElement {
  const held = privilegesOf(ctx.state, ctx.user, r.path);
  const names = [...SUPPORTED_PRIVILEGES].filter((p) => held.has(p));
  return el(
    DAV('current-user-privilege-set'),
    names.map((n) => el(DAV('privilege'), [el(n)])),
  );
}

function aceEl(ctx: Ctx, ace: Ace, extra: XmlElement[]): XmlElement {
  const principal = ace.principal === '*' ? el(DAV('all')) : hrefEl(ctx.state.layout.principal(ace.principal));
  return el(DAV('ace'), [
    el(DAV('principal'), [principal]),
    el(
      DAV('grant'),
      ace.grant.map((g) => el(DAV('privilege'), [el(g)])),
    ),
    ...extra,
  ]);
}

/** RFC 3744 §5.5: the owner's protected ACE, the resource's own ACEs, then inherited ones. */
export function aclProperty(ctx: Ctx, r: Resource): XmlElement | undefined {
  if (!hasPrivilege(ctx.state, ctx.user, r.path, 'read-acl')) return undefined;
  const aces: XmlElement[] = [];
  if (r.owner) aces.push(aceEl(ctx, { principal: r.owner, grant: [DAV('all')] }, [el(DAV('protected'))]));
  for (const a of r.aces ?? []) aces.push(aceEl(ctx, a, []));
  for (let p = parentPath(r.path); p !== undefined; p = parentPath(p)) {
    for (const a of ctx.state.store.get(p)?.aces ?? []) aces.push(aceEl(ctx, a, [el(DAV('inherited'), [hrefEl(p)])]));
  }
  return el(DAV('acl'), aces);
}

export function aclRestrictions(): XmlElement {
  return el(DAV('acl-restrictions'), [el(DAV('grant-only')), el(DAV('no-invert'))]);
}

function principalOf(ctx: Ctx, p: XmlElement | undefined): string | undefined {
  const c = p?.children[0];
  if (!c) return undefined;
  if (c.name === DAV('all') || c.name === DAV('authenticated')) return '*';
  if (c.name !== DAV('href')) return undefined;
  const href = c.text.trim();
  if (/^mailto:/i.test(href)) return userOfAddress(ctx.state, href);
  const path = hrefPath(href);
  return [...ctx.state.users.keys()].find((u) => keyOf(ctx.state.layout.principal(u)) === keyOf(path));
}

export function handleAcl(ctx: Ctx): Reply {
  const r = ctx.state.store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  if (!hasPrivilege(ctx.state, ctx.user, r.path, 'write-acl')) return needPrivileges(ctx, 'write-acl');
  const root = parseXml(ctx.body);
  if (root.name !== DAV('acl')) return textReply(400, 'Expected a DAV:acl body');
  const aces: Ace[] = [];
  for (const ace of root.children.filter((c) => c.name === DAV('ace'))) {
    // §8.1.1: inherited and protected ACEs are not the client's to set; identical copies are ignored.
    if (ace.children.some((c) => c.name === DAV('inherited') || c.name === DAV('protected'))) continue;
    if (ace.children.some((c) => c.name === DAV('deny'))) return davError(ctx, 403, DAV('grant-only'));
    if (ace.children.some((c) => c.name === DAV('invert'))) return davError(ctx, 403, DAV('no-invert'));
    const principalEl = ace.children.find((c) => c.name === DAV('principal'));
    const principal = principalOf(ctx, principalEl);
    if (principal === undefined) {
      const kind = principalEl?.children[0]?.name;
      return davError(ctx, 403, kind === DAV('href') ? DAV('recognized-principal') : DAV('allowed-principal'));
    }
    const grant = ace.children.find((c) => c.name === DAV('grant'));
    const privs = (grant?.children ?? [])
      .filter((c) => c.name === DAV('privilege'))
      .map((p) => p.children[0]?.name ?? '');
    if (privs.length === 0 || privs.some((p) => !SUPPORTED_PRIVILEGES.has(p)))
      return davError(ctx, 403, DAV('not-supported-privilege'));
    // The owner's full access is the protected ACE; restating it changes nothing.
    if (principal === r.owner) continue;
    aces.push({ principal, grant: privs });
  }
  r.aces = aces;
  ctx.state.store.touchProps(r);
  return { status: 200, headers: { 'Content-Length': '0' } };
}
