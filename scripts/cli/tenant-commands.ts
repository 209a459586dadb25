import { getDb } from "../../lib/db/client";
import { AppError } from "../../lib/errors/app-error";
import { parseRateLimit } from "../../lib/keys/key-schemas";
import { createTenant } from "../../lib/tenants/create-tenant";
import { readGatewaySettings, updateGatewaySettings } from "../../lib/tenants/gateway-settings";
import type { GatewaySettings, UpdateGatewaySettingsInput } from "../../lib/tenants/gateway-settings-schemas";
import { setTenantStatus } from "../../lib/tenants/set-tenant-status";
import { tenantOutput } from "../../lib/tenants/tenant-schemas";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

export async function tenantCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  switch (sub) {
    case "create": {
      if (!args.values.name) throw new UsageError("tenant create needs --name");
      let ownerUserId: string | null = null;
      if (args.values.owner) {
        const owner = await getDb().user.findUnique({ where: { email: args.values.owner.toLowerCase() } });
        if (!owner) throw new AppError("not_found", `No user with email ${args.values.owner}`);
        ownerUserId = owner.id;
      }
      const tenant = tenantOutput.parse(
        await createTenant({ name: args.values.name, slug: args.values.slug }, { ownerUserId, actor: cliActor() }),
      );
      return out.result({ tenant }, () => `created tenant ${tenant.slug} (${tenant.id})`);
    }
    case "list": {
      const tenants = (await getDb().tenant.findMany({ orderBy: { createdAt: "asc" } })).map((t) => tenantOutput.parse(t));
      return out.result({ tenants }, () =>
        table(tenants.map((t) => ({ slug: t.slug, name: t.name, status: t.status, id: t.id, created: t.createdAt })), ["slug", "name", "status", "id", "created"]),
      );
    }
    case "suspend":
    case "activate": {
      const slug = args.positionals[0];
      if (!slug) throw new UsageError(`tenant ${sub} needs a tenant slug`);
      const status = sub === "suspend" ? "suspended" : "active";
      const tenant = tenantOutput.parse(await setTenantStatus(slug, status, { actor: cliActor(), reason: args.values.reason }));
      return out.result({ tenant }, () => `tenant ${tenant.slug} is ${tenant.status}`);
    }
    case "gateway": {
      const slug = args.positionals[0];
      if (!slug) throw new UsageError("tenant gateway needs a tenant slug");
      const tenantId = await tenantIdOf(slug);
      const change = gatewayChangeOf(args.values);
      const settings = Object.keys(change).length
        ? await updateGatewaySettings(tenantId, change, { actor: cliActor() })
        : await readGatewaySettings(tenantId);
      return out.result({ gateway: settings }, () => describeGatewaySettings(slug, settings));
    }
    default:
      throw new UsageError("tenant commands: create, list, suspend, activate, gateway");
  }
}

/** `--ips a,b` / `--ips any`, `--rate 100/60s` / `--rate none`, `--max-body 1048576`, `--redis-failure open`. */
function gatewayChangeOf(v: CommandArgs["values"]): UpdateGatewaySettingsInput {
  const change: UpdateGatewaySettingsInput = {};
  if (v.ips !== undefined) change.ipAllowlist = v.ips === "any" ? [] : v.ips.split(",").map((s) => s.trim()).filter(Boolean);
  if (v.rate !== undefined) {
    const rate = v.rate === "none" ? null : parseRateLimit(v.rate);
    if (rate === null && v.rate !== "none") throw new UsageError(`--rate "${v.rate}" is not N/<window> (e.g. 1000/60s) or none`);
    change.rateLimit = rate;
  }
  if (v["max-body"] !== undefined) {
    if (!/^\d+$/.test(v["max-body"])) throw new UsageError(`--max-body "${v["max-body"]}" is not a number of bytes`);
    change.maxBodyBytes = Number(v["max-body"]);
  }
  if (v["redis-failure"] !== undefined) {
    if (v["redis-failure"] !== "closed" && v["redis-failure"] !== "open") throw new UsageError("--redis-failure is closed or open");
    change.redisFailureMode = v["redis-failure"];
  }
  return change;
}

function describeGatewaySettings(slug: string, s: GatewaySettings): string {
  return [
    `tenant ${slug} at the gateway:`,
    `  IP allow-list   ${s.ipAllowlist.length ? s.ipAllowlist.join(", ") : "any address"}`,
    `  rate limit      ${s.rateLimit ? `${s.rateLimit.requests} per ${s.rateLimit.windowSeconds} s (all keys together)` : "none (keys' own limits apply)"}`,
    `  max body        ${s.maxBodyBytes} bytes (platform ceiling ${s.maxBodyBytesLimit})`,
    `  without Redis   ${s.redisFailureMode === "closed" ? "fail closed (503)" : "fail open (no rate limits or quota checks)"}`,
  ].join("\n");
}
