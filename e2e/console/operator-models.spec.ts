import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { testEnv } from "../../test/test-env";
import { ModelsPage } from "../pages/models-page";
import { OnboardingPage } from "../pages/onboarding-page";
import { SecurityPage, TotpClock } from "../pages/security-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { expireStepUp, withTestDb } from "../support/db";
import { uniqueSlug } from "../support/demo";

const SHOTS = process.env.OPERATOR_MODELS_SHOTS_DIR;

/** The operator CLI, as the owner's side publishes a model. */
async function mg(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/mg.ts", ...args, "--json"], { env: { ...process.env, ...testEnv() } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const sharedRow = (page: Page, name: string) => page.locator(`[data-testid="shared-model-row"][data-model="${name}"]`);

/**
 * A platform operator finds a model another tenant shares under Operator →
 * Models, grants it to a tenant behind MFA step-up (a mistyped slug is a
 * field error), the tenant sees it read-only on its Models page, and the
 * revocation takes it away again.
 */
test.describe("Operator console: shared models", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test.beforeAll(async () => {
    await resetAttemptCounters();
  });

  test("an operator grants a shared model to a tenant (step-up), the tenant sees it read-only, and the revocation removes it", async ({ page }) => {
    test.setTimeout(180_000);
    const owner = uniqueSlug("acme-models");
    await mg("tenant", "create", "--name", "Acme Models", "--slug", owner);
    const name = `ranker-${Date.now().toString(36)}`;
    const model = await mg("model", "create", "--tenant", owner, "--name", name, "--protocol", "kserve-v2", "--url", "http://127.0.0.1:9", "--visibility", "shared");
    await mg("model", "add-version", String(model.id), "--version", "v2", "--url", "http://127.0.0.1:9");

    // An operator who also owns a tenant (the grantee), with MFA.
    const email = uniqueEmail("op-models");
    const grantee = uniqueSlug("grantee");
    const clock = new TotpClock();
    await new SignUpPage(page).goto();
    await new SignUpPage(page).signUp("Omar Operator", email, STRONG_PASSWORD);
    await new OnboardingPage(page).create("Grantee Co", grantee);
    const security = new SecurityPage(page);
    const { secret } = await security.enrol(clock);
    await security.continue.click();
    await expect(page).toHaveURL(new RegExp(`/t/${grantee}$`));
    await withTestDb((db) => db.query("UPDATE users SET is_operator = true WHERE email = $1", [email]));

    // Operator → Models lists the shared model with its owner, protocol, versions and no grantee yet.
    await page.goto("/operator");
    await page.getByRole("link", { name: "Models", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Shared models" })).toBeVisible();
    await expect(page.getByTestId("shared-models-loading")).toHaveCount(0);
    await page.getByLabel("Filter shared models").fill(name);
    const row = sharedRow(page, name);
    await expect(row).toContainText("Acme Models");
    await expect(row).toContainText("kserve-v2");
    await expect(row).toContainText("v1 100%");
    await expect(row).toContainText("v2 idle");
    await expect(row).toContainText("Serving");
    await expect(row.getByTestId("shared-model-grants")).toHaveText("No tenant yet");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/operator-models.png`, fullPage: true });

    // Granting is a sensitive action: the step-up dialog asks first; a mistyped slug is then a field error.
    await expireStepUp(email);
    await row.getByRole("button", { name: `Grant ${name} to a tenant` }).click();
    const dialog = page.getByRole("dialog", { name: `Grant ${name}` });
    await dialog.getByLabel("Tenant slug").fill("no-such-tenant-here");
    await dialog.getByRole("button", { name: "Grant model" }).click();
    const stepUp = new StepUpDialog(page);
    await stepUp.expectOpen();
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(dialog.getByRole("alert")).toContainText('No tenant "no-such-tenant-here"');
    await dialog.getByLabel("Tenant slug").fill(grantee);
    await expect(dialog.getByRole("alert")).toHaveCount(0); // the message went with the slug it was about
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/operator-models-grant-dialog.png` });
    await dialog.getByRole("button", { name: "Grant model" }).click();
    await expect(page.getByTestId("operator-models-notice")).toContainText(`“${name}” granted to Grantee Co (${grantee}).`);
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId("shared-model-grants")).toContainText(grantee);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/operator-models-granted.png`, fullPage: true });

    // The grantee's Models page shows it read-only, shared by its owner.
    const models = new ModelsPage(page);
    await models.goto(grantee);
    await expect(models.row(name)).toContainText("Shared by Acme Models");
    await expect(models.row(name)).toContainText("Read-only");
    await expect(models.row(name).getByRole("button")).toHaveCount(0);

    // Revoking (the step-up is still fresh: no second code) takes it away.
    await page.goto("/operator/models");
    await page.getByLabel("Filter shared models").fill(name);
    await sharedRow(page, name).getByRole("button", { name: `Revoke ${name} from ${grantee}` }).click();
    const revoke = page.getByRole("dialog", { name: `Revoke ${name} from Grantee Co?` });
    await revoke.getByRole("button", { name: "Revoke grant" }).click();
    await expect(page.getByTestId("operator-models-notice")).toContainText(`“${name}” revoked from Grantee Co (${grantee}).`);
    await expect(sharedRow(page, name).getByTestId("shared-model-grants")).toHaveText("No tenant yet");
    await models.goto(grantee);
    await expect(models.row(name)).toHaveCount(0);

    // Both changes are in the grantee's audit trail, by the operator.
    const actions = await withTestDb(async (db) =>
      (
        await db.query(
          "SELECT action, actor_type FROM audit_logs WHERE tenant_id = (SELECT id FROM tenants WHERE slug = $1) AND action LIKE 'model.grant%' ORDER BY created_at",
          [grantee],
        )
      ).rows,
    );
    expect(actions).toEqual([
      { action: "model.grant", actor_type: "operator" },
      { action: "model.grant_revoke", actor_type: "operator" },
    ]);
  });
});
