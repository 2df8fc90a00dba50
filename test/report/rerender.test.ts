import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RerenderError, rerender } from '../../src/report/rerender.js';
import { tempDir } from './helpers.js';

function copyFixture(name: string): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'results.json');
  copyFileSync(new URL(`../fixtures/results/${name}.json`, import.meta.url), file);
  return { dir, file };
}

describe('rerender', () => {
  it('writes html, junit, markdown and json next to a conformance results file', async () => {
    const { dir, file } = copyFixture('run');
    const paths = await rerender(file, ['html', 'junit', 'markdown', 'json']);
    assert.deepEqual(
      paths,
      ['index.html', 'junit.xml', 'summary.md', 'results.json'].map((f) => join(dir, f)),
    );
    assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testsuites/);
  });

  it('writes into another directory and copies the json there', async () => {
    const { file } = copyFixture('matrix');
    const out = join(tempDir(), 'nested', 'out');
    const paths = await rerender(file, ['html', 'markdown', 'json'], out);
    assert.equal(paths.length, 3);
    assert.ok(existsSync(join(out, 'results.json')));
    assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /calspec matrix \(3 targets\)/);
  });

  it('keeps going when one format fails, then reports every failure', async () => {
    const { dir, file } = copyFixture('load');
    await assert.rejects(rerender(file, ['junit', 'html', 'nope', 'markdown']), (err: unknown) => {
      assert.ok(err instanceof RerenderError);
      assert.deepEqual(
        err.failures.map((f) => f.reporter),
        ['junit', 'nope'],
      );
      assert.deepEqual(err.written, [join(dir, 'index.html'), join(dir, 'summary.md')]);
      assert.match(err.message, /junit needs conformance results/);
      return true;
    });
  });

  it('refuses files that are not calspec results', async () => {
    const other = join(tempDir(), 'x.json');
    writeFileSync(other, '{"kind":"something"}');
    await assert.rejects(rerender(other, ['html']), /not a calspec results file/);
  });
});
