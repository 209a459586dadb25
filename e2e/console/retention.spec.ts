import { expect, test } from "@playwright/test";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { startDataPlane, type DataPlane } from "../support/data-plane";
import { expireStepUp, withTestDb } from "../support/db";
import { signUpOwnerWithMfa } from "../support/owner";

const SHOTS = process.env.RETENTION_SHOTS_DIR;

/**
 * A tenant owner reads and changes retention (behind MFA step-up, with the
 * audit minimum refused in the form), runs it now and sees the workers'
 * result; as an operator, the Workers page shows the queues, schedulers and
 * the worker process that ran it.
 */
test.describe("Retention and workers", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  let plane: DataPlane;

  test.beforeAll(async () => {
    await resetAttemptCounters();
    plane = await startDataPlane(); // the workers run the retention job
  });
  test.afterAll(async () => {
    await plane?.stop();
  });

  test("an owner sets retention with step-up, runs it, and the last run shows what was deleted; the operator sees the workers", async ({ page }) => {
    test.setTimeout(240_000);
    const { email, slug, secret, clock } = await signUpOwnerWithMfa(page, { label: "retention", person: "Rita Retention", tenantName: (slug) => `Keep ${slug.slice(-4)}`, slugPrefix: "keep" });

    // 25 denials 40–64 days old and 5 from today in the security log.
    await withTestDb((db) =>
      db.query(
        `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
         SELECT t.id, 'e2e-' || g, 'ip_not_allowed', 403, 'POST', '/v1/chat/completions',
                CASE WHEN g <= 25 THEN now() - (39 + g) * interval '1 day' ELSE now() - g * interval '1 minute' END
         FROM tenants t, generate_series(1, 30) g WHERE t.slug = $1`,
        [slug],
      ),
    );

    await page.goto(`/t/${slug}/settings`);
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Retention" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings/retention$`));
    const securityRow = page.getByTestId("retention-row-security_events");
    await expect(securityRow).toContainText("Security log");
    await expect(securityRow.getByTestId("retention-days")).toHaveText("90 days");
    await expect(securityRow).toContainText("Default");
    await expect(securityRow).toContainText("Not run yet");
    await expect(page.getByTestId("retention-row-audit_logs")).toContainText("365 days");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6c-retention.png`, fullPage: true });

    // Below the audit minimum: step-up first, then the field says why.
    await expireStepUp(email);
    await page.getByRole("button", { name: "Edit retention" }).click();
    const edit = page.getByRole("dialog", { name: "Edit retention" });
    await edit.getByLabel("Audit trail (days)").fill("30");
    await edit.getByLabel("Security log (days)").fill("30");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6c-retention-edit.png` });
    await edit.getByRole("button", { name: "Save retention" }).click();
    const stepUp = new StepUpDialog(page);
    await stepUp.expectOpen();
    await stepUp.submitCode(await clock.fresh(secret));
    await expect(edit.getByText("Audit trail must be kept at least 365 days (platform minimum)")).toBeVisible();
    await expect(edit.getByLabel("Security log (days)")).toHaveValue("30"); // the form stays as it was

    await edit.getByLabel("Audit trail (days)").fill("400");
    await edit.getByRole("button", { name: "Save retention" }).click();
    await expect(edit).toBeHidden();
    await expect(securityRow.getByTestId("retention-days")).toHaveText("30 days");
    await expect(securityRow).toContainText("Custom");
    await expect(page.getByTestId("retention-row-audit_logs").getByTestId("retention-days")).toHaveText("400 days");

    // Run now: the workers delete the 25 expired events; the page follows until the run shows.
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(page.getByText("Retention run queued.")).toBeVisible();
    await expect(securityRow).toContainText("25 deleted", { timeout: 60_000 });
    await expect(securityRow).toContainText("Succeeded");
    await expect(page.getByText("Retention run queued.")).toBeHidden();
    const left = await withTestDb((db) =>
      db.query("SELECT count(*)::int AS n FROM security_events e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = $1", [slug]),
    );
    expect(left.rows[0].n).toBe(5);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6c-retention-after-run.png`, fullPage: true });

    // The audit log names both: the change (with before/after) and the run.
    const audit = await withTestDb((db) =>
      db.query("SELECT action FROM audit_logs a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = $1 AND action LIKE 'retention.%' ORDER BY seq", [slug]),
    );
    expect(audit.rows.map((r) => r.action)).toContain("retention.update");
    expect(audit.rows.filter((r) => r.action === "retention.run")).toHaveLength(4);

    // As an operator: the Workers page.
    await withTestDb((db) => db.query("UPDATE users SET is_operator = true WHERE email = $1", [email]));
    await page.goto("/operator/workers");
    await expect(page.getByRole("heading", { name: "Workers" })).toBeVisible();
    await expect(page.getByTestId("workers-health")).toContainText("Workers alive");
    await expect(page.getByTestId("queue-row-retention")).toBeVisible();
    await expect(page.getByTestId("scheduler-row-retention.schedule")).toContainText("cron 17 3 * * * (UTC)");
    await expect(page.getByTestId("worker-row").first()).toContainText("pid");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/h6c-operator-workers.png`, fullPage: true });
  });
});
