// The HTML format as a reporter: one self-contained index.html for a run, a load run or a matrix.
import type { Reporter } from '../types.js';
import { writeHtml } from './index.js';

export const htmlReporter: Reporter = {
  name: 'html',
  async onRunEnd(results, outDir) {
    return [await writeHtml(results, outDir)];
  },
  async onLoadEnd(results, outDir) {
    return [await writeHtml(results, outDir)];
  },
  async onMatrixEnd(results, outDir) {
    return [await writeHtml(results, outDir)];
  },
};
