import { getDb, type Db, type TxClient } from "../db/client";
import { currentDataKey, dataKeyOfVersion, platformKeyRing } from "./data-keys";
import { DATA_KEY_FORMAT, decryptField, DecryptionError, envelopeInfo, openWithDataKey, sealWithDataKey } from "./field-cipher";
import { getMasterKeyProvider } from "./key-provider";
import { dataKeyOrRefuse, type SecretLocation } from "./tenant-secrets";

/**
 * Secrets that belong to no tenant (users' TOTP secrets) are sealed under the
 * platform data key ring, exactly like tenant secrets (owner `platform` in the
 * AAD). `db` may be the caller's transaction or the process client.
 */
export async function sealPlatformSecret(where: SecretLocation, plaintext: Buffer, db: Db | TxClient = getDb()): Promise<Buffer> {
  const ring = platformKeyRing(db);
  return sealWithDataKey(plaintext, where, ring.owner, await currentDataKey(ring));
}

/**
 * Opens a platform secret. Also opens envelopes of the format before envelope
 * encryption (a field key derived from the master key, current or previous),
 * which the owner re-seals on its next write and the re-encryption job
 * (`mg crypto rotate-data-key --platform`) moves onto the data key.
 */
export async function openPlatformSecret(where: SecretLocation, envelope: Uint8Array, db: Db | TxClient = getDb()): Promise<Buffer> {
  const info = envelopeInfo(envelope);
  if (info.format !== DATA_KEY_FORMAT) return openLegacyField(where, envelope);
  const ring = platformKeyRing(db);
  return openWithDataKey(envelope, where, ring.owner, await dataKeyOrRefuse(() => dataKeyOfVersion(ring, info.keyVersion)));
}

/** Opens a format-0x01 envelope under the current or any previous master key. */
export function openLegacyField(where: SecretLocation, envelope: Uint8Array): Buffer {
  for (const keys of getMasterKeyProvider().legacyFieldKeys?.() ?? []) {
    try {
      return decryptField(envelope, where, keys);
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
    }
  }
  throw new DecryptionError();
}
