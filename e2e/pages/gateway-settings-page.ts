import { expect, type Locator, type Page } from "@playwright/test";

/** Settings → Gateway (/t/[slug]/settings/gateway): IP allow-list, limits, Redis failure mode. */
export class GatewaySettingsPage {
  readonly tab: Locator;
  readonly card: Locator;
  readonly ipAllowlist: Locator;
  readonly bodySize: Locator;
  readonly bodyUnit: Locator;
  readonly rateLimited: Locator;
  readonly rateRequests: Locator;
  readonly rateWindow: Locator;
  readonly failClosed: Locator;
  readonly failOpen: Locator;
  readonly failOpenWarning: Locator;
  readonly save: Locator;
  readonly discard: Locator;
  readonly notice: Locator;
  /** The read-only view (developers, viewers). */
  readonly allowedAddresses: Locator;
  readonly bodyLimitValue: Locator;
  readonly rateLimitValue: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Gateway" });
    this.card = page.getByTestId("gateway-settings");
    this.ipAllowlist = this.card.getByLabel("Allowed addresses");
    this.bodySize = this.card.getByLabel("Maximum request body", { exact: true });
    this.bodyUnit = this.card.getByLabel("Unit of the maximum request body");
    this.rateLimited = this.card.getByRole("checkbox", { name: /Limit requests across all keys/ });
    this.rateRequests = this.card.getByLabel("Requests", { exact: true });
    this.rateWindow = this.card.getByLabel("Window", { exact: true });
    this.failClosed = this.card.getByRole("radio", { name: /Fail closed/ });
    this.failOpen = this.card.getByRole("radio", { name: /Fail open/ });
    this.failOpenWarning = this.card.getByText("While Redis is unreachable, nothing limits");
    this.save = this.card.getByRole("button", { name: "Save changes" });
    this.discard = this.card.getByRole("button", { name: "Discard changes" });
    this.notice = page.getByTestId("gateway-notice");
    this.allowedAddresses = this.card.getByRole("list", { name: "Allowed addresses" });
    this.bodyLimitValue = page.getByTestId("gateway-body-limit");
    this.rateLimitValue = page.getByTestId("gateway-rate-limit");
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}/settings/gateway`);
    await expect(this.card).toBeVisible();
  }

  async setAllowlist(lines: string[]): Promise<void> {
    await this.ipAllowlist.fill(lines.join("\n"));
  }

  /** The allow-list as the form shows it, one entry a line. */
  async allowlist(): Promise<string[]> {
    return (await this.ipAllowlist.inputValue()).split("\n").filter(Boolean);
  }

  /** A field's error, as assistive technology reads it (the message under the field). */
  async expectFieldError(field: Locator, message: string | RegExp): Promise<void> {
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(message);
  }
}
