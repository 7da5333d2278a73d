export * from './envelope-cipher.js';
export * from './crypto.module.js';
