import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { withTestDb } from "../support/db";
import { DEMO_USER } from "../support/demo";

const SHOTS = process.env.SHOTS_DIR; // e.g. /work/coord/shots: saves screenshots of the pages

/** A key renamed through the API, so the trail holds a key.update with a before/after. */
async function renameKey(page: Page, from: string, to: string): Promise<string> {
  const api = `/api/v1/tenants/${DEMO_USER.tenantSlug}/keys`;
  const created = await page.request.post(api, { data: { name: from, scopes: ["inference"] } });
  expect(created.status()).toBe(201);
  const { data } = (await created.json()) as { data: { id: string } };
  const renamed = await page.request.patch(`${api}/${data.id}`, { data: { name: to } });
  expect(renamed.status()).toBe(200);
  return data.id;
}

test.describe("audit log", () => {
  test("filters, opens an entry's before/after, exports the range and verifies the chain", async ({ page }) => {
    const stamp = Date.now().toString(36);
    const keyId = await renameKey(page, `e2e-before-${stamp}`, `e2e-after-${stamp}`);

    await page.goto(`/t/${DEMO_USER.tenantSlug}/audit`);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expect(page.getByTestId("audit-row").first()).toBeVisible();

    // Filter: this key's updates only.
    const filters = page.getByRole("form", { name: "Filter audit entries" });
    await filters.getByLabel("Action").fill("key.update");
    await filters.getByLabel("Target").fill(keyId);
    await filters.getByRole("button", { name: "Apply filters" }).click();
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("key.update");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h7a-audit-filtered.png`, fullPage: true });

    // The drawer: the name's before and after.
    await rows.first().click();
    const drawer = page.getByTestId("audit-drawer");
    await expect(drawer).toBeVisible();
    const nameRow = drawer.getByTestId("audit-diff").locator("tr", { hasText: "name" });
    await expect(nameRow).toContainText(`e2e-before-${stamp}`);
    await expect(nameRow).toContainText(`e2e-after-${stamp}`);
    await expect(nameRow).toHaveAttribute("data-change", "changed");
    await expect(drawer).toContainText(DEMO_USER.email);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h7a-audit-drawer.png` });
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();

    // Export of the filtered range: JSON Lines, one entry.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-jsonl").click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-demo-\d{8}-\d{6}\.jsonl$/);
    const lines = readFileSync((await download.path())!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: "key.update", target: { id: keyId }, details: { after: { name: `e2e-after-${stamp}` } } });
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const csvRows = readFileSync((await csv.path())!, "utf8").trim().split("\r\n");
    expect(csvRows[0]).toMatch(/^seq,time,actor_type/);
    expect(csvRows).toHaveLength(2);

    // Verify the whole chain.
    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(page.getByTestId("verify-result")).toHaveText(/^Chain intact: (\d+)\/\1 entries valid$/);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h7a-audit-verified.png`, fullPage: true });
  });

  test("a bad date in the filters is refused with a clear message", async ({ page }) => {
    const res = await page.request.get(`/api/v1/tenants/${DEMO_USER.tenantSlug}/audit?from=yesterday`);
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  });

  test("the security log lists refused gateway requests with filters", async ({ page }) => {
    const stamp = Date.now().toString(36);
    await withTestDb((db) =>
      db.query(
        `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, client_ip, model)
         SELECT id, $1 || '-' || n, (ARRAY['invalid_api_key', 'ip_not_allowed', 'rate_limited'])[n], (ARRAY[401, 403, 429])[n], 'POST', '/v1/chat/completions', '198.51.100.' || n, 'echo'
         FROM tenants, generate_series(1, 3) AS n WHERE slug = $2`,
        [`e2e-${stamp}`, DEMO_USER.tenantSlug],
      ),
    );
    await page.goto(`/t/${DEMO_USER.tenantSlug}`);
    await page.getByRole("link", { name: "Security log" }).first().click();
    await expect(page).toHaveURL(/\/t\/demo\/security$/);
    await expect(page.getByRole("heading", { name: "Security log" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Filter the security log" })).toBeVisible();
    await expect(page.getByTestId("security-row").filter({ hasText: `e2e-${stamp}-3` })).toContainText("429 Rate limited");
    const filters = page.getByRole("form", { name: "Filter the security log" });
    await filters.getByLabel("Reason").selectOption("ip_not_allowed");
    await filters.getByLabel("Client IP").fill("198.51.100.2");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("security-row").filter({ hasText: `e2e-${stamp}` })).toHaveCount(1);
    await expect(page.getByTestId("security-row").first()).toContainText("403 IP not allowed");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h7a-security-log.png`, fullPage: true });
  });

  test("the security log charts refused requests over time and narrows to the key refused most", async ({ page }) => {
    const stamp = Date.now().toString(36);
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`; // this run's address
    const keyName = `e2e-sec-${stamp}`;
    const created = await page.request.post(`/api/v1/tenants/${DEMO_USER.tenantSlug}/keys`, { data: { name: keyName, scopes: ["inference"] } });
    expect(created.status()).toBe(201);
    const keyId = ((await created.json()) as { data: { id: string } }).data.id;
    // Six denials of that key from one address over the last hours: four rate limits, two IP refusals.
    await withTestDb((db) =>
      db.query(
        `INSERT INTO security_events (tenant_id, request_id, key_id, code, status, method, path, client_ip, created_at)
         SELECT id, $1 || '-' || n, $3::uuid, CASE WHEN n <= 4 THEN 'rate_limited' ELSE 'ip_not_allowed' END, CASE WHEN n <= 4 THEN 429 ELSE 403 END,
                'POST', '/v1/chat/completions', $4, now() - (n || ' hours')::interval
         FROM tenants, generate_series(1, 6) AS n WHERE slug = $2`,
        [`e2e-sum-${stamp}`, DEMO_USER.tenantSlug, keyId, ip],
      ),
    );
    await page.goto(`/t/${DEMO_USER.tenantSlug}/security`);
    const filters = page.getByRole("form", { name: "Filter the security log" });
    await filters.getByLabel("Client IP").fill(ip);
    await filters.getByRole("button", { name: "Apply" }).click();
    const summary = page.getByTestId("security-summary");
    await expect(summary).toContainText("6 refused in the last 24 hours, per hour (UTC), by reason.");
    await expect(page.getByTestId("security-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    await expect(summary.getByText("Rate limited")).toBeVisible(); // the legend names the reasons
    await expect(summary.getByText("IP not allowed")).toBeVisible();
    await expect(page.getByTestId("security-row")).toHaveCount(6);
    await expect(page.getByTestId("security-row").first()).toContainText(keyName); // keys by name, not id
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/security-log-chart.png`, fullPage: true });

    // The key refused most narrows the page to it; the filter shows it by name.
    await filters.getByLabel("Reason").selectOption("rate_limited");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(summary).toContainText("4 refused in the last 24 hours");
    await summary.getByRole("button", { name: keyName }).click();
    await expect(filters.getByLabel("API key")).toHaveValue(keyId);
    await expect(page.getByTestId("security-row")).toHaveCount(4);
  });

  test("a platform operator searches every tenant's trail, and the search is itself audited", async ({ page }) => {
    const setOperator = (on: boolean) => withTestDb((db) => db.query("UPDATE users SET is_operator = $1 WHERE email = $2", [on, DEMO_USER.email]));
    const searches = () =>
      withTestDb(async (db) => (await db.query("SELECT count(*)::int AS n FROM platform_audit_logs WHERE action = 'operator.read' AND target_type = 'audit_logs' AND actor_id = (SELECT id::text FROM users WHERE email = $1)", [DEMO_USER.email])).rows[0].n as number);
    await setOperator(true);
    try {
      const before = await searches();
      await page.goto("/operator/audit");
      await expect(page.getByRole("heading", { name: "Audit" })).toBeVisible();
      const filters = page.getByRole("form", { name: "Filter audit entries" });
      await filters.getByLabel("Tenant").fill(DEMO_USER.tenantSlug);
      await filters.getByLabel("Action").fill("tenant.*");
      await filters.getByRole("button", { name: "Apply filters" }).click();
      const row = page.getByTestId("audit-row").filter({ hasText: "tenant.create" });
      await expect(row).toContainText(DEMO_USER.tenantSlug);
      await row.click();
      await expect(page.getByTestId("audit-drawer")).toContainText(DEMO_USER.tenantName);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/h7a-operator-audit.png`, fullPage: true });
      expect(await searches()).toBeGreaterThanOrEqual(before + 2); // the first page, then the filtered one
    } finally {
      await setOperator(false);
    }
  });
});
