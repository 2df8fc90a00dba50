// Everything a scenario needs from the run around it.
import type { Feature } from '../model/profile.js';
import type { Capability } from '../model/result.js';
import type { Authenticator } from '../dav/auth.js';
import type { DavClient } from '../dav/http.js';
import type { Sandbox } from '../dav/sandbox.js';
import type { UserContext } from './variables.js';
import type { SharedMode } from './shared-mode.js';

export interface RunEnv {
  runId: string;
  baseUrl: string;
  anchor: Date;
  client: DavClient;
  sandbox: Sandbox;
  auths: Authenticator[];
  users: UserContext[];
  features: Partial<Record<Feature, boolean>>;
  /** What the run decided about each capability the scenarios need (probe or profile); wins over features. */
  capabilities?: ReadonlyMap<string, Capability>;
  profileName?: string;
  /** Why multi-user scenarios skip, when the profile knows (e.g. Xandikos has no authentication). */
  singleUserReason?: string;
  /** Shared-calendar mode: the existing calendar scenarios share, and why (shared-mode.ts). */
  shared?: SharedMode;
  keep: boolean;
  /** Run scenarios marked accountWrites (they may leave data outside the sandbox). */
  allowAccountWrites?: boolean;
  signal?: AbortSignal;
}
