import { hashPassword } from "../auth/password";
import { getDb, type Db } from "../db/client";
import { createTenant } from "./create-tenant";

export const DEMO = {
  tenantSlug: "demo",
  tenantName: "Demo Inc.",
  email: "demo@modelgate.local",
  password: "modelgate-demo",
  operatorEmail: "operator@modelgate.local",
} as const;

/**
 * Creates the demo tenant, its owner and a platform operator, once. Returns
 * false (and changes nothing) when the demo tenant already exists.
 */
export async function seedDemo(db: Db = getDb()): Promise<boolean> {
  if (await db.tenant.findUnique({ where: { slug: DEMO.tenantSlug }, select: { id: true } })) {
    return false;
  }
  const passwordHash = await hashPassword(DEMO.password);
  const owner = await db.user.upsert({
    where: { email: DEMO.email },
    update: {},
    create: { email: DEMO.email, name: "Demo Owner", passwordHash },
  });
  await db.user.upsert({
    where: { email: DEMO.operatorEmail },
    update: {},
    create: { email: DEMO.operatorEmail, name: "Platform Operator", passwordHash, isOperator: true },
  });
  await createTenant(
    { name: DEMO.tenantName, slug: DEMO.tenantSlug },
    { ownerUserId: owner.id, actor: { type: "system", id: "seed" } },
    db,
  );
  return true;
}
