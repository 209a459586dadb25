import { recordAudit, type Actor } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withOperatorRead, withTenant } from "../db/tenant-scope";
import { platformKeyRing, tenantKeyRing, wrapAad, type KeyRing } from "./data-keys";
import { getMasterKeyProvider, KekUnwrapError, UnknownKekError, type MasterKeyProvider } from "./key-provider";
import { columnsOf, quoteIdent } from "./reencrypt";

export type RewrapResult = {
  kekId: string;
  /** Tenants whose key ring was checked. */
  tenants: number;
  /** Data-key versions re-wrapped (tenants and platform). */
  rewrapped: number;
  /** Versions still wrapped by another master key (a concurrent change; run again). */
  skipped: number;
  /** Versions that did not unwrap (master key not configured, or the wrapped key damaged); left as they are. */
  failed: { owner: string; keyVersion: number; reason: string }[];
};

/**
 * Re-wraps every version of one key ring that is not wrapped by the current
 * master key. Only the wrapping changes; the data key, and so every sealed
 * secret, stays as it is. A version re-wrapped meanwhile by someone else is
 * left alone (the update is conditional on the old master key id).
 */
async function rewrapRing(
  ring: KeyRing,
  keks: MasterKeyProvider,
  failed: RewrapResult["failed"],
): Promise<{ versions: number[]; from: string[]; skipped: number }> {
  const current = keks.currentKekId();
  const versions: number[] = [];
  const from = new Set<string>();
  let skipped = 0;
  for (const row of await ring.all()) {
    if (row.kekId === current) continue;
    let key: Buffer;
    try {
      key = await keks.unwrap(row.kekId, Buffer.from(row.wrappedKey), wrapAad(ring.owner, row.keyVersion, row.kekId));
    } catch (err) {
      if (!(err instanceof UnknownKekError || err instanceof KekUnwrapError)) throw err;
      failed.push({ owner: ring.owner, keyVersion: row.keyVersion, reason: err.message });
      continue;
    }
    const next = await keks.wrap(key, wrapAad(ring.owner, row.keyVersion, current));
    key.fill(0);
    if (await ring.rewrap(row.keyVersion, row.kekId, { wrappedKey: new Uint8Array(next.wrapped), kekId: next.kekId })) {
      versions.push(row.keyVersion);
      from.add(row.kekId);
    } else skipped++;
  }
  return { versions, from: [...from], skipped };
}

/**
 * Master-key rotation: re-wraps every tenant's and the platform's data keys
 * under the current master key, one transaction per tenant, each with an audit
 * entry (`crypto.data_key_rewrap`) in that tenant's trail. No sealed secret is
 * touched. Processes keep working throughout as long as the old master key is
 * listed in MASTER_KEY_PREVIOUS; safe to run again (it skips what is done).
 * A version that does not unwrap is reported in `failed` and left alone; the
 * others are still re-wrapped.
 */
export async function rewrapAllDataKeys(
  actor: Actor,
  opts: { keks?: MasterKeyProvider; db?: Db } = {},
): Promise<RewrapResult> {
  const keks = opts.keks ?? getMasterKeyProvider();
  const db = opts.db ?? getDb();
  const kekId = keks.currentKekId();
  const result: RewrapResult = { kekId, tenants: 0, rewrapped: 0, skipped: 0, failed: [] };
  const tenants = await db.tenant.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of tenants) {
    result.tenants++;
    await withTenant(
      id,
      async (tx) => {
        const done = await rewrapRing(tenantKeyRing(tx, id), keks, result.failed);
        result.rewrapped += done.versions.length;
        result.skipped += done.skipped;
        if (done.versions.length === 0) return;
        await recordAudit(tx, id, {
          action: "crypto.data_key_rewrap",
          actor,
          target: { type: "tenant_data_key", id },
          metadata: { key_versions: done.versions, from_kek_ids: done.from, to_kek_id: kekId },
        });
      },
      db,
    );
  }
  await db.$transaction(async (tx) => {
    const done = await rewrapRing(platformKeyRing(tx), keks, result.failed);
    result.rewrapped += done.versions.length;
    result.skipped += done.skipped;
    if (done.versions.length === 0) return;
    await tx.platformAuditLog.create({
      data: {
        action: "crypto.data_key_rewrap",
        actorType: actor.type,
        actorId: actor.id ?? null,
        targetType: "platform_data_key",
        metadata: { key_versions: done.versions, from_kek_ids: done.from, to_kek_id: kekId },
      },
    });
  });
  return result;
}

export type DataKeyStatus = {
  currentKekId: string;
  configuredKekIds: string[];
  /** Data-key versions (tenants and platform) per master key id that wraps them. */
  versionsByKek: Record<string, number>;
  /** Re-encryptions onto a new version that have not finished. */
  rotationsInProgress: { owner: string; keyVersion: number; reencryptedRows: number }[];
  /** Platform secrets (TOTP) still in the format from before envelope encryption. */
  legacyPlatformSecrets: number;
};

/**
 * Where the key rings stand (`mg crypto status`): which master keys are still
 * needed, and which rotations are running. Reads every tenant's wrapped keys
 * through the audited operator path.
 */
export async function dataKeyStatus(actor: { type: "system"; id: string }, opts: { keks?: MasterKeyProvider; db?: Db } = {}): Promise<DataKeyStatus> {
  const keks = opts.keks ?? getMasterKeyProvider();
  const db = opts.db ?? getDb();
  const select = { keyVersion: true, kekId: true, reencryptCursor: true, reencryptedAt: true, reencryptedRows: true } as const;
  const tenantRows = await withOperatorRead(
    { actor, reason: "mg crypto status", resource: "tenant_data_keys" },
    (tx) => tx.tenantDataKey.findMany({ select: { ...select, tenantId: true } }),
    db,
  );
  const platformRows = await db.platformDataKey.findMany({ select });
  const status: DataKeyStatus = {
    currentKekId: keks.currentKekId(),
    configuredKekIds: keks.kekIds(),
    versionsByKek: {},
    rotationsInProgress: [],
    legacyPlatformSecrets: 0,
  };
  for (const r of [...tenantRows.map((t) => ({ ...t, owner: `tenant:${t.tenantId}` })), ...platformRows.map((p) => ({ ...p, owner: "platform" }))]) {
    status.versionsByKek[r.kekId] = (status.versionsByKek[r.kekId] ?? 0) + 1;
    if (r.reencryptCursor !== null && r.reencryptedAt === null) {
      status.rotationsInProgress.push({ owner: r.owner, keyVersion: r.keyVersion, reencryptedRows: r.reencryptedRows });
    }
  }
  for (const column of columnsOf("platform")) {
    const [legacy] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${quoteIdent(column.table)} WHERE get_byte(${quoteIdent(column.column)}, 0) = 1`,
    );
    status.legacyPlatformSecrets += legacy?.n ?? 0;
  }
  return status;
}
