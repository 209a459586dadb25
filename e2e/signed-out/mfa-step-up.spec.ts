import { expect, test, type Browser } from "@playwright/test";
import { MembersPage } from "../pages/members-page";
import { OnboardingPage } from "../pages/onboarding-page";
import { SecurityPage, TotpClock } from "../pages/security-page";
import { SignUpPage, STRONG_PASSWORD, uniqueEmail } from "../pages/signup-page";
import { StepUpDialog } from "../pages/step-up-dialog";
import { resetAttemptCounters } from "../support/attempts";
import { expireInvitationsFor, expireStepUp, SHOTS_DIR } from "../support/db";
import { uniqueSlug } from "../support/demo";

/**
 * The whole journey of a new owner: sign up, create a tenant, be led to
 * enrol TOTP, then meet the step-up dialog on sensitive actions — with a
 * replayed code refused and a recovery code accepted exactly once.
 */
test.describe.configure({ mode: "serial" });

const owner = { email: uniqueEmail("owner"), name: "Olive Owner" };
const teammate = { email: uniqueEmail("teammate"), name: "Tom Teammate" };
const slug = uniqueSlug("mfa");
const clock = new TotpClock();
let secret = "";
let recoveryCodes: string[] = [];
let storage: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>;

test.beforeAll(resetAttemptCounters);
test.afterAll(resetAttemptCounters);

async function ownerPage(browser: Browser) {
  const context = await browser.newContext({ storageState: storage });
  return { context, page: await context.newPage() };
}

test("sign up → create a tenant → be led to enrol MFA → land on the console", async ({ page }) => {
  test.setTimeout(150_000);
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(owner.name, owner.email, STRONG_PASSWORD);
  await expect(page).toHaveURL(/\/onboarding$/);

  const onboarding = new OnboardingPage(page);
  await onboarding.create("MFA Robotics", slug);
  await expect(page).toHaveURL(new RegExp(`/account/security\\?next=%2Ft%2F${slug}$`));
  await expect(page.getByText("One more step: set up two-factor authentication")).toBeVisible();

  const security = new SecurityPage(page);
  await security.setupButton.click();
  await expect(security.secret).toBeVisible();
  await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
  if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/mfa-enrolment.png`, fullPage: true });
  secret = (await security.secret.innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await security.code.fill("000000");
  await security.turnOn.click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("That code is not valid");
  await security.code.fill(await clock.fresh(secret));
  await security.turnOn.click();
  await expect(security.recoveryCodes).toHaveCount(10);
  recoveryCodes = (await security.recoveryCodes.allInnerTexts()).map((c) => c.trim());
  if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/mfa-recovery-codes.png`, fullPage: true });
  await security.continue.click();

  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("MFA Robotics");
  await expect(page.getByTestId("mfa-notice")).toHaveCount(0);
  storage = await page.context().storageState();
});

