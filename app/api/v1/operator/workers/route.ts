import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { readWorkersOverview } from "@/lib/queue/queue-health";
import { getQueueClient, getQueueConnection } from "@/lib/queue/shared-queues";
import { workersOverviewOutput } from "@/lib/queue/workers-schemas";

/** The workers' health line: queue depths, failed counts, last success per scheduler, workers alive. */
export const GET = withOperatorRoute(
  async () => {
    const overview = await readWorkersOverview(getQueueClient(), getQueueConnection());
    return NextResponse.json({ data: workersOverviewOutput.parse(overview) });
  },
  { permission: "platform.workers.read" },
);
