import { createCheckpoint, checkpointAllTenants } from "../../lib/audit/checkpoints";
import { getSigningKey } from "../../lib/audit/signing-key";
import { verifyAuditChain, type ChainVerification } from "../../lib/audit/verify-chain";
import { getDb } from "../../lib/db/client";
import { tenantIdOf, type CommandArgs } from "./context";
import { EXIT, UsageError, type Printer } from "./output";

function parseInstant(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text) && !Number.isNaN(Date.parse(text));
  if (!ok) throw new UsageError(`${flag} "${text}" is not an ISO 8601 date-time (e.g. 2026-11-26T08:00:00Z)`);
  return new Date(text);
}

function describe(slug: string, r: ChainVerification): string {
  if (r.status === "empty") return `${slug}: no audit entries${r.total === 0 && r.firstSeq === null ? "" : " in this range"}`;
  const range = `seq ${r.firstSeq}-${r.lastSeq}`;
  const anchor = r.anchor === "checkpoint" ? ", from a signed checkpoint" : "";
  if (r.status === "valid") {
    return `${slug}: ${r.valid}/${r.total} valid (${range}${anchor}; ${r.checkpoints.total} checkpoint${r.checkpoints.total === 1 ? "" : "s"} verified)`;
  }
  const b = r.broken!;
  return `${slug}: BROKEN at seq ${b.seq} (${b.reason}${b.entryId ? `, entry ${b.entryId}` : ""}): ${b.message}\n${slug}: ${r.valid}/${r.total} valid before the break`;
}

/**
 * `mg audit verify|checkpoint|public-key`. verify exits 0 when every chain
 * checked is valid (or empty), 1 when one is broken, 2 on a usage error.
 */
export async function auditCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<number> {
  const v = args.values;
  switch (sub) {
    case "verify": {
      const from = parseInstant(v.from, "--from");
      const to = parseInstant(v.to, "--to");
      if (from && to && from > to) throw new UsageError("--from must not be after --to");
      const tenants = v.tenant
        ? [{ id: await tenantIdOf(v.tenant), slug: v.tenant }]
        : await getDb().tenant.findMany({ select: { id: true, slug: true }, orderBy: { slug: "asc" } });
      const results: Array<ChainVerification & { slug: string }> = [];
      for (const t of tenants) results.push({ ...(await verifyAuditChain(t.id, { from, to })), slug: t.slug });
      const broken = results.filter((r) => r.status === "broken").length;
      out.result({ valid: broken === 0, tenants: results }, () => {
        if (results.length === 0) return "no tenants";
        const lines = results.map((r) => describe(r.slug, r));
        if (results.length > 1) lines.push(`${results.length - broken}/${results.length} tenants valid`);
        return lines.join("\n");
      });
      return broken ? EXIT.failed : EXIT.ok;
    }
    case "checkpoint": {
      if (v.tenant) {
        const r = await createCheckpoint(await tenantIdOf(v.tenant));
        out.result(r ? { ...r.checkpoint, created: r.created } : { created: false, checkpoint: null }, () =>
          r ? `${r.created ? "signed" : "already signed"}: ${v.tenant} seq ${r.checkpoint.seq} ${r.checkpoint.entryHash} (key ${r.checkpoint.keyId})` : `${v.tenant}: no audit entries to sign`,
        );
      } else {
        const r = await checkpointAllTenants();
        out.result(r, () => `signed ${r.created} new checkpoint${r.created === 1 ? "" : "s"} across ${r.tenants} tenants`);
      }
      return EXIT.ok;
    }
    case "public-key": {
      const key = getSigningKey();
      out.result({ algorithm: "Ed25519", keyId: key.keyId, publicKeyPem: key.publicKeyPem }, () => key.publicKeyPem.trimEnd());
      return EXIT.ok;
    }
    default:
      throw new UsageError("audit commands: verify, checkpoint, public-key");
  }
}
