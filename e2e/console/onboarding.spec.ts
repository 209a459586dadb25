import { expect, test } from "@playwright/test";
import { ConsolePage } from "../pages/console-page";
import { OnboardingPage } from "../pages/onboarding-page";
import { DEMO_USER, uniqueSlug } from "../support/demo";

test.describe("creating a tenant", () => {
  test("an owner without MFA is reminded that sensitive changes need it", async ({ page }) => {
    await page.goto(`/t/${DEMO_USER.tenantSlug}`);
    await expect(page.getByTestId("mfa-notice")).toContainText("Set up two-factor authentication");
  });

  test("derives the slug from the name and lands on the new tenant's console", async ({ page }) => {
    const onboarding = new OnboardingPage(page);
    await onboarding.goto();
    const slug = uniqueSlug("e2e");
    await onboarding.name.fill("Acme Robotics");
    await expect(onboarding.slug).toHaveValue("acme-robotics");
    await onboarding.slug.fill(slug);
    await onboarding.submit.click();

    // The demo owner has no MFA yet: they are led to set it up, and may skip.
    await expect(page).toHaveURL(new RegExp(`/account/security\\?next=%2Ft%2F${slug}$`));
    await expect(page.getByRole("button", { name: "Set up two-factor authentication" })).toBeVisible();
    await page.getByRole("link", { name: "Skip for now" }).click();

    const console_ = new ConsolePage(page);
    await console_.expectTenant(slug, "Acme Robotics");
    await expect(console_.recentActivity).toContainText("tenant.create");
    await expect(console_.recentActivity).toContainText(DEMO_USER.email);
  });

  test("a taken slug shows the error under the slug field", async ({ page }) => {
    const onboarding = new OnboardingPage(page);
    await onboarding.goto();
    await onboarding.create("Another Demo", DEMO_USER.tenantSlug);

    await expect(onboarding.slug).toHaveAttribute("aria-invalid", "true");
    await expect(onboarding.slug).toHaveAccessibleDescription(`"${DEMO_USER.tenantSlug}" is already taken`);
    await expect(page).toHaveURL(/\/onboarding$/);
  });

  test("an empty name is refused with a field error", async ({ page }) => {
    const onboarding = new OnboardingPage(page);
    await onboarding.goto();
    await onboarding.create("", "valid-slug");

    await expect(onboarding.name).toHaveAccessibleDescription("Name is required");
  });
});
