// PROPPATCH (RFC 4918 §9.2): instructions are checked first and applied all-or-nothing; on any
// failure the failing properties get their own status and every other one 424 Failed Dependency.
import { el, parseXml, type XmlElement } from '../xml/index.js';
import { hasPrivilege, needPrivileges } from './acl.js';
import { checkConditions } from './conditional.js';
import { CAL, DAV, hrefEl, multistatus, propstatEl, textReply, type Ctx, type Reply } from './context.js';
import { assertUnlocked } from './locks.js';
import { PROTECTED } from './props.js';
import type { Resource } from './store.js';
import { timezoneFromText } from './timerange.js';
import { applyTimezoneIdUpdate, checkTimezoneIdUpdate } from './tzref-props.js';

export interface PropUpdate {
  op: 'set' | 'remove';
  prop: XmlElement;
}

export interface PropFailure {
  status: number;
  error?: XmlElement;
}

/** Why a property cannot be set/removed here, or undefined when it can. */
export function checkUpdate(u: PropUpdate, creating = false): PropFailure | undefined {
  const name = u.prop.name;
  if (creating && name === CAL('supported-calendar-component-set')) return undefined;
  if (PROTECTED.has(name)) return { status: 403, error: el(DAV('cannot-modify-protected-property')) };
  if (u.op === 'set' && name === CAL('calendar-timezone') && !timezoneFromText(u.prop.text)) {
    return { status: 403, error: el(CAL('valid-calendar-data')) };
  }
  return checkTimezoneIdUpdate(u);
}

export function readUpdates(root: XmlElement): PropUpdate[] {
  const updates: PropUpdate[] = [];
  for (const instr of root.children) {
    const op = instr.name === DAV('set') ? 'set' : instr.name === DAV('remove') ? 'remove' : undefined;
    if (!op) continue;
    for (const prop of instr.children.filter((c) => c.name === DAV('prop'))) {
      for (const p of prop.children) updates.push({ op, prop: p });
    }
  }
  return updates;
}

export function applyUpdates(r: Resource, updates: PropUpdate[]): void {
  for (const u of updates) {
    if (applyTimezoneIdUpdate(r, u)) continue;
    if (u.op === 'remove') r.props.delete(u.prop.name);
    else if (u.prop.name === CAL('supported-calendar-component-set')) {
      r.components = u.prop.children
        .filter((c) => c.name === CAL('comp'))
        .map((c) => (c.attrs.name ?? '').toUpperCase());
    } else r.props.set(u.prop.name, u.prop);
  }
}

/** Propstats for a checked update list: all 200, or failures plus 424 for the rest. */
export function updatePropstats(updates: PropUpdate[], failures: Map<PropUpdate, PropFailure>): XmlElement[] {
  if (failures.size === 0)
    return [
      propstatEl(
        updates.map((u) => el(u.prop.name)),
        200,
      ),
    ];
  const out: XmlElement[] = [];
  for (const [u, f] of failures) out.push(propstatEl([el(u.prop.name)], f.status, f.error));
  const rest = updates.filter((u) => !failures.has(u));
  if (rest.length)
    out.push(
      propstatEl(
        rest.map((u) => el(u.prop.name)),
        424,
      ),
    );
  return out;
}

export function handleProppatch(ctx: Ctx): Reply {
  const { store } = ctx.state;
  const r = store.get(ctx.path);
  if (!r) return textReply(404, 'Not Found');
  if (!hasPrivilege(ctx.state, ctx.user, r.path, 'write-properties')) return needPrivileges(ctx, 'write-properties');
  const failed = checkConditions(ctx, r);
  if (failed) return failed;
  const locked = assertUnlocked(ctx, [r.path]);
  if (locked) return locked;
  const root = parseXml(ctx.body);
  if (root.name !== DAV('propertyupdate')) return textReply(400, 'Expected a DAV:propertyupdate body');
  const updates = readUpdates(root);
  const failures = new Map<PropUpdate, PropFailure>();
  for (const u of updates) {
    const f = checkUpdate(u);
    if (f) failures.set(u, f);
  }
  if (failures.size === 0 && updates.length > 0) {
    applyUpdates(r, updates);
    store.touchProps(r);
  }
  return multistatus([el(DAV('response'), [hrefEl(r.path), ...updatePropstats(updates, failures)])]);
}
