import { DelayedError } from "bullmq";
import type { Db } from "../../lib/db/client";
import { reencryptBatch, type RotationTarget } from "../../lib/crypto/reencrypt";
import type { JobPayload } from "../../lib/queue/jobs";
import type { JobContext } from "../dispatch";

/** A stopping worker hands the job back this long before it may be picked up again. */
const HAND_BACK_DELAY_MS = 1_000;

export type ReencryptJobResult = { keyVersion: number; reencrypted: number; batches: number };

/**
 * `data_key.reencrypt` / `platform_data_key.reencrypt`: moves every registered
 * encrypted column onto the new data-key version, batch by batch. Progress
 * lives in the database (the new key's cursor), not in the job: after a crash
 * (SIGKILL, lost lock, retry) the next run continues after the last committed
 * batch, and rows already moved are skipped. A stopping worker finishes its
 * batch and hands the job back.
 */
export async function processReencrypt(
  target: RotationTarget,
  ctx: JobContext,
  opts: { db?: Db; batchSize?: number } = {},
): Promise<ReencryptJobResult> {
  let reencrypted = 0;
  let batches = 0;
  for (;;) {
    const r = await reencryptBatch(target, { db: opts.db, batchSize: opts.batchSize, actor: { type: "system", id: `worker:${ctx.job.name}` } });
    batches++;
    reencrypted += r.reencrypted;
    if (r.done) break;
    await ctx.job.updateProgress({ cursor: r.cursor, reencrypted });
    if (ctx.stopping.aborted && ctx.token) {
      ctx.logger.info({ key_version: target.keyVersion }, "reencrypt: worker stopping, job handed back; it resumes where it stopped");
      await ctx.job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, ctx.token);
      throw new DelayedError();
    }
  }
  ctx.logger.info({ key_version: target.keyVersion, reencrypted, batches }, "reencrypt: done, older data-key versions retired");
  return { keyVersion: target.keyVersion, reencrypted, batches };
}

export const processTenantReencrypt = (payload: JobPayload<"data_key.reencrypt">, ctx: JobContext, opts?: { db?: Db; batchSize?: number }) =>
  processReencrypt({ scope: "tenant", tenantId: payload.tenantId, keyVersion: payload.keyVersion }, ctx, opts);

export const processPlatformReencrypt = (payload: JobPayload<"platform_data_key.reencrypt">, ctx: JobContext, opts?: { db?: Db; batchSize?: number }) =>
  processReencrypt({ scope: "platform", keyVersion: payload.keyVersion }, ctx, opts);
