import { isIP } from "node:net";
import { inspect } from "node:util";
import type { Db } from "../lib/db/client";
import { AppError } from "../lib/errors/app-error";
import { checkAddressAllowed } from "../lib/models/backend-url-guard";
import { loadRoutingTable, type RoutingModel, type RoutingVersion } from "../lib/models/model-routing";
import type { ModelEntry, ModelRoute } from "./pipeline/types";
import { TtlCache, type CacheOutcome } from "./ttl-cache";

export type ModelLoader = (tenantId: string) => Promise<ModelEntry[]>;

/** A backend credential in memory: its value never reaches a log line or JSON by accident. */
export class BackendCredential {
  readonly #value: string;
  constructor(
    readonly name: string,
    value: string,
  ) {
    this.#value = value;
  }
  get value(): string {
    return this.#value;
  }
  toJSON() {
    return { name: this.name, value: "[redacted]" };
  }
  [inspect.custom]() {
    return `BackendCredential(${this.name}: [redacted])`;
  }
}

/**
 * Sockets to an IP literal skip the DNS lookup that guardedLookup checks, so
 * such a URL is judged here, when the table is loaded (BACKEND_ALLOWED_CIDRS
 * may have narrowed since the URL was saved).
 */
function addressProblem(backendUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(backendUrl).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return "The model's backend URL is not valid";
  }
  if (!isIP(host)) return undefined;
  const verdict = checkAddressAllowed(host);
  return verdict.allowed ? undefined : "The model backend's address is not allowed";
}

function toRoute(model: RoutingModel, v: RoutingVersion, created: number): ModelRoute {
  return {
    id: v.id,
    name: model.name,
    protocol: model.protocol,
    backendUrl: v.backendUrl,
    timeoutMs: v.timeoutMs,
    maxConcurrency: v.maxConcurrency,
    created,
    version: v.label,
    credential: v.credential ? new BackendCredential(v.credential.name, v.credential.value) : null,
    unusable: v.credentialBroken ? "The model backend's credential cannot be used; it must be set again" : addressProblem(v.backendUrl),
  };
}

export function toModelEntry(model: RoutingModel): ModelEntry {
  const created = Math.floor(model.createdAt.getTime() / 1000);
  const versions = new Map(model.versions.map((v) => [v.label, toRoute(model, v, created)]));
  // The same route objects serve the split and the versioned path (primary and canary are among the versions).
  const routeOf = (v: RoutingVersion) => versions.get(v.label)!;
  return {
    id: model.id,
    name: model.name,
    protocol: model.protocol,
    created,
    primary: routeOf(model.primary),
    canary: model.canary ? { route: routeOf(model.canary.version), percent: model.canary.percent } : null,
    versions,
  };
}

/** A tenant's routing table from the registry: own enabled models, then granted shared ones. */
export function modelLoader(db: Db): ModelLoader {
  return async (tenantId) => (await loadRoutingTable(tenantId, db)).map(toModelEntry);
}

/** The version a request goes to: the canary for `percent` % of requests (weighted random), else the default. */
export function pickRoute(entry: ModelEntry, random: () => number = Math.random): ModelRoute {
  if (entry.canary && random() * 100 < entry.canary.percent) return entry.canary.route;
  return entry.primary;
}

/**
 * The version a client named (KServe `/versions/{v}`): that registry version,
 * whatever the split says. An unknown label is 404 `model_version_not_found`.
 */
export function pickVersion(entry: ModelEntry, label: string): ModelRoute {
  const route = entry.versions.get(label);
  if (!route) throw new AppError("model_version_not_found", `The model "${entry.name}" has no version "${label}"`);
  return route;
}

export type ModelTable = ReadonlyMap<string, ModelEntry>;

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
