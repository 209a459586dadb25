import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type IpAddress = Address;
type Range = [Address, number];

/**
 * A parsed CIDR list, matched without re-parsing per request. An empty list
 * means "no restriction" (everything matches).
 */
export type CidrMatcher = {
  readonly cidrs: readonly string[];
  contains(ip: Address): boolean;
};

/** Dotted-quad IPv4 or IPv6 only (not `10`, `0x0a.1` and other legacy forms ipaddr.js accepts). */
function isStrictAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it maps. */
export function parseIp(text: string): Address | null {
  const trimmed = text.trim();
  if (!isStrictAddress(trimmed)) return null;
  try {
    const addr = ipaddr.parse(trimmed);
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (addr as ipaddr.IPv6).toIPv4Address();
    }
    return addr;
  } catch {
    return null;
  }
}

function parseRange(text: string): Range | null {
  const trimmed = text.trim();
  try {
    if (!trimmed.includes("/")) {
      const addr = parseIp(trimmed);
      return addr ? [addr, addr.kind() === "ipv4" ? 32 : 128] : null;
    }
    if (!isStrictAddress(trimmed.slice(0, trimmed.indexOf("/")))) return null;
    const [addr, bits] = ipaddr.parseCIDR(trimmed);
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [addr, bits];
  } catch {
    return null;
  }
}

/**
 * Compiles CIDRs (as stored: normalized by `normalizeCidr`). An entry that does
 * not parse matches nothing, so a corrupt rule narrows access, never widens it.
 */
export function compileCidrs(cidrs: readonly string[]): CidrMatcher {
  const ranges = cidrs.map(parseRange);
  if (cidrs.length === 0) return { cidrs, contains: () => true };
  return {
    cidrs,
    contains(ip) {
      for (const range of ranges) {
        if (range && range[0].kind() === ip.kind() && ip.match(range as never)) return true;
      }
      return false;
    },
  };
}

/** `TRUSTED_PROXIES`: comma- or space-separated CIDRs or addresses; throws on a bad entry. */
export function parseTrustedProxies(text: string): CidrMatcher {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    if (!parseRange(entry)) throw new Error(`"${entry}" is not an IPv4 or IPv6 address or CIDR`);
  }
  return entries.length ? compileCidrs(entries) : { cidrs: [], contains: () => false };
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then
 * `X-Forwarded-For` is walked from the right and the first address that is
 * not a trusted proxy is the client (addresses left of it are the client's
 * own claims and prove nothing). If every hop is trusted, the left-most one is
 * taken. Null when the address cannot be determined (an unparseable hop), which
 * fails any allow-list.
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: CidrMatcher,
  parse: (text: string) => Address | null = parseIp,
): Address | null {
  const peerAddr = peer ? parse(peer) : null;
  if (!peerAddr || !forwardedFor || !trusted.contains(peerAddr)) return peerAddr;
  const hops = forwardedFor.split(",");
  let client: Address = peerAddr;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parse(hops[i]!);
    if (!hop) return null;
    client = hop;
    if (!trusted.contains(hop)) return hop;
  }
  return client;
}

/** The address as stored in logs and security events (IPv4 dotted, IPv6 compact). */
export function formatIp(ip: Address | null): string | null {
  return ip ? ip.toString() : null;
}

/**
 * `parseIp` and `formatIp` with a bounded memory of recent answers: a
 * gateway sees the same few peers (its clients, its load balancers) on
 * request after request, and parsing an address costs more than finding it.
 * Parsed addresses are shared: treat them as read-only.
 */
export class IpParseCache {
  private readonly parsed = new Map<string, Address | null>();
  private readonly formatted = new WeakMap<Address, string>();

  constructor(private readonly maxEntries = 4096) {}

  parse = (text: string): Address | null => {
    let ip = this.parsed.get(text);
    if (ip === undefined) {
      ip = parseIp(text);
      if (this.parsed.size >= this.maxEntries) this.parsed.clear();
      this.parsed.set(text, ip);
    }
    return ip;
  };

  format(ip: Address | null): string | null {
    if (!ip) return null;
    let text = this.formatted.get(ip);
    if (text === undefined) {
      text = ip.toString();
      this.formatted.set(ip, text);
    }
    return text;
  }
}
