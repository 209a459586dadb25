import { expect, type Page } from "@playwright/test";
import { OnboardingPage } from "../pages/onboarding-page";
import { SecurityPage, TotpClock } from "../pages/security-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { uniqueSlug } from "./demo";

export type OwnerWithMfa = { email: string; slug: string; secret: string; clock: TotpClock };

/**
 * What the product leads a new user through, in the browser: sign up, create
 * a tenant (its owner), enrol TOTP; ends on the tenant's console. Returns the
 * TOTP secret and the clock that hands out its unused codes, for step-up.
 */
export async function signUpOwnerWithMfa(
  page: Page,
  opts: { label: string; person: string; tenantName: string | ((slug: string) => string); slugPrefix?: string },
): Promise<OwnerWithMfa> {
  const email = uniqueEmail(opts.label);
  const slug = uniqueSlug(opts.slugPrefix ?? opts.label);
  const clock = new TotpClock();
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(opts.person, email, STRONG_PASSWORD);
  await new OnboardingPage(page).create(typeof opts.tenantName === "function" ? opts.tenantName(slug) : opts.tenantName, slug);
  const security = new SecurityPage(page);
  const { secret } = await security.enrol(clock);
  await security.continue.click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  return { email, slug, secret, clock };
}
