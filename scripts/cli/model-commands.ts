import { createModel } from "../../lib/models/create-model";
import { deleteModel } from "../../lib/models/delete-model";
import { getModel, listModels } from "../../lib/models/list-models";
import { findModelAnyTenant, grantModel, listModelGrants, revokeModelGrant } from "../../lib/models/model-grants";
import type { CredentialInput, ModelView, UpdateModelInput, UpdateVersionInput } from "../../lib/models/model-schemas";
import { createVersion, updateVersion } from "../../lib/models/model-versions";
import { clearTrafficSplit, setTrafficSplit } from "../../lib/models/traffic-split";
import { updateModel } from "../../lib/models/update-model";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

/**
 * `mg model ...`: the registry from the command line. The CLI holds database
 * credentials, so it acts as a trusted system actor (audited as cli:<user>);
 * MFA step-up applies to the console and the management API, not here.
 */

/** The credential from an environment variable (never from the command line, where it would land in shell history). */
function credentialOf(v: CommandArgs["values"]): CredentialInput | undefined {
  const name = v["credential-from-env"];
  if (name === undefined) {
    if (v["credential-header"] !== undefined) throw new UsageError("--credential-header needs --credential-from-env VAR");
    return undefined;
  }
  const secret = process.env[name];
  if (!secret) throw new UsageError(`--credential-from-env ${name}: the variable is not set or empty`);
  const header = v["credential-header"];
  return header ? { kind: "header", header, value: secret } : { kind: "bearer", token: secret };
}

