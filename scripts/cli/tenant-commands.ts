import { getDb } from "../../lib/db/client";
import { AppError } from "../../lib/errors/app-error";
import { createTenant } from "../../lib/tenants/create-tenant";
import { setTenantStatus } from "../../lib/tenants/set-tenant-status";
import { tenantOutput } from "../../lib/tenants/tenant-schemas";
import { cliActor, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

export async function tenantCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  switch (sub) {
    case "create": {
      if (!args.values.name) throw new UsageError("tenant create needs --name");
      let ownerUserId: string | null = null;
      if (args.values.owner) {
        const owner = await getDb().user.findUnique({ where: { email: args.values.owner.toLowerCase() } });
        if (!owner) throw new AppError("not_found", `No user with email ${args.values.owner}`);
        ownerUserId = owner.id;
      }
      const tenant = tenantOutput.parse(
        await createTenant({ name: args.values.name, slug: args.values.slug }, { ownerUserId, actor: cliActor() }),
      );
      return out.result({ tenant }, () => `created tenant ${tenant.slug} (${tenant.id})`);
    }
    case "list": {
      const tenants = (await getDb().tenant.findMany({ orderBy: { createdAt: "asc" } })).map((t) => tenantOutput.parse(t));
      return out.result({ tenants }, () =>
        table(tenants.map((t) => ({ slug: t.slug, name: t.name, status: t.status, id: t.id, created: t.createdAt })), ["slug", "name", "status", "id", "created"]),
      );
    }
    case "suspend":
    case "activate": {
      const slug = args.positionals[0];
      if (!slug) throw new UsageError(`tenant ${sub} needs a tenant slug`);
      const status = sub === "suspend" ? "suspended" : "active";
      const tenant = tenantOutput.parse(await setTenantStatus(slug, status, { actor: cliActor(), reason: args.values.reason }));
      return out.result({ tenant }, () => `tenant ${tenant.slug} is ${tenant.status}`);
    }
    default:
      throw new UsageError("tenant commands: create, list, suspend, activate");
  }
}
