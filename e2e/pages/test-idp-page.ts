import { expect, type Locator, type Page } from "@playwright/test";
import { OIDC_TEST_ISSUER } from "../support/oidc";

/** The e2e OpenID Connect provider's login page (e2e/support/oidc-test-provider.ts). */
export class TestIdpPage {
  readonly email: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel("Email");
    this.submit = page.getByRole("button", { name: "Sign in to Test IdP" });
  }

  async signIn(email: string): Promise<void> {
    await expect(this.page).toHaveURL(new RegExp(`^${OIDC_TEST_ISSUER.replace(/\./g, "\\.")}/interaction/`));
    await this.email.fill(email);
    await this.submit.click();
  }
}
