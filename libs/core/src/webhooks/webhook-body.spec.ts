import { MalformedBodyError, parseWebhookBody, queryToObject } from './webhook-body.js';

describe('parseWebhookBody', () => {
  it('parses JSON, including vendor +json types', () => {
    expect(parseWebhookBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseWebhookBody(Buffer.from('[1]'), 'application/vnd.x+json')).toEqual([1]);
  });

  it('parses form bodies with repeated keys as arrays', () => {
    expect(parseWebhookBody(Buffer.from('a=1&b=x+y&a=2'), 'application/x-www-form-urlencoded')).toEqual({
      a: ['1', '2'],
      b: 'x y',
    });
  });

  it('treats an empty body as absent and other types as text', () => {
    expect(parseWebhookBody(Buffer.alloc(0), 'application/json')).toBeUndefined();
    expect(parseWebhookBody(Buffer.from('hello'), 'text/plain')).toBe('hello');
  });

  it('reports malformed JSON and form bodies', () => {
    expect(() => parseWebhookBody(Buffer.from('{"a":'), 'application/json')).toThrow(MalformedBodyError);
    expect(() => parseWebhookBody(Buffer.from('a=%zz'), 'application/x-www-form-urlencoded')).toThrow(
      /percent-encoding/,
    );
  });
});

describe('queryToObject', () => {
  it('keeps keys that name Object.prototype members as plain keys', () => {
    const query = queryToObject(
      new URLSearchParams('valueOf=&constructor=a&constructor=b&__proto__=x&toString=1'),
    );
    expect(query.valueOf).toBe('');
    expect(query.constructor).toEqual(['a', 'b']);
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(query.toString).toBe('1');
  });
});
