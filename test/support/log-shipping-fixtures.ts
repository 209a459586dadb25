import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type pg from "pg";
import { recordAudit } from "../../lib/audit/record-audit";
import type { Db } from "../../lib/db/client";
import { withTenant } from "../../lib/db/tenant-scope";
import { createLogger } from "../../lib/log/logger";

export async function createTenant(su: pg.Client, slug: string): Promise<string> {
  const { rows } = await su.query<{ id: string }>("INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id", [`Tenant ${slug}`, slug]);
  return rows[0]!.id;
}

/** `n` audit entries written the product's way (recordAudit in the tenant's scope); the chain numbers them. */
export async function addAudit(db: Db, tenantId: string, n: number, action = "key.create"): Promise<void> {
  await withTenant(
    tenantId,
    async (tx) => {
      for (let i = 0; i < n; i++) {
        await recordAudit(tx, tenantId, {
          action,
          actor: { type: "user", id: randomUUID() },
          target: { type: "api_key", id: randomUUID() },
          requestId: `req-${randomUUID()}`,
          metadata: { after: { name: `key ${i}`, scopes: ["inference"] } },
        });
      }
    },
    db,
  );
}

/** `n` stored gateway denials, one millisecond apart, old enough to be shipped at once. */
export async function addSecurityEvents(su: pg.Client, tenantId: string, n: number, start = Date.now() - 600_000): Promise<void> {
  for (let i = 0; i < n; i++) {
    await su.query(
      `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, client_ip, created_at)
       VALUES ($1, $2, 'ip_not_allowed', 403, 'POST', '/v1/chat/completions', '203.0.113.9', $3)`,
      [tenantId, `sec-${randomUUID()}`, new Date(start + i)],
    );
  }
}

/** A logger whose JSON lines the test can read (to check what is logged, and what never is). */
export function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger("log-ship-test", { level: "debug", destination }), lines };
}

/** The first-seen order of `keys` and how many were repeats (at-least-once resends). */
export function firstSeen<T>(keys: T[]): { order: T[]; repeats: number } {
  const seen = new Set<T>();
  const order: T[] = [];
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    order.push(k);
  }
  return { order, repeats: keys.length - order.length };
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
