import { expect, type Locator, type Page } from "@playwright/test";
import { totpCodeAt } from "../../lib/mfa/totp";

/** Account → Security (/account/security): MFA enrolment and recovery codes. */
export class SecurityPage {
  readonly setupButton: Locator;
  readonly secret: Locator;
  readonly code: Locator;
  readonly turnOn: Locator;
  readonly recoveryCodes: Locator;
  readonly continue: Locator;

  constructor(readonly page: Page) {
    this.setupButton = page.getByRole("button", { name: "Set up two-factor authentication" });
    this.secret = page.getByTestId("totp-secret");
    this.code = page.getByLabel("Code from the app");
    this.turnOn = page.getByRole("button", { name: "Turn on two-factor authentication" });
    this.recoveryCodes = page.getByTestId("recovery-code");
    this.continue = page.getByRole("button", { name: /I saved my codes/ });
  }

  /** Enrols TOTP the way a person would: reads the key shown in text, types a code. */
  async enrol(codes: TotpClock): Promise<{ secret: string; recoveryCodes: string[] }> {
    await this.setupButton.click();
    await expect(this.secret).toBeVisible();
    const secret = (await this.secret.innerText()).replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await this.code.fill(await codes.fresh(secret));
    await this.turnOn.click();
    await expect(this.recoveryCodes).toHaveCount(10);
    const recoveryCodes = (await this.recoveryCodes.allInnerTexts()).map((c) => c.trim());
    return { secret, recoveryCodes };
  }
}

/**
 * TOTP codes for a test, never one of a time step already used (the server
 * refuses those): waits for the next 30-second step when it must.
 */
export class TotpClock {
  private readonly used = new Set<number>();

  async fresh(secret: string): Promise<string> {
    for (;;) {
      const now = Date.now() / 1000;
      const step = Math.floor(now / 30);
      // Not in the last second of a step either: the server might see the next one.
      if (!this.used.has(step) && now - step * 30 < 29) {
        this.used.add(step);
        return totpCodeAt(secret, Math.floor(now));
      }
      await new Promise((r) => setTimeout(r, Math.max(200, ((step + 1) * 30 - now) * 1000 + 100)));
    }
  }

  /** The code of a step that was already used, while it is still within the accepted window. */
  async replayOf(secret: string): Promise<string> {
    const last = Math.max(...this.used);
    return totpCodeAt(secret, last * 30 + 1);
  }
}