function intOf(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} "${text}" is not a whole number`);
  return Number(text);
}

function boolOf(text: string | undefined, flag: string): boolean | undefined {
  if (text === undefined) return undefined;
  if (text !== "true" && text !== "false") throw new UsageError(`--${flag} is true or false`);
  return text === "true";
}

/** "v1:90,v2:10" → split versions; "none" → clear. */
function splitOf(text: string): Array<{ version: string; percent: number }> | "none" {
  if (text === "none" || text === "") return "none";
  return text.split(",").map((part) => {
    const m = /^([^:]+):(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError(`--split "${text}" is not V:P,V:P (e.g. v1:90,v2:10) or none`);
    return { version: m[1]!, percent: Number(m[2]) };
  });
}

const row = (m: ModelView) => ({
  id: m.id,
  name: m.name,
  protocol: m.protocol,
  status: m.enabled ? "enabled" : "disabled",
  traffic: m.access === "granted" ? `granted by ${m.sharedBy?.slug}` : m.split ? m.split.versions.map((s) => `${s.version}:${s.percent}`).join(",") : `${m.defaultVersion}:100`,
  visibility: m.visibility,
});

async function modelAndTenant(id: string | undefined, command: string) {
  if (!id) throw new UsageError(`model ${command} needs a model id`);
  const model = await findModelAnyTenant(id, { actor: cliActor() }, `mg model ${command}`);
  return { id: model.id, tenantId: model.tenantId };
}

export async function modelCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  const v = args.values;
  const ctx = { actor: cliActor() };
  switch (sub) {
    case "create": {
      const tenantId = await tenantIdOf(v.tenant);
      if (!v.name) throw new UsageError("model create needs --name");
      if (!v.protocol) throw new UsageError("model create needs --protocol (openai, kserve-v2, torchserve, tfserving)");
      if (!v.url) throw new UsageError("model create needs --url");
      const model = await createModel(
        tenantId,
        {
          name: v.name,
          protocol: v.protocol as never,
          url: v.url,
          version: v.version,
          description: v.description,
          visibility: v.visibility as never,
          timeoutMs: intOf(v.timeout, "timeout"),
          maxConcurrency: intOf(v.concurrency, "concurrency"),
          credential: credentialOf(v),
        },
        ctx,
      );
      return out.result(model, () => `created model ${model.id} (${model.name}, ${model.protocol}) with version ${model.defaultVersion}`);
    }
    case "list": {
      const models = await listModels(await tenantIdOf(v.tenant));
      return out.result({ models }, () => table(models.map(row), ["id", "name", "protocol", "status", "traffic", "visibility"]));
    }
    case "add-version": {
      const { id, tenantId } = await modelAndTenant(args.positionals[0], "add-version");
      if (!v.version || !v.url) throw new UsageError("model add-version needs --version V and --url U");
      const model = await createVersion(
        tenantId,
        id,
        { label: v.version, url: v.url, credential: credentialOf(v), timeoutMs: intOf(v.timeout, "timeout"), maxConcurrency: intOf(v.concurrency, "concurrency") },
        ctx,
      );
      return out.result(model, () => `added version ${v.version} to model ${model.name}`);
    }
    case "update": {
      const { id, tenantId } = await modelAndTenant(args.positionals[0], "update");
      // The version the backend flags apply to: --version, else the default.
      const versionInput: UpdateVersionInput = {
        url: v.url,
        credential: v["clear-credential"] !== undefined ? null : credentialOf(v),
        timeoutMs: intOf(v.timeout, "timeout"),
        maxConcurrency: intOf(v.concurrency, "concurrency"),
      };
      const modelInput: UpdateModelInput = {
        name: v.name,
        description: v.description,
        enabled: boolOf(v.enabled, "enabled"),
        protocol: v.protocol as never,
        visibility: v.visibility as never,
        defaultVersion: v["default-version"],
      };
      const touches = (o: object) => Object.values(o).some((x) => x !== undefined);
      if (!touches(versionInput) && !touches(modelInput) && v.split === undefined) throw new UsageError("model update: nothing to change (see mg --help)");
      let model = await getModel(tenantId, id);
      if (touches(versionInput)) {
        const label = v.version ?? model.defaultVersion;
        const version = model.versions.find((x) => x.label === label);
        if (!version) throw new UsageError(`model ${model.name} has no version "${label}"`);
        model = await updateVersion(tenantId, id, version.id, versionInput, ctx);
      }
      if (touches(modelInput)) model = await updateModel(tenantId, id, modelInput, ctx);
      if (v.split !== undefined) {
        const split = splitOf(v.split);
        model = split === "none" ? await clearTrafficSplit(tenantId, id, ctx) : await setTrafficSplit(tenantId, id, { versions: split }, ctx);
      }
      return out.result(model, () => `updated model ${model.id} (${model.name}): ${row(model).traffic}, ${row(model).status}`);
    }
    case "delete": {
      const { id, tenantId } = await modelAndTenant(args.positionals[0], "delete");
      await deleteModel(tenantId, id, ctx);
      return out.result({ id, deleted: true }, () => `deleted model ${id}`);
    }
    case "grant": {
      if (!v.model || !v.tenant) throw new UsageError("model grant needs --model ID --tenant S");
      const grant = await grantModel(v.model, v.tenant, ctx);
      return out.result(grant, () => `granted model ${grant.modelId} to ${grant.tenant.slug}`);
    }
    case "revoke-grant": {
      if (!v.model || !v.tenant) throw new UsageError("model revoke-grant needs --model ID --tenant S");
      const removed = await revokeModelGrant(v.model, v.tenant, ctx);
      return out.result({ modelId: v.model, tenant: v.tenant, revoked: removed }, () =>
        removed ? `revoked the grant of model ${v.model} to ${v.tenant}` : `model ${v.model} was not granted to ${v.tenant}`,
      );
    }
    case "grants": {
      if (!v.model) throw new UsageError("model grants needs --model ID");
      const grants = await listModelGrants(v.model, ctx);
      return out.result({ grants }, () => table(grants.map((g) => ({ tenant: g.tenant.slug, since: g.createdAt })), ["tenant", "since"]));
    }
    default:
      throw new UsageError("model commands: create, list, add-version, update, delete, grant, revoke-grant, grants");
  }
}
