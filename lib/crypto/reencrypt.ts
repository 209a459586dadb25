import { z } from "zod";
import { recordAudit, type Actor } from "../audit/record-audit";
import { getDb, type Db, type TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { createDataKeyVersion, dataKeyOfVersion, platformKeyRing, tenantKeyRing, type KeyRing } from "./data-keys";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns";
import { createLogger } from "../log/logger";
import { DecryptionError, sealWithDataKey } from "./field-cipher";
import { openPlatformSecret } from "./platform-secrets";
import { dataKeyVersionOf, openTenantSecret } from "./tenant-secrets";

/**
 * Data-key rotation: a new version of a ring's data key seals everything new at
 * once; a job then re-encrypts every registered column's rows onto it, one
 * batch per transaction. Each batch commits its rows together with the cursor
 * (stored on the new key's row, locked FOR UPDATE), so a worker killed mid-way
 * loses at most its open batch, and whoever runs next resumes after the last
 * committed one. Rows already on the new version are skipped: re-running is
 * harmless. When every column is done, older versions are retired.
 */
export type RotationScope = { scope: "tenant"; tenantId: string } | { scope: "platform" };
export type RotationTarget = RotationScope & { keyVersion: number };

const log = createLogger("crypto").child({ component: "reencrypt" });

const cursorSchema = z.object({
  column: z.number().int().min(0),
  afterId: z.string().uuid().nullable(),
  /** Rows that opened under no key (already unusable): left as they are, counted, reported. */
  unreadable: z.number().int().min(0).default(0),
});
export type ReencryptCursor = z.infer<typeof cursorSchema>;
const START: ReencryptCursor = { column: 0, afterId: null, unreadable: 0 };

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
export const quoteIdent = (ident: string) => {
  if (!IDENT.test(ident)) throw new Error(`not a plain SQL identifier: ${JSON.stringify(ident)}`);
  return `"${ident}"`;
};

export function columnsOf(scope: RotationScope["scope"]): EncryptedColumn[] {
  return ENCRYPTED_COLUMNS.filter((c) => c.scope === scope);
}

type KeyTable = { table: "tenant_data_keys" | "platform_data_keys"; where: string; params: unknown[] };

function keyTableOf(target: RotationTarget): KeyTable {
  return target.scope === "tenant"
    ? { table: "tenant_data_keys", where: "tenant_id = $1::uuid AND key_version = $2", params: [target.tenantId, target.keyVersion] }
    : { table: "platform_data_keys", where: "key_version = $1", params: [target.keyVersion] };
}

function ringOf(tx: TxClient, target: RotationScope): KeyRing {
  return target.scope === "tenant" ? tenantKeyRing(tx, target.tenantId) : platformKeyRing(tx);
}

/** Runs `fn` in the transaction the scope needs: the tenant's (RLS) or a plain one. */
function inScope<T>(target: RotationScope, db: Db, fn: (tx: TxClient) => Promise<T>): Promise<T> {
  return target.scope === "tenant" ? withTenant(target.tenantId, fn, db) : db.$transaction(fn);
}

async function audit(tx: TxClient, target: RotationScope, actor: Actor, action: string, metadata: Record<string, unknown>) {
  if (target.scope === "tenant") {
    await recordAudit(tx, target.tenantId, { action, actor, target: { type: "tenant_data_key", id: target.tenantId }, metadata });
  } else {
    await tx.platformAuditLog.create({
      data: { action, actorType: actor.type, actorId: actor.id ?? null, targetType: "platform_data_key", metadata: metadata as object },
    });
  }
}

export type RotationStart = { keyVersion: number; resumed: boolean };

/**
 * Creates the next data-key version (it seals new secrets from the commit on)
 * and marks it for re-encryption; audited as `crypto.data_key_rotate`. If a
 * rotation is still unfinished, returns that one (`resumed`) instead of
 * starting another, so its job can simply be enqueued again.
 */
export async function startDataKeyRotation(target: RotationScope, actor: Actor, db: Db = getDb()): Promise<RotationStart> {
  return inScope(target, db, async (tx) => {
    const rows =
      target.scope === "tenant"
        ? await tx.tenantDataKey.findMany({ where: { tenantId: target.tenantId.toLowerCase() }, select: { keyVersion: true, reencryptCursor: true, reencryptedAt: true }, orderBy: { keyVersion: "desc" } })
        : await tx.platformDataKey.findMany({ select: { keyVersion: true, reencryptCursor: true, reencryptedAt: true }, orderBy: { keyVersion: "desc" } });
    const unfinished = rows.find((r) => r.reencryptCursor !== null && r.reencryptedAt === null);
    if (unfinished) return { keyVersion: unfinished.keyVersion, resumed: true };
    const keyVersion = (rows[0]?.keyVersion ?? 0) + 1;
    if (!(await createDataKeyVersion(ringOf(tx, target), keyVersion))) {
      throw new Error(`data key version ${keyVersion} was created concurrently; run the rotation again`);
    }
    const { table, where, params } = keyTableOf({ ...target, keyVersion });
    await tx.$executeRawUnsafe(
      `UPDATE ${table} SET reencrypt_cursor = $${params.length + 1}::jsonb WHERE ${where}`,
      ...params,
      JSON.stringify(START),
    );
    await audit(tx, target, actor, "crypto.data_key_rotate", { key_version: keyVersion, previous_versions: rows.map((r) => r.keyVersion) });
    return { keyVersion, resumed: false };
  });
}

export type BatchResult = { done: boolean; reencrypted: number; cursor: ReencryptCursor | null };

/**
 * One batch of the re-encryption onto `target.keyVersion`, in one transaction
 * with its cursor. Returns done once every registered column is on the new
 * version (and the older versions are retired).
 */
export async function reencryptBatch(
  target: RotationTarget,
  opts: { batchSize?: number; actor?: Actor; db?: Db } = {},
): Promise<BatchResult> {
  const batchSize = opts.batchSize ?? 200;
  const actor = opts.actor ?? { type: "system", id: "worker:reencrypt" };
  return inScope(target, opts.db ?? getDb(), async (tx) => {
    const { table, where, params } = keyTableOf(target);
    const [state] = await tx.$queryRawUnsafe<{ reencrypt_cursor: unknown; reencrypted_at: Date | null }[]>(
      `SELECT reencrypt_cursor, reencrypted_at FROM ${table} WHERE ${where} FOR UPDATE`,
      ...params,
    );
    if (!state) throw new Error(`no data key version ${target.keyVersion} to re-encrypt onto`);
    if (state.reencrypted_at || state.reencrypt_cursor === null) return { done: true, reencrypted: 0, cursor: null };
    const cursor = cursorSchema.parse(state.reencrypt_cursor);
    const columns = columnsOf(target.scope);
    const ring = ringOf(tx, target);

    const column = columns[cursor.column];
    if (!column) {
      const retired =
        target.scope === "tenant"
          ? await tx.tenantDataKey.updateMany({
              where: { tenantId: target.tenantId.toLowerCase(), keyVersion: { lt: target.keyVersion }, status: "active" },
              data: { status: "retired", retiredAt: new Date() },
            })
          : await tx.platformDataKey.updateMany({
              where: { keyVersion: { lt: target.keyVersion }, status: "active" },
              data: { status: "retired", retiredAt: new Date() },
            });
      const [finished] = await tx.$queryRawUnsafe<{ reencrypted_rows: number }[]>(
        `UPDATE ${table} SET reencrypted_at = now() WHERE ${where} RETURNING reencrypted_rows`,
        ...params,
      );
      await audit(tx, target, actor, "crypto.data_key_reencrypted", {
        key_version: target.keyVersion,
        rows: finished?.reencrypted_rows ?? 0,
        unreadable_rows: cursor.unreadable,
        retired_versions: retired.count,
      });
      return { done: true, reencrypted: 0, cursor: null };
    }

    const t = quoteIdent(column.table);
    const c = quoteIdent(column.column);
    const id = quoteIdent(column.idColumn);
    const filters = [`${c} IS NOT NULL`];
    const args: unknown[] = [];
    if (target.scope === "tenant") {
      args.push(target.tenantId);
      filters.push(`tenant_id = $${args.length}::uuid`);
    }
    if (cursor.afterId) {
      args.push(cursor.afterId);
      filters.push(`${id} > $${args.length}::uuid`);
    }
    args.push(batchSize);
    const rows = await tx.$queryRawUnsafe<{ id: string; value: Uint8Array }[]>(
      `SELECT ${id}::text AS id, ${c} AS value FROM ${t} WHERE ${filters.join(" AND ")} ORDER BY ${id} LIMIT $${args.length}`,
      ...args,
    );

    const key = await dataKeyOfVersion(ring, target.keyVersion);
    let reencrypted = 0;
    let unreadable = cursor.unreadable;
    for (const row of rows) {
      const where = { table: column.table, column: column.column, rowId: row.id };
      let plaintext: Buffer;
      try {
        if (dataKeyVersionOf(row.value) === target.keyVersion) continue;
        plaintext =
          target.scope === "tenant"
            ? await openTenantSecret(tx, target.tenantId, where, row.value)
            : await openPlatformSecret(where, row.value, tx);
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        // A ciphertext that opens under no key (tampered, or copied from
        // another row) is already unusable; re-encryption cannot repair it
        // and must not stall on it. It stays as it is and is reported.
        unreadable++;
        log.warn({ tenant_id: target.scope === "tenant" ? target.tenantId : undefined, table: column.table, column: column.column, rowId: row.id }, "re-encryption: a sealed value does not open; left as it is");
        continue;
      }
      const sealed = sealWithDataKey(plaintext, where, ring.owner, key);
      plaintext.fill(0);
      reencrypted += await tx.$executeRawUnsafe(
        `UPDATE ${t} SET ${c} = $1 WHERE ${id} = $2::uuid AND ${c} = $3`,
        new Uint8Array(sealed),
        row.id,
        row.value,
      );
    }

    const next: ReencryptCursor =
      rows.length < batchSize
        ? { column: cursor.column + 1, afterId: null, unreadable }
        : { column: cursor.column, afterId: rows.at(-1)!.id, unreadable };
    const n = params.length;
    await tx.$executeRawUnsafe(
      `UPDATE ${table} SET reencrypt_cursor = $${n + 1}::jsonb, reencrypted_rows = reencrypted_rows + $${n + 2} WHERE ${where}`,
      ...params,
      JSON.stringify(next),
      reencrypted,
    );
    return { done: false, reencrypted, cursor: next };
  });
}

/** Runs batches until the rotation onto `target.keyVersion` is done (what the job does). */
export async function reencryptAll(
  target: RotationTarget,
  opts: { batchSize?: number; actor?: Actor; db?: Db; onBatch?: (r: BatchResult) => Promise<void> | void } = {},
): Promise<{ reencrypted: number; batches: number }> {
  let reencrypted = 0;
  let batches = 0;
  for (;;) {
    const r = await reencryptBatch(target, opts);
    batches++;
    reencrypted += r.reencrypted;
    await opts.onBatch?.(r);
    if (r.done) return { reencrypted, batches };
  }
}
