// DAV:expand-property (RFC 3253 §3.8), which CalDAV servers must support (RFC 4791 §7.1): each
// DAV:property names a property; when it has nested DAV:property elements, every href in its value
// is replaced by a DAV:response for that resource carrying the nested properties (recursively).
import { el, hrefPath, type XmlElement } from '../xml/index.js';
import { canRead } from './acl.js';
import { DAV, hrefEl, multistatus, statusResponse, type Ctx, type Reply } from './context.js';
import { propResponse } from './props.js';
import type { Resource } from './store.js';

function requested(spec: XmlElement[]): XmlElement[] {
  return spec
    .filter((p) => p.name === DAV('property'))
    .map((p) => el(`{${p.attrs.namespace ?? 'DAV:'}}${p.attrs.name ?? ''}`));
}

function expandResponse(ctx: Ctx, r: Resource, spec: XmlElement[], depth: number): XmlElement {
  const response = propResponse(ctx, r, { kind: 'prop', props: requested(spec) });
  if (depth > 4) return response; // href cycles (principal ↔ home) end here
  for (const propstat of response.children.filter((c) => c.name === DAV('propstat'))) {
    const prop = propstat.children.find((c) => c.name === DAV('prop'));
    for (const [i, value] of (prop?.children ?? []).entries()) {
      const nested =
        spec.filter((p) => p.name === DAV('property'))[i]?.children.filter((c) => c.name === DAV('property')) ?? [];
      if (nested.length === 0 || !value.children.some((c) => c.name === DAV('href'))) continue;
      prop!.children[i] = el(
        value.name,
        value.children.map((c) => {
          if (c.name !== DAV('href')) return c;
          const target = ctx.state.store.get(hrefPath(c.text.trim()));
          if (!target) return statusResponse(hrefPath(c.text.trim()), 404);
          if (!canRead(ctx.state, ctx.user, target.path))
            return el(DAV('response'), [hrefEl(target.path), el(DAV('status'), ['HTTP/1.1 403 Forbidden'])]);
          return expandResponse(ctx, target, nested, depth + 1);
        }),
      );
    }
  }
  return response;
}

export function handleExpandProperty(ctx: Ctx, r: Resource, root: XmlElement): Reply {
  return multistatus([expandResponse(ctx, r, root.children, 0)]);
}
