export * from './redaction.js';
export * from './request-log.js';
export * from './logging.module.js';
export { Logger as PinoNestLogger } from 'nestjs-pino';
