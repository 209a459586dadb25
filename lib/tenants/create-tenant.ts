import { recordAudit, type Actor } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { createTenantInput, slugify, type CreateTenantInput } from "./tenant-schemas";
import { isUniqueViolation } from "../db/pg-errors";

export type CreateTenantContext = {
  /** The user who becomes the tenant's first owner; none for a tenant an operator provisions. */
  ownerUserId?: string | null;
  actor: Actor;
  requestId?: string;
  ip?: string | null;
  userAgent?: string | null;
};

/**
 * Creates a tenant, its owner membership and the `tenant.create` audit entry in
 * one transaction: either all three exist afterwards or none does.
 */
export async function createTenant(input: CreateTenantInput, ctx: CreateTenantContext, db: Db = getDb()) {
  const parsed = parseInput(createTenantInput, input);
  const slug = parsed.slug ?? slugify(parsed.name);
  if (!slug) {
    throw new AppError("validation_failed", "slug: choose a slug of letters and digits", {
      fields: { slug: "Choose a slug of letters and digits" },
    });
  }
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { name: parsed.name, slug } });
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenant.id}, true)`;
      if (ctx.ownerUserId) {
        await tx.membership.create({
          data: { tenantId: tenant.id, userId: ctx.ownerUserId, role: "owner" },
        });
      }
      await recordAudit(tx, tenant.id, {
        action: "tenant.create",
        actor: ctx.actor,
        target: { type: "tenant", id: tenant.id },
        requestId: ctx.requestId,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        metadata: { name: tenant.name, slug: tenant.slug },
      });
      return tenant;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("conflict", `slug: "${slug}" is already taken`, {
        fields: { slug: `"${slug}" is already taken` },
      });
    }
    throw err;
  }
}
