import type { Db } from "../lib/db/client";
import { withTenant } from "../lib/db/tenant-scope";
import type { ModelRoute } from "./pipeline/types";
import { TtlCache, type CacheOutcome } from "./ttl-cache";

export type ModelLoader = (tenantId: string) => Promise<ModelRoute[]>;

/** A tenant's enabled models, read through its own RLS scope. */
export function modelLoader(db: Db): ModelLoader {
  return async (tenantId) => {
    const rows = await withTenant(
      tenantId,
      (tx) =>
        tx.model.findMany({
          where: { tenantId, enabled: true },
          select: { id: true, name: true, protocol: true, backendUrl: true, timeoutMs: true, maxConcurrency: true, createdAt: true },
          orderBy: { name: "asc" },
        }),
      db,
    );
    return rows.map(({ createdAt, ...r }) => ({
      ...r,
      protocol: r.protocol === "kserve-v2" ? "kserve-v2" : "openai",
      created: Math.floor(createdAt.getTime() / 1000),
    }));
  };
}

export type ModelTable = ReadonlyMap<string, ModelRoute>;

/**
 * Each tenant's routing table (enabled models by name), in memory for
 * `ttlMs` (30 s) or until `mg:models:invalidate` names the tenant.
 */
export class ModelCache {
  private readonly cache: TtlCache<string, ModelTable>;

  constructor(
    private readonly load: ModelLoader,
    private readonly opts: { ttlMs?: number; maxTenants?: number; onOutcome?: (o: CacheOutcome) => void } = {},
  ) {
    this.cache = new TtlCache({ ttlMs: opts.ttlMs ?? 30_000, maxEntries: opts.maxTenants ?? 10_000 });
  }

  /** The tenant's table when memory has it (counted as a hit), else undefined: then `table`. */
  peek(tenantId: string): ModelTable | undefined {
    const table = this.cache.peek(tenantId.toLowerCase());
    if (table !== undefined) this.opts.onOutcome?.("hit");
    return table;
  }

  table(tenantId: string): Promise<ModelTable> {
    return this.cache.get(
      tenantId.toLowerCase(),
      async (id) => new Map((await this.load(id)).map((m) => [m.name, m])),
      this.opts.onOutcome,
    );
  }

  invalidate(tenantId: string): void {
    const id = tenantId.toLowerCase();
    this.cache.deleteWhere((_, key) => key === id);
  }

  clear(): void {
    this.cache.clear();
  }
}
