import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { testEnv } from "../../test/test-env";
import { KeysPage } from "../pages/keys-page";
import { ModelsPage } from "../pages/models-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { signUpOwnerWithMfa } from "../support/owner";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp } from "../support/db";
import { DEMO_USER, uniqueSlug } from "../support/demo";

const SHOTS = process.env.MODELS_SHOTS_DIR;

/** The operator CLI, as an operator would run it (grants are an operator's act). */
async function mg(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/mg.ts", ...args, "--json"], { env: { ...process.env, ...testEnv() } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

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
    // An owner with TOTP, as the product leads a new owner to be.
    const { email, slug, secret, clock } = await signUpOwnerWithMfa(page, { label: "models", person: "Mia Models", tenantName: "Models Lab" });

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

    // A canary: a second version, 20 % of requests, then an instant rollback (the step-up above is still fresh).
    await page.getByRole("button", { name: "Add version" }).click();
    const addForm = page.getByRole("form", { name: "Add version" });
    await addForm.getByLabel("Label").fill("v2");
    await addForm.getByLabel("Backend URL").fill(echoUrl);
    await addForm.getByRole("button", { name: "Add version" }).click();
    await expect(models.notice).toContainText("Version v2 added.");
    const split = page.getByRole("form", { name: "Traffic split" });
    await split.getByLabel("Canary share (%)").fill("20");
    await split.getByRole("button", { name: "Start canary" }).click();
    await expect(page.getByTestId("split-summary")).toHaveText("v1: 80% · v2: 20%");
    await expect(models.version("v2")).toContainText("Canary");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-model-canary.png`, fullPage: true });
    await page.getByRole("button", { name: "Roll back" }).click();
    await expect(models.notice).toContainText("Rolled back: v1 serves all traffic.");
    await expect(models.version("v1")).toContainText("100%");

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

    // Disabled in the console (optimistically), refused by the gateway within a second; enabled again, served again.
    const chat = () =>
      fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "support-bot", messages: [{ role: "user", content: "again" }] }),
      }).then((r) => r.status);
    await models.goto(slug);
    await page.getByRole("button", { name: "Disable support-bot" }).click();
    await expect(models.row("support-bot")).toContainText("Disabled");
    await expect(models.notice).toContainText("“support-bot” disabled.");
    await expect.poll(chat, { timeout: 1_500, intervals: [100] }).toBe(404);
    await page.getByRole("button", { name: "Enable support-bot" }).click();
    await expect(models.row("support-bot")).toContainText("Serving");
    await expect.poll(chat, { timeout: 1_500, intervals: [100] }).toBe(200);
  });
});

test.describe("Models shared with the tenant", () => {
  test("a granted shared model shows read-only with a badge, and goes away when the grant is revoked", async ({ page }) => {
    test.setTimeout(120_000);
    const owner = uniqueSlug("model-owner");
    await mg("tenant", "create", "--name", "Acme Models", "--slug", owner);
    const name = `shared-${Date.now().toString(36)}`;
    const model = await mg("model", "create", "--tenant", owner, "--name", name, "--protocol", "openai", "--url", "http://127.0.0.1:9/v1", "--visibility", "shared");
    await mg("model", "grant", "--model", String(model.id), "--tenant", DEMO_USER.tenantSlug);
    try {
      const models = new ModelsPage(page);
      await models.goto(DEMO_USER.tenantSlug);
      const row = models.row(name);
      await expect(row).toContainText("Shared by Acme Models");
      await expect(row).toContainText("Read-only");
      await expect(row.getByRole("button")).toHaveCount(0);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-granted-list.png`, fullPage: true });

      await models.open(name);
      await expect(page.getByText("The platform shares this model with your tenant.")).toBeVisible();
      await expect(page.getByRole("button", { name: /Edit|Add version|Delete model|Save settings/ })).toHaveCount(0);
      await expect(page.getByText("http://127.0.0.1:9/v1")).toHaveCount(0);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/h5b-models-granted-detail.png`, fullPage: true });

      if (SHOTS) {
        await models.goto(DEMO_USER.tenantSlug);
        await models.registerButton.click();
        const form = page.getByRole("form", { name: "Register model" });
        await form.getByLabel("Name", { exact: true }).fill("llama-3-8b");
        await form.getByLabel("Backend URL").fill("http://127.0.0.1:8000/v1");
        await form.getByLabel("Backend credential").selectOption({ label: "Custom header" });
        await page.screenshot({ path: `${SHOTS}/h5b-models-register-dialog.png`, fullPage: true });
      }
    } finally {
      await mg("model", "revoke-grant", "--model", String(model.id), "--tenant", DEMO_USER.tenantSlug);
    }
    await models404(page, name);
  });
});

async function models404(page: import("@playwright/test").Page, name: string) {
  const models = new ModelsPage(page);
  await models.goto(DEMO_USER.tenantSlug);
  await expect(models.row(name)).toHaveCount(0);
}
