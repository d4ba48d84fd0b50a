/**
 * Whether a list of CIDRs admits the whole internet: every globally reachable IPv4 address, or every
 * IPv6 global unicast address (2000::/3). `0.0.0.0/0` does, and so do `0.0.0.0/1` + `128.0.0.0/1`,
 * or a hundred ranges that leave out only private and reserved space. Undefined when a CIDR cannot
 * be parsed.
 */
export function coversInternet(cidrs: string[]): boolean | undefined {
  const v4: Array<[bigint, bigint]> = [];
  const v6: Array<[bigint, bigint]> = [];
  for (const cidr of cidrs) {
    const range = parse(cidr.trim());
    if (range === undefined) {
      return undefined;
    }
    (range.bits === 32 ? v4 : v6).push([range.first, range.last]);
  }
  // Addresses nobody on the internet can connect from need not be listed to admit the whole internet.
  const notReachable = NOT_GLOBALLY_REACHABLE_V4.map((c) => parse(c)!).map((r): [bigint, bigint] => [r.first, r.last]);
  const ipv6GlobalUnicast = parse('2000::/3')!;
  return covers([...v4, ...notReachable], BigInt(0), (BigInt(1) << BigInt(32)) - BigInt(1))
    || covers(v6, ipv6GlobalUnicast.first, ipv6GlobalUnicast.last);
}

/** IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates): not globally reachable. */
const NOT_GLOBALLY_REACHABLE_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/3',
];

/** Whether the union of ranges contains every address from `first` to `last`. */
function covers(ranges: Array<[bigint, bigint]>, first: bigint, last: bigint): boolean {
  let next = first;
  for (const [start, end] of [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (start > next) {
      break;
    }
    if (end >= next) {
      next = end + BigInt(1);
    }
    if (next > last) {
      return true;
    }
  }
  return next > last;
}

function parse(cidr: string): { bits: number; first: bigint; last: bigint } | undefined {
  const [address, prefixText, extra] = cidr.split('/');
  const bits = address.includes(':') ? 128 : 32;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  const value = bits === 32 ? ipv4(address) : ipv6(address);
  if (extra !== undefined || value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits || !/^\d*$/.test(prefixText ?? '')) {
    return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return { bits, first, last: first + (BigInt(1) << hostBits) - BigInt(1) };
}

function ipv4(address: string): bigint | undefined {
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
    return undefined;
  }
  return octets.reduce((acc, o) => (acc << BigInt(8)) + BigInt(Number(o)), BigInt(0));
}

function ipv6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
    return undefined;
  }
  return groups.reduce((acc, g) => (acc << BigInt(16)) + BigInt(parseInt(g, 16)), BigInt(0));
}
