import type { TxClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { MODEL_WITH_VERSIONS, type ModelRow } from "./model-view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL or a command line: anything but a UUID is a model that does not exist (404). */
export function parseModelId(id: string | undefined, what = "Model"): string {
  if (!id || !UUID.test(id)) throw new AppError("not_found", `${what} not found`);
  return id;
}

/**
 * One of the tenant's own models, for a change. Another tenant's model is a
 * 404; a shared model granted to this tenant (visible, but not its own) is a
 * 403: grantees use it, they do not configure it.
 */
export async function findOwnModel(tx: TxClient, tenantId: string, modelId: string): Promise<ModelRow> {
  const model = await tx.model.findFirst({ where: { id: parseModelId(modelId) }, include: MODEL_WITH_VERSIONS });
  if (!model) throw new AppError("not_found", "Model not found");
  if (model.tenantId !== tenantId) {
    throw new AppError("forbidden", "This model is shared with your tenant by the platform; it is read-only here");
  }
  return model;
}

/** The tenants whose gateways route to this model: its owner and every tenant it is granted to. */
export async function tenantsRoutingTo(tx: TxClient, ownerTenantId: string, modelId: string): Promise<string[]> {
  const grants = await tx.modelGrant.findMany({ where: { ownerTenantId, modelId }, select: { tenantId: true } });
  return [ownerTenantId, ...grants.map((g) => g.tenantId)];
}

