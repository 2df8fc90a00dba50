// Load is only sent to loopback unless --allow-remote: pointing a load test at someone else's
// server by mistake (a copied URL, a CI variable) must not be one typo away.
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { CalspecError, EXIT } from '../model/exit-codes.js';

export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  if (a.startsWith('::ffff:')) return isLoopbackAddress(a.slice(7));
  return isIP(a) === 4 && a.startsWith('127.');
}

/** Every address the host name resolves to must be loopback (a name could resolve anywhere). */
export async function assertLoopback(target: string, allowRemote: boolean): Promise<void> {
  if (allowRemote) return;
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new CalspecError(`cannot resolve ${host}`, EXIT.target);
  }
  const remote = addresses.filter((a) => !isLoopbackAddress(a));
  if (remote.length || addresses.length === 0) {
    throw new CalspecError(
      `refusing to send load to ${host} (${remote.join(', ') || 'no address'}): ` +
        `not a loopback address. Pass --allow-remote if you own this server and mean it`,
      EXIT.usage,
    );
  }
}
