import "server-only";
import type { Db, TxClient } from "../db/client";
import { envelopeInfo, DATA_KEY_FORMAT } from "../crypto/field-cipher";
import { openPlatformSecret, sealPlatformSecret } from "../crypto/platform-secrets";

/** Where a TOTP secret may live: the confirmed one, or one being enrolled. */
export type TotpSecretColumn = "totp_secret" | "pending_totp_secret";

/**
 * Seals a base32 TOTP secret for one column of the user's user_mfa row, under
 * the platform data key (envelope encryption, lib/crypto). `db` may be the
 * caller's transaction.
 */
export async function sealTotpSecret(
  userId: string,
  column: TotpSecretColumn,
  secret: string,
  db?: Db | TxClient,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await sealPlatformSecret({ table: "user_mfa", column, rowId: userId }, Buffer.from(secret, "utf8"), db));
}

/**
 * Opens what sealTotpSecret sealed for exactly this user and column (throws
 * otherwise). Secrets sealed before envelope encryption still open.
 */
export async function openTotpSecret(userId: string, column: TotpSecretColumn, envelope: Uint8Array, db?: Db | TxClient): Promise<string> {
  return (await openPlatformSecret({ table: "user_mfa", column, rowId: userId }, envelope, db)).toString("utf8");
}

/** True for a secret sealed before envelope encryption (re-sealed on the next write). */
export function isLegacyTotpEnvelope(envelope: Uint8Array): boolean {
  return envelopeInfo(envelope).format !== DATA_KEY_FORMAT;
}
