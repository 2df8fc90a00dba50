export * from './suite.js';
export * from './exchange.js';
export * from './result.js';
export * from './profile.js';
export * from './load.js';
export * from './exit-codes.js';
