// `calspec report`: re-render a saved results file; sends no request.
import { existsSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { RerenderError, rerender } from '../report/rerender.js';
import { list, parse, str } from './args.js';

export async function reportCommand(argv: string[]): Promise<number> {
  const p = parse('report', argv, {
    reporter: { type: 'string', short: 'r', multiple: true },
    out: { type: 'string', short: 'o' },
  });
  const [file, ...extra] = p.positionals;
  if (!file || extra.length)
    throw new CalspecError('calspec report: give exactly one results.json (see calspec report --help)', EXIT.usage);
  if (!existsSync(file)) throw new CalspecError(`calspec report: ${file}: no such file`, EXIT.usage);
  const formats = list(p, 'reporter').length ? list(p, 'reporter') : ['html', 'junit', 'markdown'];
  try {
    const written = await rerender(file, formats, str(p, 'out'));
    process.stdout.write(`${written.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RerenderError) {
      if (error.written.length) process.stdout.write(`${error.written.join('\n')}\n`);
      throw new CalspecError(`calspec report: ${error.message}`, EXIT.usage);
    }
    throw new CalspecError(`calspec report: ${(error as Error).message}`, EXIT.usage);
  }
}
