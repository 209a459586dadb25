import { expect, type Locator, type Page } from "@playwright/test";

/** The console's API keys page (/t/[slug]/keys) and its dialogs. */
export class KeysPage {
  readonly heading: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  readonly name: Locator;
  readonly ips: Locator;
  readonly submit: Locator;
  readonly secretPanel: Locator;
  readonly secret: Locator;
  readonly copyButton: Locator;
  readonly copiedButton: Locator;
  readonly notice: Locator;
  readonly rows: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "API keys" });
    this.createButton = page.getByRole("button", { name: "Create key" }).first();
    this.createDialog = page.getByRole("dialog");
    this.name = this.createDialog.getByLabel("Name");
    this.ips = this.createDialog.getByLabel("IP allow-list (optional)");
    this.submit = this.createDialog.getByRole("button", { name: "Create key" });
    this.secretPanel = page.getByTestId("secret-panel");
    this.secret = this.secretPanel.getByLabel("Your API key");
    this.copyButton = this.secretPanel.getByRole("button", { name: "Copy key to clipboard" });
    this.copiedButton = this.secretPanel.getByRole("button", { name: "Copy key to clipboard" }).filter({ hasText: "Copied" });
    this.notice = page.getByTestId("keys-notice");
    this.rows = page.getByTestId("key-row");
    this.emptyState = page.getByText("No API keys yet");
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}/keys`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByTestId("keys-loading")).toHaveCount(0);
  }

  scope(label: string): Locator {
    return this.createDialog.getByRole("checkbox", { name: new RegExp(`^${label}`) });
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** The line under a key's scopes: "IP 203.0.113.0/24 · 100 / min", or "No restrictions". */
  restrictions(name: string): Locator {
    // Shown beside the name on narrow screens, under the scopes on wider ones.
    return this.row(name).getByTestId("key-restrictions").filter({ visible: true });
  }

  editButton(name: string): Locator {
    return this.page.getByRole("button", { name: `Edit ${name}`, exact: true });
  }

  async openEdit(name: string): Promise<KeyEditDialog> {
    await this.editButton(name).click();
    const edit = new KeyEditDialog(this.page, name);
    await expect(edit.dialog).toBeVisible();
    return edit;
  }

  async openCreate(): Promise<void> {
    await this.createButton.click();
    await expect(this.createDialog).toBeVisible();
    await expect(this.createDialog.getByRole("heading", { name: "Create API key" })).toBeVisible();
  }

  /** Creates a key through the dialog and returns the secret it shows (once). */
  async create(name: string, scopes: string[] = []): Promise<string> {
    await this.openCreate();
    await this.name.fill(name);
    for (const label of scopes) await this.scope(label).check();
    await this.submit.click();
    await expect(this.secretPanel).toBeVisible();
    return this.secret.inputValue();
  }

  async closeSecret(): Promise<void> {
    await this.page.getByRole("button", { name: "I've copied it" }).click();
    await expect(this.page.getByRole("dialog")).toHaveCount(0);
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Revoke ${name}` }).click();
    const confirm = this.page.getByRole("dialog", { name: `Revoke “${name}”?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toHaveCount(0);
  }

  /** Rotates with the grace option labelled `grace` and returns the new secret. */
  async rotate(name: string, grace: string): Promise<string> {
    await this.page.getByRole("button", { name: `Rotate ${name}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Rotate “${name}”` });
    await dialog.getByRole("radio", { name: new RegExp(`^${grace}`) }).check();
    await dialog.getByRole("button", { name: "Rotate key" }).click();
    await expect(this.secretPanel).toBeVisible();
    return this.secret.inputValue();
  }
}

/** The edit dialog of one key ("Edit “name”"). */
export class KeyEditDialog {
  readonly dialog: Locator;
  readonly name: Locator;
  readonly models: Locator;
  readonly ips: Locator;
  readonly rateRequests: Locator;
  readonly rateWindow: Locator;
  readonly save: Locator;
  readonly cancel: Locator;

  constructor(
    readonly page: Page,
    keyName: string,
  ) {
    this.dialog = page.getByRole("dialog", { name: `Edit “${keyName}”` });
    this.name = this.dialog.getByLabel("Name");
    this.models = this.dialog.getByLabel("Models (optional)");
    this.ips = this.dialog.getByLabel("IP allow-list (optional)");
    this.rateRequests = this.dialog.getByLabel("Rate limit (optional)");
    this.rateWindow = this.dialog.getByLabel("Rate limit window");
    this.save = this.dialog.getByRole("button", { name: /^(Save changes|Saving…)$/ });
    this.cancel = this.dialog.getByRole("button", { name: "Cancel" });
  }

  scope(label: string): Locator {
    return this.dialog.getByRole("checkbox", { name: new RegExp(`^${label}`) });
  }
}
