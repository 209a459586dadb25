import { expect, type Locator, type Page } from "@playwright/test";

/** The step-up dialog that sensitive actions open (components/console/step-up-dialog.tsx). */
export class StepUpDialog {
  readonly dialog: Locator;
  readonly code: Locator;
  readonly recoveryCode: Locator;
  readonly useRecovery: Locator;
  readonly verify: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole("dialog", { name: "Confirm it's you" });
    this.code = this.dialog.getByLabel("Authentication code");
    this.recoveryCode = this.dialog.getByLabel("Recovery code");
    this.useRecovery = this.dialog.getByRole("button", { name: "Use a recovery code" });
    this.verify = this.dialog.getByRole("button", { name: "Verify" });
    this.cancel = this.dialog.getByRole("button", { name: "Cancel" });
    this.error = this.dialog.getByRole("alert");
  }

  async expectOpen(): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog).toContainText("This is a sensitive action");
  }

  async submitCode(code: string): Promise<void> {
    await this.code.fill(code);
    await this.verify.click();
  }

  async submitRecoveryCode(code: string): Promise<void> {
    if (!(await this.recoveryCode.isVisible())) await this.useRecovery.click();
    await this.recoveryCode.fill(code);
    await this.verify.click();
  }
}
