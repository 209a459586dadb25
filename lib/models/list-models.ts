import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseModelId } from "./model-lookup";
import type { ModelView } from "./model-schemas";
import { MODEL_WITH_VERSIONS, toGrantedModelView, toModelView } from "./model-view";

/**
 * The tenant's own models (with versions) and, after them, the shared models
 * granted to it (read-only, without versions), each group by name.
 */
export async function listModels(tenantId: string, db: Db = getDb()): Promise<ModelView[]> {
  const { own, granted } = await withTenant(
    tenantId,
    async (tx) => {
      const own = await tx.model.findMany({ where: { tenantId }, include: MODEL_WITH_VERSIONS, orderBy: { name: "asc" } });
      const grants = await tx.modelGrant.findMany({ where: { tenantId }, select: { modelId: true } });
      // Policy grantee_read shows a granted model only while it is shared.
      const granted = grants.length
        ? await tx.model.findMany({ where: { id: { in: grants.map((g) => g.modelId) }, tenantId: { not: tenantId } }, orderBy: { name: "asc" } })
        : [];
      return { own, granted };
    },
    db,
  );
  const owners = await ownersOf(granted.map((m) => m.tenantId), db);
  return [...own.map(toModelView), ...granted.map((m) => toGrantedModelView(m, owners.get(m.tenantId)!))];
}

/** One model the tenant owns or is granted; anything else (another tenant's, a malformed id) is 404. */
export async function getModel(tenantId: string, modelId: string, db: Db = getDb()): Promise<ModelView> {
  const id = parseModelId(modelId);
  const model = await withTenant(tenantId, (tx) => tx.model.findFirst({ where: { id }, include: MODEL_WITH_VERSIONS }), db);
  if (!model) throw new AppError("not_found", "Model not found");
  if (model.tenantId === tenantId) return toModelView(model);
  const owners = await ownersOf([model.tenantId], db);
  return toGrantedModelView(model, owners.get(model.tenantId)!);
}

async function ownersOf(tenantIds: string[], db: Db): Promise<Map<string, { name: string; slug: string }>> {
  if (!tenantIds.length) return new Map();
  const rows = await db.tenant.findMany({ where: { id: { in: [...new Set(tenantIds)] } }, select: { id: true, name: true, slug: true } });
  return new Map(rows.map((t) => [t.id, { name: t.name, slug: t.slug }]));
}
