import { userInfo } from "node:os";
import { getDb } from "../../lib/db/client";
import { AppError } from "../../lib/errors/app-error";

export type CommandArgs = { values: Record<string, string | undefined>; positionals: string[] };

/** The CLI holds database credentials itself: it acts as a trusted system actor. */
export function cliActor() {
  let name = "unknown";
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return { type: "system" as const, id: `cli:${name}` };
}

export async function tenantIdOf(slug: string | undefined): Promise<string> {
  if (!slug) throw new AppError("validation_failed", "--tenant is required", { fields: { tenant: "Give the tenant's slug" } });
  const tenant = await getDb().tenant.findUnique({ where: { slug }, select: { id: true } });
  if (!tenant) throw new AppError("not_found", `Tenant "${slug}" not found`);
  return tenant.id;
}
