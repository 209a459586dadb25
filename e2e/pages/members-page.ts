import { expect, type Locator, type Page } from "@playwright/test";

/** /t/[slug]/members: the members table, invitations and the invite dialog. */
export class MembersPage {
  readonly inviteButton: Locator;
  readonly inviteDialog: Locator;
  readonly email: Locator;
  readonly role: Locator;
  readonly createInvitation: Locator;
  readonly invitationLink: Locator;
  readonly done: Locator;
  readonly message: Locator;

  constructor(readonly page: Page) {
    this.inviteButton = page.getByRole("button", { name: "Invite member" });
    this.inviteDialog = page.getByRole("dialog", { name: /Invite a member|Invitation created/ });
    this.email = this.inviteDialog.getByLabel("Email");
    this.role = this.inviteDialog.getByLabel("Role");
    this.createInvitation = this.inviteDialog.getByRole("button", { name: "Create invitation" });
    this.invitationLink = page.getByTestId("invitation-link");
    this.done = this.inviteDialog.getByRole("button", { name: "Done" });
    this.message = page.getByRole("main").locator('[role="status"], [role="alert"]').first();
  }

  async goto(slug: string): Promise<void> {
    await this.page.goto(`/t/${slug}/members`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  }

  async openInvite(email: string, role: string): Promise<void> {
    await this.inviteButton.click();
    await this.email.fill(email);
    await this.role.selectOption({ label: role });
    await this.createInvitation.click();
  }

  row(email: string): Locator {
    return this.page.getByTestId("member-row").filter({ hasText: email });
  }

  roleSelect(email: string): Locator {
    return this.page.getByLabel(`Role of ${email}`);
  }

  invitationRow(email: string): Locator {
    return this.page.getByTestId("invitation-row").filter({ hasText: email });
  }
}
