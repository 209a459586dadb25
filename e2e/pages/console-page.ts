import { expect, type Locator, type Page } from "@playwright/test";

/** The tenant console shell (/t/[slug]) and its overview page. */
export class ConsolePage {
  readonly sidebar: Locator;
  readonly heading: Locator;
  readonly tenantSwitcher: Locator;
  readonly recentActivity: Locator;

  constructor(readonly page: Page) {
    this.sidebar = page.getByRole("complementary", { name: "Console navigation" });
    this.heading = page.getByRole("heading", { level: 1 });
    this.tenantSwitcher = page.getByRole("button", { name: "Switch tenant" });
    this.recentActivity = page.getByRole("region", { name: "Recent activity" });
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}`);
  }

  async expectTenant(slug: string, name: string): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`/t/${slug}$`));
    await expect(this.heading).toHaveText(name);
    await expect(this.tenantSwitcher).toContainText(name);
  }

  navLink(name: "Overview" | "Members" | "Audit log"): Locator {
    return this.sidebar.getByRole("link", { name });
  }
}
