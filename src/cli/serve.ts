// `calspec serve`: the embedded reference server as a long-running process.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { FAULTS, startReferenceServer, type ServerOptions } from '../server/index.js';
import { flag, int, list, parse, str } from './args.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const p = parse('serve', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    users: { type: 'string' },
    layout: { type: 'string' },
    fault: { type: 'string', multiple: true },
    'list-faults': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (flag(p, 'list-faults')) {
    for (const f of FAULTS) process.stdout.write(`${f.name.padEnd(32)} ${f.violates.padEnd(16)} ${f.description}\n`);
    return EXIT.ok;
  }
  const layout = str(p, 'layout') ?? 'plain';
  if (!['plain', 'nextcloud', 'google'].includes(layout))
    throw new CalspecError(`--layout must be plain, nextcloud or google`, EXIT.usage);
  const host = str(p, 'host') ?? '127.0.0.1';
  const options: ServerOptions = {
    port: int(p, 'port', 0, 65535) ?? 5233,
    host,
    layout: layout as ServerOptions['layout'],
    faults: list(p, 'fault'),
    quiet: flag(p, 'quiet'),
  };
  const users = str(p, 'users');
  if (users) options.users = parseUsers(users);
  let server;
  try {
    server = await startReferenceServer(options);
  } catch (error) {
    throw new CalspecError(`serve: ${(error as Error).message}`, EXIT.usage);
  }
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(
    `calspec reference server (layout ${server.layout}` +
      `${server.faults.length ? `, faults: ${server.faults.join(', ')}` : ''}); Ctrl-C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}

export function parseUsers(spec: string): { name: string; password: string }[] {
  return spec.split(',').map((pair) => {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1)
      throw new CalspecError(`--users: expected name:password pairs, got '${pair.split(':')[0]}:…'`, EXIT.usage);
    return { name: pair.slice(0, colon), password: pair.slice(colon + 1) };
  });
}
