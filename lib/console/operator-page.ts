import "server-only";
import { notFound } from "next/navigation";
import { canOnPlatform, type PlatformPermission } from "../auth/permissions";
import { requireSession, type SignedInSession } from "../auth/session";

/**
 * For pages under /operator: the signed-in operator holding `permission`
 * (default `platform.tenants.read`). Not signed in → redirect to /login;
 * signed in but not an operator → Next's 404, so the area looks absent.
 * `isOperator` comes from the database on every request (loadSession), never
 * from the session token. Each page calls it, not only the layout: a layout
 * does not guard the pages below it on every navigation.
 */
export async function requireOperatorPage(
  permission: PlatformPermission = "platform.tenants.read",
  returnTo = "/operator",
): Promise<SignedInSession> {
  const signedIn = await requireSession(returnTo);
  if (!canOnPlatform(signedIn.user, permission)) notFound();
  return signedIn;
}
