import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { DATA_CLASSES, DATA_CLASS_INFO } from "./data-classes";
import { oldestRowTime } from "./delete-expired";
import { auditMinimumDays, readPolicies } from "./policies";
import { retentionOverviewOutput, type RetentionOverview, type RetentionRunView } from "./retention-schemas";

type RunRow = {
  status: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  cutoff: Date;
  retentionDays: number;
  deletedCount: bigint;
  error: string | null;
};

function runView(run: RunRow): RetentionRunView {
  return {
    status: run.status as RetentionRunView["status"],
    trigger: run.trigger as RetentionRunView["trigger"],
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    cutoff: run.cutoff.toISOString(),
    retentionDays: run.retentionDays,
    deletedCount: Number(run.deletedCount),
    error: run.error,
  };
}

/**
 * What the console and `GET .../retention` show: per class, the days it lives
 * (and whether that is the default), the oldest row still stored (read live,
 * one index lookup per class) and the latest run.
 */
export async function getRetentionOverview(tenantId: string, db: Db = getDb()): Promise<RetentionOverview> {
  const auditMin = auditMinimumDays();
  return withTenant(
    tenantId,
    async (tx) => {
      const policies = await readPolicies(tx, tenantId, auditMin);
      const classes = [];
      for (const c of DATA_CLASSES) {
        const lastRun = await tx.retentionRun.findFirst({ where: { tenantId, dataClass: c }, orderBy: { startedAt: "desc" } });
        const oldest = await oldestRowTime(tx, c, tenantId);
        const { label, description } = DATA_CLASS_INFO[c];
        classes.push({
          dataClass: c,
          label,
          description,
          ...policies[c],
          oldestKeptAt: oldest?.toISOString() ?? null,
          lastRun: lastRun ? runView(lastRun) : null,
        });
      }
      return retentionOverviewOutput.parse({ auditMinimumDays: auditMin, classes });
    },
    db,
  );
}
