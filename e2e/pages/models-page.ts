import { expect, type Locator, type Page } from "@playwright/test";

/** The console's Models pages (/t/[slug]/models and /t/[slug]/models/[id]) and their dialogs. */
export class ModelsPage {
  readonly heading: Locator;
  readonly registerButton: Locator;
  readonly dialog: Locator;
  readonly notice: Locator;
  readonly rows: Locator;
  readonly versionRows: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Models" });
    this.registerButton = page.getByRole("button", { name: "Register model" }).first();
    this.dialog = page.getByRole("dialog").filter({ hasNot: page.getByText("Confirm it's you") }).first();
    this.notice = page.getByTestId("models-notice");
    this.rows = page.getByTestId("model-row");
    this.versionRows = page.getByTestId("version-row");
    this.emptyState = page.getByText("No models yet");
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}/models`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByTestId("models-loading")).toHaveCount(0);
  }

  /** Fills and submits the register dialog; the caller handles a step-up dialog if one opens. */
  async register(input: { name: string; protocol?: string; url: string; credential?: string }): Promise<void> {
    await this.registerButton.click();
    const form = this.page.getByRole("form", { name: "Register model" });
    await form.getByLabel("Name", { exact: true }).fill(input.name);
    if (input.protocol) await form.getByLabel("Protocol").selectOption({ label: input.protocol });
    await form.getByLabel("Backend URL").fill(input.url);
    if (input.credential) {
      await form.getByLabel("Backend credential").selectOption({ label: "Bearer token (Authorization header)" });
      await form.getByLabel("Token").fill(input.credential);
    }
    await form.getByRole("button", { name: "Register model" }).click();
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole("link", { name, exact: true }) });
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole("link", { name, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  version(label: string): Locator {
    return this.page.locator(`[data-testid="version-row"][data-version="${label}"]`);
  }

  /** Opens the version's edit dialog and saves a new backend URL. */
  async changeUrl(label: string, url: string): Promise<void> {
    await this.version(label).getByRole("button", { name: "Edit" }).click();
    const form = this.page.getByRole("form", { name: "Edit version" });
    await form.getByLabel("Backend URL").fill(url);
    await form.getByRole("button", { name: "Save version" }).click();
  }
}
