import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { AppError } from "@/lib/errors/app-error";
import { operatorDiscardJob } from "@/lib/queue/operator-workers";
import { getQueueClient } from "@/lib/queue/shared-queues";
import { jobIdSchema, queueNameSchema } from "@/lib/queue/workers-schemas";

type Params = { queue: string; id: string };

/** Discards a dead letter for good (platform audit log: `job.discard`). */
export const DELETE = withOperatorRoute<Params>(
  async ({ params, audit }) => {
    const queue = queueNameSchema.safeParse(params.queue);
    const id = jobIdSchema.safeParse(params.id);
    if (!queue.success || !id.success) throw new AppError("not_found", "No failed job with that id in this queue");
    await operatorDiscardJob(getQueueClient(), queue.data, id.data, audit);
    return new NextResponse(null, { status: 204 });
  },
  { permission: "platform.workers.manage" },
);
