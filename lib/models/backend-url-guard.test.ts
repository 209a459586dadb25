import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { parseConfig } from "../config/env";
import { generateSecrets } from "../config/local-secrets";
import {
  assertBackendUrlAllowed,
  BackendAddressForbiddenError,
  checkAddressAllowed,
  guardedConnector,
  guardedLookup,
  parseAllowedCidrs,
} from "./backend-url-guard";

const none = parseAllowedCidrs("");
const dev = parseAllowedCidrs("127.0.0.1/32,::1/128");

/** A resolver that answers from a fixed table (what a hostile DNS server could say). */
const fakeDns = (table: Record<string, string[]>) => async (host: string) => {
  const answer = table[host];
  if (!answer) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
  return answer;
};

async function refusal(raw: string, opts: Parameters<typeof assertBackendUrlAllowed>[2] = {}, field?: string): Promise<AppError> {
  try {
    await assertBackendUrlAllowed(raw, field, { allowedCidrs: none, ...opts });
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`${raw} was allowed`);
}

describe("checkAddressAllowed", () => {
  it("always refuses link-local and cloud metadata addresses, even when allowed by configuration", () => {
    const everything = parseAllowedCidrs("0.0.0.0/0,::/0");
    for (const ip of ["169.254.169.254", "169.254.0.1", "fe80::1", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200"]) {
      expect(checkAddressAllowed(ip, everything), ip).toMatchObject({ allowed: false, reason: expect.stringContaining("metadata") });
    }
  });

  it("refuses loopback, private, CGNAT, unspecified, multicast and reserved ranges unless allowed", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1", "ff02::1"]) {
      expect(checkAddressAllowed(ip, none).allowed, ip).toBe(false);
    }
    expect(checkAddressAllowed("127.0.0.1", dev).allowed).toBe(true);
    expect(checkAddressAllowed("::1", dev).allowed).toBe(true);
    expect(checkAddressAllowed("127.0.0.2", dev).allowed).toBe(false);
    expect(checkAddressAllowed("10.2.3.4", parseAllowedCidrs("10.2.0.0/16")).allowed).toBe(true);
  });

  it("judges IPv4-mapped, NAT64 and 6to4 addresses by the IPv4 address inside", () => {
    expect(checkAddressAllowed("::ffff:127.0.0.1", none).allowed).toBe(false);
    expect(checkAddressAllowed("::ffff:7f00:1", none).allowed).toBe(false);
    expect(checkAddressAllowed("::ffff:127.0.0.1", dev).allowed).toBe(true);
    expect(checkAddressAllowed("64:ff9b::a00:1", none).allowed).toBe(false); // 10.0.0.1
    expect(checkAddressAllowed("2002:a9fe:a9fe::1", dev).allowed).toBe(false); // 169.254.169.254
    expect(checkAddressAllowed("::ffff:8.8.8.8", none).allowed).toBe(true);
  });

  it("allows public addresses", () => {
    for (const ip of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1"]) {
      expect(checkAddressAllowed(ip, none), ip).toEqual({ allowed: true });
    }
  });
});

