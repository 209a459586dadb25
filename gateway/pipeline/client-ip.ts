import { AppError } from "../../lib/errors/app-error";
import { IpParseCache, resolveClientIp, type CidrMatcher } from "../../lib/policy/ip-rules";
import type { Stage } from "./types";

/**
 * Works out the client's address (for the allow-lists and the security log):
 * the TCP peer, or from `X-Forwarded-For` when the peer is one of
 * `trustedProxies` (see lib/policy/ip-rules.ts).
 */
export function clientAddressStage(trustedProxies: CidrMatcher): Stage {
  const ips = new IpParseCache();
  return {
    name: "client-address",
    appliesTo: (route) => route.auth === "api_key",
    run(ctx) {
      const xff = ctx.req.headers["x-forwarded-for"];
      const ip = resolveClientIp(ctx.req.socket.remoteAddress, typeof xff === "string" ? xff : undefined, trustedProxies, ips.parse);
      ctx.clientAddress = ip;
      ctx.clientIp = ips.format(ip);
    },
  };
}

/**
 * The client's address against the key's and the tenant's allow-lists (an
 * empty list allows any address). An address that could not be determined
 * fails any non-empty list.
 */
export const ipAllowlistStage: Stage = {
  name: "ip-allowlist",
  appliesTo: (route) => route.auth === "api_key",
  run(ctx) {
    const { keyIps, tenantIps } = ctx.key!;
    if (keyIps.cidrs.length === 0 && tenantIps.cidrs.length === 0) return;
    const ip = ctx.clientAddress ?? null;
    if (!ip || !keyIps.contains(ip) || !tenantIps.contains(ip)) {
      throw new AppError("ip_not_allowed", `Requests with this API key are not allowed from ${ctx.clientIp ?? "an unknown address"}`);
    }
  },
};
