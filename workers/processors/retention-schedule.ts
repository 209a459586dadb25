import type { Logger } from "pino";
import { getDb, type Db } from "../../lib/db/client";
import { jobIdFor, type QueueClient } from "../../lib/queue/enqueue";
import { JOBS, parseJobPayload } from "../../lib/queue/jobs";

const PAGE = 500;

/**
 * `retention.schedule` (platform job, from its job scheduler): enqueues one
 * `retention.tenant` job per tenant, in pages. Each tenant job's id derives
 * from this job's id, so a retried or duplicated fan-out adds each tenant's
 * job once. Suspended tenants are included: their data expires too.
 */
export async function processRetentionSchedule(
  queues: QueueClient,
  fanoutJobId: string,
  opts: { db?: Db; logger?: Logger } = {},
): Promise<{ tenants: number }> {
  const db = opts.db ?? getDb();
  const queue = queues.queue(JOBS["retention.tenant"].queue);
  let after: string | undefined;
  let tenants = 0;
  for (;;) {
    // `tenants` is not tenant-owned (it is the tenant list itself): readable without a scope.
    const page = await db.tenant.findMany({
      select: { id: true },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(after && { cursor: { id: after }, skip: 1 }),
    });
    if (page.length === 0) break;
    await queue.addBulk(
      page.map((t) => {
        const data = parseJobPayload("retention.tenant", { tenantId: t.id, trigger: "schedule" });
        return { name: "retention.tenant", data, opts: { jobId: jobIdFor("retention.tenant", data.tenantId, fanoutJobId) } };
      }),
    );
    tenants += page.length;
    after = page[page.length - 1]!.id;
    if (page.length < PAGE) break;
  }
  opts.logger?.info({ tenants }, "retention: one job per tenant enqueued");
  return { tenants };
}
