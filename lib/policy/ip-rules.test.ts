import { describe, expect, it } from "vitest";
import { compileCidrs, formatIp, parseIp, parseTrustedProxies, resolveClientIp } from "./ip-rules";

const ip = (text: string) => parseIp(text)!;

describe("parseIp", () => {
  it("reads IPv4 and IPv6, and turns IPv4-mapped IPv6 into IPv4", () => {
    expect(formatIp(parseIp("10.1.2.3"))).toBe("10.1.2.3");
    expect(formatIp(parseIp("2001:db8::1"))).toBe("2001:db8::1");
    expect(formatIp(parseIp("::ffff:192.0.2.7"))).toBe("192.0.2.7");
    expect(parseIp("::ffff:192.0.2.7")!.kind()).toBe("ipv4");
  });

  it("refuses anything but dotted quads and IPv6 (no legacy shorthand, no ports)", () => {
    for (const bad of ["", "10", "1234", "0x0a.0.0.1", "10.0.0.1:80", "[::1]", "unknown", "10.0.0.256"]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });
});

describe("compileCidrs", () => {
  it("an empty list allows everything", () => {
    expect(compileCidrs([]).contains(ip("203.0.113.9"))).toBe(true);
  });

  it("matches v4 and v6 ranges, and mapped addresses against v4 ranges", () => {
    const m = compileCidrs(["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"]);
    expect(m.contains(ip("10.255.0.1"))).toBe(true);
    expect(m.contains(ip("::ffff:10.0.0.5"))).toBe(true);
    expect(m.contains(ip("2001:db8:1::5"))).toBe(true);
    expect(m.contains(ip("192.0.2.7"))).toBe(true);
    expect(m.contains(ip("192.0.2.8"))).toBe(false);
    expect(m.contains(ip("11.0.0.1"))).toBe(false);
    expect(m.contains(ip("2001:db9::1"))).toBe(false);
  });

  it("a corrupt entry matches nothing instead of everything", () => {
    const m = compileCidrs(["not-a-cidr"]);
    expect(m.contains(ip("10.0.0.1"))).toBe(false);
  });
});

describe("resolveClientIp", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8, ::1");
  const none = parseTrustedProxies("");

  it("uses the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(formatIp(resolveClientIp("198.51.100.1", "1.2.3.4", none))).toBe("198.51.100.1");
    expect(formatIp(resolveClientIp("::ffff:198.51.100.1", undefined, none))).toBe("198.51.100.1");
  });

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(formatIp(resolveClientIp("198.51.100.1", "10.0.0.1", trusted))).toBe("198.51.100.1");
  });

  it("from a trusted peer, takes the right-most address that is not a trusted proxy", () => {
    expect(formatIp(resolveClientIp("10.0.0.2", "203.0.113.9", trusted))).toBe("203.0.113.9");
    // The client prepended a fake hop; the trusted proxy appended the real one.
    expect(formatIp(resolveClientIp("10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.3", trusted))).toBe("203.0.113.9");
    expect(formatIp(resolveClientIp("::1", "2001:db8::7", trusted))).toBe("2001:db8::7");
  });

  it("all hops trusted: the left-most; an unparseable hop: unknown (null)", () => {
    expect(formatIp(resolveClientIp("10.0.0.2", "10.0.0.9, 10.0.0.3", trusted))).toBe("10.0.0.9");
    expect(resolveClientIp("10.0.0.2", "garbage, 10.0.0.3", trusted)).toBeNull();
  });

  it("refuses a bad TRUSTED_PROXIES entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, nope")).toThrow(/nope/);
  });
});
