// Lint: typescript-eslint's recommended rules, the import boundaries between src/ folders
// (lint/layers.js), and formatting left to Prettier (`npm run lint` runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import calspec from './lint/import-boundaries.js';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'reports/**', 'src/report/html/generated/**', 'deploy/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { calspec },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      'calspec/import-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  {
    // mocha loads its reporter with require(); it stays CommonJS.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