describe("assertBackendUrlAllowed", () => {
  it("returns the parsed URL of an allowed backend", async () => {
    const url = await assertBackendUrlAllowed("https://api.example.com/v1", "url", { allowedCidrs: none, resolve: fakeDns({ "api.example.com": ["93.184.216.34"] }) });
    expect(url.href).toBe("https://api.example.com/v1");
    expect((await assertBackendUrlAllowed("http://127.0.0.1:8090/v1", "url", { allowedCidrs: dev })).port).toBe("8090");
    expect((await assertBackendUrlAllowed("http://[::1]:8090/", "url", { allowedCidrs: dev })).hostname).toBe("[::1]");
  });

  it("refuses malformed URLs and schemes other than http(s) with a 400 field error", async () => {
    for (const raw of ["not a url", "/relative/path", "ftp://example.com/", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"]) {
      const err = await refusal(raw, {}, "backendUrl");
      expect(err.code, raw).toBe("invalid_backend_url");
      expect(err.status).toBe(400);
      expect(Object.keys(err.fields ?? {})).toEqual(["backendUrl"]);
    }
  });

  it("refuses credentials in the URL", async () => {
    const err = await refusal("https://user:pass@api.example.com/", { resolve: fakeDns({ "api.example.com": ["93.184.216.34"] }) });
    expect(err.code).toBe("invalid_backend_url");
    expect(err.fields?.url).toMatch(/user name and password/);
  });

  it("refuses the metadata service and private addresses by literal, with 422 backend_url_forbidden", async () => {
    for (const raw of ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://10.0.0.5:8000/", "http://127.0.0.1:8090/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0:80/"]) {
      const err = await refusal(raw);
      expect(err.code, raw).toBe("backend_url_forbidden");
      expect(err.status).toBe(422);
      expect(err.fields?.url).toMatch(/address/);
    }
  });

  it("checks every address a name resolves to, not just the name", async () => {
    const dns = fakeDns({ "metadata.attacker.test": ["169.254.169.254"], "mixed.attacker.test": ["93.184.216.34", "10.0.0.7"], "localhost.attacker.test": ["127.0.0.1"] });
    expect((await refusal("http://metadata.attacker.test/", { resolve: dns })).code).toBe("backend_url_forbidden");
    expect((await refusal("http://mixed.attacker.test/", { resolve: dns })).fields?.url).toContain("10.0.0.7");
    expect((await refusal("http://localhost.attacker.test/", { resolve: dns })).code).toBe("backend_url_forbidden");
    await expect(assertBackendUrlAllowed("http://localhost.attacker.test/", "url", { allowedCidrs: dev, resolve: dns })).resolves.toBeInstanceOf(URL);
  });

  it("refuses a host that does not resolve", async () => {
    const err = await refusal("https://nowhere.invalid/", { resolve: fakeDns({}) });
    expect(err.code).toBe("invalid_backend_url");
    expect(err.fields?.url).toMatch(/does not resolve/);
  });

  it("resolves real names through DNS (localhost is loopback)", async () => {
    expect((await refusal("http://localhost:8090/")).code).toBe("backend_url_forbidden");
    await expect(assertBackendUrlAllowed("http://localhost:8090/", "url", { allowedCidrs: dev })).resolves.toBeInstanceOf(URL);
  });
});

describe("BACKEND_ALLOWED_CIDRS", () => {
  const secrets = generateSecrets();
  const noLocal = () => secrets;
  it("defaults to this machine's loopback outside production and to nothing in production", () => {
    expect(parseConfig({ ...secrets, NODE_ENV: "test" }, noLocal).BACKEND_ALLOWED_CIDRS).toBe("127.0.0.1/32,::1/128");
    expect(parseConfig({ ...secrets, NODE_ENV: "production" }, noLocal).BACKEND_ALLOWED_CIDRS).toBeUndefined();
    expect(parseConfig({ ...secrets, NODE_ENV: "production", BACKEND_ALLOWED_CIDRS: "10.0.0.0/8" }, noLocal).BACKEND_ALLOWED_CIDRS).toBe("10.0.0.0/8");
  });
  it("refuses a value that is not a list of CIDRs", () => {
    expect(() => parseConfig({ ...secrets, BACKEND_ALLOWED_CIDRS: "10.0.0.1" }, noLocal)).toThrow(/BACKEND_ALLOWED_CIDRS is invalid/);
    expect(() => parseConfig({ ...secrets, BACKEND_ALLOWED_CIDRS: "localhost/8" }, noLocal)).toThrow(/BACKEND_ALLOWED_CIDRS is invalid/);
  });
});

describe("guardedLookup at connect time (DNS rebinding defense)", () => {
  let server: ReturnType<typeof createServer>;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("lets undici connect to an allowed address (the test config allows loopback)", async () => {
    const agent = new Agent({ connect: guardedConnector() });
    const res = await request(`http://localhost:${port}/`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe("ok");
    await agent.close();
  });

  it("answers like dns.lookup, single or all", async () => {
    const one = await new Promise<[string, number]>((resolve, reject) =>
      guardedLookup("localhost", { family: 4 }, (err, address, family) => (err ? reject(err) : resolve([address as string, family!]))),
    );
    expect(one).toEqual(["127.0.0.1", 4]);
    const all = await new Promise<unknown>((resolve, reject) => guardedLookup("localhost", { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
    expect(all).toEqual(expect.arrayContaining([{ address: "127.0.0.1", family: 4 }]));
  });

  it("fails the connection when the name resolves to a refused address", async () => {
    // 169.254.169.254 written as a name that resolves to it, without any DNS server: the
    // numeric-host forms dns.lookup accepts. The socket never opens.
    const err = await new Promise<Error | null>((resolve) => guardedLookup("169.254.169.254", {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(BackendAddressForbiddenError);
    expect((err as BackendAddressForbiddenError).code).toBe("EBACKENDFORBIDDEN");

    // An IP literal needs no lookup at all (the URL parser turns 0x7f000002 into
    // 127.0.0.2): the connector checks it itself.
    const agent = new Agent({ connect: guardedConnector() });
    try {
      await expect(request("http://0x7f000002:9/", { dispatcher: agent })).rejects.toThrow(/resolved to 127\.0\.0\.2/);
      await expect(request("http://[fd00:ec2::254]/", { dispatcher: agent })).rejects.toThrow(/metadata/);
      await expect(request("http://169.254.169.254/latest/meta-data/", { dispatcher: agent })).rejects.toThrow(/metadata/);
    } finally {
      await agent.close();
    }
  });
});
