#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('calspec: dist/ is missing; run `npm run build` (or `npm ci`) first\n');
    process.exit(2);
  }
  throw error;
});
