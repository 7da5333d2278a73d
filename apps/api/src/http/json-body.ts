/** Largest JSON body the REST API reads (webhooks have their own limit, WEBHOOK_BODY_LIMIT_BYTES). */
export const API_JSON_BODY_LIMIT_BYTES = 1024 * 1024;
/** Deepest nesting of objects and arrays in a JSON body; real requests need 4 or 5. */
export const API_JSON_MAX_DEPTH = 32;

/** A JSON body the API refuses, with the 400 code and message the client gets. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'malformed_json' | 'json_too_deep' | 'invalid_characters',
    message: string,
    readonly field = 'body',
  ) {
    super(message);
  }
}

/**
 * Parses a REST API JSON body with limits checked BEFORE anything recursive runs: nesting is
 * counted in one pass over the bytes (JSON.parse and the validation transform both recurse, and a
 * body nested ~40,000 deep overflowed the stack), and NUL characters are refused (PostgreSQL text
 * cannot hold them) naming the field they are in.
 */
export function parseJsonBody(text: string): unknown {
  checkDepth(text);
  let value: unknown;
  try {
    value = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw new JsonBodyError('malformed_json', `request body is not valid JSON: ${(error as Error).message}`);
  }
  const field = fieldWithNul(value, 'body');
  if (field)
    throw new JsonBodyError('invalid_characters', `${field} contains a NUL character (\\u0000)`, field);
  return value;
}

function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > API_JSON_MAX_DEPTH) {
        throw new JsonBodyError(
          'json_too_deep',
          `request body nests objects/arrays deeper than ${API_JSON_MAX_DEPTH} levels`,
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** The path (body.settings.name, body.tags[2]) of the first key or string value holding U+0000. */
function fieldWithNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = fieldWithNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const name = `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
      if (key.includes('\u0000')) return name;
      const found = fieldWithNul(item, name);
      if (found) return found;
    }
  }
  return undefined;
}
