import { InvalidAllowlistEntryError, IpAllowlist, normalizeIp } from './ip-allowlist.js';

describe('IpAllowlist', () => {
  const list = IpAllowlist.parse(['203.0.113.0/24', '198.51.100.7', '2001:db8:abcd::/48', '::1', ' ']);

  it('matches IPv4 ranges and single addresses', () => {
    expect(list.contains('203.0.113.1')).toBe(true);
    expect(list.contains('203.0.113.255')).toBe(true);
    expect(list.contains('203.0.114.1')).toBe(false);
    expect(list.contains('198.51.100.7')).toBe(true);
    expect(list.contains('198.51.100.8')).toBe(false);
  });

  it('matches IPv6 ranges, and IPv4-mapped IPv6 as IPv4', () => {
    expect(list.contains('2001:db8:abcd:12::1')).toBe(true);
    expect(list.contains('2001:db8:abce::1')).toBe(false);
    expect(list.contains('::1')).toBe(true);
    expect(list.contains('::ffff:203.0.113.9')).toBe(true);
    expect(list.contains('::ffff:192.0.2.1')).toBe(false);
  });

  it('refuses non-addresses', () => {
    expect(list.contains(undefined)).toBe(false);
    expect(list.contains('')).toBe(false);
    expect(list.contains('localhost')).toBe(false);
  });

  it('rejects bad entries with the entry named', () => {
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', 'example.com', '10.0.0/8', '10.0.0.0/x']) {
      expect(() => IpAllowlist.parse([bad])).toThrow(InvalidAllowlistEntryError);
    }
    expect(() => IpAllowlist.parse(['nope'])).toThrow(/"nope"/);
  });

  it('knows when it is empty', () => {
    expect(IpAllowlist.parse([]).isEmpty).toBe(true);
    expect(list.isEmpty).toBe(false);
    expect(list.size).toBe(4);
  });

  it('normalizes mapped addresses and zone ids', () => {
    expect(normalizeIp('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('10.0.0.1')).toBe('10.0.0.1');
  });
});
