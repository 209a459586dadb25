import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { announceModelChanges } from "./model-invalidation";
import { findOwnModel, tenantsRoutingTo } from "./model-lookup";
import { splitInput, type ModelView, type SplitInput } from "./model-schemas";
import { auditDiff, MODEL_WITH_VERSIONS, modelAuditView, toModelView } from "./model-view";

function splitError(message: string): AppError {
  return new AppError("validation_failed", message, { fields: { versions: message } });
}

/**
 * Sends `percent` % of the model's requests to a canary version and the rest
 * to the default version. The split names two known versions, one of them
 * the default, with percentages adding up to 100; anything else is a 400 and
 * nothing changes.
 */
export async function setTrafficSplit(
  tenantId: string,
  modelId: string,
  input: SplitInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ModelView> {
  const parsed = parseInput(splitInput, input);
  return changeSplit(tenantId, modelId, ctx, db, (model) => {
    const [first, second] = parsed.versions as [{ version: string; percent: number }, { version: string; percent: number }];
    for (const side of parsed.versions) {
      if (!model.versions.some((v) => v.label === side.version)) throw splitError(`This model has no version "${side.version}"`);
    }
    const defaultLabel = model.versions.find((v) => v.id === model.defaultVersionId)?.label;
    const canary = first.version === defaultLabel ? second : second.version === defaultLabel ? first : null;
    if (!canary) throw splitError(`One side of the split must be the default version${defaultLabel ? ` (${defaultLabel})` : ""}`);
    return { canaryVersionId: model.versions.find((v) => v.label === canary.version)!.id, canaryPercent: canary.percent };
  });
}

/** Instant rollback: every request goes to the default version again. Idempotent. */
export async function clearTrafficSplit(tenantId: string, modelId: string, ctx: AuditContext, db: Db = getDb()): Promise<ModelView> {
  return changeSplit(tenantId, modelId, ctx, db, () => ({ canaryVersionId: null, canaryPercent: null }));
}

async function changeSplit(
  tenantId: string,
  modelId: string,
  ctx: AuditContext,
  db: Db,
  next: (model: Awaited<ReturnType<typeof findOwnModel>>) => { canaryVersionId: string | null; canaryPercent: number | null },
): Promise<ModelView> {
  const result = await withTenant(
    tenantId,
    async (tx) => {
      const before = await findOwnModel(tx, tenantId, modelId);
      await tx.model.update({ where: { id: before.id }, data: next(before) });
      const after = await tx.model.findFirstOrThrow({ where: { id: before.id }, include: MODEL_WITH_VERSIONS });
      const diff = auditDiff({ split: modelAuditView(before).split }, { split: modelAuditView(after).split });
      if (diff) {
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: after.canaryVersionId ? "model.split_set" : "model.split_clear",
          target: { type: "model", id: before.id },
          metadata: { model: before.name, ...diff },
        });
      }
      return { after, changed: diff !== null, routing: await tenantsRoutingTo(tx, tenantId, before.id) };
    },
    db,
  );
  if (result.changed) await announceModelChanges(result.routing);
  return toModelView(result.after);
}
