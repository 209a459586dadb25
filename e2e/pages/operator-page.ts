import { expect, type Locator, type Page } from "@playwright/test";

/** The operator console's tenant list (/operator) and its dialogs. */
export class OperatorPage {
  readonly heading: Locator;
  readonly filter: Locator;
  readonly notice: Locator;
  readonly quotaDialog: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Tenants" });
    this.filter = page.getByLabel("Filter tenants");
    this.notice = page.getByTestId("operator-notice");
    this.quotaDialog = page.getByRole("dialog", { name: /^Quota for/ });
  }

  async goto(): Promise<void> {
    await this.page.goto("/operator");
    await expect(this.heading).toBeVisible();
  }

  row(slug: string): Locator {
    return this.page.locator(`[data-testid="operator-tenant-row"][data-slug="${slug}"]`);
  }

  async openQuota(slug: string): Promise<void> {
    await this.row(slug).getByRole("button", { name: /^Set quota of/ }).click();
    await expect(this.quotaDialog).toBeVisible();
  }

  /** Fills the quota form: a request limit, hard or soft. */
  async fillQuota(opts: { period: "Day" | "Calendar month"; requests: number; hard: boolean }): Promise<void> {
    await this.quotaDialog.getByLabel("Period", { exact: true }).selectOption({ label: opts.period });
    await this.quotaDialog.getByLabel("Requests per period").fill(String(opts.requests));
    await this.quotaDialog.getByRole("group", { name: "Requests limit kind" }).getByLabel(opts.hard ? "Hard" : "Soft").check();
  }

  statusDialog(name: string): Locator {
    return this.page.getByRole("dialog", { name: new RegExp(`^(Suspend|Resume) ${name}\\?`) });
  }
}
