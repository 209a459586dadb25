import { expect, type Locator, type Page } from "@playwright/test";

export class OnboardingPage {
  readonly name: Locator;
  readonly slug: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Tenant name");
    this.slug = page.getByLabel("Slug");
    this.submit = page.getByRole("button", { name: "Create tenant" });
  }

  async goto(): Promise<void> {
    await this.page.goto("/onboarding");
    await expect(this.submit).toBeVisible();
  }

  async create(name: string, slug?: string): Promise<void> {
    await this.name.fill(name);
    if (slug !== undefined) await this.slug.fill(slug);
    await this.submit.click();
  }
}
