import "server-only";
import { withTenant } from "../db/tenant-scope";
import { listAuditEntries } from "../audit/list-recent";
import { countMembers } from "./members";
import type { AuditEntry } from "./schemas";

export type TenantOverview = { memberCount: number; recentActivity: AuditEntry[] };

/**
 * What the tenant overview page shows, read in one tenant-scoped transaction.
 * The audit entries are read only when the caller's role may see them.
 */
export function getTenantOverview(
  tenantId: string,
  opts: { withActivity: boolean },
): Promise<TenantOverview> {
  return withTenant(tenantId, async (tx) => ({
    memberCount: await countMembers(tx, tenantId),
    recentActivity: opts.withActivity ? await listAuditEntries(tx, tenantId, 10) : [],
  }));
}
