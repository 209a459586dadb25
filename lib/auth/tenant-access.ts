import "server-only";
import type { Role, TenantStatus } from "../db/generated/enums";
import { withUserSelf } from "../db/tenant-scope";

export type TenantSummary = {
  id: string;
  name: string;
  slug: string;
  status: TenantStatus;
  createdAt: Date;
};

export type MembershipSummary = { id: string; role: Role; createdAt: Date };

export type TenantAccess = { tenant: TenantSummary; membership: MembershipSummary };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/**
 * The tenant `slug` names together with `userId`'s membership in it, or null
 * when either is missing. One query through the user's own memberships, so a
 * tenant the user does not belong to looks exactly like one that does not
 * exist (same answer, same work).
 */
export async function findTenantAccess(userId: string, slug: string): Promise<TenantAccess | null> {
  if (!SLUG.test(slug)) return null;
  const membership = await withUserSelf(userId, (tx) =>
    tx.membership.findFirst({
      where: { userId, tenant: { slug } },
      select: {
        id: true,
        role: true,
        createdAt: true,
        tenant: { select: { id: true, name: true, slug: true, status: true, createdAt: true } },
      },
    }),
  );
  if (!membership) return null;
  const { tenant, ...rest } = membership;
  return { tenant, membership: rest };
}
