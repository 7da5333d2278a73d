/**
 * JSON paths into a webhook body: `$.call.id`, `call.id`, `$.legs[0].number`, `$['caller id']`.
 * A deliberately small subset of JSONPath (member names and array indexes, no wildcards, filters
 * or recursion): a mapping names one value, so anything that could match several is refused when
 * the mapping is set, not discovered on the first webhook.
 */
export type PathSegment = string | number;

/** A parsed path, or why the text is not one. */
export type ParsedPath = { ok: true; segments: PathSegment[] } | { ok: false; reason: string };

const MEMBER = /^[^.[\]\s'"$*?@()]+/;
const INDEX = /^\[(\d{1,6})\]/;
const QUOTED = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/;

export function parseValuePath(text: string): ParsedPath {
  let rest = text.trim();
  if (rest.length === 0) return { ok: false, reason: 'is empty' };
  if (rest.length > 500) return { ok: false, reason: 'is longer than 500 characters' };
  const segments: PathSegment[] = [];
  if (rest.startsWith('$')) rest = rest.slice(1);
  else {
    // "call.id" reads as "$.call.id".
    const first = MEMBER.exec(rest);
    if (!first) return { ok: false, reason: `must start with "$" or a field name` };
    segments.push(first[0]);
    rest = rest.slice(first[0].length);
  }
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const member = MEMBER.exec(rest.slice(1));
      if (!member) return { ok: false, reason: `has no field name after "." at "${rest}"` };
      segments.push(member[0]);
      rest = rest.slice(1 + member[0].length);
      continue;
    }
    const index = INDEX.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = QUOTED.exec(rest);
    if (quoted) {
      segments.push((quoted[1] ?? quoted[2]).replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return {
      ok: false,
      reason: `cannot be read at "${rest}" (use .name, [index] or ['name']; no wildcards or filters)`,
    };
  }
  if (segments.length === 0) return { ok: false, reason: 'names the whole body, not one value' };
  return { ok: true, segments };
}

/** The value at `segments`; undefined when any step is missing or of the wrong kind. */
export function readValuePath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      // Own keys only: "__proto__" or "constructor" in a path must not reach Object.prototype.
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** The canonical text of a path ("$.call.legs[0]['caller id']"), for warnings. */
export function formatValuePath(segments: readonly PathSegment[]): string {
  return (
    '$' +
    segments
      .map((s) =>
        typeof s === 'number'
          ? `[${s}]`
          : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)
            ? `.${s}`
            : `['${s.replace(/['\\]/g, '\\$&')}']`,
      )
      .join('')
  );
}
