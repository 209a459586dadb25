import { expect, type Locator, type Page } from "@playwright/test";

export class SignUpPage {
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name");
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Create account" });
  }

  async goto(): Promise<void> {
    await this.page.goto("/signup");
    await expect(this.submit).toBeVisible();
  }

  async signUp(name: string, email: string, password: string): Promise<void> {
    await this.name.fill(name);
    if ((await this.email.inputValue()) !== email) await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@e2e.example`;
}

export const STRONG_PASSWORD = "tangerine orbit glacier 47";