test("a sensitive action opens the step-up dialog, keeps the form, and succeeds after verification", async ({ browser }) => {
  test.setTimeout(150_000);
  const { context, page } = await ownerPage(browser);
  const members = new MembersPage(page);
  await members.goto(slug);
  if (SHOTS_DIR) {
    await members.inviteButton.click();
    await members.email.fill(teammate.email);
    await page.screenshot({ path: `${SHOTS_DIR}/members-invite-dialog.png`, fullPage: true });
    await members.inviteDialog.getByRole("button", { name: "Cancel" }).click();
  }

  // Enrolling does not count as a step-up: the first invitation asks for a code.
  await members.openInvite(teammate.email, "Developer");
  const stepUp = new StepUpDialog(page);
  await stepUp.expectOpen();
  if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/step-up-dialog.png`, fullPage: true });
  await stepUp.code.fill("12345x");
  await expect(stepUp.code).toHaveValue("12345"); // digits only
  await stepUp.verify.click();
  await expect(stepUp.error).toHaveText("Enter the 6-digit code from your authenticator app");
  await stepUp.submitCode(await clock.fresh(secret));
  await expect(stepUp.dialog).toBeHidden();
  // The invite dialog's request was retried: the link is shown, the form was never lost.
  await expect(members.invitationLink).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await members.invitationLink.inputValue();
  await members.done.click();
  await expect(members.invitationRow(teammate.email)).toContainText("Pending");

  // The teammate signs up through the link and joins.
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await other.newPage();
  await invitee.goto(link);
  await expect(invitee.getByTestId("invitation")).toContainText("Join MFA Robotics on ModelGate");
  await invitee.getByRole("link", { name: "Create an account to accept" }).click();
  const signUp = new SignUpPage(invitee);
  await expect(signUp.email).toHaveValue(teammate.email);
  await signUp.signUp(teammate.name, teammate.email, STRONG_PASSWORD);
  await expect(invitee).toHaveURL(new RegExp(`/invite/`));
  await invitee.getByRole("button", { name: "Join MFA Robotics" }).click();
  await expect(invitee).toHaveURL(new RegExp(`/t/${slug}$`));
  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByTestId("invitation")).toContainText("This invitation has already been used");
  await other.close();

  // Within the window, the next sensitive action needs no new code.
  await members.goto(slug);
  await members.roleSelect(teammate.email).selectOption({ label: "Admin" });
  await expect(page.getByText(`${teammate.email} is now admin.`)).toBeVisible();
  await expect(stepUp.dialog).toBeHidden();

  // Ten minutes later (simulated), changing a role asks again, and then succeeds.
  await expireStepUp(owner.email);
  await members.roleSelect(teammate.email).selectOption({ label: "Viewer" });
  await stepUp.expectOpen();
  await stepUp.submitCode(await clock.fresh(secret));
  await expect(page.getByText(`${teammate.email} is now viewer.`)).toBeVisible();
  await page.reload();
  await expect(members.roleSelect(teammate.email)).toHaveValue("viewer");
  // Each step-up gave the session a new identifier (and cookie): keep the latest.
  storage = await context.storageState();
  await context.close();
});

test("a replayed code is refused; a recovery code works exactly once", async ({ browser }) => {
  test.setTimeout(150_000);
  const { context, page } = await ownerPage(browser);
  const members = new MembersPage(page);
  const stepUp = new StepUpDialog(page);
  await members.goto(slug);

  await expireStepUp(owner.email);
  await members.roleSelect(teammate.email).selectOption({ label: "Developer" });
  await stepUp.expectOpen();
  await stepUp.submitCode(await clock.fresh(secret));
  await expect(page.getByText(`${teammate.email} is now developer.`)).toBeVisible();
  if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/members-page.png`, fullPage: true });

  // The same code again, still inside its 30-second window: refused.
  await expireStepUp(owner.email);
  await members.roleSelect(teammate.email).selectOption({ label: "Admin" });
  await stepUp.expectOpen();
  await stepUp.submitCode(await clock.replayOf(secret));
  await expect(stepUp.error).toContainText("This code was already used");

  // A recovery code instead: accepted, and the role change goes through.
  await stepUp.submitRecoveryCode(recoveryCodes[0]!);
  await expect(stepUp.dialog).toBeHidden();
  await expect(page.getByText(`${teammate.email} is now admin.`)).toBeVisible();

  // The same recovery code a second time: refused. Cancelling changes nothing.
  await expireStepUp(owner.email);
  await members.roleSelect(teammate.email).selectOption({ label: "Viewer" });
  await stepUp.expectOpen();
  await stepUp.submitRecoveryCode(recoveryCodes[0]!);
  await expect(stepUp.error).toContainText("This recovery code was already used");
  await stepUp.cancel.click();
  await expect(stepUp.dialog).toBeHidden();
  await expect(page.getByText("Verification was cancelled; nothing was changed.")).toBeVisible();
  await expect(members.roleSelect(teammate.email)).toHaveValue("admin");

  await page.goto("/account/security");
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("9 of 10 recovery codes left.");
  storage = await context.storageState();
  await context.close();
});

test("signing in again asks for the second factor", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(STRONG_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("That code is not valid");
  await page.getByLabel("Authentication code").fill(await clock.fresh(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await context.close();
});

test("an expired invitation says so", async ({ browser }) => {
  const { context, page } = await ownerPage(browser);
  const late = uniqueEmail("late");
  const members = new MembersPage(page);
  await members.goto(slug);
  await expireStepUp(owner.email);
  await members.openInvite(late, "Viewer");
  const stepUp = new StepUpDialog(page);
  await stepUp.expectOpen();
  await stepUp.submitRecoveryCode(recoveryCodes[1]!);
  const link = await members.invitationLink.inputValue();
  await expireInvitationsFor(late);
  await page.goto(link);
  await expect(page.getByTestId("invitation")).toContainText("This invitation has expired");
  await context.close();
});
