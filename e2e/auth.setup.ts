import { expect, test as setup } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import { DEMO_STORAGE_STATE, DEMO_USER } from "./support/demo";

// Signs in once through the real form; the console project reuses the cookie.
setup("sign in as the demo owner", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(DEMO_USER.email, DEMO_USER.password);
  await expect(page).toHaveURL(new RegExp(`/t/${DEMO_USER.tenantSlug}$`));
  await page.context().storageState({ path: DEMO_STORAGE_STATE });
});
