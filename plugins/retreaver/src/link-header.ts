/**
 * Parses an RFC 8288 `Link` header (`<url>; rel="next", <url>; rel="last"`) into a map from
 * relation to URL. Retreaver pages every index response this way. Commas inside `<...>` are
 * kept; relations listed together (`rel="next last"`) each get the URL.
 */
export function parseLinkHeader(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const match of header.matchAll(pattern)) {
    const [, url, params] = match;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const names = (rel?.[1] ?? rel?.[2] ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
    for (const name of names) links[name] ??= url;
  }
  return links;
}

/**
 * The query parameters of a link URL, whatever host it names (relative links are accepted).
 * Returns undefined for a value that is not a URL.
 */
export function linkQuery(link: string): Record<string, string> | undefined {
  let url: URL;
  try {
    url = new URL(link, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return query;
}
