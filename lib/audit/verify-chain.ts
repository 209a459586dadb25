import type { KeyObject } from "node:crypto";
import { Prisma } from "../db/generated/client";
import type { Db, TxClient } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { CHAIN_FORMAT_VERSION, computeEntryHash, GENESIS_HASH, type ChainRow } from "./chain-format";
import { createPageHasher, type PageSummary } from "./verify-worker";
import { checkpointSignatureValid, verificationKeys } from "./signing-key";

export type BreakReason = "edited" | "deleted" | "reordered" | "truncated" | "bad_checkpoint";

export type ChainVerification = {
  tenantId: string;
  /** `empty`: the tenant has no entries (and no checkpoint expecting any). */
  status: "valid" | "broken" | "empty";
  /** Entries in the verified range (M of "N/M valid"). */
  total: number;
  /** Entries verified before the first break (N). */
  valid: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Where the chain is anchored: seq 1 (genesis), or a signed checkpoint after retention removed older entries. */
  anchor: "genesis" | "checkpoint" | "range";
  checkpoints: { total: number; latestSeq: number | null };
  broken: { seq: number; entryId: string | null; reason: BreakReason; message: string } | null;
};

export type VerifyOptions = {
  from?: Date;
  to?: Date;
  db?: Db;
  /** Public keys checkpoints may verify under, by key id (default: AUDIT_SIGNING_KEY's and AUDIT_PREVIOUS_PUBLIC_KEYS). */
  keys?: Map<string, KeyObject>;
  pageSize?: number;
  /** Pages read ahead in parallel (default 3). */
  readAhead?: number;
  /**
   * Recompute hashes on a worker thread while this one reads and joins pages
   * (default true; used only when the range spans more than one page).
   */
  hashWorker?: boolean;
};

type RawRow = {
  id: string;
  tenant_id: string;
  seq: bigint;
  created_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: unknown;
  prev_hash: string;
  entry_hash: string;
};

const toChainRow = (r: RawRow): ChainRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  seq: Number(r.seq),
  createdAt: r.created_at,
  actorType: r.actor_type,
  actorId: r.actor_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome,
  ip: r.ip,
  userAgent: r.user_agent,
  requestId: r.request_id,
  details: r.metadata,
  prevHash: r.prev_hash,
  entryHash: r.entry_hash,
});

const COLUMNS = Prisma.sql`id::text, tenant_id::text, seq, created_at, actor_type::text, actor_id, action, target_type, target_id,
  outcome::text, ip, user_agent, request_id, metadata, prev_hash, entry_hash`;

/**
 * One page by seq, as one text: a line per row, each row one JSON array
 * (a fraction of the cost of sixteen typed columns, or of a row per entry,
 * through the client); `time` is rendered by the database exactly as the
 * chain hashes it. Lines are parsed by parseRow, or on the hashing worker
 * (verify-worker.ts). JSON text holds no raw newline, so lines split cleanly.
 */
async function readPage(tx: TxClient, tenantId: string, afterSeq: number, maxSeq: number): Promise<string> {
  const [page] = await tx.$queryRaw<{ t: string | null }[]>`SELECT string_agg(json_build_array(id, seq, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      actor_type, actor_id, action, target_type, target_id, outcome, ip, user_agent, request_id, metadata, prev_hash, entry_hash)::text, E'\n' ORDER BY seq) AS t
    FROM audit_logs WHERE tenant_id = ${tenantId}::uuid AND seq > ${afterSeq} AND seq <= ${maxSeq}`;
  return page?.t ?? "";
}

function parseRow(tenantId: string, r: string): ChainRow {
  const [id, seq, time, actorType, actorId, action, targetType, targetId, outcome, ip, userAgent, requestId, details, prevHash, entryHash] = JSON.parse(r) as [
    string, number, string, string, string | null, string, string | null, string | null, string, string | null, string | null, string | null, unknown, string, string,
  ];
  return { id, tenantId, seq, createdAt: new Date(time), actorType, actorId, action, targetType, targetId, outcome, ip, userAgent, requestId, details, prevHash, entryHash };
}

const pageRows = (tenantId: string, text: string): ChainRow[] => (text === "" ? [] : text.split("\n").map((r) => parseRow(tenantId, r)));

async function readEntry(tx: TxClient, tenantId: string, seq: number): Promise<ChainRow | null> {
  const rows = await tx.$queryRaw<RawRow[]>`SELECT ${COLUMNS} FROM audit_logs WHERE tenant_id = ${tenantId}::uuid AND seq = ${seq}`;
  return rows[0] ? toChainRow(rows[0]) : null;
}

type Checkpoint = { seq: number; entryHash: string; signedAt: Date; signature: string; keyId: string };

