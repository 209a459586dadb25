import type { Logger } from "pino";
import type { Db } from "../lib/db/client";
import { withTenant } from "../lib/db/tenant-scope";

export type LastUsedWriter = (tenantId: string, keyIds: string[], at: Date) => Promise<void>;

/** `api_keys.last_used_at` for a batch of one tenant's keys, through the tenant's RLS scope. */
export function lastUsedWriter(db: Db): LastUsedWriter {
  return async (tenantId, keyIds, at) => {
    await withTenant(
      tenantId,
      (tx) =>
        tx.$executeRaw`UPDATE api_keys SET last_used_at = GREATEST(last_used_at, ${at}) WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${keyIds}::uuid[])`,
      db,
    );
  };
}

/**
 * Remembers which keys were used and writes `last_used_at` in batches, off the
 * request path: every `flushIntervalMs`, and at most once per key per
 * `perKeyIntervalMs` (30 s), so a busy key costs one UPDATE per half minute.
 */
export class LastUsedTracker {
  private pending = new Map<string, { tenantId: string; at: number }>();
  private readonly writtenAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: LastUsedWriter,
    private readonly logger: Logger,
    private readonly opts: { flushIntervalMs?: number; perKeyIntervalMs?: number; now?: () => number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs ?? 5_000);
    this.timer.unref();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  touch(tenantId: string, keyId: string): void {
    const now = this.now();
    const last = this.writtenAt.get(keyId);
    if (last !== undefined && now - last < (this.opts.perKeyIntervalMs ?? 30_000)) return;
    this.pending.set(keyId, { tenantId, at: now });
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    const byTenant = new Map<string, { ids: string[]; at: number }>();
    for (const [keyId, { tenantId, at }] of batch) {
      const group = byTenant.get(tenantId) ?? { ids: [], at: 0 };
      group.ids.push(keyId);
      group.at = Math.max(group.at, at);
      byTenant.set(tenantId, group);
      this.writtenAt.set(keyId, at);
    }
    if (this.writtenAt.size > 100_000) this.writtenAt.clear();
    this.flushing = (async () => {
      for (const [tenantId, { ids, at }] of byTenant) {
        try {
          await this.write(tenantId, ids, new Date(at));
        } catch (err) {
          for (const id of ids) this.writtenAt.delete(id);
          this.logger.warn({ tenant_id: tenantId, keys: ids.length, err: { message: (err as Error).message } }, "last_used_at not written");
        }
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }
}
