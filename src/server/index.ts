// The embedded reference CalDAV server (`calspec serve`): in-memory, RFC-faithful, with switchable
// faults. It deliberately shares no code with calspec's checks so it cannot agree with a bug there.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { el } from '../xml/index.js';
import { DAV, type ServerState } from './context.js';
import { Faults } from './faults.js';
import { createRequestListener } from './http.js';
import { makeLayout, type LayoutName } from './layout.js';
import { Store } from './store.js';

export { FAULTS, type FaultInfo } from './faults.js';

export interface ServerOptions {
  /** 0 = ephemeral. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default test:test and user1:pass1. */
  users?: { name: string; password: string }[];
  layout?: LayoutName;
  faults?: string[];
  quiet?: boolean;
}

export interface RunningServer {
  /** Base URL to give calspec --target (the layout's DAV root); ends with '/'. */
  url: string;
  port: number;
  layout: string;
  faults: string[];
  stop(): Promise<void>;
  requestCount(): number;
}

export const DEFAULT_USERS: ReadonlyArray<{ name: string; password: string }> = [
  { name: 'test', password: 'test' },
  { name: 'user1', password: 'pass1' },
];

function seed(state: ServerState): void {
  const { store, layout } = state;
  for (const path of layout.skeleton) store.create(path, 'collection', '');
  for (const user of state.users.keys()) {
    const home = layout.home(user);
    const principal = layout.principal(user);
    store.create(home, 'collection', user);
    store.create(layout.inbox(user), 'inbox', user);
    store.create(layout.outbox(user), 'outbox', user);
    store.create(principal, 'principal', user).props.set(DAV('displayname'), el(DAV('displayname'), [user]));
    for (const cal of layout.initialCalendars) {
      const name = layout.name === 'google' ? `${user}@example.com` : cal === 'personal/' ? 'Personal' : 'Default';
      store.create(home + cal, 'calendar', user).props.set(DAV('displayname'), el(DAV('displayname'), [name]));
    }
  }
}

export async function startReferenceServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const faults = new Faults(opts.faults ?? []);
  const layout = makeLayout(opts.layout ?? 'plain');
  const users = new Map((opts.users ?? DEFAULT_USERS).map((u) => [u.name, u.password]));
  for (const name of users.keys()) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`invalid user name '${name}' (letters, digits, . _ - only)`);
  }
  const state: ServerState = {
    store: new Store(faults),
    layout,
    faults,
    users,
    quiet: opts.quiet ?? false,
    locks: new Map(),
  };
  seed(state);
  let count = 0;
  const server = createServer(createRequestListener(state, () => count++));
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${layout.base}`,
    port,
    layout: layout.name,
    faults: faults.list(),
    requestCount: () => count,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // close() waits for idle keep-alive sockets; end them now so stop() is prompt.
        server.closeAllConnections();
      }),
  };
}
