// JSON Schema of server profiles (fixtures/profiles/<name>.yaml).
import { FEATURES } from '../model/profile.js';

export function profileSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['name', 'displayName', 'verified', 'auth', 'features'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' },
      displayName: { type: 'string', minLength: 1 },
      verified: { type: 'boolean' },
      version: { type: 'string' },
      homepage: { type: 'string' },
      auth: { enum: ['basic', 'digest', 'bearer', 'none', 'basic-or-bearer'] },
      layout: {
        type: 'object',
        additionalProperties: false,
        properties: {
          contextPath: { type: 'string' },
          principal: { type: 'string' },
          home: { type: 'string' },
          calendar: { type: 'string' },
        },
      },
      features: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(FEATURES.map((f) => [f, { type: 'boolean' }])),
      },
      deleteHeaders: {
        type: 'object',
        // Header field names are tokens and values carry no line breaks (RFC 9110 §5.1, §5.5).
        propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
        additionalProperties: { type: 'string', pattern: '^[^\\r\\n\\u0000]*$' },
      },
      trashCollection: { type: 'string', pattern: '^[^/].*/$' },
      quirks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'description'],
          additionalProperties: false,
          properties: { id: { type: 'string' }, description: { type: 'string' } },
        },
      },
      baseline: {
        type: 'array',
        items: {
          type: 'object',
          required: ['scenario', 'reason'],
          additionalProperties: false,
          properties: {
            scenario: { type: 'string', minLength: 1 },
            reason: { type: 'string', minLength: 1 },
            class: { type: 'string', pattern: '^(server-bug|untriaged|limitation:[a-z0-9][a-z0-9-]*)$' },
            why: { type: 'string', minLength: 10 },
            link: { type: 'string' },
          },
          // A judged entry must say why, with the RFC section it rests on.
          if: { required: ['class'], properties: { class: { not: { const: 'untriaged' } } } },
          then: { required: ['why'], properties: { why: { pattern: 'RFC [0-9]+' } } },
        },
      },
      notes: { type: 'string' },
    },
  };
}

export function baselineFileSchema(): Record<string, unknown> {
  const entries = (profileSchema().properties as Record<string, unknown>).baseline;
  return {
    type: 'object',
    required: ['baseline'],
    additionalProperties: false,
    properties: { target: { type: 'string' }, updated: { type: 'string' }, baseline: entries },
  };
}
