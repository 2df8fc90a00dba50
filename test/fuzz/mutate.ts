// Seeded mutations of YAML documents and argument vectors for the fuzz tests. Every mutation is
// reproducible from (seed, case index); failures print both.
import { prng } from '../helpers/fault-proxy.js';

export type Random = () => number;

export function fuzzSeed(): number {
  return Number(process.env.CALSPEC_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
}

export function rng(seed: number): Random {
  return prng(seed);
}

export const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Random, n: number) => Math.floor(r() * n);

const GARBAGE = [
  '\u0000',
  '\uffff',
  '\ufffe',
  '\u0007',
  '\u001b[31m',
  '\ud800',
  '\u202e',
  '%',
  '@',
  '`',
  '|',
  '>',
  '!!binary',
  '!!js/function',
  '\t',
  '\r',
  '\r\n',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '? ',
  '&',
  '*',
  '#',
  '---',
  '...',
  '${',
  '${nope}',
  '${cal',
  '<<: *x',
];
const SCALARS = [
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  '.nan',
  '.inf',
  'true',
  'null',
  '~',
  '""',
  "''",
  'x'.repeat(5000),
  '2001-01-01',
  '0x1F',
  '!!str 5',
  '|\n  block',
  '[1, [2, [3]]]',
  '{a: {b: {c: d}}}',
  '*undefined_alias',
  '&anchor value',
  '"\\u0000"',
  'é€😀',
];
const KEYS = [
  'unknown',
  'idd',
  'scenarios',
  'steps',
  'request',
  'expect',
  'level',
  'features',
  'layout',
  'baseline',
  '__proto__',
  'constructor',
  'status',
  'statsu',
  '<<',
  'method',
  'path',
  '? complex',
];

/** One random structural or byte-level mutation of a YAML text. */
export function mutateYaml(r: Random, text: string): string {
  const lines = text.split('\n');
  const at = int(r, text.length + 1);
  const line = int(r, lines.length);
  switch (int(r, 16)) {
    case 0: // delete a range
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + int(r, 200)));
    case 1: // duplicate a range
      return text.slice(0, at) + text.slice(at, at + int(r, 300)) + text.slice(at);
    case 2: // binary garbage
      return (
        text.slice(0, at) +
        Array.from({ length: 1 + int(r, 40) }, () => String.fromCharCode(int(r, 256))).join('') +
        text.slice(at)
      );
    case 3: // truncation
      return text.slice(0, at);
    case 4: {
      // a value of the wrong type
      const l = lines[line]!;
      const colon = l.indexOf(': ');
      if (colon >= 0) lines[line] = `${l.slice(0, colon + 2)}${pick(r, SCALARS)}`;
      else lines[line] = `${l.replace(/- .*/, '- ')}${pick(r, SCALARS)}`;
      return lines.join('\n');
    }
    case 5: {
      // an unknown or duplicated key at the same indentation
      const indent = /^\s*(- )?/.exec(lines[line]!)![0].replace('- ', '  ');
      lines.splice(line + 1, 0, `${indent}${pick(r, KEYS)}: ${pick(r, SCALARS.slice(0, 12))}`);
      return lines.join('\n');
    }
    case 6: // syntax characters
      return text.slice(0, at) + pick(r, GARBAGE) + text.slice(at);
    case 7: {
      // anchors and aliases: cyclic, undefined, duplicated
      const l = lines[line]!;
      const colon = l.indexOf(': ');
      const forms = ['&a [*a]', '&a {x: *a}', '*a', '&a &b x', '&a x', '*zz', '&a [1]\nq: &a [2]\nz: *a'];
      if (colon >= 0) lines[line] = `${l.slice(0, colon + 2)}${pick(r, forms)}`;
      return lines.join('\n');
    }
    case 8: // billion laughs
      return (
        `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n` +
        `b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n` +
        `d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n${text}`
      );
    case 9: {
      // deep nesting, flow or block
      const depth = 20 + int(r, r() < 0.1 ? 2500 : 600);
      const nest =
        r() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
      if (r() < 0.3) return Array.from({ length: Math.min(depth, 300) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
      lines.splice(line, 0, `deep: ${nest}`);
      return lines.join('\n');
    }
    case 10: {
      // swap two lines
      const other = int(r, lines.length);
      [lines[line], lines[other]] = [lines[other]!, lines[line]!];
      return lines.join('\n');
    }
    case 11: // indentation damage
      lines[line] = (r() < 0.5 ? ' ' : '\t') + lines[line];
      return lines.join('\n');
    case 12: // line endings, BOM, NUL
      return pick(r, ['\ufeff', '', '\u0000']) + text.replace(/\n/g, pick(r, ['\r\n', '\r', '\n\n', '\n']));
    case 13: // multi-document, directives
      return (
        pick(r, ['%YAML 1.1\n---\n', '%TAG ! tag:x,2000:\n---\n', '---\n', '']) +
        text +
        pick(r, ['\n---\nid: x\n', '\n...\n', '\n--- |\n  x\n', ''])
      );
    case 14: {
      // near-miss: change one character of a key or value
      const l = lines[line]!;
      if (l.length) {
        const i = int(r, l.length);
        lines[line] = l.slice(0, i) + String.fromCharCode(32 + int(r, 95)) + l.slice(i + 1);
      }
      return lines.join('\n');
    }
    default: // a long line
      return text.slice(0, at) + 'x'.repeat(int(r, r() < 0.05 ? 300_000 : 5000)) + text.slice(at);
  }
}

/** Apply 1..n mutations. */
export function mutateYamlMany(r: Random, text: string, max = 3): string {
  let out = text;
  for (let i = 0, n = 1 + int(r, max); i < n; i++) out = mutateYaml(r, out);
  return out;
}

/** Mutate an argument vector: drop, duplicate, swap, insert options and hostile values. */
export function mutateArgs(r: Random, argv: string[], options: string[], values: string[]): string[] {
  const out = [...argv];
  for (let i = 0, n = 1 + int(r, 4); i < n; i++) {
    const at = int(r, out.length + 1);
    switch (int(r, 8)) {
      case 0:
        out.splice(at, 1);
        break;
      case 1:
        out.splice(at, 0, out[at] ?? '--');
        break;
      case 2:
        out.splice(at, 0, pick(r, options));
        break;
      case 3:
        out.splice(at, 0, pick(r, options), pick(r, values));
        break;
      case 4:
        out.splice(at, 0, `${pick(r, options)}=${pick(r, values)}`);
        break;
      case 5:
        if (out.length) out[int(r, out.length)] = pick(r, values);
        break;
      case 6: {
        const j = int(r, out.length);
        [out[at], out[j]] = [out[j]!, out[at]!];
        break;
      }
      default:
        out.splice(at, 0, pick(r, ['-', '--', '-qk', '-j', '-xyz', '--no-such', '---', '-u=', '--=x', '']));
    }
  }
  return out.filter((a) => a !== undefined);
}
