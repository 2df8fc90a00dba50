// `calspec report`: re-render a saved results file; sends no request.
import { existsSync } from 'node:fs';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { RerenderError, ResultsInputError, rerender } from '../report/rerender.js';
import { checkHistograms } from './merge.js';
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
    // Load results carry encoded histograms; a corrupt one is bad input, not a calspec bug.
    const written = await rerender(file, formats, str(p, 'out'), (data) => {
      if (data.kind === 'load') checkHistograms(file, data);
    });
    process.stdout.write(`${written.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RerenderError) {
      if (error.written.length) process.stdout.write(`${error.written.join('\n')}\n`);
      throw new CalspecError(`calspec report: ${error.message}`, EXIT.usage);
    }
    if (error instanceof CalspecError || error instanceof ResultsInputError)
      throw new CalspecError(`calspec report: ${error.message}`, EXIT.usage);
    // A reporter tripping over a field the shape check does not cover: still bad input, said in one line.
    throw new CalspecError(`calspec report: ${file}: cannot render (${(error as Error).message})`, EXIT.usage);
  }
}
