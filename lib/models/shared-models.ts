import { z } from "zod";
import type { TxClient } from "../db/client";
import { modelGrantOutput, modelOutput, visibilitySchema } from "./model-schemas";
import { MODEL_WITH_VERSIONS, toModelView } from "./model-view";

const tenantRef = z.object({ id: z.uuid(), name: z.string(), slug: z.string() });

/**
 * One row of the operator console's shared models: where it comes from, how
 * its traffic is split, and who it is granted to. Versions carry their label
 * and share of traffic only: backend URLs and credentials stay the owner's.
 */
export const sharedModelOutput = modelOutput
  .pick({ id: true, name: true, protocol: true, description: true, enabled: true, defaultVersion: true, split: true, createdAt: true, updatedAt: true })
  .extend({
    /** `private`: the owner took it back; its grants remain but give nothing until it is shared again. */
    visibility: visibilitySchema,
    owner: tenantRef,
    versions: z.array(z.object({ label: z.string(), trafficPercent: z.number().int() })),
    grants: z.array(modelGrantOutput),
  });
export type SharedModel = z.output<typeof sharedModelOutput>;

type OperatorRead = <T>(resource: string, reason: string, fn: (tx: TxClient) => Promise<T>) => Promise<T>;

/**
 * Every shared model on the platform, and every private one that still has
 * grants (so an operator can revoke them), by name, with its owner and its
 * grantees. One read through the audited operator path.
 */
export async function listSharedModels(operatorRead: OperatorRead): Promise<SharedModel[]> {
  const { models, grants, tenants } = await operatorRead("models", "operator console: shared models and their grants", async (tx) => {
    const models = await tx.model.findMany({
      where: { OR: [{ visibility: "shared" }, { grants: { some: {} } }] },
      include: MODEL_WITH_VERSIONS,
      orderBy: [{ name: "asc" }, { createdAt: "asc" }],
    });
    const ids = models.map((m) => m.id);
    const grants = ids.length ? await tx.modelGrant.findMany({ where: { modelId: { in: ids } }, orderBy: { createdAt: "asc" } }) : [];
    const tenantIds = [...new Set([...models.map((m) => m.tenantId), ...grants.map((g) => g.tenantId)])];
    const tenants = tenantIds.length ? await tx.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true, slug: true } }) : [];
    return { models, grants, tenants };
  });
  const tenantOf = new Map(tenants.map((t) => [t.id, t]));
  return models.map((m) => {
    const view = toModelView(m);
    return sharedModelOutput.parse({
      id: view.id,
      name: view.name,
      protocol: view.protocol,
      description: view.description,
      enabled: view.enabled,
      visibility: view.visibility,
      owner: tenantOf.get(m.tenantId)!,
      defaultVersion: view.defaultVersion,
      split: view.split,
      versions: view.versions.map((v) => ({ label: v.label, trafficPercent: v.trafficPercent })),
      grants: grants
        .filter((g) => g.modelId === m.id)
        .map((g) => ({ id: g.id, modelId: g.modelId, tenant: tenantOf.get(g.tenantId)!, createdAt: g.createdAt.toISOString() })),
      createdAt: view.createdAt,
      updatedAt: view.updatedAt,
    });
  });
}
