// Temporary (not part of the suite): screenshots of the usage dashboard with a week of synthetic traffic.
import { expect, test } from "@playwright/test";
import { ROLLUP_AGGREGATES, ROLLUP_COUNTERS, rollupKeyColumns } from "../../lib/usage/ingest-usage";
import { UsagePage } from "../pages/usage-page";
import { withTestDb } from "../support/db";
import { DEMO_USER } from "../support/demo";

const KEYS = ["checkout-service", "search-indexer", "support-bot", "nightly-batch"];
const MODELS = ["gpt-4o-mini", "llama-3.1-70b", "text-embed-3"];
const SHOTS = "/work/coord/shots";

test("usage dashboard screenshots", async ({ page }) => {
  test.setTimeout(180_000);
  const keyIds: string[] = [];
  await withTestDb(async (db) => {
    const tenantId = (await db.query("SELECT id FROM tenants WHERE slug = $1", [DEMO_USER.tenantSlug])).rows[0].id;
    for (const name of KEYS) {
      const r = await db.query("INSERT INTO api_keys (tenant_id, name, scopes, created_by_type) VALUES ($1, $2, '{inference}', 'system') RETURNING id", [tenantId, name]);
      keyIds.push(r.rows[0].id);
    }
    const n = 60_000;
    await db.query(
      `INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at)
       SELECT $1, 'shot-' || g, ($2::uuid[])[1 + (CASE WHEN g % 10 < 5 THEN 0 WHEN g % 10 < 8 THEN 1 WHEN g % 10 < 9 THEN 2 ELSE 3 END)],
         'openai.chat', ($3::text[])[1 + (CASE WHEN g % 7 < 4 THEN 0 WHEN g % 7 < 6 THEN 1 ELSE 2 END)],
         CASE WHEN g % 61 = 0 THEN 502 WHEN g % 37 = 0 THEN 429 ELSE 200 END,
         CASE WHEN g % 53 = 0 THEN 900 + (g * 31) % 2500 ELSE 60 + ((g * 7919) % 300) + (g % 5) * 20 END,
         40 + g % 300, 10 + (g * 13) % 250, 50 + g % 300 + (g * 13) % 250,
         t
       FROM (
         SELECT g, now() - (random() ^ 1.0) * interval '7 days' AS t FROM generate_series(1, $4::int) g
       ) s
       WHERE random() < 0.55 + 0.45 * sin(extract(epoch FROM t) / 86400 * 2 * pi())`,
      [tenantId, keyIds, MODELS, n],
    );
    await db.query(
      `INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class, ${ROLLUP_COUNTERS.join(", ")})
       SELECT $1, g.granularity, ${rollupKeyColumns("g.granularity")}, ${ROLLUP_AGGREGATES}
         FROM usage_events i CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(granularity)
        WHERE i.tenant_id = $1 AND i.key_id = ANY($2::uuid[])
        GROUP BY 2, 3, 4, 5, 6`,
      [tenantId, keyIds],
    );
  });
  try {
    const usage = new UsagePage(page);
    await usage.goto(DEMO_USER.tenantSlug);
    await expect(usage.row("checkout-service")).toBeVisible();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SHOTS}/h6a-usage-24h.png`, fullPage: true });
    await usage.range("7d").click();
    await expect(page.getByText("by hour.")).toBeVisible();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/h6a-usage-7d.png`, fullPage: true });
    await usage.grouping("By model").click();
    await expect(usage.row("gpt-4o-mini")).toBeVisible();
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/h6a-usage-7d-by-model.png`, fullPage: true });
    await page.setViewportSize({ width: 1680, height: 1000 });
    await page.waitForTimeout(800);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/h6a-usage-7d-wide.png`, fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.route("**/api/v1/tenants/*/usage?*", async (route) => {
      await new Promise((r) => setTimeout(r, 3_000));
      await route.continue().catch(() => {});
    });
    await page.goto(`/t/${DEMO_USER.tenantSlug}/usage`);
    await expect(usage.loading).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/h6a-usage-loading.png` });
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.goto(`/t/${DEMO_USER.tenantSlug}`);
    await expect(page.getByTestId("usage-requests-24h")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/h6a-overview.png` });
  } finally {
    await withTestDb(async (db) => {
      await db.query("DELETE FROM usage_rollups WHERE key_id = ANY($1::uuid[])", [keyIds]);
      await db.query("DELETE FROM usage_events WHERE key_id = ANY($1::uuid[])", [keyIds]);
      await db.query("DELETE FROM api_keys WHERE id = ANY($1::uuid[])", [keyIds]);
    });
  }
});
