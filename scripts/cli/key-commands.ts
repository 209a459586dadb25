import { withOperatorRead } from "../../lib/db/tenant-scope";
import { AppError } from "../../lib/errors/app-error";
import { createApiKey } from "../../lib/keys/create-key";
import { parseRateLimit, type ApiKeyView } from "../../lib/keys/key-schemas";
import { listApiKeys } from "../../lib/keys/list-keys";
import { revokeApiKey } from "../../lib/keys/revoke-key";
import { rotateApiKey } from "../../lib/keys/rotate-key";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { csv, parseDuration, table, UsageError, type Printer } from "./output";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key id names its tenant only in the database: find it through the audited operator path. */
async function tenantOfKey(keyId: string | undefined, command: string): Promise<string> {
  if (!keyId) throw new UsageError(`key ${command} needs a key id`);
  if (!UUID.test(keyId)) throw new AppError("not_found", "API key not found");
  const key = await withOperatorRead(
    { actor: cliActor(), reason: `mg key ${command}`, resource: "api_keys" },
    (tx) => tx.apiKey.findUnique({ where: { id: keyId }, select: { tenantId: true } }),
  );
  if (!key) throw new AppError("not_found", "API key not found");
  return key.tenantId;
}

const row = (k: ApiKeyView) => ({
  id: k.id,
  name: k.name,
  prefix: `${k.displayPrefix}…`,
  scopes: k.scopes.join(","),
  status: k.status,
  "last used": k.lastUsedAt ?? "never",
});

export async function keyCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  const v = args.values;
  switch (sub) {
    case "create": {
      const tenantId = await tenantIdOf(v.tenant);
      if (!v.name) throw new UsageError("key create needs --name");
      if (!v.scopes) throw new UsageError("key create needs --scopes (e.g. --scopes inference)");
      const rateLimit = v.rate === undefined ? undefined : parseRateLimit(v.rate);
      if (rateLimit === null) throw new UsageError(`--rate "${v.rate}" is not N/<window> (e.g. 100/60s, 1000/1h)`);
      const created = await createApiKey(
        tenantId,
        { name: v.name, scopes: csv(v.scopes) as never, models: csv(v.models), ips: csv(v.ips), expiresAt: v.expires, rateLimit },
        { actor: cliActor() },
      );
      return out.result({ ...created.key, key: created.secret }, () =>
        [`created key ${created.key.id} (${created.key.name})`, "", `  ${created.secret}`, "", "Store it now: it is shown once and cannot be recovered."].join("\n"),
      );
    }
    case "list": {
      const keys = await listApiKeys(await tenantIdOf(v.tenant));
      return out.result({ keys }, () => table(keys.map(row), ["id", "name", "prefix", "scopes", "status", "last used"]));
    }
    case "rotate": {
      const keyId = args.positionals[0];
      const tenantId = await tenantOfKey(keyId, "rotate");
      const graceSeconds = v.grace === undefined ? undefined : parseDuration(v.grace);
      const rotated = await rotateApiKey(tenantId, keyId!, { graceSeconds }, { actor: cliActor() });
      return out.result({ ...rotated.key, key: rotated.secret, previousValidUntil: rotated.previousValidUntil }, () =>
        [`rotated key ${keyId}: generation ${rotated.key.generation}`, "", `  ${rotated.secret}`, "", `The previous secret works until ${rotated.previousValidUntil}.`].join("\n"),
      );
    }
    case "revoke": {
      const keyId = args.positionals[0];
      const key = await revokeApiKey(await tenantOfKey(keyId, "revoke"), keyId!, { actor: cliActor() });
      return out.result(key, () => `revoked key ${key.id} (${key.name})`);
    }
    default:
      throw new UsageError("key commands: create, list, rotate, revoke");
  }
}
