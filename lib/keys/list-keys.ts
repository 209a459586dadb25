import { getDb, type Db } from "../db/client";
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