/**
 * Verifies one tenant's audit chain (or the part of it written between
 * `from` and `to`): recomputes every entry's hash from its fields, checks
 * that seq runs without gaps and that each entry links to the previous one,
 * checks every checkpoint's Ed25519 signature and that the entries it
 * covers still carry the hash it signed, and that no signed entry is
 * missing at the end. Stops at the first broken entry and says why.
 * Reads in pages (one short transaction each), so memory stays flat.
 */
export async function verifyAuditChain(tenantId: string, opts: VerifyOptions = {}): Promise<ChainVerification> {
  const db = opts.db ?? getDb();
  const pageSize = opts.pageSize ?? 10_000;
  const keys = opts.keys ?? verificationKeys();
  const scoped = <T>(fn: (tx: TxClient) => Promise<T>) => withTenant(tenantId, fn, db);

  const { checkpoints, bounds } = await scoped(async (tx) => {
    const cps = await tx.auditCheckpoint.findMany({ where: { tenantId }, orderBy: { seq: "asc" } });
    const [b] = await tx.$queryRaw<{ lo: bigint | null; hi: bigint | null; n: bigint }[]>`
      SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM audit_logs
      WHERE tenant_id = ${tenantId}::uuid
        AND (${opts.from ?? null}::timestamptz IS NULL OR created_at >= ${opts.from ?? null}::timestamptz)
        AND (${opts.to ?? null}::timestamptz IS NULL OR created_at <= ${opts.to ?? null}::timestamptz)`;
    return {
      checkpoints: cps.map((c): Checkpoint => ({ seq: Number(c.seq), entryHash: c.entryHash, signedAt: c.signedAt, signature: c.signature, keyId: c.keyId })),
      bounds: { lo: b?.lo == null ? null : Number(b.lo), hi: b?.hi == null ? null : Number(b.hi), n: Number(b?.n ?? 0) },
    };
  });

  const ranged = opts.from !== undefined || opts.to !== undefined;
  const result: ChainVerification = {
    tenantId,
    status: "valid",
    total: bounds.n,
    valid: 0,
    firstSeq: bounds.lo,
    lastSeq: bounds.hi,
    anchor: "genesis",
    checkpoints: { total: checkpoints.length, latestSeq: checkpoints.at(-1)?.seq ?? null },
    broken: null,
  };
  const breakAt = (seq: number, entryId: string | null, reason: BreakReason, message: string): ChainVerification => ({
    ...result,
    status: "broken",
    broken: { seq, entryId, reason, message },
  });

  for (const c of checkpoints) {
    const key = keys.get(c.keyId);
    if (!key) {
      return breakAt(c.seq, null, "bad_checkpoint", `the checkpoint of seq ${c.seq} is signed by key ${c.keyId}, which is neither AUDIT_SIGNING_KEY's nor in AUDIT_PREVIOUS_PUBLIC_KEYS`);
    }
    if (!checkpointSignatureValid({ tenantId, seq: c.seq, entryHash: c.entryHash, signedAt: c.signedAt }, c.signature, key)) {
      return breakAt(c.seq, null, "bad_checkpoint", `the checkpoint of seq ${c.seq} (key ${c.keyId}) does not carry a valid signature`);
    }
  }
  const signedHash = new Map(checkpoints.map((c) => [c.seq, c.entryHash]));
  const latest = checkpoints.at(-1);

  if (bounds.lo === null || bounds.hi === null) {
    if (!ranged && latest) {
      return breakAt(1, null, "truncated", `no entries left, but a checkpoint signed at ${latest.signedAt.toISOString()} covers seq 1-${latest.seq}`);
    }
    return { ...result, status: "empty" };
  }

  // The entry before the range: the link to check the first entry against.
  let prev: { seq: number; id: string; entryHash: string } | null = null;
  if (bounds.lo > 1) {
    prev = await scoped((tx) => readEntry(tx, tenantId, bounds.lo! - 1));
    if (prev) result.anchor = "range";
    else if (signedHash.get(bounds.lo) !== undefined) result.anchor = "checkpoint";
    else {
      return breakAt(bounds.lo - 1, null, "deleted", `entries before seq ${bounds.lo} are missing and no signed checkpoint anchors seq ${bounds.lo}`);
    }
  } else if (ranged) {
    result.anchor = "range";
  }

  // Where an entry whose hash no longer matches was first written: right
  // after the entry its prev_hash names (only looked up on a mismatch).
  const originalSeqOf = async (row: ChainRow): Promise<number | null> => {
    if (row.prevHash === GENESIS_HASH) return 1;
    const [before] = await scoped((tx) =>
      tx.$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_logs WHERE tenant_id = ${tenantId}::uuid AND entry_hash = ${row.prevHash} LIMIT 1`,
    );
    return before ? Number(before.seq) + 1 : null;
  };

  // Checks one entry after `prev` (the first break, or null), in the order
  // of the checks that describe a break best.
  const checkEntry = async (row: ChainRow): Promise<ChainVerification | null> => {
    const expected = prev ? prev.seq + 1 : bounds.lo!;
    if (row.seq !== expected) {
      const last = row.seq - 1;
      return breakAt(expected, null, "deleted", expected === last ? `entry ${expected} is missing` : `entries ${expected}-${last} are missing`);
    }
    const hash = computeEntryHash(row.prevHash, row);
    if (hash !== row.entryHash) {
      const original = await originalSeqOf(row);
      if (original !== null && original !== row.seq && computeEntryHash(row.prevHash, { ...row, seq: original }) === row.entryHash) {
        return breakAt(row.seq, row.id, "reordered", `entry ${row.seq} was written as entry ${original}: the order was changed`);
      }
      return breakAt(row.seq, row.id, "edited", `entry ${row.seq} does not match its hash: it was changed after it was written`);
    }
    if (prev && row.prevHash !== prev.entryHash) {
      return breakAt(prev.seq, prev.id, "edited", `entry ${row.seq} does not link to entry ${prev.seq}: entry ${prev.seq} was rewritten or replaced`);
    }
    if (!prev && bounds.lo === 1 && !ranged && row.prevHash !== GENESIS_HASH) {
      return breakAt(row.seq, row.id, "edited", `entry 1 does not start from the genesis hash`);
    }
    const signed = signedHash.get(row.seq);
    if (signed !== undefined && signed !== row.entryHash) {
      return breakAt(row.seq, row.id, "edited", `entry ${row.seq} differs from the signed checkpoint: the chain was rewritten`);
    }
    result.valid++;
    prev = { seq: row.seq, id: row.id, entryHash: row.entryHash };
    return null;
  };

  // Whether a page the worker found sound joins the chain so far and agrees
  // with every checkpoint inside it (then it holds no break).
  const seqsSigned = checkpoints.map((c) => c.seq);
  const pageJoins = (s: PageSummary, text: string): boolean => {
    const expected = prev ? prev.seq + 1 : bounds.lo!;
    if (!s.ok || s.firstSeq !== expected) return false;
    if (prev ? s.firstPrevHash !== prev.entryHash : bounds.lo === 1 && !ranged && s.firstPrevHash !== GENESIS_HASH) return false;
    const inPage = seqsSigned.filter((seq) => seq >= s.firstSeq && seq <= s.lastSeq);
    if (inPage.length === 0) return true;
    const lines = text.split("\n");
    return inPage.every((seq) => signedHash.get(seq) === parseRow(tenantId, lines[seq - s.firstSeq]!).entryHash);
  };

  // Pages are seq ranges (a valid chain has no gaps, so each holds up to
  // pageSize entries), read `depth` at a time on separate connections and
  // hashed on a worker thread as they arrive, while this thread joins the
  // pages in order. A page that does not join cleanly is checked again here,
  // entry by entry, which finds and describes its first break.
  const depth = opts.readAhead ?? 3;
  const hi = bounds.hi;
  const hasher = opts.hashWorker === false || hi - bounds.lo < pageSize ? null : createPageHasher(CHAIN_FORMAT_VERSION);
  type Page = { text: string; summary: PageSummary | null };
  const pageAt = (k: number) => {
    const after = bounds.lo! - 1 + k * pageSize;
    if (after >= hi) return Promise.resolve<Page | null>(null);
    const p = scoped((tx) => readPage(tx, tenantId, after, Math.min(after + pageSize, hi))).then(
      async (text): Promise<Page> => ({ text, summary: hasher ? await hasher.hash(tenantId, text) : null }),
    );
    p.catch(() => {}); // awaited in order below; a break must not leave it unhandled
    return p;
  };
  try {
    const inFlight = Array.from({ length: depth }, (_, k) => pageAt(k));
    for (let k = 0; ; k++) {
      const page = await inFlight.shift()!;
      if (page === null) break;
      inFlight.push(pageAt(k + depth));
      const s = page.summary;
      if (s && s.n === 0) continue;
      if (s && pageJoins(s, page.text)) {
        result.valid += s.n;
        prev = { seq: s.lastSeq, id: s.lastId, entryHash: s.lastEntryHash };
        continue;
      }
      for (const row of pageRows(tenantId, page.text)) {
        const broken = await checkEntry(row);
        if (broken) return broken;
      }
    }
  } finally {
    await hasher?.close();
  }

  if (prev && prev.seq < bounds.hi) {
    return breakAt(prev.seq + 1, null, "deleted", `entries ${prev.seq + 1}-${bounds.hi} are missing`);
  }
  if (opts.to === undefined && latest && latest.seq > bounds.hi) {
    return breakAt(
      bounds.hi + 1,
      null,
      "truncated",
      `entries ${bounds.hi + 1}-${latest.seq} are missing: a checkpoint signed at ${latest.signedAt.toISOString()} covers them`,
    );
  }
  return result;
}
