import { randomBytes } from "node:crypto";
import type { Db, TxClient } from "../db/client";
import type { DataKey } from "./field-cipher";
import { getMasterKeyProvider, type MasterKeyProvider } from "./key-provider";

/**
 * Data keys: one 256-bit AES key per tenant (and one ring for the platform),
 * versioned, stored only wrapped by a master key. Secrets are sealed under the
 * highest active version; any stored version still opens what it sealed.
 *
 * A key ring is reached through the caller's client: for a tenant, the
 * transaction from withTenant (RLS keeps every other tenant's keys out of
 * sight); for the platform, any client.
 */
export type DataKeyRow = { keyVersion: number; wrappedKey: Uint8Array; kekId: string; status: string };

export type KeyRing = {
  /** `tenant:<uuid>` or `platform`: bound into wrapping and sealing AADs. */
  owner: string;
  current(): Promise<DataKeyRow | null>;
  byVersion(version: number): Promise<DataKeyRow | null>;
  all(): Promise<DataKeyRow[]>;
  /** Inserts a version unless it exists (ON CONFLICT DO NOTHING); true if this call created it. */
  insert(row: { keyVersion: number; wrappedKey: Uint8Array<ArrayBuffer>; kekId: string }): Promise<boolean>;
  /** Replaces the wrapping of one version if it is still wrapped by `fromKekId`; true if it changed. */
  rewrap(version: number, fromKekId: string, next: { wrappedKey: Uint8Array<ArrayBuffer>; kekId: string }): Promise<boolean>;
};

const SELECT = { keyVersion: true, wrappedKey: true, kekId: true, status: true } as const;

export function tenantKeyRing(tx: TxClient, tenantId: string): KeyRing {
  const tenant = tenantId.toLowerCase();
  return {
    owner: `tenant:${tenant}`,
    current: () =>
      tx.tenantDataKey.findFirst({ where: { tenantId: tenant, status: "active" }, orderBy: { keyVersion: "desc" }, select: SELECT }),
    byVersion: (keyVersion) =>
      tx.tenantDataKey.findUnique({ where: { tenantId_keyVersion: { tenantId: tenant, keyVersion } }, select: SELECT }),
    all: () => tx.tenantDataKey.findMany({ where: { tenantId: tenant }, orderBy: { keyVersion: "asc" }, select: SELECT }),
    insert: async (row) =>
      (await tx.tenantDataKey.createMany({ data: [{ tenantId: tenant, ...row }], skipDuplicates: true })).count === 1,
    rewrap: async (keyVersion, fromKekId, next) =>
      (
        await tx.tenantDataKey.updateMany({
          where: { tenantId: tenant, keyVersion, kekId: fromKekId },
          data: { ...next, rewrappedAt: new Date() },
        })
      ).count === 1,
  };
}

export function platformKeyRing(db: Db | TxClient): KeyRing {
  return {
    owner: "platform",
    current: () => db.platformDataKey.findFirst({ where: { status: "active" }, orderBy: { keyVersion: "desc" }, select: SELECT }),
    byVersion: (keyVersion) => db.platformDataKey.findUnique({ where: { keyVersion }, select: SELECT }),
    all: () => db.platformDataKey.findMany({ orderBy: { keyVersion: "asc" }, select: SELECT }),
    insert: async (row) => (await db.platformDataKey.createMany({ data: [row], skipDuplicates: true })).count === 1,
    rewrap: async (keyVersion, fromKekId, next) =>
      (await db.platformDataKey.updateMany({ where: { keyVersion, kekId: fromKekId }, data: { ...next, rewrappedAt: new Date() } }))
        .count === 1,
  };
}

/** What binds a wrapped key to its owner, version and master key. */
export function wrapAad(owner: string, version: number, kekId: string): Buffer {
  return Buffer.from(["modelgate:data-key", owner, version, kekId].join("\u0000"), "utf8");
}

/**
 * Unwrapped keys, briefly, keyed by owner, version and the wrapped bytes: a
 * version whose creating transaction rolled back, or that was re-wrapped, can
 * never be served stale. Never logged, never leaves the process.
 */
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 10_000;
const cache = new Map<string, { key: Buffer; expiresAt: number }>();

export function clearDataKeyCache(): void {
  for (const entry of cache.values()) entry.key.fill(0);
  cache.clear();
}

export async function unwrapDataKey(
  owner: string,
  row: DataKeyRow,
  keks: MasterKeyProvider = getMasterKeyProvider(),
): Promise<DataKey> {
  const cacheKey = `${owner}\u0000${row.keyVersion}\u0000${row.kekId}\u0000${Buffer.from(row.wrappedKey).toString("base64")}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.expiresAt > Date.now()) return { version: row.keyVersion, key: hit.key };
  const key = await keks.unwrap(row.kekId, Buffer.from(row.wrappedKey), wrapAad(owner, row.keyVersion, row.kekId));
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, { key, expiresAt: Date.now() + CACHE_TTL_MS });
  return { version: row.keyVersion, key };
}

/** Creates `version` of the ring's data key (no-op if it exists). True if this call created it. */
export async function createDataKeyVersion(
  ring: KeyRing,
  version: number,
  keks: MasterKeyProvider = getMasterKeyProvider(),
): Promise<boolean> {
  const key = randomBytes(32);
  const kekId = keks.currentKekId();
  const wrapped = await keks.wrap(key, wrapAad(ring.owner, version, kekId));
  key.fill(0);
  return ring.insert({ keyVersion: version, wrappedKey: new Uint8Array(wrapped.wrapped), kekId: wrapped.kekId });
}

/**
 * The data key new secrets are sealed with. The first seal creates version 1;
 * two transactions racing to do so agree on one (the unique key makes the
 * loser's insert a no-op, and it reads the winner's row).
 */
export async function currentDataKey(ring: KeyRing, keks: MasterKeyProvider = getMasterKeyProvider()): Promise<DataKey> {
  let row = await ring.current();
  if (!row) {
    await createDataKeyVersion(ring, 1, keks);
    row = await ring.current();
    if (!row) throw new Error(`no active data key for ${ring.owner}`);
  }
  return unwrapDataKey(ring.owner, row, keks);
}

export class UnknownDataKeyError extends Error {
  constructor(owner: string, version: number) {
    super(`${owner} has no data key of version ${version}`);
    this.name = "UnknownDataKeyError";
  }
}

/** The data key of `version` (active or retired), for opening what it sealed. */
export async function dataKeyOfVersion(
  ring: KeyRing,
  version: number,
  keks: MasterKeyProvider = getMasterKeyProvider(),
): Promise<DataKey> {
  const row = await ring.byVersion(version);
  if (!row) throw new UnknownDataKeyError(ring.owner, version);
  return unwrapDataKey(ring.owner, row, keks);
}
