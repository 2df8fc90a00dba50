// The layout rules of docs/architecture.md, checked on the real tree: no import cycle between
// files (type-only imports aside), no source file over 300 lines, and the boundary rule itself
// proven to reject a sideways import (so `npm run lint` passing means something).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { importBoundaries } from '../../lint/import-boundaries.js';
import { LAYERS, boundaryViolation } from '../../lint/layers.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm;
const ONLY_TYPES = /^\{\s*(?:type\s+\w+(?:\s+as\s+\w+)?\s*,?\s*)+\}$/;

/** Runtime (non type-only) relative imports of each file. */
function runtimeGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const edges: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[3] ?? m[4]!;
      if (m[1] || (m[2] && ONLY_TYPES.test(m[2]))) continue;
      edges.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(relative(SRC, w));
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture', () => {
  const files = sourceFiles();

  it('has no import cycle between source files (type-only imports aside)', () => {
    assert.deepEqual(cycles(runtimeGraph(files)), []);
  });

  it('finds a cycle when there is one (the detector can fail)', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts']],
    ]);
    assert.equal(cycles(graph).length, 1);
  });

  it('keeps every source file at 300 lines or fewer', () => {
    const long = files.map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const);
    assert.deepEqual(
      long.filter(([, n]) => n > 300),
      [],
    );
  });

  it('lists every src/ folder in lint/layers.js, and the arrows between folders have no cycle', () => {
    const folders = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory());
    assert.deepEqual(
      folders.filter((f) => !LAYERS[f]),
      [],
    );
    const graph = new Map(Object.entries(LAYERS).map(([k, v]) => [`/${k}`, v.map((t) => `/${t}`)]));
    assert.deepEqual(cycles(graph), []);
  });

  it('boundary rule: allows the arrows of the table and rejects a sideways import', () => {
    assert.equal(boundaryViolation('engine', 'dav'), undefined);
    assert.match(boundaryViolation('report', 'dav')!, /src\/report may not import src\/dav/);
    assert.match(boundaryViolation('server', 'checks')!, /may not import src\/checks/);
    RuleTester.describe = describe;
    RuleTester.it = it;
    new RuleTester({ languageOptions: { parser: tseslint.parser } }).run('import-boundaries', importBoundaries, {
      valid: [
        { filename: join(SRC, 'engine/x.ts'), code: "import { a } from '../dav/http.js';" },
        { filename: join(SRC, 'report/x.ts'), code: "import type { R } from '../model/result.js';" },
      ],
      invalid: [
        {
          filename: join(SRC, 'report/x.ts'),
          code: "import { send } from '../dav/http.js';",
          errors: [{ message: /calspec\/import-boundaries: src\/report may not import src\/dav/ }],
        },
        {
          filename: join(SRC, 'server/x.ts'),
          code: "export { grade } from '../engine/grade.js';",
          errors: [{ messageId: 'sideways' }],
        },
        {
          filename: join(SRC, 'load/x.ts'),
          code: "const m = await import('../engine/runner.js');",
          errors: [{ messageId: 'sideways' }],
        },
      ],
    });
  });
});
