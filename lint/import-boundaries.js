// @ts-check
// ESLint rule calspec/import-boundaries: relative imports (static, re-exports and dynamic) must
// follow the arrows of lint/layers.js. The message names the rule, the two folders and the table.
import { dirname, resolve } from 'node:path';
import { boundaryViolation, folderOf } from './layers.js';

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between src/ folders follow the arrows of lint/layers.js' },
    schema: [],
    messages: { sideways: 'calspec/import-boundaries: {{why}}' },
  },
  create(context) {
    const file = context.filename;
    const from = folderOf(file);
    if (from === undefined) return {};
    /**
     * @param {import('estree').Node} node
     * @param {import('estree').Expression | import('estree').Literal | null | undefined} source
     */
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.'))
        return;
      const why = boundaryViolation(from, folderOf(resolve(dirname(file), source.value)));
      if (why) context.report({ node, messageId: 'sideways', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { 'import-boundaries': importBoundaries } };
