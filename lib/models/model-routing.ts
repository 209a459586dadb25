import type { Db, TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { createLogger } from "../log/logger";
import { openCredential } from "./model-credentials";
import type { ModelProtocol } from "./model-schemas";

/** One version as the gateway forwards to it; `credential` is decrypted, in memory only. */
export type RoutingVersion = {
  id: string;
  label: string;
  backendUrl: string;
  timeoutMs: number;
  maxConcurrency: number;
  credential: { name: string; value: string } | null;
  /** The credential is set but its envelope did not open: requests get 502, not a call without it. */
  credentialBroken: boolean;
};

/** One model a tenant may call, with where its traffic goes. */
export type RoutingModel = {
  id: string;
  name: string;
  protocol: ModelProtocol;
  ownerTenantId: string;
  createdAt: Date;
  primary: RoutingVersion;
  canary: { version: RoutingVersion; percent: number } | null;
  /** Every version (primary and canary among them), for clients that name one (KServe `/versions/{v}`). */
  versions: RoutingVersion[];
};

const VERSION_SELECT = {
  id: true,
  label: true,
  backendUrl: true,
  timeoutMs: true,
  maxConcurrency: true,
  credentialKind: true,
  credentialHeader: true,
  credentialSecret: true,
} as const;

let logger: ReturnType<typeof createLogger> | undefined;

async function routesOf(tx: TxClient, ownerTenantId: string, where: { id?: { in: string[] }; visibility?: string }): Promise<RoutingModel[]> {
  const models = await tx.model.findMany({
    where: { tenantId: ownerTenantId, enabled: true, ...where },
    include: { versions: { select: VERSION_SELECT } },
    orderBy: { name: "asc" },
  });
  const out: RoutingModel[] = [];
  for (const m of models) {
    const open = async (v: (typeof m.versions)[number]): Promise<RoutingVersion> => {
      let credential: RoutingVersion["credential"] = null;
      let credentialBroken = false;
      try {
        credential = await openCredential(tx, ownerTenantId, v);
      } catch (err) {
        credentialBroken = true;
        logger ??= createLogger("models");
        logger.error({ tenant_id: ownerTenantId, model: m.name, version: v.label, err: { message: (err as Error).message } }, "backend credential does not open");
      }
      return { id: v.id, label: v.label, backendUrl: v.backendUrl, timeoutMs: v.timeoutMs, maxConcurrency: v.maxConcurrency, credential, credentialBroken };
    };
    const versions: RoutingVersion[] = [];
    for (const v of m.versions) versions.push(await open(v));
    const primary = versions.find((v) => v.id === m.defaultVersionId);
    if (!primary) continue;
    const canary = m.canaryVersionId && m.canaryPercent ? versions.find((v) => v.id === m.canaryVersionId) : undefined;
    out.push({
      id: m.id,
      name: m.name,
      protocol: m.protocol as ModelProtocol,
      ownerTenantId,
      createdAt: m.createdAt,
      primary,
      canary: canary ? { version: canary, percent: m.canaryPercent! } : null,
      versions,
    });
  }
  return out;
}

/**
 * Everything `tenantId`'s requests may be routed to: its own enabled models,
 * then the enabled shared models granted to it (read in their owner's scope,
 * where their versions and credentials live). An own model shadows a granted
 * one of the same name.
 */
export async function loadRoutingTable(tenantId: string, db: Db): Promise<RoutingModel[]> {
  const { own, granted } = await withTenant(
    tenantId,
    async (tx) => {
      const own = await routesOf(tx, tenantId, {});
      const grants = await tx.modelGrant.findMany({ where: { tenantId }, select: { ownerTenantId: true, modelId: true } });
      return { own, granted: grants };
    },
    db,
  );
  const byOwner = new Map<string, string[]>();
  for (const g of granted) byOwner.set(g.ownerTenantId, [...(byOwner.get(g.ownerTenantId) ?? []), g.modelId]);
  const shared: RoutingModel[] = [];
  for (const [owner, ids] of byOwner) {
    shared.push(...(await withTenant(owner, (tx) => routesOf(tx, owner, { id: { in: ids }, visibility: "shared" }), db)));
  }
  const names = new Set(own.map((m) => m.name));
  return [...own, ...shared.filter((m) => !names.has(m.name))];
}
