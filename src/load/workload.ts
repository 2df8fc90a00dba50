// Workload files: seeding plan + weighted operation mix. `include` mixes other workloads by
// weight (client profiles mixed like a real user population); their labels get the profile name
// as a prefix so each client's operations stay separate in the results.
import { dirname, resolve } from 'node:path';
import { compileSchema } from '../yaml/ajv.js';
import { positionOf, readYaml, validateOrThrow, yamlError } from '../yaml/source.js';
import type { ValidateFunction } from 'ajv';
import { WORKLOAD_SCHEMA, type OPERATION_KINDS, type PROPFIND_PROPS } from './workload-schema.js';

export type OperationKind = (typeof OPERATION_KINDS)[number];
export type PropfindProp = (typeof PROPFIND_PROPS)[number];

export interface Operation {
  label: string;
  kind: OperationKind;
  /** Normalised: the weights of a workload's operations sum to 1. */
  weight: number;
  rangeDays?: number;
  expand?: boolean;
  calendarData?: boolean;
  hrefs?: number;
  incremental?: boolean;
  fallback?: 'propfind-etags' | 'none';
  depth?: 0 | 1;
  props?: PropfindProp[];
  putRatio?: number;
}

export interface SeedPlan {
  users: number;
  calendars: number;
  events: number;
  start: string;
  spanDays: number;
  kinds: { single: number; recurring: number; allDay: number; timezone: number };
  sizes: { small: number; medium: number; large: number };
  concurrency: number;
}

export interface Workload {
  name: string;
  file: string;
  description?: string;
  seed: SeedPlan;
  defaults: { connections?: number; durationMs?: number; warmupMs?: number; rate?: number };
  operations: Operation[];
}

export const DEFAULT_SEED: SeedPlan = {
  users: 1,
  calendars: 1,
  events: 100,
  start: '2030-01-01',
  spanDays: 90,
  kinds: { single: 60, recurring: 20, allDay: 10, timezone: 10 },
  sizes: { small: 70, medium: 25, large: 5 },
  concurrency: 8,
};

let validator: ValidateFunction | undefined;

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

interface RawWorkload {
  name: string;
  description?: string;
  seed?: Partial<SeedPlan>;
  defaults?: { connections?: number; duration?: number | string; warmup?: number | string; rate?: number };
  operations?: (Omit<Operation, 'weight'> & { weight?: number })[];
  include?: { workload: string; weight?: number }[];
}

export function loadWorkload(file: string, stack: string[] = []): Workload {
  const path = resolve(file);
  const src = readYaml(path);
  validator ??= compileSchema(WORKLOAD_SCHEMA);
  validateOrThrow(src, validator, (parent) =>
    parent.length === 0 ? 'workload key' : parent[0] === 'operations' ? 'operation option' : undefined,
  );
  const raw = src.data as RawWorkload;
  if (!raw.operations && !raw.include) throw yamlError(file, 1, 1, `a workload needs 'operations' or 'include'`);
  const operations: Operation[] = [];
  const own = raw.operations ?? [];
  const ownTotal = own.reduce((s, o) => s + (o.weight ?? 1), 0);
  const includes = raw.include ?? [];
  const includeTotal = includes.reduce((s, i) => s + (i.weight ?? 1), 0);
  // Own operations and includes share one weight scale: an include of weight 2 weighs as much as
  // an operation of weight 2. Each part is then normalised so the whole mix sums to 1.
  const grand = ownTotal + includeTotal;
  const seen = new Set<string>();
  const add = (op: Operation, index: (string | number)[]) => {
    if (seen.has(op.label)) {
      const pos = positionOf(src, index, 'label');
      throw yamlError(file, pos.line, pos.col, `duplicate operation label '${op.label}'`);
    }
    seen.add(op.label);
    operations.push(op);
  };
  own.forEach((o, i) => add({ ...o, weight: (o.weight ?? 1) / grand }, ['operations', i]));
  let seed: SeedPlan = {
    ...DEFAULT_SEED,
    ...raw.seed,
    kinds: { ...DEFAULT_SEED.kinds, ...raw.seed?.kinds },
    sizes: { ...DEFAULT_SEED.sizes, ...raw.seed?.sizes },
  };
  includes.forEach((inc, i) => {
    const child = resolve(dirname(path), inc.workload);
    if (stack.includes(child) || child === path) {
      const pos = positionOf(src, ['include', i, 'workload']);
      throw yamlError(file, pos.line, pos.col, `include cycle: ${inc.workload}`);
    }
    let sub: Workload;
    try {
      sub = loadWorkload(child, [...stack, path]);
    } catch (error) {
      if ((error as Error).message.endsWith('cannot read file')) {
        const pos = positionOf(src, ['include', i, 'workload']);
        throw yamlError(file, pos.line, pos.col, `cannot read included workload ${inc.workload}`);
      }
      throw error;
    }
    const share = (inc.weight ?? 1) / grand;
    for (const op of sub.operations)
      add({ ...op, label: `${sub.name}/${op.label}`, weight: op.weight * share }, ['include', i]);
    // Without its own seed section, a mix seeds enough for its largest include.
    if (!raw.seed) seed = maxSeed(seed, sub.seed, i === 0);
  });
  const d = raw.defaults ?? {};
  const defaults: Workload['defaults'] = {};
  if (d.connections !== undefined) defaults.connections = d.connections;
  if (d.duration !== undefined) defaults.durationMs = parseDuration(d.duration);
  if (d.warmup !== undefined) defaults.warmupMs = parseDuration(d.warmup);
  if (d.rate !== undefined) defaults.rate = d.rate;
  const out: Workload = { name: raw.name, file: path, seed, defaults, operations };
  if (raw.description) out.description = raw.description;
  return out;
}

function maxSeed(a: SeedPlan, b: SeedPlan, first: boolean): SeedPlan {
  if (first) return b;
  return {
    ...a,
    users: Math.max(a.users, b.users),
    calendars: Math.max(a.calendars, b.calendars),
    events: Math.max(a.events, b.events),
    spanDays: Math.max(a.spanDays, b.spanDays),
  };
}
