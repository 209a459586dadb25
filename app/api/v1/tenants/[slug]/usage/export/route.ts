import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { usageCsvLines } from "@/lib/usage/export-usage";
import { prepareUsageExport } from "@/lib/usage/read-usage";
import { usageQuery } from "@/lib/usage/usage-schemas";

/**
 * The raw usage events of a range as CSV, streamed page by page (same range,
 * key and model parameters as GET .../usage; the range is widened to whole
 * buckets the same way, so the file holds exactly the requests the dashboard counted).
 */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant, log }) => {
    const query = parseInput(usageQuery, Object.fromEntries(req.nextUrl.searchParams));
    const { range, filter } = await inTenant((tx) => prepareUsageExport(tx, tenant.id, query));
    const lines = usageCsvLines(inTenant, tenant.id, range.from, range.to, filter);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          log.error({ err: { message: (err as Error).message } }, "usage export failed mid-stream");
          controller.error(err);
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, "");
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${tenant.slug}-${stamp(range.from)}-${stamp(range.to)}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  },
  { permission: "usage.read", apiKeys: true },
);
