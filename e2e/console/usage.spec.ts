import { expect, test } from "@playwright/test";
import { addModel } from "../../gateway/test-support";
import { appDb } from "../../test/db-helpers";
import { KeysPage } from "../pages/keys-page";
import { UsagePage } from "../pages/usage-page";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { DEMO_USER } from "../support/demo";
import { withTestDb } from "../support/db";

const SHOTS = process.env.USAGE_SHOTS_DIR;
const stamp = Date.now().toString(36);
const OK_MODEL = `e2e-usage-${stamp}`;
const BROKEN_MODEL = `e2e-broken-${stamp}`;

test.describe("usage dashboard", () => {
  let plane: DataPlane;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    plane = await startDataPlane();
    const tenantId = await withTestDb(async (db) => (await db.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [DEMO_USER.tenantSlug])).rows[0]!.id);
    const db = appDb(1);
    try {
      await addModel(db, tenantId, { name: OK_MODEL, backendUrl: `${plane.echo.url}/v1` });
      // Nothing listens on port 9: every request to this model is a 502 from the gateway, counted as an error.
      await addModel(db, tenantId, { name: BROKEN_MODEL, backendUrl: "http://127.0.0.1:9/v1" });
    } finally {
      await db.$disconnect();
    }
  });

  test.afterAll(async () => {
    await plane?.stop();
  });

  test("shows the requests sent through the gateway, by key and by model", async ({ page }) => {
    test.slow();
    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    const keyName = `e2e usage ${stamp}`;
    const secret = await keys.create(keyName);
    await keys.closeSecret();

    // Real traffic: 5 answered requests (with some backend latency) and 2 the gateway cannot forward.
    let tokens = 0;
    for (const [i, delay] of [0, 15, 40, 80, 160].entries()) {
      const res = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-echo-delay-ms": String(delay) },
        body: JSON.stringify({ model: OK_MODEL, messages: [{ role: "user", content: `hello number ${i} from the usage test` }] }),
      });
      expect(res.status).toBe(200);
      tokens += ((await res.json()) as { usage: { total_tokens: number } }).usage.total_tokens;
    }
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: BROKEN_MODEL, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(502);
    }
    expect(tokens).toBeGreaterThan(0);

    const usage = new UsagePage(page);
    await usage.goto(DEMO_USER.tenantSlug);
    await expect(page.getByRole("complementary", { name: "Console navigation" }).getByRole("link", { name: "Usage" })).toHaveAttribute("aria-current", "page");
    await expect(usage.range("24h")).toHaveAttribute("aria-pressed", "true");
    // The workers store usage within a second or two; the page shows what is stored when it loads.
    const keyRow = usage.row(keyName);
    await expect(async () => {
      await page.reload();
      await expect(usage.cell(keyRow, "requests")).toHaveText("7", { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(usage.cell(keyRow, "errors")).toHaveText("2");
    await expect(usage.cell(keyRow, "tokens")).toHaveText(tokens.toLocaleString("en-US"));
    await expect(usage.cell(keyRow, "latency")).toContainText("ms");
    await expect(usage.requestsChart.locator(".recharts-area")).toHaveCount(2);
    await expect(usage.totals).toContainText("Requests");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6a-usage-by-key.png`, fullPage: true });

    await usage.grouping("By model").click();
    const okRow = usage.row(OK_MODEL);
    const brokenRow = usage.row(BROKEN_MODEL);
    await expect(usage.cell(okRow, "requests")).toHaveText("5");
    await expect(usage.cell(okRow, "errors")).toHaveText("0");
    await expect(usage.cell(okRow, "tokens")).toHaveText(tokens.toLocaleString("en-US"));
    await expect(usage.cell(brokenRow, "requests")).toHaveText("2");
    await expect(usage.cell(brokenRow, "errors")).toHaveText("2");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6a-usage-by-model.png`, fullPage: true });

    // The CSV holds the same requests, one line each.
    await expect(usage.exportLink).toHaveAttribute("href", /\/usage\/export\?range=24h$/);
    const csv = await (await page.request.get((await usage.exportLink.getAttribute("href"))!)).text();
    const lines = csv.split("\r\n").filter((l) => l.includes(`,${keyName},`));
    expect(lines).toHaveLength(7);
    expect(lines.filter((l) => l.includes(`,${BROKEN_MODEL},`) && l.includes(",502,"))).toHaveLength(2);
  });

  test("filters by a key and a model, and keeps the selection in the URL", async ({ page }) => {
    test.slow();
    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    const nameA = `e2e filter a ${stamp}`;
    const nameB = `e2e filter b ${stamp}`;
    const secretA = await keys.create(nameA);
    await keys.closeSecret();
    const secretB = await keys.create(nameB);
    await keys.closeSecret();
    const send = async (secret: string, model: string) =>
      (
        await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ model, messages: [{ role: "user", content: "filter me" }] }),
        })
      ).status;
    for (let i = 0; i < 3; i++) expect(await send(secretA, OK_MODEL)).toBe(200);
    for (let i = 0; i < 2; i++) expect(await send(secretB, OK_MODEL)).toBe(200);
    expect(await send(secretB, BROKEN_MODEL)).toBe(502);

    const usage = new UsagePage(page);
    await usage.goto(DEMO_USER.tenantSlug);
    const keySelect = page.getByRole("combobox", { name: "API key" });
    const modelSelect = page.getByRole("combobox", { name: "Model" });
    const total = page.getByTestId("total-requests");
    await expect(async () => {
      await page.reload();
      await expect(usage.cell(usage.row(nameB), "requests")).toHaveText("3", { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });

    // One key: totals, charts and table follow; the URL says so.
    const idA = (await keySelect.locator("option", { hasText: nameA }).getAttribute("value"))!;
    await keySelect.selectOption(idA);
    await expect(page).toHaveURL(new RegExp(`[?&]key=${idA}(&|$)`));
    await expect(total).toHaveText("3");
    await expect(usage.rows).toHaveCount(1);
    await expect(usage.cell(usage.row(nameA), "requests")).toHaveText("3");
    await expect(page.getByText(`only key ${nameA}`)).toBeVisible();

    // The other key and one model, by model.
    const idB = (await keySelect.locator("option", { hasText: nameB }).getAttribute("value"))!;
    await keySelect.selectOption(idB);
    await modelSelect.selectOption(BROKEN_MODEL);
    await usage.grouping("By model").click();
    await expect(total).toHaveText("1");
    await expect(usage.cell(usage.row(BROKEN_MODEL), "errors")).toHaveText("1");
    await expect(usage.exportLink).toHaveAttribute("href", new RegExp(`key=${idB}&model=${BROKEN_MODEL}`));
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6a-usage-filtered.png`, fullPage: true });

    // A reload (or a shared link) shows the same.
    await page.reload();
    await expect(keySelect).toHaveValue(idB);
    await expect(modelSelect).toHaveValue(BROKEN_MODEL);
    await expect(usage.grouping("By model")).toHaveAttribute("aria-pressed", "true");
    await expect(total).toHaveText("1");

    // A key that is not one of the tenant's: said so, with a way back to every key.
    await page.goto(`/t/${DEMO_USER.tenantSlug}/usage?range=24h&key=00000000-0000-4000-8000-000000000000`);
    await expect(page.getByTestId("usage-bad-key")).toContainText("No such API key");
    await page.getByRole("button", { name: "Show all keys" }).click();
    await expect(keySelect).toHaveValue("");
    await expect(usage.row(nameA)).toHaveCount(1);
    await expect(page).not.toHaveURL(/key=/);
  });

  test("a custom range: field errors from the API, and an empty state when nothing was sent", async ({ page }) => {
    const usage = new UsagePage(page);
    await usage.goto(DEMO_USER.tenantSlug);
    await usage.range("Custom").click();
    const form = page.getByRole("form", { name: "Custom range" });
    await form.getByLabel("From (UTC)").fill("2020-01-02T00:00");
    await form.getByLabel("To (UTC)").fill("2020-01-01T00:00");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(form.getByText("to must be after from")).toBeVisible();
    await expect(form.getByLabel("To (UTC)")).toHaveAttribute("aria-invalid", "true");

    await form.getByLabel("To (UTC)").fill("2020-01-03T00:00");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(usage.empty).toContainText("No requests in this range");
    await expect(usage.exportLink).toHaveAttribute("aria-disabled", "true");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6a-usage-empty.png`, fullPage: true });
  });
});
