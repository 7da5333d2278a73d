import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConnectionError } from './connection-errors.js';

/**
 * Checks credentials against a plugin's class-validator DTO. Problems name the field and the rule,
 * never the value (values are secrets).
 */
export function validateCredentials<T extends object>(dto: Type<T>, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConnectionError('invalid_credentials', 'credentials must be an object');
  }
  const instance = plainToInstance(dto, input);
  // forbidUnknownValues off: a plugin without credentials has an empty DTO class (no metadata),
  // which class-validator would refuse; `input` is already known to be a plain object.
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  if (errors.length > 0) {
    const problems = errors.map((e) =>
      e.constraints ? `${e.property}: ${Object.keys(e.constraints).join(', ')}` : `${e.property}: invalid`,
    );
    throw new ConnectionError('invalid_credentials', `credentials are not valid: ${problems.join('; ')}`, {
      fields: errors.map((e) => ({ field: e.property, rules: Object.keys(e.constraints ?? {}) })),
    });
  }
  return instance;
}
