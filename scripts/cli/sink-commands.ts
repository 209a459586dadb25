import { getConfig } from "../../lib/config/env";
import { getDb } from "../../lib/db/client";
import { parseSinkConfigs } from "../../lib/log-shipping/sink-config";
import { sinkStatus } from "../../lib/log-shipping/sink-status";
import { cliActor, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

/**
 * `mg sink status`: the central log sinks configured in LOG_SINKS (never a
 * token or key) and how far each is behind, per stream. Sinks are configured
 * in the environment of the workers, not through the CLI.
 */
export async function sinkCommand(sub: string | undefined, _args: CommandArgs, out: Printer): Promise<void> {
  if (sub !== "status" && sub !== "list") throw new UsageError("sink commands: status (alias list)");
  const config = getConfig();
  const sinks = parseSinkConfigs(config.LOG_SINKS);
  const status = await sinkStatus(sinks, { actor: cliActor(), securitySettleSeconds: config.LOG_SHIP_SECURITY_SETTLE_SECONDS }, getDb());
  return out.result({ sinks: status }, () => {
    if (status.length === 0) return "no log sinks configured (set LOG_SINKS for the workers; see README, Central logging)";
    const rows = status.flatMap((s) =>
      (["audit", "security"] as const).map((stream) => ({
        sink: s.name,
        type: s.type,
        target: s.target,
        stream,
        shipped: String(s.streams[stream].shipped),
        pending: String(s.streams[stream].pending),
        "lagging tenants": String(s.streams[stream].laggingTenants),
        "oldest pending": s.streams[stream].oldestPendingAt ?? "-",
        "last shipped": s.streams[stream].lastShippedAt ?? "-",
      })),
    );
    return table(rows, ["sink", "type", "target", "stream", "shipped", "pending", "lagging tenants", "oldest pending", "last shipped"]);
  });
}
