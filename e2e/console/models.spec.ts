import { expect, test } from "@playwright/test";
import { KeysPage } from "../pages/keys-page";
import { ModelsPage } from "../pages/models-page";
import { OnboardingPage } from "../pages/onboarding-page";
import { SecurityPage, TotpClock } from "../pages/security-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp } from "../support/db";
import { uniqueSlug } from "../support/demo";

const SHOTS = process.env.MODELS_SHOTS_DIR;

/**
 * A new owner with MFA registers a model, changes its backend URL behind a
 * step-up, finds the change with its before/after in the audit log, and
 * calls the model through a real gateway.
 */
test.describe("Models", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  let plane: DataPlane;

  test.beforeAll(async () => {
    await resetAttemptCounters();
    plane = await startDataPlane();
  });
  test.afterAll(async () => {
    await plane?.stop();
  });

  test("register a model, change its backend URL after step-up, see the audit diff, call it through the gateway", async ({ page }) => {
    test.setTimeout(240_000);
    const email = uniqueEmail("models");
    const slug = uniqueSlug("models");
    const clock = new TotpClock();

    // An owner with TOTP, as the product leads a new owner to be.
    await new SignUpPage(page).goto();
    await new SignUpPage(page).signUp("Mia Models", email, STRONG_PASSWORD);
    await new OnboardingPage(page).create("Models Lab", slug);
    const security = new SecurityPage(page);
    const { secret } = await security.enrol(clock);
    await security.continue.click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));

    const models = new ModelsPage(page);
    await models.goto(slug);
    await expect(page.getByRole("complementary", { name: "Console navigation" }).getByRole("link", { name: "Models" })).toHaveAttribute("aria-current", "page");
    await expect(models.emptyState).toBeVisible();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-empty.png`, fullPage: true });

    // Registering sets a backend: a sensitive action. The step-up dialog asks, the form stays.
    await expireStepUp(email);
    const wrongUrl = "http://127.0.0.1:9/v1";
    await models.register({ name: "support-bot", url: wrongUrl, credential: "backend-secret-e2e" });
    const stepUp = new StepUpDialog(page);
    await stepUp.expectOpen();
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(models.notice).toContainText("Model “support-bot” registered.");
    await expect(models.row("support-bot")).toContainText("OpenAI-compatible");
    await expect(models.row("support-bot")).toContainText("Serving");
    expect(await page.content()).not.toContain("backend-secret-e2e");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-list.png`, fullPage: true });

    // Changing the backend URL: refused without a fresh verification, done after it.
    await models.open("support-bot");
    await expect(models.version("v1")).toContainText(wrongUrl);
    await expect(models.version("v1")).toContainText("Bearer token · set");
    await expireStepUp(email);
    const echoUrl = `${plane.echo.url}/v1`;
    await models.changeUrl("v1", echoUrl);
    await stepUp.expectOpen();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-step-up.png`, fullPage: true });
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(models.notice).toContainText("Version v1 saved.");
    await expect(models.version("v1")).toContainText(echoUrl);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-model-detail.png`, fullPage: true });

    // The audit log has the change with its before and after; the secret only as "set".
    await page.goto(`/t/${slug}/audit`);
    const entry = page.getByTestId("audit-row").filter({ hasText: "model.version_update" }).first();
    await entry.click();
    const diff = page.getByTestId("audit-diff");
    await expect(diff).toContainText(wrongUrl);
    await expect(diff).toContainText(echoUrl);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-audit.png`, fullPage: true });
    expect(await page.content()).not.toContain("backend-secret-e2e");

    // A key for the model, and a request through the gateway reaches the echo backend.
    const keys = new KeysPage(page);
    await keys.goto(slug);
    const key = await keys.create("models e2e");
    await keys.closeSecret();
    const res = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "support-bot", messages: [{ role: "user", content: "hello through the registry" }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe("hello through the registry");
  });
});
