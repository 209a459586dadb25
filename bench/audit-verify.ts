/**
 * Audit verification throughput: one tenant with BENCH_AUDIT_VERIFY_ENTRIES
 * (default 200 000) chained entries, verified end to end by
 * verifyAuditChain (reads pages as the application role through RLS,
 * recomputes every RFC 8785 hash, checks links and the checkpoint). The
 * entries are chained in Node with the same code recordAudit uses and loaded
 * in bulk as the bench database's superuser (the insert trigger's per-row
 * work is not what is measured here). Run alone with
 * `npx tsx bench/audit-verify.ts`; `npm run bench` runs it too.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { computeEntryHash, GENESIS_HASH } from "../lib/audit/chain-format";
import { createCheckpoint } from "../lib/audit/checkpoints";
import { verifyAuditChain } from "../lib/audit/verify-chain";
import { createPrismaClient } from "../lib/db/client";
import { benchTenants } from "./audit-append";
import { benchDatabaseUrls } from "./bench-db";

export type VerifyResult = { entries: number; seconds: number; perSecond: number; status: string; loadSeconds: number };

async function loadChain(tenantId: string, count: number): Promise<void> {
  const admin = new pg.Client({ connectionString: benchDatabaseUrls().migration });
  await admin.connect();
  try {
    let prev = GENESIS_HASH;
    const start = Date.now() - count; // one entry per millisecond, in the past
    const BATCH = 5_000;
    for (let from = 1; from <= count; from += BATCH) {
      const cols: unknown[][] = Array.from({ length: 9 }, () => []);
      for (let seq = from; seq < Math.min(from + BATCH, count + 1); seq++) {
        const row = {
          id: randomUUID(), tenantId, seq, createdAt: new Date(start + seq), actorType: "user", actorId: randomUUID(), action: "key.update",
          targetType: "api_key", targetId: randomUUID(), outcome: "success", ip: "203.0.113.10", userAgent: "bench/1", requestId: `bench-${seq}`,
          details: { before: { name: `k${seq}`, scopes: ["inference"] }, after: { name: `k${seq + 1}`, scopes: ["inference", "models:read"] } },
        };
        const hash = computeEntryHash(prev, row);
        [row.id, row.seq, row.createdAt, row.actorId, row.targetId, row.requestId, JSON.stringify(row.details), prev, hash].forEach((v, i) => cols[i]!.push(v));
        prev = hash;
      }
      await admin.query("BEGIN");
      await admin.query("SET LOCAL session_replication_role = replica"); // bulk load: rows arrive already chained
      await admin.query(
        `INSERT INTO audit_logs (id, tenant_id, seq, created_at, actor_type, actor_id, action, target_type, target_id, outcome, ip, user_agent, request_id, metadata, prev_hash, entry_hash)
         SELECT u.id, $1, u.seq, u.created_at, 'user', u.actor_id, 'key.update', 'api_key', u.target_id, 'success', '203.0.113.10', 'bench/1', u.request_id, u.metadata, u.prev_hash, u.entry_hash
         FROM unnest($2::uuid[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[])
           AS u(id, seq, created_at, actor_id, target_id, request_id, metadata, prev_hash, entry_hash)`,
        [tenantId, ...cols],
      );
      await admin.query("COMMIT");
    }
    await admin.query("ANALYZE audit_logs");
  } finally {
    await admin.end();
  }
}

export async function auditVerifyBench(opts: { entries?: number } = {}): Promise<VerifyResult> {
  const entries = opts.entries ?? (Number(process.env.BENCH_AUDIT_VERIFY_ENTRIES) || 200_000);
  const [tenantId] = await benchTenants(1, "audit-verify-bench");
  const loadStarted = performance.now();
  await loadChain(tenantId!, entries);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const db = createPrismaClient({ connectionString: benchDatabaseUrls().app, max: 4 });
  try {
    await createCheckpoint(tenantId!, { db });
    await verifyAuditChain(tenantId!, { db, to: new Date(Date.now() - entries + 5_000) }); // warm-up: the first few thousand
    const started = performance.now();
    const result = await verifyAuditChain(tenantId!, { db });
    const seconds = (performance.now() - started) / 1000;
    return { entries: result.total, seconds, perSecond: Math.round(result.total / seconds), status: `${result.status} ${result.valid}/${result.total}`, loadSeconds };
  } finally {
    await db.$disconnect();
  }
}

export const describeVerify = (r: VerifyResult) =>
  `audit verify: ${r.perSecond} entries/s (${r.entries} entries in ${r.seconds.toFixed(2)} s, ${r.status}; loaded in ${r.loadSeconds.toFixed(1)} s)`;

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeVerify(await auditVerifyBench()));
}
