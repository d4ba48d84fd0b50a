// Module-private: the one IPv4 CIDR parser of the library. Not exported from lib/index.ts.

/** An IPv4 CIDR block's four octets and prefix length. */
export interface Ipv4Cidr {
  readonly octets: number[];
  readonly prefix: number;
}

/** Parses `a.b.c.d/n` with octets of 0 to 255 and a prefix of 0 to 32; undefined for anything else. */
export function parseIpv4Cidr(cidr: string): Ipv4Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) {
    return undefined;
  }
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  return octets.every((o) => o <= 255) && prefix <= 32 ? { octets, prefix } : undefined;
}
