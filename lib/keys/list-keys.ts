import { getDb, type Db, type TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import type { ApiKeyView } from "./key-schemas";
import { SECRET_SUMMARY, toKeyView } from "./key-view";

export async function listApiKeys(tenantId: string, db: Db = getDb()): Promise<ApiKeyView[]> {
  const keys = await withTenant(
    tenantId,
    (tx) =>
      tx.apiKey.findMany({
        where: { tenantId },
        include: { secrets: SECRET_SUMMARY },
        orderBy: { createdAt: "desc" },
      }),
    db,
  );
  return keys.map(toKeyView);
}

export async function getApiKey(tenantId: string, keyId: string, db: Db = getDb()): Promise<ApiKeyView> {
  const key = await withTenant(
    tenantId,
    (tx) => tx.apiKey.findFirst({ where: { id: keyId, tenantId }, include: { secrets: SECRET_SUMMARY } }),
    db,
  );
  if (!key) throw new AppError("not_found", "API key not found");
  return toKeyView(key);
}

/** A key as a selector offers it: every key of the tenant, revoked ones too (their records stay), by name. */
export type KeyOption = { id: string; name: string; revoked: boolean };

/** The tenant's keys for a filter by key (usage dashboard, security log). `tx` must be scoped to the tenant. */
export async function listKeyOptions(tx: TxClient, tenantId: string): Promise<KeyOption[]> {
  const keys = await tx.apiKey.findMany({ where: { tenantId }, select: { id: true, name: true, revokedAt: true }, orderBy: [{ name: "asc" }, { createdAt: "asc" }] });
  return keys.map((k) => ({ id: k.id, name: k.name, revoked: k.revokedAt !== null }));
}
