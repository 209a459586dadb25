import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getConfig } from "../config/env";
import { getDb, type Db, type TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { DATA_CLASSES, DATA_CLASS_INFO, defaultDays, minimumDays, type DataClass } from "./data-classes";
import { updateRetentionInput, type UpdateRetentionInput } from "./retention-schemas";

export type EffectivePolicy = { days: number; isDefault: boolean; defaultDays: number; minimumDays: number };
export type EffectivePolicies = Record<DataClass, EffectivePolicy>;

export function auditMinimumDays(): number {
  return getConfig().AUDIT_MIN_RETENTION_DAYS;
}

/**
 * The days each class lives for this tenant: its own setting, else the
 * platform default — never less than the class's minimum (a stored audit
 * setting below a since-raised platform minimum yields to the minimum).
 */
export async function readPolicies(tx: TxClient, tenantId: string, auditMin = auditMinimumDays()): Promise<EffectivePolicies> {
  const rows = await tx.retentionPolicy.findMany({ where: { tenantId }, select: { dataClass: true, retentionDays: true } });
  const stored = new Map(rows.map((r) => [r.dataClass, r.retentionDays]));
  return Object.fromEntries(
    DATA_CLASSES.map((c) => {
      const min = minimumDays(c, auditMin);
      const own = stored.get(c);
      const fallback = defaultDays(c, auditMin);
      return [c, { days: Math.max(own ?? fallback, min), isDefault: own === undefined, defaultDays: fallback, minimumDays: min }];
    }),
  ) as EffectivePolicies;
}

/**
 * Changes how long classes of the tenant's data live (a sensitive action: the
 * route asks for step-up). Audited as `retention.update` with before/after of
 * the classes whose effective days changed, in the same transaction.
 */
export async function updateRetentionPolicies(
  tenantId: string,
  input: UpdateRetentionInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<EffectivePolicies> {
  const parsed = parseInput(updateRetentionInput, input);
  const auditMin = auditMinimumDays();
  const fields: Record<string, string> = {};
  for (const c of DATA_CLASSES) {
    const days = parsed[c];
    if (typeof days === "number" && days < minimumDays(c, auditMin)) {
      fields[c] = `${DATA_CLASS_INFO[c].label} must be kept at least ${minimumDays(c, auditMin)} days (platform minimum)`;
    }
  }
  if (Object.keys(fields).length) {
    throw new AppError("validation_failed", Object.values(fields)[0]!, { fields });
  }
  return withTenant(
    tenantId,
    async (tx) => {
      const before = await readPolicies(tx, tenantId, auditMin);
      for (const c of DATA_CLASSES) {
        const days = parsed[c];
        if (days === undefined) continue;
        if (days === null) {
          await tx.retentionPolicy.deleteMany({ where: { tenantId, dataClass: c } });
        } else {
          await tx.retentionPolicy.upsert({
            where: { tenantId_dataClass: { tenantId, dataClass: c } },
            create: { tenantId, dataClass: c, retentionDays: days },
            update: { retentionDays: days },
          });
        }
      }
      const after = await readPolicies(tx, tenantId, auditMin);
      const changed = DATA_CLASSES.filter(
        (c) => before[c].days !== after[c].days || before[c].isDefault !== after[c].isDefault,
      );
      if (changed.length) {
        const days = (p: EffectivePolicies) =>
          Object.fromEntries(changed.map((c) => [c, { days: p[c].days, default: p[c].isDefault }]));
        await recordAudit(tx, tenantId, {
          ...ctx,
          action: "retention.update",
          target: { type: "retention_policy", id: changed.join(",") },
          metadata: { before: days(before), after: days(after) },
        });
      }
      return after;
    },
    db,
  );
}
