import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { OperatorPage } from "../pages/operator-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { signUpOwnerWithMfa } from "../support/owner";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp, withTestDb } from "../support/db";

const SHOTS = process.env.OPERATOR_SHOTS_DIR;

/**
 * A platform operator finds a tenant in the operator console, gives it a hard
 * quota and suspends it behind MFA step-up; the gateway then refuses the
 * tenant's key. Someone who is not an operator gets a 404 at /operator.
 */
test.describe("Operator console", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  let plane: DataPlane;

  test.beforeAll(async () => {
    await resetAttemptCounters();
    plane = await startDataPlane();
  });
  test.afterAll(async () => {
    await plane?.stop();
  });

  test("an operator sees the tenants, sets a quota and suspends a tenant; the gateway then denies its key; a non-operator gets 404", async ({ page }) => {
    test.setTimeout(240_000);
    const opcoName = (slug: string) => `Opco ${slug.split("-")[1]!.slice(-4).toUpperCase()}`;
    // A tenant owner with MFA (and, for now, no operator flag).
    const { email, slug, secret, clock } = await signUpOwnerWithMfa(page, { label: "operator", person: "Olga Operator", tenantName: opcoName, slugPrefix: "opco" });
    const name = opcoName(slug);

    // A key of the tenant works at the gateway.
    const created = await page.request.post(`/api/v1/tenants/${slug}/keys`, { data: { name: "e2e", scopes: ["inference", "models:read"] } });
    expect(created.status()).toBe(201);
    const apiKey = ((await created.json()) as { data: { key: string } }).data.key;
    const listModels = () => fetch(`${plane.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect((await listModels()).status).toBe(200);

    // Not an operator: the operator area does not exist for them, and the menu has no link.
    const notFound = await page.goto("/operator");
    expect(notFound?.status()).toBe(404);
    expect((await page.request.get("/api/v1/operator/tenants")).status()).toBe(404);
    await page.goto(`/t/${slug}`);
    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByRole("menuitem", { name: "Security" })).toBeVisible();
    await expect(page.getByRole("menuitem", { name: "Operator console" })).toHaveCount(0);

    // Made an operator (mg operator grant): the link appears, the console opens.
    await withTestDb((db) => db.query("UPDATE users SET is_operator = true WHERE email = $1", [email]));
    await page.reload();
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Operator console" }).click();
    const operator = new OperatorPage(page);
    await expect(operator.heading).toBeVisible();
    await expect(page).toHaveURL(/\/operator$/);
    await operator.filter.fill(slug);
    await expect(operator.row(slug)).toContainText(name);
    await expect(operator.row(slug)).toContainText("Active");
    await expect(operator.row(slug)).toContainText("No quota");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-operator-tenants.png`, fullPage: true });

    // Setting a quota is a sensitive action: the step-up dialog asks, the form stays filled.
    await expireStepUp(email);
    await operator.openQuota(slug);
    await operator.fillQuota({ period: "Calendar month", requests: 5000, hard: true });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-operator-quota-dialog.png` });
    await operator.quotaDialog.getByRole("button", { name: "Save quota" }).click();
    const stepUp = new StepUpDialog(page);
    await stepUp.expectOpen();
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(operator.notice).toContainText(`Quota of ${name} saved`);
    await expect(operator.row(slug).getByTestId("tenant-quota")).toContainText("5,000 requests / month · hard");
    await expect(operator.row(slug)).toContainText("/ 5,000 requests");

    // The tenant sees it under Settings → Quota.
    await page.goto(`/t/${slug}/settings`);
    await expect(page.getByTestId("quota-card")).toContainText("Counted per calendar month in UTC");
    await expect(page.getByTestId("quota-meter-requests")).toContainText("/ 5,000 requests");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-tenant-settings-quota.png`, fullPage: true });
    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByText("No webhook endpoints")).toBeVisible();

    // A webhook endpoint: the signing secret is shown once; a test event arrives signed with it.
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => (received.push({ headers: req.headers, body }), res.writeHead(204).end()));
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const addDialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    await addDialog.getByLabel("Endpoint URL").fill(hookUrl);
    await addDialog.getByLabel("Description (optional)").fill("ops alerts");
    await addDialog.getByRole("button", { name: "Add endpoint" }).click();
    const secretField = page.getByRole("dialog", { name: "Endpoint added" }).getByLabel("Signing secret");
    await expect(secretField).toHaveValue(/^whsec_/);
    const signingSecret = await secretField.inputValue();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-webhook-secret.png` });
    await page.getByRole("button", { name: "Done" }).click();
    const hookRow = page.getByTestId("webhook-row").filter({ hasText: hookUrl });
    await expect(hookRow).toContainText("ops alerts");
    expect(await page.content()).not.toContain(signingSecret);
    await hookRow.getByRole("button", { name: "Send test" }).click();
    await expect(hookRow.getByTestId("webhook-test-result")).toContainText("Test delivered (204)");
    expect(received).toHaveLength(1);
    expect(new Webhook(signingSecret).verify(received[0]!.body, received[0]!.headers as Record<string, string>)).toMatchObject({ type: "webhook.test" });
    await expect(page.getByTestId("delivery-row").first()).toContainText("webhook.test");
    await expect(page.getByTestId("delivery-row").first()).toContainText("Delivered");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-tenant-settings-webhooks.png`, fullPage: true });
    await hookRow.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page.getByText("No webhook endpoints")).toBeVisible();
    await new Promise((r) => receiver.close(r));

    // Suspending (still within the step-up window): the gateway refuses the key within about a second.
    await operator.goto();
    await operator.filter.fill(slug);
    await operator.row(slug).getByRole("button", { name: `Suspend ${name}` }).click();
    const dialog = operator.statusDialog(name);
    await dialog.getByLabel(/Reason/).fill("e2e: unpaid invoice");
    await dialog.getByRole("button", { name: "Suspend tenant" }).click();
    await expect(operator.notice).toContainText(`${name} is suspended.`);
    await expect(operator.row(slug)).toContainText("Suspended");
    const suspendedAt = Date.now();
    let denied: Response | undefined;
    while (Date.now() - suspendedAt < 2_000) {
      const res = await listModels();
      if (res.status === 403) {
        denied = res;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(denied?.status).toBe(403);
    expect(((await denied!.json()) as { error: { code: string } }).error.code).toBe("tenant_suspended");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-operator-suspended.png`, fullPage: true });

    // The tenant page shows the quota and the (empty) closed periods.
    await operator.row(slug).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByText("No closed periods yet")).toBeVisible();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6b-operator-tenant.png`, fullPage: true });

    // Resume: the key works again.
    await page.getByRole("button", { name: "Resume" }).click();
    await operator.statusDialog(name).getByRole("button", { name: "Resume tenant" }).click();
    await expect(page.getByTestId("operator-notice")).toContainText(`${name} is active again.`);
    await expect.poll(async () => (await listModels()).status, { timeout: 3_000 }).toBe(200);

    // The tenant's audit trail, one click away: the search starts with its slug and finds the suspension.
    await page.getByRole("link", { name: "Audit trail" }).click();
    await expect(page).toHaveURL(`/operator/audit?tenant=${slug}`);
    const auditFilters = page.getByRole("form", { name: "Filter audit entries" });
    await expect(auditFilters.getByLabel("Tenant")).toHaveValue(slug);
    await expect(page.getByTestId("audit-row").filter({ hasText: "tenant.suspend" })).toHaveCount(1);
    await expect(page.getByTestId("audit-row").filter({ hasText: "quota.update" })).toHaveCount(1);
    await expect(page.getByTestId("audit-row").filter({ hasNotText: slug })).toHaveCount(0); // no other tenant's entries
  });
});
