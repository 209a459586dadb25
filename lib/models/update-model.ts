import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { duplicateName } from "./create-model";
import { announceModelChanges } from "./model-invalidation";
import { findOwnModel, tenantsRoutingTo } from "./model-lookup";
import { isUniqueViolation } from "../db/pg-errors";
import { updateModelInput, type ModelView, type UpdateModelInput } from "./model-schemas";
import { auditDiff, MODEL_WITH_VERSIONS, modelAuditView, toModelView } from "./model-view";

/**
 * Changes a model's name, description, enabled flag, protocol, visibility or
 * default version; audited with before/after in the same transaction, then
 * announced to the owner's and every grantee's gateways. Making the canary
 * the default ends the split (promotion).
 */
export async function updateModel(
  tenantId: string,
  modelId: string,
  input: UpdateModelInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ModelView> {
  const parsed = parseInput(updateModelInput, input);
  let result;
  try {
    result = await withTenant(
      tenantId,
      async (tx) => {
        const before = await findOwnModel(tx, tenantId, modelId);
        let defaultVersionId: string | undefined;
        let endsSplit = false;
        if (parsed.defaultVersion !== undefined) {
          const version = before.versions.find((v) => v.label === parsed.defaultVersion);
          if (!version) {
            const message = `This model has no version "${parsed.defaultVersion}"`;
            throw new AppError("validation_failed", message, { fields: { defaultVersion: message } });
          }
          defaultVersionId = version.id;
          endsSplit = before.canaryVersionId === version.id;
        }
        await tx.model.update({
          where: { id: before.id },
          data: {
            name: parsed.name,
            description: parsed.description,
            enabled: parsed.enabled,
            protocol: parsed.protocol,
            visibility: parsed.visibility,
            defaultVersionId,
            ...(endsSplit && { canaryVersionId: null, canaryPercent: null }),
          },
        });
        const after = await tx.model.findFirstOrThrow({ where: { id: before.id }, include: MODEL_WITH_VERSIONS });
        const diff = auditDiff(modelAuditView(before), modelAuditView(after));
        if (diff) {
          await recordAudit(tx, tenantId, { ...ctx, action: "model.update", target: { type: "model", id: before.id }, metadata: diff });
        }
        return { after, routing: await tenantsRoutingTo(tx, tenantId, before.id), changed: diff !== null };
      },
      db,
    );
  } catch (err) {
    if (isUniqueViolation(err) && parsed.name) throw duplicateName(parsed.name);
    throw err;
  }
  if (result.changed) await announceModelChanges(result.routing);
  return toModelView(result.after);
}
