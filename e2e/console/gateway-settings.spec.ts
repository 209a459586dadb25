import { expect, test } from "@playwright/test";
import { GatewaySettingsPage } from "../pages/gateway-settings-page";
import { KeysPage } from "../pages/keys-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp, withTestDb } from "../support/db";
import { signUpOwnerWithMfa } from "../support/owner";

const SHOTS = process.env.GATEWAY_SHOTS_DIR;

/**
 * A new owner with MFA restricts the tenant's gateway traffic to an address
 * range the test client is not in (behind a step-up): a real gateway refuses
 * the tenant's key with 403 ip_not_allowed within about a second, and serves
 * it again once the list is cleared. Wrong values stay in the form with their
 * message under the field; a viewer sees the values read-only.
 */
test.describe("Gateway settings", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  let plane: DataPlane;

  test.beforeAll(async () => {
    await resetAttemptCounters();
    plane = await startDataPlane();
  });
  test.afterAll(async () => {
    await plane?.stop();
  });

  test("an owner sets the IP allow-list after step-up and the gateway follows; bad values are refused under their field; a viewer reads only", async ({ page }) => {
    test.setTimeout(240_000);
    const { email, slug, secret, clock } = await signUpOwnerWithMfa(page, { label: "gateway", person: "Gita Gateway", tenantName: "Gateway Lab", slugPrefix: "gw" });

    // A key that may list the tenant's models: GET /v1/models passes every gateway check but needs no backend.
    const keys = new KeysPage(page);
    await keys.goto(slug);
    const key = await keys.create("gateway e2e", ["Models: read"]);
    await keys.closeSecret();
    const listModels = () =>
      fetch(`${plane.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => ({
        status: r.status,
        code: ((await r.json()) as { error?: { code: string } }).error?.code,
      }));
    expect(await listModels()).toEqual({ status: 200, code: undefined });

    const gateway = new GatewaySettingsPage(page);
    await page.goto(`/t/${slug}/settings`);
    await gateway.tab.click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/gateway$`));
    await expect(gateway.tab).toHaveAttribute("aria-current", "page");
    await expect(gateway.ipAllowlist).toHaveValue("");
    await expect(gateway.bodySize).toHaveValue("1");
    await expect(gateway.bodyUnit).toHaveValue("MiB");
    await expect(gateway.rateLimited).not.toBeChecked();
    await expect(gateway.failClosed).toBeChecked();
    await expect(gateway.save).toBeDisabled();

    // An allow-list without the test client: saved after a step-up, normalised, and the gateway refuses the key.
    await expireStepUp(email);
    await gateway.setAllowlist(["203.0.113.0/24", "198.51.100.7"]);
    await expect(gateway.save).toBeEnabled();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/gateway-editing.png`, fullPage: true });
    await gateway.save.click();
    const stepUp = new StepUpDialog(page);
    await stepUp.expectOpen();
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(gateway.notice).toContainText("Gateway settings saved.");
    await expect(gateway.save).toBeDisabled();
    await page.reload();
    expect(await gateway.allowlist()).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
    await expect.poll(listModels, { timeout: 5_000, intervals: [100, 200, 250] }).toEqual({ status: 403, code: "ip_not_allowed" });
    const audit = await withTestDb((db) =>
      db.query(
        "SELECT count(*)::int AS n FROM audit_logs a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = $1 AND a.action = 'tenant.gateway_update'",
        [slug],
      ),
    );
    expect(audit.rows[0].n).toBe(1);

    // Cleared (the step-up is still fresh): any address again.
    await gateway.setAllowlist([]);
    await gateway.save.click();
    await expect(gateway.notice).toContainText("Gateway settings saved.");
    await expect.poll(listModels, { timeout: 5_000, intervals: [100, 200, 250] }).toEqual({ status: 200, code: undefined });

    // Not an address: the API's message under the field, the typed value kept, nothing saved.
    await gateway.setAllowlist(["10.0.0.0/8", "not-an-ip"]);
    await gateway.save.click();
    await gateway.expectFieldError(gateway.ipAllowlist, '"not-an-ip" is not an IPv4 or IPv6 address or CIDR');
    await expect(gateway.ipAllowlist).toHaveValue("10.0.0.0/8\nnot-an-ip");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/gateway-field-error.png`, fullPage: true });
    await gateway.discard.click();
    await expect(gateway.ipAllowlist).toHaveValue("");
    await expect(gateway.ipAllowlist).not.toHaveAttribute("aria-invalid");

    // Beyond the platform ceiling (64 MiB): refused under the field; switching the unit keeps the size.
    await gateway.bodySize.fill("128");
    await gateway.save.click();
    await gateway.expectFieldError(gateway.bodySize, "At most 64 MiB on this platform");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/gateway-body-error.png` });
    await page.reload();
    await expect(gateway.bodySize).toHaveValue("1");
    await gateway.bodyUnit.selectOption("KiB");
    await expect(gateway.bodySize).toHaveValue("1024");
    await expect(gateway.save).toBeDisabled();

    // Limits and fail-open in one save.
    await gateway.bodySize.fill("512");
    await gateway.rateLimited.check();
    await gateway.rateRequests.fill("1000");
    await gateway.rateWindow.selectOption({ label: "per minute" });
    await gateway.failOpen.check();
    await expect(gateway.failOpenWarning).toBeVisible();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/gateway-limits.png`, fullPage: true });
    await gateway.save.click();
    await expect(gateway.notice).toContainText("Gateway settings saved.");
    await page.reload();
    await expect(gateway.bodySize).toHaveValue("512");
    await expect(gateway.bodyUnit).toHaveValue("KiB");
    await expect(gateway.rateRequests).toHaveValue("1000");
    await expect(gateway.failOpen).toBeChecked();
    expect(await listModels()).toEqual({ status: 200, code: undefined });

    // As a viewer: the values, no form.
    await withTestDb((db) =>
      db.query(
        "UPDATE memberships SET role = 'viewer' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND tenant_id = (SELECT id FROM tenants WHERE slug = $2)",
        [email, slug],
      ),
    );
    await gateway.goto(slug);
    await expect(gateway.save).toHaveCount(0);
    await expect(gateway.ipAllowlist).toHaveCount(0);
    await expect(gateway.card).toContainText("Any address");
    await expect(gateway.bodyLimitValue).toContainText("512 KiB");
    await expect(gateway.rateLimitValue).toHaveText("1,000 requests per minute");
    await expect(gateway.card).toContainText("Fail open");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/gateway-viewer.png`, fullPage: true });
  });
});
