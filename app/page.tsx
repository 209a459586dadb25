import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { listUserTenants } from "@/lib/console/user-tenants";

/** The console's entry: the user's first tenant, or onboarding when there is none. */
export default async function HomePage() {
  const user = await requireUser();
  const [first] = await listUserTenants(user.id);
  redirect(first ? `/t/${first.slug}` : "/onboarding");
}
