// The JSON Schema of suite files, assembled from the check and capture registries so that an
// unknown check kind or a wrong argument is caught when the suite loads, not mid-run.
import { CHECKS } from '../checks/registry.js';
import { CAPTURES } from '../checks/capture.js';
import type { JsonSchema } from '../checks/types.js';
import { FEATURES } from '../model/profile.js';

const SLUG = '^[a-z0-9][a-z0-9._-]*$';

function oneKeyOf(kinds: Map<string, JsonSchema>): JsonSchema {
  return {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(kinds),
  };
}

export function suiteSchema(): JsonSchema {
  const check = oneKeyOf(new Map([...CHECKS].map(([name, kind]) => [name, kind.schema])));
  const capture = oneKeyOf(new Map([...CAPTURES].map(([name, kind]) => [name, kind.schema])));
  const request = {
    type: 'object',
    required: ['method', 'path'],
    additionalProperties: false,
    properties: {
      method: { type: 'string', pattern: '^[A-Z][A-Z-]*$' },
      path: { type: 'string', minLength: 1 },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: { type: 'string' },
      bodyFile: { type: 'string', minLength: 1 },
      as: { enum: [1, 2] },
      anonymous: { type: 'boolean' },
      followRedirects: { type: 'boolean' },
    },
    not: { required: ['body', 'bodyFile'] },
  };
  const step = {
    type: 'object',
    required: ['request'],
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      request,
      assume: { type: 'array', items: { $ref: '#/definitions/check' } },
      expect: { type: 'array', items: { $ref: '#/definitions/check' } },
      capture: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: capture,
      },
    },
  };
  const steps = { type: 'array', items: step };
  const features = { type: 'array', items: { enum: [...FEATURES] }, uniqueItems: true };
  const scenario = {
    type: 'object',
    required: ['id', 'title', 'level', 'requirement', 'steps'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: SLUG },
      title: { type: 'string', minLength: 1 },
      level: { enum: ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY'] },
      requirement: { type: 'string', minLength: 10 },
      covers: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      requires: features,
      users: { enum: [1, 2] },
      mode: { enum: ['normative', 'informational'] },
      calendar: { type: 'boolean' },
      accountWrites: { type: 'boolean' },
      calendarBody: { type: 'string' },
      calendarBodyFile: { type: 'string' },
      // Why the scenario cannot run inside a shared calendar (shared-calendar mode skips it with this).
      ownCalendar: { type: 'string', minLength: 10 },
      setup: steps,
      steps: { ...steps, minItems: 1 },
      teardown: steps,
    },
  };
  return {
    $id: 'https://calspec.dev/schemas/suite.json',
    // Named so that combinators (any-of) can refer back to "a check".
    definitions: { check },
    type: 'object',
    required: ['id', 'title', 'rfc', 'section', 'scenarios'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: SLUG },
      title: { type: 'string', minLength: 1 },
      rfc: {
        oneOf: [
          { type: 'string', pattern: '^\\d+$' },
          { type: 'integer', minimum: 1 },
        ],
      },
      section: { type: 'string', pattern: '^[0-9A-Z]+(\\.[0-9]+)*$' },
      description: { type: 'string' },
      requires: features,
      scenarios: { type: 'array', minItems: 1, items: scenario },
    },
  };
}
