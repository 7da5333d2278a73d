import { addDecimals } from './decimal-sum.js';

describe('addDecimals', () => {
  it('adds exactly in ten-thousandths', () => {
    expect(addDecimals('0.1000', '0.2000')).toBe('0.3000');
    expect(addDecimals('25.5000', '12.0000', undefined, '0.0001')).toBe('37.5001');
    expect(addDecimals('-0.0800', '0.0500')).toBe('-0.0300');
    expect(addDecimals('-1.5000', '-2.5000')).toBe('-4.0000');
    expect(addDecimals('1', '2.5')).toBe('3.5000');
  });

  it('answers zero for nothing and ignores values it cannot read', () => {
    expect(addDecimals()).toBe('0.0000');
    expect(addDecimals('abc', '1.0000')).toBe('1.0000');
  });
});
