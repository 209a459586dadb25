import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { resetAttemptCounters } from "../support/attempts";
import { DEMO_USER } from "../support/demo";

test.describe("sign-up and sign-in protections", () => {
  test.afterEach(resetAttemptCounters);

  test("weak passwords are refused with a message under the field, and nothing is created", async ({ page }) => {
    const signUp = new SignUpPage(page);
    await signUp.goto();
    const email = uniqueEmail("weak");
    for (const [password, message] of [
      ["short", "Use at least 12 characters"],
      ["password1234", "This password is too common"],
      ["aaaaaaaaaaaaaaa", "Avoid repeated characters"],
    ] as const) {
      await signUp.signUp("Wes Weak", email, password);
      await expect(signUp.password).toHaveAttribute("aria-invalid", "true");
      await expect(signUp.password).toHaveAccessibleDescription(new RegExp(message));
    }
    await expect(page).toHaveURL(/\/signup$/);
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(email, "password1234");
    await expect(login.error).toHaveText("Incorrect email or password.");
  });

  test("an email that already has an account is refused on the email field", async ({ page }) => {
    const signUp = new SignUpPage(page);
    await signUp.goto();
    await signUp.signUp("Someone", DEMO_USER.email, STRONG_PASSWORD);
    await expect(signUp.email).toHaveAccessibleDescription("An account with this email already exists. Sign in instead.");
  });

  test("five failed sign-ins lock the account for 15 minutes, the same for an unknown email", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    for (const email of [DEMO_USER.email, "nobody-at-all@modelgate.local"]) {
      await resetAttemptCounters();
      for (let i = 0; i < 5; i++) {
        await login.signIn(email, `wrong-password-${i}`);
        await expect(login.error).toHaveText("Incorrect email or password.");
      }
      await login.signIn(email, email === DEMO_USER.email ? DEMO_USER.password : "whatever");
      await expect(login.error).toHaveText("Too many attempts, try again in 15 minutes.");
    }
    await expect(page).toHaveURL(/\/login$/);
  });
});
