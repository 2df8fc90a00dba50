export * from './parse.js';
export * from './compare.js';
