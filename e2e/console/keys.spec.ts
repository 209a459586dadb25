import { hash } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { testEnv } from "../../test/test-env";
import { KeysPage } from "../pages/keys-page";
import { LoginPage } from "../pages/login-page";
import { DEMO_USER } from "../support/demo";

const unique = (label: string) => `${label} ${Date.now().toString(36)}`;

test.describe("API keys page", () => {
  test("creates a key, shows its secret once, lists it and revokes it", async ({ page, context }) => {
    test.slow(); // the longest journey of the suite: create, copy, reload, revoke
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    await expect(page.getByRole("complementary", { name: "Console navigation" }).getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");

    const name = unique("e2e deploy");
    const secret = await keys.create(name, ["Keys: read"]);
    expect(secret).toMatch(/^mgk_[0-9A-Za-z]{38}$/);
    await expect(keys.secretPanel).toContainText("Copy this key now");
    await keys.copyButton.click();
    await expect(keys.copiedButton).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // The secret must not vanish by accident: Escape does not close the dialog.
    await page.keyboard.press("Escape");
    await expect(keys.secretPanel).toBeVisible();
    await keys.closeSecret();
    await expect(keys.notice).toContainText(`Key “${name}” created.`);

    const row = keys.row(name);
    await expect(row).toContainText(`${secret.slice(0, 8)}…`);
    await expect(row).toContainText("inference");
    await expect(row).toContainText("keys:read");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Never");

    await page.reload();
    await expect(keys.row(name)).toBeVisible();
    expect(await page.content()).not.toContain(secret.slice(8));

    await keys.revoke(name);
    await expect(keys.notice).toContainText(`Key “${name}” revoked.`);
    await expect(keys.row(name)).toContainText("Revoked");
    await expect(page.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
  });

  test("shows the API's field errors in the create dialog", async ({ page }) => {
    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    await keys.openCreate();
    await keys.submit.click();
    await expect(keys.createDialog.getByText("Name is required")).toBeVisible();
    await expect(keys.name).toHaveAttribute("aria-invalid", "true");

    await keys.name.fill(unique("bad ips"));
    await keys.ips.fill("10.0.0.300/8");
    await keys.scope("Inference").uncheck();
    await keys.submit.click();
    await expect(keys.createDialog.getByText('"10.0.0.300/8" is not an IPv4 or IPv6 address or CIDR')).toBeVisible();
    await expect(keys.createDialog.getByText("Choose at least one scope")).toBeVisible();
    await expect(keys.name).not.toHaveAttribute("aria-invalid", "true");
    await keys.createDialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  test("rotates a key with a grace period and shows the new secret once", async ({ page }) => {
    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    const name = unique("e2e rotating");
    const first = await keys.create(name);
    await keys.closeSecret();
    const second = await keys.rotate(name, "After 24 hours");
    expect(second).not.toBe(first);
    await expect(page.getByRole("dialog")).toContainText("The previous secret keeps working until");
    await keys.closeSecret();
    await expect(keys.row(name)).toContainText(`${second.slice(0, 8)}…`);
    await expect(keys.row(name)).toContainText("gen 2");
  });

  test("a viewer sees the keys but no buttons to change them", async ({ browser }) => {
    const email = `viewer-${Date.now().toString(36)}@example.test`;
    const password = "viewer-password-123";
    const db = new pg.Client({ connectionString: testEnv().MIGRATION_DATABASE_URL });
    await db.connect();
    try {
      const user = await db.query<{ id: string }>(
        "INSERT INTO users (email, name, password_hash) VALUES ($1, 'Viewer', $2) RETURNING id",
        [email, await hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 })],
      );
      await db.query(
        "INSERT INTO memberships (tenant_id, user_id, role) SELECT id, $1, 'viewer' FROM tenants WHERE slug = $2",
        [user.rows[0]!.id, DEMO_USER.tenantSlug],
      );
    } finally {
      await db.end();
    }
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(email, password);
    await expect(page).toHaveURL(new RegExp(`/t/${DEMO_USER.tenantSlug}$`));

    const keys = new KeysPage(page);
    await keys.goto(DEMO_USER.tenantSlug);
    await expect(keys.rows.first().or(keys.emptyState)).toBeVisible();
    await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Rotate|Revoke) / })).toHaveCount(0);
    await context.close();
  });
});
