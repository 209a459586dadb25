import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser, type SessionUser } from "../auth/session";
import { findTenantAccess, type TenantAccess } from "../auth/tenant-access";

export type TenantPageContext = TenantAccess & { user: SessionUser };

/**
 * For pages under /t/[slug]: the signed-in user (else redirect to /login) and
 * their membership in the tenant (else Next's 404 — a tenant the user does
 * not belong to looks like one that does not exist). Memoised per request,
 * so the layout and the page share one lookup; each still calls it, because
 * a layout does not guard the pages below it on every navigation.
 */
export const getTenantPageContext = cache(async (slug: string): Promise<TenantPageContext> => {
  const user = await requireUser(`/t/${slug}`);
  const access = await findTenantAccess(user.id, slug);
  if (!access) notFound();
  return { ...access, user };
});
