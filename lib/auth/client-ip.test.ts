import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

async function clientIpWith(trusted: string, xff: string | null): Promise<string | null> {
  vi.resetModules();
  process.env.TRUSTED_PROXIES = trusted;
  const { clientIpOf } = await import("./route-common");
  const headers = new Headers();
  if (xff !== null) headers.set("x-forwarded-for", xff);
  return clientIpOf(new Request("http://localhost/api", { headers }));
}

describe("clientIpOf", () => {
  it("takes the TCP peer Next appended (the right-most hop) when no proxy is trusted", async () => {
    expect(await clientIpWith("", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
  });

  it("walks past trusted proxies to the first untrusted hop, never believing the client's own claims", async () => {
    expect(await clientIpWith("10.0.0.0/8", "6.6.6.6, 198.51.100.7, 10.0.0.2, 10.0.0.1")).toBe("198.51.100.7");
  });

  it("normalises IPv4-mapped IPv6 and fails closed on a garbage hop", async () => {
    expect(await clientIpWith("", "::ffff:192.0.2.4")).toBe("192.0.2.4");
    expect(await clientIpWith("10.0.0.0/8", "not-an-ip, 10.0.0.1")).toBeNull();
  });
});
