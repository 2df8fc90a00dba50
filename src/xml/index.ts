export * from './element.js';
export * from './parse.js';
export * from './write.js';
export * from './multistatus.js';
export * from './href.js';
