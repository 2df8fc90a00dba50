// The in-memory resource tree. One global revision counter orders every change: it mints ETags,
// CTags and sync-tokens, and lets sync-collection answer "what changed since revision n" from
// per-member modification revisions plus per-collection tombstones.
import type { XmlElement } from '../xml/index.js';
import type { Faults } from './faults.js';

export type ResourceKind = 'collection' | 'calendar' | 'object' | 'principal' | 'inbox' | 'outbox';

/** A grant-only access control entry (RFC 3744 §5.5): `principal` is a user name or '*' (all users). */
export interface Ace {
  principal: string;
  /** Privileges as Clark names, as granted (aggregates are expanded when checked). */
  grant: string[];
}

export interface Resource {
  /** Decoded absolute path; collections end with '/'. */
  path: string;
  kind: ResourceKind;
  /** Revision at creation: names this incarnation of the path (sync-tokens of a re-created collection differ). */
  serial: number;
  /** Owning user, or '' for the shared skeleton (/, /calendars/ ...). */
  owner: string;
  created: Date;
  modified: Date;
  /** Revision of the last change to this resource itself (creation, body or property write). */
  modSeq: number;
  /** Dead properties and writable live ones (displayname, calendar-description ...), by Clark name. */
  props: Map<string, XmlElement>;
  // Objects:
  etag: string;
  body: string;
  contentType: string;
  uid?: string;
  /** RFC 6638 §3.2.10 Schedule-Tag of a scheduling object resource. */
  scheduleTag?: string;
  /** ACEs set with the ACL method (the owner's full access is implicit and protected). */
  aces?: Ace[];
  // Collections:
  members?: Map<string, Resource>;
  /** Member path -> revision at which it was removed (RFC 6578 deletions). */
  tombstones?: Map<string, number>;
  /** Revision of the last member change (sync-token) and of any change visible to CTag clients. */
  syncSeq: number;
  ctagSeq: number;
  /** Calendars: the supported-calendar-component-set, upper case. */
  components?: string[];
}

export const DEFAULT_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL'];

