import { linkQuery, parseLinkHeader } from './link-header.js';

describe('parseLinkHeader', () => {
  it('reads the shape Retreaver documents (last before next)', () => {
    const header =
      '<https://api.retreaver.com/calls.json?api_key=k&company_id=1&sort_by=created_at&order=asc&page=6996>; rel="last", ' +
      '<https://api.retreaver.com/calls.json?api_key=k&company_id=1&sort_by=created_at&order=asc&page=2>; rel="next"';
    const links = parseLinkHeader(header);
    expect(links.next).toBe(
      'https://api.retreaver.com/calls.json?api_key=k&company_id=1&sort_by=created_at&order=asc&page=2',
    );
    expect(links.last).toContain('page=6996');
  });

  it('handles unquoted rels, extra parameters, several rels at once and commas inside URLs', () => {
    const links = parseLinkHeader('</a?x=1,2>; title="t"; rel=next, </b>; rel="prev first"');
    expect(links).toEqual({ next: '/a?x=1,2', prev: '/b', first: '/b' });
  });

  it('answers nothing for a missing or empty header', () => {
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader('garbage')).toEqual({});
  });
});

describe('linkQuery', () => {
  it('reads absolute and relative links', () => {
    expect(linkQuery('https://h/x.json?page=2&per_page=100')).toEqual({ page: '2', per_page: '100' });
    expect(linkQuery('/x.json?page=3')).toEqual({ page: '3' });
    expect(linkQuery('https://h/x.json?created_at_start=2026-03-01T00%3A00%3A00%2B00%3A00')).toEqual({
      created_at_start: '2026-03-01T00:00:00+00:00',
    });
  });

  it('answers undefined for what is not a URL', () => {
    expect(linkQuery('http://[bad')).toBeUndefined();
  });
});
