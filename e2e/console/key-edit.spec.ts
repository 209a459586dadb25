import { expect, test, type Page } from "@playwright/test";
import { addModel } from "../../gateway/test-support";
import { appDb } from "../../test/db-helpers";
import { KeysPage } from "../pages/keys-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp, withTestDb } from "../support/db";
import { signUpOwnerWithMfa } from "../support/owner";

const SHOTS = process.env.KEYS_SHOTS_DIR;
const MODEL = "edit-echo";

/**
 * An owner with MFA edits a key's restrictions in the console: a mistyped
 * CIDR is refused under the field, an IP allow-list is saved after a step-up
 * and the gateway refuses the key from elsewhere, a rate limit alone needs no
 * step-up, and clearing the list lets the key in again.
 */
test.describe("Editing an API key", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  let plane: DataPlane;

  test.beforeAll(async () => {
    await resetAttemptCounters();
    plane = await startDataPlane();
  });
  test.afterAll(async () => {
    await plane?.stop();
  });

  /** A chat request through the gateway with `secret`, from this machine (127.0.0.1). */
  const chat = async (secret: string) => {
    const res = await fetch(`${plane.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hello from the key edit test" }] }),
    });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code ?? null };
  };

  async function ownerWithMfa(page: Page) {
    const { email, slug, secret, clock } = await signUpOwnerWithMfa(page, { label: "key-edit", person: "Kai Keys", tenantName: "Key Edit Lab" });
    const tenantId = await withTestDb(async (db) => (await db.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [slug])).rows[0]!.id);
    const db = appDb(1);
    try {
      await addModel(db, tenantId, { name: MODEL, backendUrl: `${plane.echo.url}/v1` });
    } finally {
      await db.$disconnect();
    }
    return { email, slug, totp: () => clock.fresh(secret) };
  }

  test("an IP allow-list set in the console, behind a step-up, is enforced by the gateway and can be cleared", async ({ page }) => {
    test.setTimeout(240_000);
    const owner = await ownerWithMfa(page);
    const keys = new KeysPage(page);
    const stepUp = new StepUpDialog(page);
    await keys.goto(owner.slug);
    const name = "billing worker";
    const secret = await keys.create(name);
    await keys.closeSecret();
    await expect(keys.restrictions(name)).toHaveText("No restrictions");
    expect(await chat(secret)).toEqual({ status: 200, code: null });

    // The dialog opens with the key as it is; nothing to save until something changes.
    await expireStepUp(owner.email);
    let edit = await keys.openEdit(name);
    await expect(edit.name).toHaveValue(name);
    await expect(edit.scope("Inference")).toBeChecked();
    await expect(edit.ips).toHaveValue("");
    await expect(edit.rateRequests).toHaveValue("");
    await expect(edit.save).toBeDisabled();

    // A mistyped CIDR: the API's message under the IP field, no step-up asked, nothing saved.
    await edit.ips.fill("203.0.113.0/24, 10.0.0.300/8");
    await edit.save.click();
    const badCidr = '"10.0.0.300/8" is not an IPv4 or IPv6 address or CIDR';
    await expect(edit.dialog.getByText(badCidr)).toBeVisible();
    await expect(edit.ips).toHaveAttribute("aria-invalid", "true");
    await expect(edit.ips).toHaveAccessibleDescription(badCidr);
    await expect(stepUp.dialog).toBeHidden();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/key-edit-bad-cidr.png`, fullPage: true });
    await edit.cancel.click();
    await expect(edit.dialog).toBeHidden();
    await page.reload();
    await expect(keys.restrictions(name)).toHaveText("No restrictions");

    // An allow-list that leaves this machine out: the step-up dialog asks, then the save completes.
    edit = await keys.openEdit(name);
    await edit.ips.fill("203.0.113.0/24");
    await expect(edit.dialog).toContainText("Scope, model and IP changes ask for your authenticator code.");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/key-edit-dialog.png`, fullPage: true });
    await edit.save.click();
    await stepUp.expectOpen();
    await stepUp.submitCode(await owner.totp());
    await expect(keys.notice).toContainText(`Changes to “${name}” saved.`);
    await expect(edit.dialog).toBeHidden();
    await expect(keys.restrictions(name)).toHaveText("IP 203.0.113.0/24");
    await expect.poll(() => chat(secret), { timeout: 3_000, intervals: [100] }).toEqual({ status: 403, code: "ip_not_allowed" });

    // A rate limit alone is not sensitive: no step-up, and only the rate limit is sent.
    await expireStepUp(owner.email);
    edit = await keys.openEdit(name);
    await expect(edit.ips).toHaveValue("203.0.113.0/24");
    await edit.rateRequests.fill("100");
    const patch = page.waitForRequest((r) => r.method() === "PATCH");
    await edit.save.click();
    expect((await patch).postDataJSON()).toEqual({ rateLimit: { requests: 100, windowSeconds: 60 } });
    await expect(keys.notice).toContainText(`Changes to “${name}” saved.`);
    await expect(stepUp.dialog).toBeHidden();
    await expect(keys.restrictions(name)).toHaveText("IP 203.0.113.0/24 · 100 / min");
    await page.reload();
    await expect(keys.restrictions(name)).toHaveText("IP 203.0.113.0/24 · 100 / min");
    if (SHOTS) {
      // Keys restricted in every way, for the pictures.
      const expiresAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
      for (const data of [
        { name: "etl nightly", scopes: ["inference", "usage:read"], models: [MODEL], ips: ["10.0.0.0/8", "2001:db8::/32"], expiresAt, rateLimit: { requests: 5000, windowSeconds: 3600 } },
        { name: "partner integration with a long name", scopes: ["inference", "models:read", "keys:read"], models: [MODEL, "llama-3-8b", "gpt-4o-mini"], ips: ["2001:db8:abcd:12::/64"] },
      ]) {
        expect((await page.request.post(`/api/v1/tenants/${owner.slug}/keys`, { data })).status()).toBe(201);
      }
      await page.reload();
      await expect(keys.restrictions("etl nightly")).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/key-edit-table.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(keys.restrictions(name)).toHaveText("IP 203.0.113.0/24 · 100 / min");
      await page.screenshot({ path: `${SHOTS}/key-edit-table-small.png`, fullPage: true });
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    // Clearing the list: another step-up, and the key works from anywhere again.
    edit = await keys.openEdit(name);
    await edit.ips.fill("");
    await edit.save.click();
    await stepUp.expectOpen();
    await stepUp.submitCode(await owner.totp());
    await expect(keys.notice).toContainText(`Changes to “${name}” saved.`);
    await expect(keys.restrictions(name)).toHaveText("100 / min");
    await expect.poll(() => chat(secret), { timeout: 3_000, intervals: [100] }).toEqual({ status: 200, code: null });
  });
});
