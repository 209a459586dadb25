import { expect, test } from "@playwright/test";
import { ConsolePage } from "../pages/console-page";
import { LoginPage } from "../pages/login-page";
import { DEMO_USER } from "../support/demo";

test.describe("signing in", () => {
  test("the demo owner signs in and sees the tenant console", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(DEMO_USER.email, DEMO_USER.password);

    const console_ = new ConsolePage(page);
    await console_.expectTenant(DEMO_USER.tenantSlug, DEMO_USER.tenantName);
    await expect(console_.sidebar).toBeVisible();
    await expect(console_.navLink("Overview")).toHaveAttribute("aria-current", "page");
    await expect(console_.navLink("Members")).toBeVisible();
    await expect(console_.navLink("Audit log")).toBeVisible();
    await expect(console_.recentActivity).toContainText("tenant.create");
  });

  test("a wrong password shows an error and stays on /login", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(DEMO_USER.email, "not-the-password");

    await expect(login.error).toHaveText("Incorrect email or password.");
    await expect(page).toHaveURL(/\/login$/);
    await expect(login.submit).toBeEnabled();
  });

  test("an unknown email gets the very same answer", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn("nobody@modelgate.local", "whatever-password");

    await expect(login.error).toHaveText("Incorrect email or password.");
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe("signed out", () => {
  test("visiting a tenant console redirects to /login, and back after signing in", async ({ page }) => {
    await page.goto(`/t/${DEMO_USER.tenantSlug}`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ft%2Fdemo$/);

    const login = new LoginPage(page);
    await login.signIn(DEMO_USER.email, DEMO_USER.password);
    await new ConsolePage(page).expectTenant(DEMO_USER.tenantSlug, DEMO_USER.tenantName);
  });

  test("the console root redirects to /login", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });
});
