import type { Permission } from "@/lib/auth/permissions";

/**
 * The settings sections, one line each: add a tab here when its page exists
 * (under app/t/[slug]/settings/<path>/page.tsx). `permission`: shown only to
 * roles that hold it (the page itself checks again).
 */
export const SETTINGS_TABS: readonly { path: string; label: string; permission: Permission }[] = [
  { path: "", label: "Quota", permission: "tenant.read" },
  { path: "gateway", label: "Gateway", permission: "tenant.read" },
  { path: "webhooks", label: "Webhooks", permission: "tenant.settings.write" },
  { path: "retention", label: "Retention", permission: "tenant.read" },
];
