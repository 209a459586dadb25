import { hash } from "node:crypto";
import canonicalize from "canonicalize";

/** prev_hash of a tenant's first entry (seq 1). */
export const GENESIS_HASH = "0".repeat(64);

/** Chain format version, hashed as `v` (README "Audit trail"). */
export const CHAIN_FORMAT_VERSION = 1;

/** Advisory-lock keys of a tenant's chain: (AUDIT_LOCK_CLASS, hashtext(tenant_id)). Same as the insert trigger. */
export const AUDIT_LOCK_CLASS = 1635083380; // "audt"

/** One stored entry, as verification reads it back. */
export type ChainRow = {
  id: string;
  tenantId: string;
  seq: number;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
  entryHash: string;
};

/**
 * The object whose RFC 8785 canonical JSON is hashed. The database's insert
 * trigger (audit_entry_json, migration 20261126050100_audit_chain) writes
 * the same bytes; this is the independent implementation verification uses.
 */
export function hashedEntry(row: Omit<ChainRow, "prevHash" | "entryHash">): Record<string, unknown> {
  return {
    action: row.action,
    actor: { id: row.actorId, type: row.actorType },
    details: row.details ?? {},
    id: row.id,
    ip: row.ip,
    outcome: row.outcome,
    request_id: row.requestId,
    seq: row.seq,
    target: row.targetType === null && row.targetId === null ? null : { id: row.targetId, type: row.targetType },
    tenant_id: row.tenantId,
    time: row.createdAt.toISOString(),
    user_agent: row.userAgent,
    v: CHAIN_FORMAT_VERSION,
  };
}

const str = (v: string | null) => (v === null ? "null" : JSON.stringify(v));

/**
 * `canonicalize(hashedEntry(row))`, with the fixed top level written out in
 * its (already sorted) key order and only `details` canonicalized generically:
 * the same bytes, at a fraction of the cost (verification hashes every entry).
 * chain-format.test.ts holds the two to equality.
 */
export function canonicalEntryJson(row: Omit<ChainRow, "prevHash" | "entryHash">): string {
  const target = row.targetType === null && row.targetId === null ? "null" : `{"id":${str(row.targetId)},"type":${str(row.targetType)}}`;
  return (
    `{"action":${str(row.action)},"actor":{"id":${str(row.actorId)},"type":${str(row.actorType)}},"details":${canonicalize(row.details ?? {})},` +
    `"id":${str(row.id)},"ip":${str(row.ip)},"outcome":${str(row.outcome)},"request_id":${str(row.requestId)},"seq":${canonicalize(row.seq)},` +
    `"target":${target},"tenant_id":${str(row.tenantId)},"time":"${row.createdAt.toISOString()}","user_agent":${str(row.userAgent)},"v":${CHAIN_FORMAT_VERSION}}`
  );
}

/** entry_hash = hex(SHA-256(prev_hash (64 hex chars) || canonical JSON of the entry)). */
export function computeEntryHash(prevHash: string, row: Omit<ChainRow, "prevHash" | "entryHash">): string {
  return hash("sha256", prevHash + canonicalEntryJson(row), "hex"); // one-shot: no Hash object per entry
}
