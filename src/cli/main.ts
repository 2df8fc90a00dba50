// calspec's entry point: dispatch to a command; turn every error into one line and an exit code.
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { VERSION } from '../version.js';
import { MAIN_HELP, RUN_HELP } from './help.js';
import { runCommand } from './run.js';
import { COMMANDS } from './commands.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`calspec ${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = command === 'run' ? { help: RUN_HELP, run: runCommand } : COMMANDS[command];
  if (!entry) throw new CalspecError(`unknown command '${command}' (see calspec --help)`, EXIT.usage);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${typeof entry.help === 'string' ? entry.help : await entry.help()}\n`);
    return EXIT.ok;
  }
  return entry.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CalspecError) {
      process.stderr.write(`calspec: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`calspec: internal error: ${message.split('\n')[0]}\n`);
    if (process.env.CALSPEC_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    else process.stderr.write('calspec: set CALSPEC_DEBUG=1 for details, and please report this\n');
    process.exitCode = EXIT.internal;
  },
);
