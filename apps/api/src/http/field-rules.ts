import { ValidateIf, ValidationOptions, registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * The time forms the API accepts: a calendar date, or a date and time with at least minutes and
 * an optional zone (`2024-01-01`, `2024-01-01T12:00`, `2024-01-01T12:00:00.123+02:00`). Narrower
 * than ISO 8601 on purpose: week dates, ordinal dates, basic format and hour-only times are valid
 * ISO but JavaScript cannot read them (they became Invalid Date, then a 500).
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Years outside this range are almost certainly typos, and some overflow PostgreSQL's timestamptz. */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

/** Parses a value IsTimestamp accepted; anything else is undefined. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return undefined;
  const date = new Date(value.replace(' ', 'T'));
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < MIN_YEAR || year > MAX_YEAR ? undefined : date;
}

/** A time the API can read (see TIMESTAMP); the message names the field and shows the form. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => parseTimestamp(value) !== undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be a date (2024-01-31) or a date and time (2024-01-31T12:00:00Z) between years ${MIN_YEAR} and ${MAX_YEAR}`,
      },
    });
}

/**
 * Like @IsOptional, but only an absent field is skipped: an explicit null is validated (and
 * refused) by the field's other rules. For fields whose column cannot be null ({"active": null}
 * reached the database and became a 500).
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** Plugin type ids: lower-case letters, digits and dashes (as the plugin manifest requires). */
export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,49}$/;
