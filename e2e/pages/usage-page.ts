import { expect, type Locator, type Page } from "@playwright/test";

/** The console's usage dashboard (/t/[slug]/usage). */
export class UsagePage {
  readonly heading: Locator;
  readonly loading: Locator;
  readonly empty: Locator;
  readonly rows: Locator;
  readonly totals: Locator;
  readonly exportLink: Locator;
  readonly requestsChart: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Usage" });
    this.loading = page.getByTestId("usage-loading");
    this.empty = page.getByTestId("usage-empty");
    this.rows = page.getByTestId("usage-row");
    this.totals = page.getByTestId("usage-totals");
    this.exportLink = page.getByRole("link", { name: "Export CSV" });
    this.requestsChart = page.getByTestId("chart-requests");
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}/usage`);
    await expect(this.heading).toBeVisible();
    await expect(this.loading).toHaveCount(0);
  }

  range(label: "24h" | "7d" | "30d" | "Custom"): Locator {
    return this.page.getByRole("group", { name: "Time range" }).getByRole("button", { name: label, exact: true });
  }

  grouping(label: "By key" | "By model"): Locator {
    return this.page.getByRole("group", { name: "Group the table" }).getByRole("button", { name: label });
  }

  /** The table row of a key (by its name) or a model. */
  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  cell(row: Locator, column: "requests" | "errors" | "tokens" | "latency"): Locator {
    return row.locator(`[data-column="${column}"]`);
  }
}
