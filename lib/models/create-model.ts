import { randomUUID } from "node:crypto";
import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertBackendUrlAllowed } from "./backend-url-guard";
import { NO_CREDENTIAL, sealCredential } from "./model-credentials";
import { announceModelChange } from "./model-invalidation";
import { isUniqueViolation } from "../db/pg-errors";
import { createModelInput, type CreateModelInput, type ModelView } from "./model-schemas";
import { MODEL_WITH_VERSIONS, modelAuditView, toModelView, versionAuditView } from "./model-view";

/** What is stored: scheme, host, port and path (no trailing slash, query or fragment). */
export function storedBackendUrl(url: URL): string {
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function duplicateName(name: string): AppError {
  const message = `A model named "${name}" already exists in this tenant`;
  return new AppError("conflict", message, { fields: { name: message } });
}

/**
 * Registers a model with its first version (the default). The backend URL is
 * checked against the SSRF rules first; the credential is sealed under the
 * tenant's data key in the same transaction as the rows and the audit entry.
 */
export async function createModel(tenantId: string, input: CreateModelInput, ctx: AuditContext, db: Db = getDb()): Promise<ModelView> {
  const parsed = parseInput(createModelInput, input);
  const url = await assertBackendUrlAllowed(parsed.url, "url");
  const modelId = randomUUID();
  const versionId = randomUUID();
  let model;
  try {
    model = await withTenant(
      tenantId,
      async (tx) => {
        const credential = parsed.credential ? await sealCredential(tx, tenantId, versionId, parsed.credential) : NO_CREDENTIAL;
        await tx.model.create({
          data: {
            id: modelId,
            tenantId,
            name: parsed.name,
            protocol: parsed.protocol,
            description: parsed.description ?? "",
            enabled: parsed.enabled ?? true,
            visibility: parsed.visibility ?? "private",
            defaultVersionId: versionId,
          },
        });
        await tx.modelVersion.create({
          data: {
            id: versionId,
            tenantId,
            modelId,
            label: parsed.version ?? "v1",
            backendUrl: storedBackendUrl(url),
            timeoutMs: parsed.timeoutMs,
            maxConcurrency: parsed.maxConcurrency,
            ...credential,
          },
        });
        const created = await tx.model.findFirstOrThrow({ where: { id: modelId }, include: MODEL_WITH_VERSIONS });
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: "model.create",
          target: { type: "model", id: modelId },
          metadata: { after: { ...modelAuditView(created), version: versionAuditView(created.versions[0]!) } },
        });
        return created;
      },
      db,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(parsed.name);
    throw err;
  }
  await announceModelChange({ tenantId });
  return toModelView(model);
}
