import type { TxClient } from "../db/client";
import { currentDataKey, dataKeyOfVersion, tenantKeyRing, UnknownDataKeyError } from "./data-keys";
import { DATA_KEY_FORMAT, DecryptionError, envelopeInfo, openWithDataKey, sealWithDataKey } from "./field-cipher";
import { KekUnwrapError, UnknownKekError } from "./key-provider";

/**
 * Where a sealed secret lives: SQL table and column names and the row's id
 * (the value of the column registered as `idColumn` in encrypted-columns.ts).
 * All three, the tenant and the data-key version are bound into the AAD.
 */
export type SecretLocation = { table: string; column: string; rowId: string };

/**
 * Seals `plaintext` under the tenant's current data key (created on first use)
 * for exactly this tenant, table, column and row. `tx` must be a transaction
 * from withTenant(tenantId, ...). AES-256-GCM, random 96-bit IV, 128-bit tag.
 */
export async function sealTenantSecret(
  tx: TxClient,
  tenantId: string,
  where: SecretLocation,
  plaintext: Buffer,
): Promise<Buffer> {
  const ring = tenantKeyRing(tx, tenantId);
  return sealWithDataKey(plaintext, where, ring.owner, await currentDataKey(ring));
}

/**
 * Opens what sealTenantSecret sealed for this tenant and location, under
 * whichever data-key version sealed it. Throws DecryptionError for anything
 * else: a tampered envelope, another row's or tenant's ciphertext, a data key
 * this tenant does not have, or a master key that is not configured.
 */
export async function openTenantSecret(
  tx: TxClient,
  tenantId: string,
  where: SecretLocation,
  envelope: Uint8Array,
): Promise<Buffer> {
  const info = envelopeInfo(envelope);
  if (info.format !== DATA_KEY_FORMAT) throw new DecryptionError();
  const ring = tenantKeyRing(tx, tenantId);
  return openWithDataKey(envelope, where, ring.owner, await dataKeyOrRefuse(() => dataKeyOfVersion(ring, info.keyVersion)));
}

/** Turns "no such key" into DecryptionError, naming what is missing but never a key. */
export async function dataKeyOrRefuse<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof UnknownDataKeyError || err instanceof UnknownKekError || err instanceof KekUnwrapError) {
      throw new DecryptionError(err.message);
    }
    throw err;
  }
}

/** The data-key version an envelope was sealed with (0 for the pre-envelope format). */
export function dataKeyVersionOf(envelope: Uint8Array): number {
  const info = envelopeInfo(envelope);
  return info.format === DATA_KEY_FORMAT ? info.keyVersion : 0;
}
