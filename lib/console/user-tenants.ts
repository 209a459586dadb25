import "server-only";
import { withUserSelf } from "../db/tenant-scope";
import { userTenantOutput, type UserTenant } from "./schemas";

/**
 * The tenants `userId` belongs to, oldest membership first (so "the user's
 * first tenant" is stable), with the user's role in each.
 */
export async function listUserTenants(userId: string): Promise<UserTenant[]> {
  const rows = await withUserSelf(userId, (tx) =>
    tx.membership.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        role: true,
        tenant: { select: { id: true, name: true, slug: true, status: true, createdAt: true } },
      },
    }),
  );
  return rows.map((r) => userTenantOutput.parse({ ...r.tenant, role: r.role }));
}
