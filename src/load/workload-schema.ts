// JSON Schema of workload files (fixtures/workloads/*.yaml). Unknown keys fail at load time with
// file:line:col, like suites and profiles.
const duration = {
  oneOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' },
  ],
};
const weightMap = (keys: string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'number', minimum: 0 }])),
});

export const OPERATION_KINDS = [
  'calendar-query',
  'calendar-multiget',
  'sync-collection',
  'propfind',
  'free-busy-query',
  'churn',
] as const;
export const PROPFIND_PROPS = [
  'getetag',
  'getctag',
  'sync-token',
  'displayname',
  'resourcetype',
  'getcontenttype',
] as const;

const operation = {
  type: 'object',
  required: ['label', 'kind'],
  additionalProperties: false,
  properties: {
    // No ':' in labels: thresholds use `label:p95<50ms`.
    label: { type: 'string', pattern: '^[A-Za-z0-9._/-]+$' },
    kind: { enum: [...OPERATION_KINDS] },
    weight: { type: 'number', exclusiveMinimum: 0 },
    // calendar-query / free-busy-query
    rangeDays: { type: 'integer', minimum: 1, maximum: 3660 },
    expand: { type: 'boolean' },
    calendarData: { type: 'boolean' },
    // calendar-multiget
    hrefs: { type: 'integer', minimum: 1, maximum: 1000 },
    // sync-collection
    incremental: { type: 'boolean' },
    fallback: { enum: ['propfind-etags', 'none'] },
    // propfind
    depth: { enum: [0, 1] },
    props: { type: 'array', minItems: 1, items: { enum: [...PROPFIND_PROPS] } },
    // churn: share of churn operations that are PUTs (the rest are DELETEs of earlier PUTs)
    putRatio: { type: 'number', minimum: 0, maximum: 1 },
  },
};

const seed = {
  type: 'object',
  additionalProperties: false,
  properties: {
    users: { type: 'integer', minimum: 1, maximum: 1000 },
    calendars: { type: 'integer', minimum: 1, maximum: 100 },
    events: { type: 'integer', minimum: 0, maximum: 100000 },
    start: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    spanDays: { type: 'integer', minimum: 1, maximum: 3660 },
    kinds: weightMap(['single', 'recurring', 'allDay', 'timezone']),
    sizes: weightMap(['small', 'medium', 'large']),
    concurrency: { type: 'integer', minimum: 1, maximum: 256 },
  },
};

export const WORKLOAD_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    seed,
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        connections: { type: 'integer', minimum: 1, maximum: 10000 },
        duration,
        warmup: duration,
        rate: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    operations: { type: 'array', minItems: 1, items: operation },
    include: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['workload'],
        additionalProperties: false,
        properties: { workload: { type: 'string', minLength: 1 }, weight: { type: 'number', exclusiveMinimum: 0 } },
      },
    },
  },
};
