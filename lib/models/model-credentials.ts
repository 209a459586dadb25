import type { TxClient } from "../db/client";
import { openTenantSecret, sealTenantSecret } from "../crypto/tenant-secrets";
import type { credentialInput } from "./model-schemas";
import type { z } from "zod";

/** Where a version's credential is sealed (also listed in lib/crypto/encrypted-columns.ts). */
const column = (versionId: string) => ({ table: "model_versions", column: "credential_secret", rowId: versionId });

export type ParsedCredential = z.output<typeof credentialInput>;

/** The credential columns of a version row: kind and header name in clear, the secret sealed for this tenant and row. */
export async function sealCredential(tx: TxClient, tenantId: string, versionId: string, credential: ParsedCredential) {
  const secret = credential.kind === "bearer" ? credential.token : credential.value;
  const sealed = await sealTenantSecret(tx, tenantId, column(versionId), Buffer.from(secret, "utf8"));
  return {
    credentialKind: credential.kind,
    credentialHeader: credential.kind === "header" ? credential.header : null,
    credentialSecret: Uint8Array.from(sealed),
  };
}

export const NO_CREDENTIAL = { credentialKind: null, credentialHeader: null, credentialSecret: null } as const;

/**
 * The header a version's backend expects, opened in memory for the gateway.
 * Null when the version has no credential. Throws when the envelope does not
 * open (tampered, or copied from another row or tenant).
 */
export async function openCredential(
  tx: TxClient,
  tenantId: string,
  row: { id: string; credentialKind: string | null; credentialHeader: string | null; credentialSecret: Uint8Array | null },
): Promise<{ name: string; value: string } | null> {
  if (!row.credentialKind || !row.credentialSecret) return null;
  const secret = (await openTenantSecret(tx, tenantId, column(row.id), row.credentialSecret)).toString("utf8");
  if (row.credentialKind === "bearer") return { name: "authorization", value: `Bearer ${secret}` };
  return { name: row.credentialHeader!, value: secret };
}