/** Map key: the path without its trailing slash, so `/a/b` and `/a/b/` name the same resource. */
export function keyOf(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function parentPath(path: string): string | undefined {
  const key = keyOf(path);
  if (key === '/') return undefined;
  return key.slice(0, key.lastIndexOf('/') + 1);
}

export function baseName(path: string): string {
  const key = keyOf(path);
  return key.slice(key.lastIndexOf('/') + 1);
}

export function isCollection(r: Resource): boolean {
  return (
    r.kind === 'collection' ||
    r.kind === 'calendar' ||
    r.kind === 'inbox' ||
    r.kind === 'outbox' ||
    (r.kind === 'principal' && r.path.endsWith('/'))
  );
}

export class Store {
  private revision = 0;
  private readonly index = new Map<string, Resource>();

  constructor(private readonly faults: Faults) {}

  get currentRevision(): number {
    return this.revision;
  }

  get(path: string): Resource | undefined {
    return this.index.get(keyOf(path));
  }

  members(r: Resource): Resource[] {
    return r.members ? [...r.members.values()] : [];
  }

  /** Create a collection-like resource; the parent must exist (callers check, the store asserts). */
  create(path: string, kind: ResourceKind, owner: string): Resource {
    const rev = ++this.revision;
    const now = new Date();
    const collectionLike = kind !== 'object' && path.endsWith('/');
    const r: Resource = {
      path,
      kind,
      serial: rev,
      owner,
      created: now,
      modified: now,
      modSeq: rev,
      props: new Map(),
      etag: '',
      body: '',
      contentType: '',
      syncSeq: rev,
      ctagSeq: rev,
      ...(collectionLike ? { members: new Map<string, Resource>(), tombstones: new Map<string, number>() } : {}),
      ...(kind === 'calendar' ? { components: [...DEFAULT_COMPONENTS] } : {}),
    };
    this.attach(r, rev);
    return r;
  }

  /** Create or replace an object's body. Returns the resource and whether it was created. */
  putObject(
    path: string,
    body: string,
    contentType: string,
    owner: string,
    uid?: string,
  ): { resource: Resource; created: boolean } {
    const existing = this.get(path);
    const rev = ++this.revision;
    if (existing) {
      existing.body = body;
      existing.contentType = contentType;
      existing.uid = uid;
      existing.modified = new Date();
      existing.modSeq = rev;
      // Fault hook: a server that forgets to mint a new entity tag on update.
      if (!this.faults.has('etag-unchanged')) existing.etag = this.mintEtag(rev);
      this.touchParent(existing, rev);
      return { resource: existing, created: false };
    }
    const now = new Date();
    const r: Resource = {
      path,
      kind: 'object',
      serial: rev,
      owner,
      created: now,
      modified: now,
      modSeq: rev,
      props: new Map(),
      etag: this.mintEtag(rev),
      body,
      contentType,
      syncSeq: rev,
      ctagSeq: rev,
      ...(uid !== undefined ? { uid } : {}),
    };
    this.attach(r, rev);
    return { resource: r, created: true };
  }

  /** Record a property change on a resource (bumps the parent's CTag, not its sync-token). */
  touchProps(r: Resource): void {
    const rev = ++this.revision;
    r.modified = new Date();
    r.ctagSeq = rev;
  }

  /** Remove a resource and everything below it, leaving a tombstone in its parent. */
  remove(path: string): void {
    const r = this.get(path);
    if (!r) return;
    const rev = ++this.revision;
    this.dropSubtree(r);
    const parent = this.parentOf(r);
    if (parent?.members) {
      parent.members.delete(baseName(r.path));
      parent.tombstones?.set(r.path, rev);
      parent.syncSeq = rev;
      parent.ctagSeq = rev;
    }
  }

  parentOf(r: Resource): Resource | undefined {
    const p = parentPath(r.path);
    return p === undefined ? undefined : this.get(p);
  }

  /** Deep copy of a subtree to a new path (COPY / MOVE); the destination parent must exist. */
  copyTree(source: Resource, dest: string): Resource {
    let copy: Resource;
    if (source.kind === 'object') {
      copy = this.putObject(dest, source.body, source.contentType, source.owner, source.uid).resource;
    } else {
      copy = this.create(dest.endsWith('/') ? dest : dest + '/', source.kind, source.owner);
      if (source.components) copy.components = [...source.components];
      for (const m of this.members(source))
        this.copyTree(m, copy.path + baseName(m.path) + (isCollection(m) ? '/' : ''));
    }
    for (const [k, v] of source.props) copy.props.set(k, v);
    return copy;
  }

  private mintEtag(rev: number): string {
    const tag = `"r${rev.toString(36)}-${Math.random().toString(36).slice(2, 8)}"`;
    // Fault hook: weak validators where CalDAV requires strong ones.
    return this.faults.has('etag-weak') ? `W/${tag}` : tag;
  }

  private attach(r: Resource, rev: number): void {
    this.index.set(keyOf(r.path), r);
    const parent = this.parentOf(r);
    if (parent?.members) {
      parent.members.set(baseName(r.path), r);
      // A re-created member supersedes its tombstone.
      parent.tombstones?.delete(r.path);
      parent.tombstones?.delete(r.path.endsWith('/') ? r.path.slice(0, -1) : r.path + '/');
      parent.syncSeq = rev;
      parent.ctagSeq = rev;
    }
  }

  private touchParent(r: Resource, rev: number): void {
    const parent = this.parentOf(r);
    if (parent) {
      parent.syncSeq = rev;
      parent.ctagSeq = rev;
    }
  }

  private dropSubtree(r: Resource): void {
    for (const m of this.members(r)) this.dropSubtree(m);
    this.index.delete(keyOf(r.path));
  }
}
