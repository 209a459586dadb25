import { pruneAuditEntries } from "../audit/prune";

/**
 * Audit entries are not deleted by the application role (the trail is
 * append-only for it): lib/audit/prune.ts removes them as the dedicated
 * retention role (RETENTION_DATABASE_URL), only below the tenant's newest
 * signed checkpoint older than the cutoff, keeping that checkpoint's entry as
 * the chain's new anchor. Entries past the cutoff but above that checkpoint
 * stay until a later checkpoint covers them. Returns how many entries it
 * deleted (at most `limit`).
 */
export type AuditPruner = (tenantId: string, olderThan: Date, limit: number) => Promise<number>;

export function auditPruner(): AuditPruner | null {
  return (tenantId, olderThan, limit) => pruneAuditEntries(tenantId, olderThan, limit);
}
