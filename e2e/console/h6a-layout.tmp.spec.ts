// Temporary (not part of the suite): layout check of the usage dashboard at three widths.
import { expect, test } from "@playwright/test";
import { ROLLUP_AGGREGATES, ROLLUP_COUNTERS, rollupKeyColumns } from "../../lib/usage/ingest-usage";
import { UsagePage } from "../pages/usage-page";
import { withTestDb } from "../support/db";
import { DEMO_USER } from "../support/demo";

const KEYS = ["checkout-service", "search-indexer", "support-bot", "nightly-batch"];
const MODELS = ["gpt-4o-mini", "llama-3.1-70b", "text-embed-3"];
const SHOTS = "/work/coord/shots";

test("usage dashboard layout", async ({ page }) => {
  test.setTimeout(300_000);
  const keyIds: string[] = [];
  await withTestDb(async (db) => {
    const tenantId = (await db.query("SELECT id FROM tenants WHERE slug = $1", [DEMO_USER.tenantSlug])).rows[0].id;
    for (const name of KEYS) {
      const r = await db.query("INSERT INTO api_keys (tenant_id, name, scopes, created_by_type) VALUES ($1, $2, '{inference}', 'system') RETURNING id", [tenantId, name]);
      keyIds.push(r.rows[0].id);
    }
    await db.query(
      `INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at)
       SELECT $1, 'shot-' || g, ($2::uuid[])[1 + (CASE WHEN g % 10 < 5 THEN 0 WHEN g % 10 < 8 THEN 1 WHEN g % 10 < 9 THEN 2 ELSE 3 END)],
         'openai.chat', ($3::text[])[1 + (CASE WHEN g % 7 < 4 THEN 0 WHEN g % 7 < 6 THEN 1 ELSE 2 END)],
         CASE WHEN g % 61 = 0 THEN 502 WHEN g % 37 = 0 THEN 429 ELSE 200 END,
         CASE WHEN g % 53 = 0 THEN 900 + (g * 31) % 2500 ELSE 60 + ((g * 7919) % 300) + (g % 5) * 20 END,
         40 + g % 300, 10 + (g * 13) % 250, 50 + g % 300 + (g * 13) % 250, t
       FROM (SELECT g, now() - random() * interval '7 days' AS t FROM generate_series(1, 60000) g) s
       WHERE random() < 0.55 + 0.45 * sin(extract(epoch FROM t) / 86400 * 2 * pi())`,
      [tenantId, keyIds, MODELS],
    );
    await db.query(
      `INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class, ${ROLLUP_COUNTERS.join(", ")})
       SELECT $1, g.granularity, ${rollupKeyColumns("g.granularity")}, ${ROLLUP_AGGREGATES}
         FROM usage_events i CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(granularity)
        WHERE i.tenant_id = $1 AND i.key_id = ANY($2::uuid[]) GROUP BY 2, 3, 4, 5, 6`,
      [tenantId, keyIds],
    );
  });
  try {
    const usage = new UsagePage(page);
    await page.goto(`/t/${DEMO_USER.tenantSlug}/usage`, { timeout: 240_000 });
    await expect(usage.row("checkout-service")).toBeVisible({ timeout: 90_000 });
    await usage.range("7d").click();
    await expect(page.getByText("by hour.")).toBeVisible();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/h6a-layout-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 1680, height: 1100 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/h6a-layout-1680.png`, fullPage: true });
    await page.setViewportSize({ width: 820, height: 1100 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/h6a-layout-820.png`, fullPage: true });
  } finally {
    await withTestDb(async (db) => {
      await db.query("DELETE FROM usage_rollups WHERE key_id = ANY($1::uuid[])", [keyIds]);
      await db.query("DELETE FROM usage_events WHERE key_id = ANY($1::uuid[])", [keyIds]);
      await db.query("DELETE FROM api_keys WHERE id = ANY($1::uuid[])", [keyIds]);
    });
  }
});
