import { reencryptAll, startDataKeyRotation, type RotationScope } from "../../lib/crypto/reencrypt";
import { dataKeyStatus, rewrapAllDataKeys } from "../../lib/crypto/rewrap";
import { AppError } from "../../lib/errors/app-error";
import { createQueueClient } from "../../lib/queue/enqueue";
import { createRedis } from "../../lib/redis/connection";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

async function enqueueReencrypt(target: RotationScope, keyVersion: number): Promise<string> {
  const connection = createRedis({ forBullmq: true, connectionName: "mg-cli" });
  const queues = createQueueClient({ connection });
  try {
    const idempotencyKey = `v${keyVersion}`;
    const { jobId } =
      target.scope === "tenant"
        ? await queues.enqueue("data_key.reencrypt", { tenantId: target.tenantId, keyVersion }, { idempotencyKey })
        : await queues.enqueue("platform_data_key.reencrypt", { keyVersion }, { idempotencyKey });
    // The same rotation's job may still be stored as failed (ids are deterministic): run it again.
    const job = await queues.queue("maintenance").getJob(jobId);
    if ((await job?.getState()) === "failed") await job!.retry("failed");
    return jobId;
  } finally {
    await queues.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

export async function cryptoCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  const v = args.values as Record<string, string | boolean | undefined>;
  switch (sub) {
    case "status": {
      const s = await dataKeyStatus(cliActor());
      return out.result(s, () =>
        [
          `current master key: ${s.currentKekId} (configured: ${s.configuredKekIds.join(", ")})`,
          "",
          table(
            Object.entries(s.versionsByKek).map(([kek, n]) => ({
              "master key": kek,
              "data-key versions": String(n),
              state: kek === s.currentKekId ? "current" : s.configuredKekIds.includes(kek) ? "previous: run mg crypto rewrap" : "NOT CONFIGURED",
            })),
            ["master key", "data-key versions", "state"],
          ),
          "",
          s.rotationsInProgress.length
            ? table(
                s.rotationsInProgress.map((r) => ({ owner: r.owner, "key version": String(r.keyVersion), "rows done": String(r.reencryptedRows) })),
                ["owner", "key version", "rows done"],
              )
            : "no data-key rotation in progress",
          s.legacyPlatformSecrets ? `${s.legacyPlatformSecrets} TOTP secret(s) still in the pre-envelope format: run mg crypto rotate-data-key --platform` : "",
        ]
          .join("\n")
          .trimEnd(),
      );
    }
    case "rewrap": {
      const r = await rewrapAllDataKeys(cliActor());
      if (r.failed.length) {
        throw new AppError(
          "conflict",
          `re-wrapped ${r.rewrapped} data-key version(s), but ${r.failed.length} did not unwrap and still need their old master key`,
          { fields: Object.fromEntries(r.failed.map((f) => [`${f.owner} v${f.keyVersion}`, f.reason])) },
        );
      }
      return out.result(r, () =>
        `re-wrapped ${r.rewrapped} data-key version(s) of ${r.tenants} tenant(s) and the platform under master key ${r.kekId}` +
        (r.skipped ? ` (${r.skipped} changed meanwhile: run again)` : ""),
      );
    }
    case "rotate-data-key": {
      const platform = v.platform === true;
      if (platform === (v.tenant !== undefined)) throw new UsageError("crypto rotate-data-key needs exactly one of --tenant S or --platform");
      const target: RotationScope = platform ? { scope: "platform" } : { scope: "tenant", tenantId: await tenantIdOf(v.tenant as string) };
      const started = await startDataKeyRotation(target, cliActor());
      const owner = platform ? "the platform" : `tenant ${v.tenant as string}`;
      if (v.inline === true) {
        const batchSize = v["batch-size"] === undefined ? undefined : Number(v["batch-size"]);
        if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
          throw new UsageError("--batch-size must be an integer 1-10000");
        }
        const done = await reencryptAll({ ...target, keyVersion: started.keyVersion }, { actor: cliActor(), batchSize });
        return out.result({ ...started, reencrypted: done.reencrypted, done: true }, () =>
          `${started.resumed ? "resumed" : "created"} data key version ${started.keyVersion} of ${owner}; re-encrypted ${done.reencrypted} secret(s); older versions retired`,
        );
      }
      const jobId = await enqueueReencrypt(target, started.keyVersion);
      return out.result({ ...started, jobId }, () =>
        `${started.resumed ? "resumed" : "created"} data key version ${started.keyVersion} of ${owner}: new secrets use it now; ` +
        `job ${jobId} re-encrypts the existing ones (mg crypto status shows progress)`,
      );
    }
    default:
      throw new UsageError("crypto commands: status, rewrap, rotate-data-key");
  }
}
