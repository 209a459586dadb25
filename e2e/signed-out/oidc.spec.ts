import { expect, test, type Page } from "@playwright/test";
import { LoginPage } from "../pages/login-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { TestIdpPage } from "../pages/test-idp-page";
import { DEMO_USER } from "../support/demo";

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider)
 * started by the e2e global setup: the whole browser flow — authorization
 * code with PKCE, state and nonce, ID token verified by the console.
 */
const continueWithIdp = (page: Page) => page.getByRole("button", { name: "Continue with Test IdP" });

async function signInWithIdp(page: Page, email: string): Promise<void> {
  await new LoginPage(page).goto();
  await continueWithIdp(page).click();
  await new TestIdpPage(page).signIn(email);
}

async function expectSignedOut(page: Page): Promise<void> {
  const res = await page.request.get("/api/v1/tenants");
  expect(res.status()).toBe(401);
}

test.describe("single sign-on (OIDC)", () => {
  test("a new identity gets an account and lands in onboarding; signing in again finds the same account", async ({ page, browser }) => {
    const email = uniqueEmail("sso");
    await signInWithIdp(page, email);
    await expect(page).toHaveURL(/\/onboarding$/);
    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByTestId("user-email")).toHaveText(email);
    const first = await (await page.request.get("/api/v1/account/sessions")).json();
    expect(first.data[0]).toMatchObject({ current: true, authMethod: "oidc" });

    const again = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page2 = await again.newPage();
    await signInWithIdp(page2, email);
    await expect(page2).toHaveURL(/\/onboarding$/);
    await page2.getByRole("button", { name: "Account menu" }).click();
    await expect(page2.getByTestId("user-email")).toHaveText(email);
    await again.close();
  });

  test("an existing password account is never linked by email: refused with a way forward", async ({ page }) => {
    await signInWithIdp(page, DEMO_USER.email);
    await expect(page).toHaveURL(/\/login\?error=OidcAccountExists$/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "An account with this email already exists. Sign in with your password, then link Test IdP under Account → Security.",
    );
    await expectSignedOut(page);
  });

  test("an email the provider does not vouch for creates no account", async ({ page }) => {
    await signInWithIdp(page, uniqueEmail("unverified"));
    await expect(page).toHaveURL(/\/login\?error=OidcEmailUnverified$/);
    await expect(page.getByRole("main").getByRole("alert")).toContainText("did not confirm your email address");
    await expectSignedOut(page);
  });

  for (const [mode, what] of [
    ["tamper-nonce", "a wrong nonce"],
    ["tamper-aud", "a wrong audience"],
    ["tamper-exp", "an expired ID token"],
  ] as const) {
    test(`an ID token with ${what} is refused`, async ({ page }) => {
      await signInWithIdp(page, uniqueEmail(mode));
      await expect(page).toHaveURL(/\/login\?.*error=OAuthCallback/);
      await expect(page.getByRole("main").getByRole("alert")).toHaveText("Signing in with Test IdP did not work. Try again, or sign in with your password.");
      await expectSignedOut(page);
    });
  }

  test("a password account links the provider from Account → Security, then signs in with it", async ({ page, browser }) => {
    test.setTimeout(60_000);
    const email = uniqueEmail("linker");
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp("Lin Ker", email, STRONG_PASSWORD);
    await expect(page).toHaveURL(/\/onboarding$/);

    await page.goto("/account/security");
    await page.getByRole("button", { name: "Link Test IdP" }).click();
    const dialog = page.getByRole("dialog", { name: "Link Test IdP" });
    await dialog.getByLabel("Password").fill("not my password");
    await dialog.getByRole("button", { name: "Continue to Test IdP" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("This is not your password");
    await dialog.getByLabel("Password").fill(STRONG_PASSWORD);
    await dialog.getByRole("button", { name: "Continue to Test IdP" }).click();
    // At the provider the person may be known under another address; the link is by identity, not email.
    const idpEmail = uniqueEmail("linked-at-idp");
    await new TestIdpPage(page).signIn(idpEmail);
    await expect(page).toHaveURL(/\/account\/security\?linked=1$/);
    await expect(page.getByText("Your account is now linked to Test IdP.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Single sign-on" })).toContainText(idpEmail);

    const fresh = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page2 = await fresh.newPage();
    await signInWithIdp(page2, idpEmail);
    await expect(page2).toHaveURL(/\/onboarding$/);
    await page2.getByRole("button", { name: "Account menu" }).click();
    await expect(page2.getByTestId("user-email")).toHaveText(email);
    await fresh.close();
  });
});
