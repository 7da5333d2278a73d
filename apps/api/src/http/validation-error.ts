import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/**
 * The 400 for a request that fails its DTO's rules: every problem in `message` (each names its
 * field), and the fields with their broken rules in `details.fields` for programs.
 */
export function validationError(errors: ValidationError[]): BadRequestException {
  const fields: Array<{ field: string; rules: string[] }> = [];
  const problems: string[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const error of list) {
      const field = `${prefix}${error.property}`;
      if (error.constraints) {
        fields.push({ field, rules: Object.keys(error.constraints) });
        problems.push(...Object.values(error.constraints).map((m) => m.replace(error.property, field)));
      }
      if (error.children?.length) walk(error.children, `${field}.`);
    }
  };
  walk(errors, '');
  return new BadRequestException({
    error: 'bad_request',
    message: problems.join('; ') || 'request is not valid',
    details: { fields, problems },
  });
}
