import type { Logger } from "pino";
import { checkpointAllTenants } from "../../lib/audit/checkpoints";
import type { Db } from "../../lib/db/client";

/**
 * The scheduled `audit.checkpoint_all` job: signs every tenant's audit chain
 * head that is not signed yet. Idempotent (a head already signed is skipped),
 * so a retry or an overlapping run adds nothing twice.
 */
export async function processAuditCheckpoints(opts: { db?: Db; logger: Logger }): Promise<{ tenants: number; created: number }> {
  const result = await checkpointAllTenants({ db: opts.db });
  opts.logger.info(result, "audit checkpoints signed");
  return result;
}
