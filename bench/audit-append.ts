/**
 * Audit append throughput: many writers, across tenants, each entry in its
 * own transaction through recordAudit (the database links it into its
 * tenant's hash chain under the chain lock), then every chain verified
 * intact. Run alone with `npx tsx bench/audit-append.ts`; `npm run bench`
 * runs it after the gateway cases (BENCH_AUDIT=0 skips it).
 *
 * Knobs: BENCH_AUDIT_SECONDS (default 5), BENCH_AUDIT_WRITERS (default 8),
 * BENCH_AUDIT_TENANTS (default 20).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { recordAuditEntries, type AuditEntry } from "../lib/audit/record-audit";
import { verifyAuditChain } from "../lib/audit/verify-chain";
import { createPrismaClient, type Db } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { withTenant } from "../lib/db/tenant-scope";
import { benchDatabaseUrls } from "./bench-db";

export type AppendResult = { entries: number; seconds: number; perSecond: number; tenants: number; writers: number; batch: number; chainsValid: boolean };

/** Fresh bench tenants (slug `audit-bench-*`), created as the bench database's superuser. */
export async function benchTenants(count: number, prefix: string): Promise<string[]> {
  const urls = benchDatabaseUrls();
  await migrate(urls.migration);
  const admin = new pg.Client({ connectionString: urls.migration });
  await admin.connect();
  try {
    const run = Date.now().toString(36);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = await admin.query<{ id: string }>("INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $2) RETURNING id", [randomUUID(), `${prefix}-${run}-${i}`]);
      ids.push(r.rows[0]!.id);
    }
    return ids;
  } finally {
    await admin.end();
  }
}

export async function auditAppendBench(opts: { seconds?: number; writers?: number; tenants?: number; batch?: number } = {}): Promise<AppendResult> {
  const batch = opts.batch ?? 1;
  const seconds = opts.seconds ?? (Number(process.env.BENCH_AUDIT_SECONDS) || 5);
  const writers = opts.writers ?? (Number(process.env.BENCH_AUDIT_WRITERS) || 8);
  const tenantCount = opts.tenants ?? (Number(process.env.BENCH_AUDIT_TENANTS) || 20);
  const tenants = await benchTenants(tenantCount, "audit-bench");
  const db: Db = createPrismaClient({ connectionString: benchDatabaseUrls().app, max: writers });
  try {
    const entry = (i: number): AuditEntry => ({
      action: "key.update",
      actor: { type: "user", id: randomUUID() },
      target: { type: "api_key", id: randomUUID() },
      ip: "203.0.113.10",
      userAgent: "bench/1",
      requestId: `bench-${i}`,
      metadata: { before: { name: `k${i}`, scopes: ["inference"] }, after: { name: `k${i + 1}`, scopes: ["inference", "models:read"] } },
    });
    // One transaction per change, writing `batch` entries (1: the usual recordAudit call).
    const write = (tenantId: string, i: number) =>
      withTenant(tenantId, (tx) => recordAuditEntries(tx, tenantId, Array.from({ length: batch }, (_, k) => entry(i * batch + k))), db);
    // Warm the pool and the plans.
    await Promise.all(tenants.slice(0, writers).map((t, i) => write(t, i)));
    let entries = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        let i = 0;
        while (performance.now() < deadline) {
          await write(tenants[(w + i * writers) % tenants.length]!, i);
          entries += batch;
          i++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    let chainsValid = true;
    for (const t of tenants) {
      const r = await verifyAuditChain(t, { db });
      if (r.status !== "valid") {
        chainsValid = false;
        console.error(`audit bench: tenant ${t} chain ${r.status}: ${r.broken?.message}`);
      }
    }
    return { entries, seconds: elapsed, perSecond: Math.round(entries / elapsed), tenants: tenantCount, writers, batch, chainsValid };
  } finally {
    await db.$disconnect();
  }
}

export function describeAppend(r: AppendResult): string {
  return `audit append: ${r.perSecond} entries/s (${r.entries} in ${r.seconds.toFixed(1)} s; ${r.writers} writers over ${r.tenants} tenants, ${r.batch} entr${r.batch === 1 ? "y" : "ies"} per transaction); chains ${r.chainsValid ? "intact" : "BROKEN"}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeAppend(await auditAppendBench({ batch: 1 })));
  console.log(describeAppend(await auditAppendBench({ batch: Number(process.env.BENCH_AUDIT_BATCH) || 20 })));
}
