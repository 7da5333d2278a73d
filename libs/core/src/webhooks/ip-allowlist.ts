import { BlockList, isIP } from 'node:net';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Thrown for an allowlist entry that is neither an address nor a CIDR range. */
export class InvalidAllowlistEntryError extends Error {
  constructor(readonly entry: string) {
    super(`"${entry}" is not an IPv4/IPv6 address or CIDR range`);
    this.name = 'InvalidAllowlistEntryError';
  }
}

/**
 * Addresses and CIDR ranges (IPv4 and IPv6) a webhook may come from. IPv4-mapped IPv6 addresses
 * (`::ffff:203.0.113.7`, what a dual-stack socket reports) are matched as the IPv4 address.
 * Uses node's BlockList, which matches in O(ranges) without string tricks.
 */
export class IpAllowlist {
  private constructor(
    private readonly list: BlockList,
    readonly size: number,
  ) {}

  /** Parses entries like "203.0.113.0/24", "198.51.100.7", "2001:db8::/32"; throws on a bad one. */
  static parse(entries: readonly string[]): IpAllowlist {
    const list = new BlockList();
    let size = 0;
    for (const raw of entries) {
      const entry = raw.trim();
      if (!entry) continue;
      const slash = entry.indexOf('/');
      const address = normalizeIp(slash < 0 ? entry : entry.slice(0, slash));
      const family = isIP(address);
      if (family === 0) throw new InvalidAllowlistEntryError(entry);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (slash < 0) {
        list.addAddress(address, type);
      } else {
        const prefixText = entry.slice(slash + 1);
        const prefix = Number(prefixText);
        if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128))
          throw new InvalidAllowlistEntryError(entry);
        list.addSubnet(address, prefix, type);
      }
      size++;
    }
    return new IpAllowlist(list, size);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Whether the address is in one of the ranges; false for anything that is not an IP address. */
  contains(address: string | undefined): boolean {
    if (!address) return false;
    const normalized = normalizeIp(address);
    const family = isIP(normalized);
    if (family === 0) return false;
    return this.list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:a.b.c.d` -> `a.b.c.d`; IPv6 zone ids (`%eth0`) dropped; other text unchanged. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  const mapped = MAPPED_IPV4.exec(trimmed);
  if (mapped) return mapped[1];
  const zone = trimmed.indexOf('%');
  return zone < 0 ? trimmed : trimmed.slice(0, zone);
}
