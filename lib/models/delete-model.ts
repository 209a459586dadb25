import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { announceModelChanges } from "./model-invalidation";
import { findOwnModel, tenantsRoutingTo } from "./model-lookup";
import { modelAuditView, versionAuditView } from "./model-view";

/**
 * Deletes a model, its versions (sealed credentials included) and every grant
 * of it; gateways of the owner and of each former grantee stop routing to it
 * within a round trip.
 */
export async function deleteModel(tenantId: string, modelId: string, ctx: AuditContext, db: Db = getDb()): Promise<void> {
  const routing = await withTenant(
    tenantId,
    async (tx) => {
      const model = await findOwnModel(tx, tenantId, modelId);
      const routing = await tenantsRoutingTo(tx, tenantId, model.id);
      await tx.model.delete({ where: { id: model.id } });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "model.delete",
        target: { type: "model", id: model.id },
        metadata: { before: { ...modelAuditView(model), versions: model.versions.map(versionAuditView) }, grantsRemoved: routing.length - 1 },
      });
      return routing;
    },
    db,
  );
  await announceModelChanges(routing);
}
