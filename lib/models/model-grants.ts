import type { Actor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { getDb, type Db, type TxClient } from "../db/client";
import { withOperatorRead, withTenant, type OperatorReadContext } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { announceModelChange } from "./model-invalidation";
import { parseModelId } from "./model-lookup";
import { isUniqueViolation } from "../db/pg-errors";
import type { ModelGrantView } from "./model-schemas";

/** Who grants: a platform operator (user id) or a trusted system process (the `mg` CLI). */
export type GrantContext = {
  actor: OperatorReadContext["actor"];
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

const auditActor = (ctx: GrantContext): Actor => ({ type: ctx.actor.type === "user" ? "operator" : "system", id: ctx.actor.id });

/** A model of any tenant, found by id through the audited operator read path. */
export async function findModelAnyTenant(modelId: string, ctx: GrantContext, reason: string, db: Db = getDb()) {
  const id = parseModelId(modelId);
  const model = await withOperatorRead(
    { actor: ctx.actor, reason, resource: "models", requestId: ctx.requestId ?? undefined },
    (tx) => tx.model.findUnique({ where: { id }, select: { id: true, tenantId: true, name: true, visibility: true } }),
    db,
  );
  if (!model) throw new AppError("not_found", "Model not found");
  return model;
}

async function granteeBySlug(slug: string, db: Db) {
  const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true, name: true, slug: true } });
  if (!tenant) throw new AppError("not_found", `No tenant "${slug}"`, { fields: { tenant: `No tenant "${slug}"` } });
  return tenant;
}

async function platformAudit(tx: TxClient, ctx: GrantContext, action: string, metadata: Record<string, unknown>, modelId: string) {
  await tx.platformAuditLog.create({
    data: {
      action,
      actorType: auditActor(ctx).type,
      actorId: ctx.actor.id,
      targetType: "model",
      targetId: modelId,
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      metadata: metadata as object,
    },
  });
}

/**
 * Lets `tenantSlug` call a shared model of another tenant (read-only for it:
 * it can list the model and allow it on its keys; the owner's backend serves
 * it, under the grantee's own limits). The model must be shared by its owner.
 * Idempotent. Audited in the grantee's trail and the platform's.
 */
export async function grantModel(modelId: string, tenantSlug: string, ctx: GrantContext, db: Db = getDb()): Promise<ModelGrantView> {
  const model = await findModelAnyTenant(modelId, ctx, `grant model to ${tenantSlug}`, db);
  const grantee = await granteeBySlug(tenantSlug, db);
  if (grantee.id === model.tenantId) {
    throw new AppError("validation_failed", "The model already belongs to this tenant", { fields: { tenant: "The model already belongs to this tenant" } });
  }
  if (model.visibility !== "shared") {
    throw new AppError("conflict", `Model "${model.name}" is private; publish it as shared (visibility: shared) before granting it`);
  }
  const grant = await withTenant(
    grantee.id,
    async (tx) => {
      const existing = await tx.modelGrant.findFirst({ where: { tenantId: grantee.id, modelId: model.id } });
      if (existing) return existing;
      // Its own model of that name would shadow the granted one (gateway routing): say so instead.
      if (await tx.model.findFirst({ where: { tenantId: grantee.id, name: model.name }, select: { id: true } })) {
        const message = `Tenant "${grantee.slug}" has its own model named "${model.name}"`;
        throw new AppError("conflict", message, { fields: { tenant: message } });
      }
      const created = await tx.modelGrant.create({
        data: { tenantId: grantee.id, ownerTenantId: model.tenantId, modelId: model.id, createdByType: auditActor(ctx).type, createdById: ctx.actor.id },
      });
      const metadata = { model: model.name, ownerTenantId: model.tenantId, tenant: grantee.slug };
      await recordAudit(tx, grantee.id, { ...ctx, actor: auditActor(ctx), action: "model.grant", target: { type: "model", id: model.id }, metadata });
      await platformAudit(tx, ctx, "model.grant", metadata, model.id);
      return created;
    },
    db,
  ).catch(async (err: unknown) => {
    if (!isUniqueViolation(err)) throw err;
    return withTenant(grantee.id, (tx) => tx.modelGrant.findFirstOrThrow({ where: { tenantId: grantee.id, modelId: model.id } }), db);
  });
  await announceModelChange({ tenantId: grantee.id });
  return { id: grant.id, modelId: model.id, tenant: grantee, createdAt: grant.createdAt.toISOString() };
}

/** Takes a grant away; the grantee's gateways refuse the model within a round trip. Idempotent (false: there was none). */
export async function revokeModelGrant(modelId: string, tenantSlug: string, ctx: GrantContext, db: Db = getDb()): Promise<boolean> {
  const id = parseModelId(modelId);
  const grantee = await granteeBySlug(tenantSlug, db);
  const removed = await withTenant(
    grantee.id,
    async (tx) => {
      const grant = await tx.modelGrant.findFirst({ where: { tenantId: grantee.id, modelId: id } });
      if (!grant) return false;
      await tx.modelGrant.delete({ where: { id: grant.id } });
      const metadata = { ownerTenantId: grant.ownerTenantId, tenant: grantee.slug };
      await recordAudit(tx, grantee.id, { ...ctx, actor: auditActor(ctx), action: "model.grant_revoke", target: { type: "model", id }, metadata });
      await platformAudit(tx, ctx, "model.grant_revoke", metadata, id);
      return true;
    },
    db,
  );
  await announceModelChange({ tenantId: grantee.id });
  return removed;
}

/** The tenants a model is granted to (operator read). */
export async function listModelGrants(modelId: string, ctx: GrantContext, db: Db = getDb()): Promise<ModelGrantView[]> {
  const id = parseModelId(modelId);
  const grants = await withOperatorRead(
    { actor: ctx.actor, reason: "list grants of a model", resource: "model_grants", requestId: ctx.requestId ?? undefined },
    (tx) => tx.modelGrant.findMany({ where: { modelId: id }, orderBy: { createdAt: "asc" } }),
    db,
  );
  const tenants = await db.tenant.findMany({ where: { id: { in: grants.map((g) => g.tenantId) } }, select: { id: true, name: true, slug: true } });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  return grants.map((g) => ({ id: g.id, modelId: g.modelId, tenant: byId.get(g.tenantId)!, createdAt: g.createdAt.toISOString() }));
}
