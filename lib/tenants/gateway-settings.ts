import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getConfig } from "../config/env";
import { getDb, type Db, type TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { announceKeyChange } from "../keys/key-invalidation";
import { gatewaySettingsOutput, updateGatewaySettingsInput, type GatewaySettings, type UpdateGatewaySettingsInput } from "./gateway-settings-schemas";

const SELECT = { ipAllowlist: true, redisFailureMode: true, maxBodyBytes: true, rateLimitRequests: true, rateLimitWindowSeconds: true } as const;

async function read(tx: TxClient, tenantId: string): Promise<GatewaySettings> {
  const row = await tx.tenant.findUnique({ where: { id: tenantId }, select: SELECT });
  if (!row) throw new AppError("not_found", "Tenant not found");
  return gatewaySettingsOutput.parse({
    ipAllowlist: row.ipAllowlist,
    redisFailureMode: row.redisFailureMode,
    maxBodyBytes: row.maxBodyBytes,
    maxBodyBytesLimit: getConfig().GATEWAY_MAX_BODY_BYTES,
    rateLimit:
      row.rateLimitRequests && row.rateLimitWindowSeconds
        ? { requests: row.rateLimitRequests, windowSeconds: row.rateLimitWindowSeconds }
        : null,
  });
}

/** The tenant's gateway settings (what every one of its keys is held to at the gateway). */
export async function readGatewaySettings(tenantId: string, db: Db = getDb()): Promise<GatewaySettings> {
  return withTenant(tenantId, (tx) => read(tx, tenantId), db);
}

const FIELDS = ["ipAllowlist", "redisFailureMode", "maxBodyBytes", "rateLimit"] as const;

/**
 * Changes how the gateway treats the tenant's requests (a sensitive action:
 * the route asks for step-up). Fields left out stay. Audited as
 * `tenant.gateway_update` with before/after of the fields that changed, in the
 * same transaction; nothing changed, nothing written. Gateways drop the
 * tenant's cached key records right after (the key invalidation channel), so
 * the settings apply within about a second.
 */
export async function updateGatewaySettings(
  tenantId: string,
  input: UpdateGatewaySettingsInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<GatewaySettings> {
  const parsed = parseInput(updateGatewaySettingsInput, input);
  const ceiling = getConfig().GATEWAY_MAX_BODY_BYTES;
  if (parsed.maxBodyBytes !== undefined && parsed.maxBodyBytes > ceiling) {
    const message = `At most ${ceiling} bytes on this platform (GATEWAY_MAX_BODY_BYTES)`;
    throw new AppError("validation_failed", `maxBodyBytes: ${message}`, { fields: { maxBodyBytes: message } });
  }
  const { settings, changed } = await withTenant(
    tenantId,
    async (tx) => {
      const before = await read(tx, tenantId);
      const after = { ...before, ...Object.fromEntries(FIELDS.filter((f) => parsed[f] !== undefined).map((f) => [f, parsed[f]])) } as GatewaySettings;
      const diff = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
      if (!diff.length) return { settings: before, changed: false };
      await tx.tenant.update({
        where: { id: tenantId },
        data: {
          ipAllowlist: after.ipAllowlist,
          redisFailureMode: after.redisFailureMode,
          maxBodyBytes: after.maxBodyBytes,
          rateLimitRequests: after.rateLimit?.requests ?? null,
          rateLimitWindowSeconds: after.rateLimit?.windowSeconds ?? null,
        },
      });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "tenant.gateway_update",
        target: { type: "tenant", id: tenantId },
        metadata: {
          before: Object.fromEntries(diff.map((f) => [f, before[f]])),
          after: Object.fromEntries(diff.map((f) => [f, after[f]])),
        },
      });
      return { settings: after, changed: true };
    },
    db,
  );
  if (changed) await announceKeyChange({ tenantId });
  return settings;
}
