/**
 * Nesting deeper than this is refused at the ingress. Real webhooks nest a handful of levels;
 * tens of thousands of levels parse in V8 but overflow the stack of JSON.stringify in the worker
 * and of PostgreSQL's jsonb parser, so such a webhook could never be stored as a call.
 */
export const MAX_BODY_NESTING = 100;

/**
 * Why a parsed webhook body could be acknowledged but never stored, or undefined when it can be.
 * Only parsed JSON and form bodies are checked: PostgreSQL's jsonb, where their values end up,
 * refuses the NUL character (`\u0000`) in any string or key, and very deep
 * nesting breaks the worker (see MAX_BODY_NESTING). The ingress refuses such bodies with a 4xx
 * before answering, instead of a 202 followed by a job that fails forever. The raw body itself is
 * kept byte for byte (bytea), so the refusal's audit row still shows what was sent.
 *
 * Iterative, so that checking a hostile body cannot overflow the stack either.
 */
export function unstorableReason(body: unknown, maxNesting = MAX_BODY_NESTING): string | undefined {
  // Bodies that are not JSON or form data stay bytes (their text is never put in a jsonb value).
  if (typeof body !== 'object' || body === null) return undefined;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return NUL_REASON;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxNesting) return `the body is nested deeper than ${maxNesting} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return NUL_REASON;
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}

const NUL_REASON = 'the body contains a NUL character (\\u0000), which cannot be stored';
