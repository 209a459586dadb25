import { randomUUID } from "node:crypto";
import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertBackendUrlAllowed } from "./backend-url-guard";
import { storedBackendUrl } from "./create-model";
import { NO_CREDENTIAL, sealCredential } from "./model-credentials";
import { announceModelChanges } from "./model-invalidation";
import { findOwnModel, parseModelId, tenantsRoutingTo } from "./model-lookup";
import { isUniqueViolation } from "../db/pg-errors";
import { createVersionInput, updateVersionInput, type CreateVersionInput, type ModelView, type UpdateVersionInput } from "./model-schemas";
import { auditDiff, MODEL_WITH_VERSIONS, toModelView, VERSION_VIEW_SELECT, versionAuditView, type ModelRow } from "./model-view";

function versionOf(model: ModelRow, versionId: string) {
  const version = model.versions.find((v) => v.id === parseModelId(versionId, "Version"));
  if (!version) throw new AppError("not_found", "Version not found");
  return version;
}

/**
 * Adds a version to a model. Until it is the default or the canary it serves
 * only requests that name it (KServe `/versions/{label}`), so gateways are told.
 */
export async function createVersion(
  tenantId: string,
  modelId: string,
  input: CreateVersionInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ModelView> {
  const parsed = parseInput(createVersionInput, input);
  const url = await assertBackendUrlAllowed(parsed.url, "url");
  const versionId = randomUUID();
  try {
    const result = await withTenant(
      tenantId,
      async (tx) => {
        const model = await findOwnModel(tx, tenantId, modelId);
        const credential = parsed.credential ? await sealCredential(tx, tenantId, versionId, parsed.credential) : NO_CREDENTIAL;
        const created = await tx.modelVersion.create({
          data: {
            id: versionId,
            tenantId,
            modelId: model.id,
            label: parsed.label,
            backendUrl: storedBackendUrl(url),
            timeoutMs: parsed.timeoutMs,
            maxConcurrency: parsed.maxConcurrency,
            ...credential,
          },
          select: VERSION_VIEW_SELECT,
        });
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: "model.version_create",
          target: { type: "model", id: model.id },
          metadata: { model: model.name, after: versionAuditView(created) },
        });
        return {
          model: await tx.model.findFirstOrThrow({ where: { id: model.id }, include: MODEL_WITH_VERSIONS }),
          routing: await tenantsRoutingTo(tx, tenantId, model.id),
        };
      },
      db,
    );
    await announceModelChanges(result.routing);
    return toModelView(result.model);
  } catch (err) {
    if (isUniqueViolation(err)) {
      const message = `This model already has a version "${parsed.label}"`;
      throw new AppError("conflict", message, { fields: { label: message } });
    }
    throw err;
  }
}

/** Changes a version's backend URL, credential (a new one, or null to remove it), timeout or concurrency limit. */
export async function updateVersion(
  tenantId: string,
  modelId: string,
  versionId: string,
  input: UpdateVersionInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ModelView> {
  const parsed = parseInput(updateVersionInput, input);
  const url = parsed.url !== undefined ? await assertBackendUrlAllowed(parsed.url, "url") : undefined;
  const result = await withTenant(
    tenantId,
    async (tx) => {
      const model = await findOwnModel(tx, tenantId, modelId);
      const before = versionOf(model, versionId);
      const credential =
        parsed.credential === undefined
          ? {}
          : parsed.credential === null
            ? NO_CREDENTIAL
            : await sealCredential(tx, tenantId, before.id, parsed.credential);
      const after = await tx.modelVersion.update({
        where: { id: before.id },
        data: {
          backendUrl: url ? storedBackendUrl(url) : undefined,
          timeoutMs: parsed.timeoutMs,
          maxConcurrency: parsed.maxConcurrency,
          ...credential,
        },
        select: VERSION_VIEW_SELECT,
      });
      const diff = auditDiff(versionAuditView(before), versionAuditView(after));
      // A replaced secret reads "set" before and after: say that it changed.
      const replaced = parsed.credential != null && before.credentialKind !== null;
      if (diff || replaced) {
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: "model.version_update",
          target: { type: "model", id: model.id },
          metadata: {
            model: model.name,
            version: before.label,
            before: diff?.before ?? {},
            after: diff?.after ?? {},
            ...(replaced && { backendAuthReplaced: true }),
          },
        });
      }
      return {
        model: await tx.model.findFirstOrThrow({ where: { id: model.id }, include: MODEL_WITH_VERSIONS }),
        routing: await tenantsRoutingTo(tx, tenantId, model.id),
        changed: diff !== null || replaced,
      };
    },
    db,
  );
  if (result.changed) await announceModelChanges(result.routing);
  return toModelView(result.model);
}

/** Deletes a version that serves no split traffic: neither the default nor the canary (409 otherwise); gateways are told (KServe `/versions/{label}`). */
export async function deleteVersion(
  tenantId: string,
  modelId: string,
  versionId: string,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ModelView> {
  const result = await withTenant(
    tenantId,
    async (tx) => {
      const model = await findOwnModel(tx, tenantId, modelId);
      const version = versionOf(model, versionId);
      if (model.defaultVersionId === version.id || model.canaryVersionId === version.id) {
        const role = model.defaultVersionId === version.id ? "the default version" : "the canary of the traffic split";
        const message = `Version "${version.label}" is ${role} and serves traffic; ${
          role.startsWith("the default") ? "make another version the default first" : "clear the split first"
        }`;
        throw new AppError("conflict", message, { fields: { version: message } });
      }
      await tx.modelVersion.delete({ where: { id: version.id } });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "model.version_delete",
        target: { type: "model", id: model.id },
        metadata: { model: model.name, before: versionAuditView(version) },
      });
      return {
        model: await tx.model.findFirstOrThrow({ where: { id: model.id }, include: MODEL_WITH_VERSIONS }),
        routing: await tenantsRoutingTo(tx, tenantId, model.id),
      };
    },
    db,
  );
  await announceModelChanges(result.routing);
  return toModelView(result.model);
}
