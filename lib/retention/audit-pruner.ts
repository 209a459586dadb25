/**
 * Audit entries are not deleted by the application role (the trail is
 * append-only for it): lib/audit/prune.ts removes them under the dedicated
 * retention role, keeping the signed checkpoint that anchors the chain.
 * Returns how many entries it deleted (at most `limit`), or null when this
 * build has no audit pruning (the class is then reported as skipped).
 */
export type AuditPruner = (tenantId: string, olderThan: Date, limit: number) => Promise<number>;

export function auditPruner(): AuditPruner | null {
  return null;
}
