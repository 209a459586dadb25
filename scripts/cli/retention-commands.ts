import { randomUUID } from "node:crypto";
import { DATA_CLASSES, isDataClass } from "../../lib/retention/data-classes";
import { getRetentionOverview } from "../../lib/retention/overview";
import { updateRetentionPolicies } from "../../lib/retention/policies";
import type { RetentionOverview } from "../../lib/retention/retention-schemas";
import { runTenantRetention } from "../../lib/retention/run-retention";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 19) : "—");

function overviewTable(overview: RetentionOverview): string {
  return table(
    overview.classes.map((c) => ({
      class: c.dataClass,
      days: `${c.days}${c.isDefault ? " (default)" : ""}`,
      "oldest kept": when(c.oldestKeptAt),
      "last run": c.lastRun ? `${when(c.lastRun.startedAt)} ${c.lastRun.status}` : "never",
      deleted: c.lastRun ? String(c.lastRun.deletedCount) : "—",
    })),
    ["class", "days", "oldest kept", "last run", "deleted"],
  );
}

/** `--days 30`, or `--days default` (the platform default again). */
function parseDays(text: string | undefined): number | null {
  if (text === undefined) throw new UsageError("retention set needs --days N (or --days default)");
  if (text === "default") return null;
  if (!/^\d+$/.test(text)) throw new UsageError(`--days "${text}" is not a whole number of days (or "default")`);
  return Number(text);
}

export async function retentionCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  const v = args.values;
  switch (sub) {
    case "show": {
      const overview = await getRetentionOverview(await tenantIdOf(v.tenant));
      return out.result(overview, () => overviewTable(overview));
    }
    case "set": {
      const tenantId = await tenantIdOf(v.tenant);
      if (!v.class || !isDataClass(v.class)) throw new UsageError(`retention set needs --class, one of ${DATA_CLASSES.join(", ")}`);
      const days = parseDays(v.days);
      await updateRetentionPolicies(tenantId, { [v.class]: days }, { actor: cliActor() });
      const overview = await getRetentionOverview(tenantId);
      const set = overview.classes.find((c) => c.dataClass === v.class)!;
      return out.result(overview, () => `${set.label}: kept ${set.days} days${set.isDefault ? " (the default)" : ""}\n\n${overviewTable(overview)}`);
    }
    case "run": {
      // Runs here, now, under its own run key (the workers run the scheduled ones).
      const tenantId = await tenantIdOf(v.tenant);
      const result = await runTenantRetention(tenantId, { runKey: `cli:${randomUUID()}`, trigger: "manual" });
      const failed = result.classes.filter((c) => c.status === "failed");
      out.result(result, () =>
        table(
          result.classes.map((c) => ({
            class: c.dataClass,
            status: c.status,
            deleted: String(c.deletedCount),
            "older than": when(c.cutoff),
            "oldest kept": when(c.oldestKeptAt),
            ...(c.error && { note: c.error }),
          })),
          ["class", "status", "deleted", "older than", "oldest kept", "note"],
        ),
      );
      if (failed.length) process.exitCode = 1;
      return;
    }
    default:
      throw new UsageError("retention commands: show, set, run");
  }
}
