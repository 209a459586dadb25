import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { AppError } from "@/lib/errors/app-error";
import { operatorRetryJob } from "@/lib/queue/operator-workers";
import { getQueueClient } from "@/lib/queue/shared-queues";
import { deadLetterOutput, jobIdSchema, queueNameSchema } from "@/lib/queue/workers-schemas";

type Params = { queue: string; id: string };

/** Puts a dead letter back in its queue with fresh attempts (platform audit log: `job.retry`). */
export const POST = withOperatorRoute<Params>(
  async ({ params, audit }) => {
    const queue = queueNameSchema.safeParse(params.queue);
    const id = jobIdSchema.safeParse(params.id);
    if (!queue.success || !id.success) throw new AppError("not_found", "No failed job with that id in this queue");
    const job = await operatorRetryJob(getQueueClient(), queue.data, id.data, audit);
    return NextResponse.json({ data: deadLetterOutput.parse(job) });
  },
  { permission: "platform.workers.manage" },
);
