/**
 * Every column that holds a sealed secret. The data-key re-encryption job walks
 * this list, so a new encrypted column must be registered here.
 *
 * - `scope: "tenant"`: sealed with sealTenantSecret under the row's tenant data
 *   key; the table must carry `tenant_id`.
 * - `scope: "platform"`: sealed under the platform data key (user-scoped secrets
 *   such as TOTP secrets).
 */
export type EncryptedColumn = {
  /** Database table name (snake_case, as in SQL). */
  table: string;
  /** Database column name (bytea). */
  column: string;
  /**
   * A uuid column whose value is the `rowId` the secret was sealed with (the
   * job walks rows in its order and re-seals for that same location).
   */
  idColumn: string;
  scope: "tenant" | "platform";
};

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: "user_mfa", column: "totp_secret", idColumn: "user_id", scope: "platform" },
  { table: "user_mfa", column: "pending_totp_secret", idColumn: "user_id", scope: "platform" },
  // Model backend credentials (lib/models/model-credentials.ts).
  { table: "model_versions", column: "credential_secret", idColumn: "id", scope: "tenant" },
  // Webhook signing secrets (lib/webhooks/webhook-secret.ts).
  { table: "webhook_endpoints", column: "secret_ciphertext", idColumn: "id", scope: "tenant" },
];
