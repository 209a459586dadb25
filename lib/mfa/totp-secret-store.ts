import "server-only";
import { decryptField, encryptField } from "../crypto/field-cipher";

/** Where a TOTP secret may live: the confirmed one, or one being enrolled. */
export type TotpSecretColumn = "totp_secret" | "pending_totp_secret";

/** Seals a base32 TOTP secret for one column of the user's user_mfa row. */
export function sealTotpSecret(userId: string, column: TotpSecretColumn, secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(encryptField(Buffer.from(secret, "utf8"), { table: "user_mfa", column, rowId: userId }));
}

/** Opens what sealTotpSecret sealed for exactly this user and column (throws otherwise). */
export function openTotpSecret(userId: string, column: TotpSecretColumn, envelope: Uint8Array): string {
  return decryptField(envelope, { table: "user_mfa", column, rowId: userId }).toString("utf8");
}
