import { expect, test } from "@playwright/test";
import { ConsolePage } from "../pages/console-page";
import { LoginPage } from "../pages/login-page";
import { withTestDb } from "../support/db";
import { DEMO_USER } from "../support/demo";

test.describe("tenant console", () => {
  test("the root sends a signed-in user to their first tenant", async ({ page }) => {
    await page.goto("/");
    await new ConsolePage(page).expectTenant(DEMO_USER.tenantSlug, DEMO_USER.tenantName);
  });

  test("the overview shows the tenant, its figures and recent activity", async ({ page }) => {
    const console_ = new ConsolePage(page);
    await console_.goto(DEMO_USER.tenantSlug);
    await console_.expectTenant(DEMO_USER.tenantSlug, DEMO_USER.tenantName);
    await expect(page.getByText("Active", { exact: true })).toBeVisible();
    await expect(page.getByTestId("member-count")).toHaveText(/^\d+$/);
    // The newest entry of the tenant's audit trail heads the list (other specs
    // add entries to the demo tenant, so the test reads which one that is).
    const newest = await withTestDb(async (db) => {
      const { rows } = await db.query<{ action: string }>(
        "SELECT a.action FROM audit_logs a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = $1 ORDER BY a.seq DESC LIMIT 1",
        [DEMO_USER.tenantSlug],
      );
      return rows[0]!.action;
    });
    const rows = console_.recentActivity.getByTestId("audit-row");
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeLessThanOrEqual(10);
    await expect(rows.first()).toContainText(newest);
  });

  test("the members page lists the demo owner", async ({ page }) => {
    const console_ = new ConsolePage(page);
    await console_.goto(DEMO_USER.tenantSlug);
    await console_.navLink("Members").click();
    await expect(page).toHaveURL(/\/t\/demo\/members$/);
    const row = page.getByTestId("member-row").filter({ hasText: DEMO_USER.email });
    await expect(row).toContainText("Owner");
  });

  test("the audit log page loads entries through the API", async ({ page }) => {
    const console_ = new ConsolePage(page);
    await console_.goto(DEMO_USER.tenantSlug);
    await console_.navLink("Audit log").click();
    await expect(page).toHaveURL(/\/t\/demo\/audit$/);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expect(page.getByTestId("audit-row").filter({ hasText: "tenant.create" })).toBeVisible();
  });

  test("the tenant switcher lists the user's tenants and offers to create one", async ({ page }) => {
    const console_ = new ConsolePage(page);
    await console_.goto(DEMO_USER.tenantSlug);
    await console_.tenantSwitcher.click();
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem", { name: new RegExp(DEMO_USER.tenantName) })).toBeVisible();
    await menu.getByRole("menuitem", { name: "Create tenant" }).click();
    await expect(page).toHaveURL(/\/onboarding$/);
  });

  test("a tenant the user does not belong to is a 404", async ({ page }) => {
    const response = await page.goto("/t/no-such-tenant-here");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("signing out returns to /login and ends the session", async ({ browser }) => {
    // A context of its own: signing out must not end the shared session of the other tests.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(DEMO_USER.email, DEMO_USER.password);
    await new ConsolePage(page).expectTenant(DEMO_USER.tenantSlug, DEMO_USER.tenantName);

    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByTestId("user-email")).toHaveText(DEMO_USER.email);
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto(`/t/${DEMO_USER.tenantSlug}`);
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
});
