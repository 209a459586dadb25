import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { buildConnector } from "undici";
import { getConfig } from "../config/env";
import { AppError } from "../errors/app-error";

/**
 * The SSRF guard for model backend URLs. Checked twice: when a URL is saved
 * (assertBackendUrlAllowed: every address the host resolves to), and when the
 * gateway connects (guardedConnector for undici: names go through
 * guardedLookup, so a DNS answer that changed since — rebinding — is refused
 * too; IP literals, which sockets connect to without any lookup, are checked
 * directly). Redirects are the caller's to refuse: undici follows none unless
 * asked to.
 *
 * - Always refused: link-local (169.254.0.0/16, fe80::/10) and cloud metadata
 *   addresses, whatever the configuration says.
 * - Refused unless inside BACKEND_ALLOWED_CIDRS: loopback, private, CGNAT,
 *   unspecified, multicast, broadcast and reserved ranges.
 * - IPv4-mapped, NAT64 and 6to4 IPv6 addresses are judged by the IPv4 address
 *   they carry as well.
 */

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
type Address = ipaddr.IPv4 | ipaddr.IPv6;

const cidrs = (list: string[]): Cidr[] => list.map((c) => ipaddr.parseCIDR(c));

const ALWAYS_REFUSED = cidrs([
  "169.254.0.0/16", // link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
  "fe80::/10", // IPv6 link-local
  "fd00:ec2::254/128", // AWS metadata over IPv6
  "100.100.100.200/32", // Alibaba Cloud metadata
]);

const REFUSED_UNLESS_ALLOWED = cidrs([
  "0.0.0.0/8", // "this network", incl. the unspecified address
  "10.0.0.0/8",
  "100.64.0.0/10", // carrier-grade NAT
  "127.0.0.0/8",
  "172.16.0.0/12",
  "192.0.0.0/24", // IETF protocol assignments
  "192.168.0.0/16",
  "198.18.0.0/15", // benchmarking
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, incl. broadcast
  "::/128",
  "::1/128",
  "fc00::/7", // unique local
  "fec0::/10", // deprecated site-local
  "ff00::/8", // multicast
]);

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (addr.isIPv4MappedAddress()) return addr.toIPv4Address();
  const p = addr.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (addr.match(ipaddr.parseCIDR("64:ff9b::/96"))) return v4(p[6]!, p[7]!);
  if (addr.match(ipaddr.parseCIDR("2002::/16"))) return v4(p[1]!, p[2]!);
  return undefined;
}

function inAny(addr: Address, list: Cidr[]): boolean {
  return list.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/** Parses a comma/space-separated CIDR list (BACKEND_ALLOWED_CIDRS). */
export function parseAllowedCidrs(text: string | undefined): Cidr[] {
  return cidrs((text ?? "").split(/[\s,]+/).filter(Boolean));
}

let configured: { text: string | undefined; list: Cidr[] } | undefined;
function configuredAllowList(): Cidr[] {
  const text = getConfig().BACKEND_ALLOWED_CIDRS;
  if (!configured || configured.text !== text) configured = { text, list: parseAllowedCidrs(text) };
  return configured.list;
}

/** Whether the backend may be reached at `ip` (a literal IPv4/IPv6 address). */
export function checkAddressAllowed(ip: string, allowed: Cidr[] = configuredAllowList()): AddressVerdict {
  let parsed: Address;
  try {
    parsed = ipaddr.parse(ip.replace(/%.*$/, ""));
  } catch {
    return { allowed: false, reason: "is not an IP address" };
  }
  const candidates: Address[] = [parsed];
  if (parsed.kind() === "ipv6") {
    const v4 = embeddedIPv4(parsed as ipaddr.IPv6);
    if (v4) candidates.push(v4);
  }
  for (const addr of candidates) {
    if (inAny(addr, ALWAYS_REFUSED)) return { allowed: false, reason: "is a link-local or cloud metadata address" };
  }
  for (const addr of candidates) {
    if (inAny(addr, REFUSED_UNLESS_ALLOWED) && !inAny(addr, allowed)) {
      return { allowed: false, reason: "is a private, loopback or reserved address not in BACKEND_ALLOWED_CIDRS" };
    }
  }
  return { allowed: true };
}

export type ResolveAll = (hostname: string) => Promise<string[]>;

const resolveWithDns: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });

/**
 * Parses and checks a backend URL before it is saved: http(s) only, no
 * credentials, and every address the host resolves to must be allowed.
 * Throws AppError `invalid_backend_url` (400) or `backend_url_forbidden` (422)
 * with a field error on `field`.
 */
export async function assertBackendUrlAllowed(
  raw: string,
  field = "url",
  opts: { allowedCidrs?: Cidr[]; resolve?: ResolveAll } = {},
): Promise<URL> {
  const invalid = (message: string) =>
    new AppError("invalid_backend_url", message, { fields: { [field]: message } });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid("Enter an absolute http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("Only http:// and https:// backend URLs are allowed");
  if (url.username || url.password) {
    throw invalid("Remove the user name and password from the URL; set a backend credential instead");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw invalid("The URL names no host");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolve ?? resolveWithDns)(host);
    } catch {
      throw invalid(`The host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw invalid(`The host ${host} does not resolve`);
  }
  const allowed = opts.allowedCidrs ?? configuredAllowList();
  for (const address of addresses) {
    const verdict = checkAddressAllowed(address, allowed);
    if (!verdict.allowed) {
      const message = `The backend address ${address} ${verdict.reason}`;
      throw new AppError("backend_url_forbidden", message, { fields: { [field]: message } });
    }
  }
  return url;
}

/** What guardedLookup fails a connection with. */
export class BackendAddressForbiddenError extends Error {
  readonly code = "EBACKENDFORBIDDEN";
  constructor(readonly hostname: string, readonly address: string, reason: string) {
    super(`backend ${hostname} resolved to ${address}, which ${reason}`);
    this.name = "BackendAddressForbiddenError";
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in `lookup` for net.connect / undici's `connect: { lookup }`: resolves
 * like dns.lookup and fails the connection with BackendAddressForbiddenError if
 * any address the name resolves to is refused (DNS rebinding defense).
 */
export function guardedLookup(hostname: string, options: LookupOptions | LookupCallback, callback?: LookupCallback): void {
  const cb = (typeof options === "function" ? options : callback)!;
  const opts: LookupOptions = typeof options === "function" ? {} : (options ?? {});
  dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
    if (err) return cb(err, opts.all ? [] : "");
    let allowed: Cidr[];
    try {
      allowed = configuredAllowList();
    } catch (configErr) {
      return cb(configErr as NodeJS.ErrnoException, opts.all ? [] : "");
    }
    for (const a of addresses) {
      const verdict = checkAddressAllowed(a.address, allowed);
      if (!verdict.allowed) return cb(new BackendAddressForbiddenError(hostname, a.address, verdict.reason), opts.all ? [] : "");
    }
    if (opts.all) return cb(null, addresses);
    const first = addresses[0];
    if (!first) return cb(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
    cb(null, first.address, first.family);
  });
}

/**
 * An undici connector (`new Agent({ connect: guardedConnector() })`) that
 * refuses every connection to a forbidden address: names through
 * guardedLookup, IP literals (which need no lookup — also `0x7f000001` and the
 * like, which URL parsing turns into 127.0.0.1) by checking them here.
 */
export function guardedConnector(options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      let verdict: AddressVerdict;
      try {
        verdict = checkAddressAllowed(host);
      } catch (err) {
        return callback(err as Error, null);
      }
      if (!verdict.allowed) return callback(new BackendAddressForbiddenError(opts.hostname, host, verdict.reason), null);
    }
    connect(opts, callback);
  };
}
