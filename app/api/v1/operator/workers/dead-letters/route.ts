import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { parseInput } from "@/lib/errors/validation";
import { listDeadLetters } from "@/lib/queue/queue-health";
import { getQueueClient } from "@/lib/queue/shared-queues";
import { deadLetterOutput, deadLetterQuery } from "@/lib/queue/workers-schemas";

/** Jobs that failed their final attempt, newest first (`?queue=`, `?limit=` up to 200). */
export const GET = withOperatorRoute(
  async ({ req }) => {
    const params = new URL(req.url).searchParams;
    const query = parseInput(deadLetterQuery, {
      queue: params.get("queue") ?? undefined,
      limit: params.get("limit") ?? undefined,
    });
    const jobs = await listDeadLetters(getQueueClient(), query);
    return NextResponse.json({ data: deadLetterOutput.array().parse(jobs) });
  },
  { permission: "platform.workers.read" },
);
