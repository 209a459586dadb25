import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { withTestDb } from "../support/db";
import { DEMO_USER } from "../support/demo";

const SHOTS = process.env.SHOTS_DIR; // e.g. /work/coord/shots: saves screenshots of the pages

test.describe("audit checkpoints and security log export", () => {
  test("Sign checkpoint now signs the head, shows its entry number, and a second click signs nothing new", async ({ page }) => {
    // A change first, so the head is not signed yet.
    const created = await page.request.post(`/api/v1/tenants/${DEMO_USER.tenantSlug}/keys`, { data: { name: `e2e-cp-${Date.now().toString(36)}`, scopes: ["inference"] } });
    expect(created.status()).toBe(201);
    await page.goto(`/t/${DEMO_USER.tenantSlug}/audit`);
    await expect(page.getByTestId("audit-row").first()).toBeVisible();

    await page.getByRole("button", { name: "Sign checkpoint now" }).click();
    const notice = page.getByTestId("checkpoint-notice");
    await expect(notice).toContainText(/Checkpoint signed at entry #\d+/);
    const seq = /#(\d+)/.exec((await notice.innerText()) ?? "")![1];

    // The request is itself the newest entry, and the checkpoint covers it.
    const newest = page.getByTestId("audit-row").first();
    await expect(newest).toContainText("audit.checkpoint_create");
    await expect(newest).toContainText(seq!);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/audit-checkpoint-signed.png`, fullPage: true });

    const checkpoints = await page.request.get(`/api/v1/tenants/${DEMO_USER.tenantSlug}/audit/checkpoints`);
    expect(((await checkpoints.json()) as { data: { seq: number }[] }).data[0]!.seq).toBe(Number(seq));

    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expect(notice).toBeHidden();
    await page.getByRole("button", { name: "Sign checkpoint now" }).click();
    await expect(notice).toContainText(`Nothing new to sign: entry #${seq}, the newest, was already signed`);
  });

  test("the security log exports its filtered range as JSON Lines and CSV", async ({ page }) => {
    const stamp = Date.now().toString(36);
    const net = `2001:db8:${(Date.now() % 0xffff).toString(16)}::`; // this run's addresses, so earlier runs' rows never match
    await withTestDb((db) =>
      db.query(
        `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, client_ip, model)
         SELECT id, $1 || '-' || n, (ARRAY['invalid_api_key', 'ip_not_allowed', 'ip_not_allowed'])[n], (ARRAY[401, 403, 403])[n], 'POST', '/v1/chat/completions', $3 || n, 'echo'
         FROM tenants, generate_series(1, 3) AS n WHERE slug = $2`,
        [`e2e-exp-${stamp}`, DEMO_USER.tenantSlug, net],
      ),
    );
    await page.goto(`/t/${DEMO_USER.tenantSlug}/security`);
    await expect(page.getByTestId("security-row").filter({ hasText: `e2e-exp-${stamp}-1` })).toBeVisible();
    const filters = page.getByRole("form", { name: "Filter the security log" });
    await filters.getByLabel("Reason").selectOption("ip_not_allowed");
    await filters.getByLabel("Client IP").fill(`${net}3`);
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("security-row")).toHaveCount(1);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/security-log-export.png`, fullPage: true });

    const [jsonl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("security-export-jsonl").click()]);
    expect(jsonl.suggestedFilename()).toMatch(/^security-demo-\d{8}-\d{6}\.jsonl$/);
    const lines = readFileSync((await jsonl.path())!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toMatchObject([{ requestId: `e2e-exp-${stamp}-3`, code: "ip_not_allowed", status: 403, clientIp: `${net}3`, model: "echo" }]);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("security-export-csv").click()]);
    expect(csv.suggestedFilename()).toMatch(/^security-demo-\d{8}-\d{6}\.csv$/);
    const rows = readFileSync((await csv.path())!, "utf8").trim().split("\r\n");
    expect(rows[0]).toBe("time,code,status,method,path,model,key_id,client_ip,request_id,id");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`,ip_not_allowed,403,POST,/v1/chat/completions,echo,,${net}3,e2e-exp-${stamp}-3,`);
  });
});
