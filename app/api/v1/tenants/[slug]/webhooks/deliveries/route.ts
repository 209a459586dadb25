import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { listWebhookDeliveries } from "@/lib/webhooks/list-deliveries";

/** The delivery log: the last 50 deliveries, newest first (status, attempts, last status code or error). */
export const GET = withTenantRoute(
  async ({ tenant }) => NextResponse.json({ data: await listWebhookDeliveries(tenant.id) }),
  { permission: "tenant.settings.write" },
);
