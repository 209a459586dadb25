import type { Metadata } from "next";
import { can, permissionsOfKeyScopes } from "@/lib/auth/permissions";
import { KEY_SCOPES } from "@/lib/keys/key-schemas";
import { getTenantPageContext } from "@/lib/console/tenant-page";
import { KeysPanel } from "./_components/keys-panel";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: Props) {
  const { slug } = await params;
  const { tenant, membership } = await getTenantPageContext(slug);
  // The server refuses key changes to roles without keys.write; the page only hides the buttons.
  // The API refuses a key whose scopes reach permissions the role lacks; the form only greys them out.
  const grantableScopes = KEY_SCOPES.filter((scope) => [...permissionsOfKeyScopes([scope])].every((p) => can(membership.role, p)));
  return <KeysPanel slug={tenant.slug} canWrite={can(membership.role, "keys.write")} grantableScopes={grantableScopes} />;
}
