import { formatValuePath, parseValuePath, readValuePath } from './value-path.js';

const segments = (text: string) => {
  const parsed = parseValuePath(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  return parsed.segments;
};

describe('JSON paths into a webhook body', () => {
  it.each([
    ['$.call.id', ['call', 'id']],
    ['call.id', ['call', 'id']],
    ['$.legs[0].number', ['legs', 0, 'number']],
    ["$['caller id'].value", ['caller id', 'value']],
    ['$["a.b"][12]', ['a.b', 12]],
    ['$.call_uuid', ['call_uuid']],
    ['$.data-v2.x', ['data-v2', 'x']],
  ])('reads %s', (text, expected) => {
    expect(segments(text)).toEqual(expected);
  });

  it.each([
    ['', 'is empty'],
    ['$', 'names the whole body'],
    ['$.call..id', 'no field name after'],
    ['$.calls[*].id', 'no wildcards'],
    ['$..id', 'no field name after'],
    ['$.calls[?(@.x)]', 'no wildcards or filters'],
    ['$.call.', 'no field name after'],
    ['[0]', 'must start with'],
    ['$.legs[-1]', 'cannot be read'],
  ])('refuses %p', (text, reason) => {
    const parsed = parseValuePath(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('reads values, arrays by index, and nothing through the wrong kind of step', () => {
    const body = { call: { id: 'c-1', legs: [{ number: '+15550100' }, { number: '+15550101' }] }, n: 0 };
    expect(readValuePath(body, ['call', 'id'])).toBe('c-1');
    expect(readValuePath(body, ['call', 'legs', 1, 'number'])).toBe('+15550101');
    expect(readValuePath(body, ['call', 'legs', 5, 'number'])).toBeUndefined();
    expect(readValuePath(body, ['call', 'legs', 'number'])).toBeUndefined();
    expect(readValuePath(body, ['call', 'id', 'x'])).toBeUndefined();
    expect(readValuePath(body, ['n'])).toBe(0);
    expect(readValuePath(undefined, ['call'])).toBeUndefined();
  });

  it('never reaches Object.prototype', () => {
    expect(readValuePath({}, ['constructor'])).toBeUndefined();
    expect(readValuePath({}, ['__proto__', 'toString'])).toBeUndefined();
  });

  it('prints paths canonically', () => {
    expect(formatValuePath(['call', 'legs', 0, 'caller id'])).toBe("$.call.legs[0]['caller id']");
  });
});
