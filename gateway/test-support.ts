// Fixtures of the gateway's integration tests: real Postgres (the test
// database, as the application role), real Redis, a real echo backend and a
// gateway listening on a loopback port.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type http from "node:http";
import type { Redis } from "ioredis";
import type pg from "pg";
import { Agent, request } from "undici";
import { appDb, insertTenantWithMember, superuser } from "../test/db-helpers";
import type { Db } from "../lib/db/client";
import { withTenant } from "../lib/db/tenant-scope";
import { createApiKey } from "../lib/keys/create-key";
import type { CreateKeyInput } from "../lib/keys/key-schemas";
import { createLogger } from "../lib/log/logger";
import { sealCredential } from "../lib/models/model-credentials";
import { createRateLimiter, type RateLimiter } from "../lib/policy/rate-limiter";
import { createRedis } from "../lib/redis/connection";
import { startEchoBackend, type EchoBackend } from "../scripts/echo-backend";
import { createGateway, type Gateway, type GatewayOptions } from "./gateway";

export const logger = createLogger("gateway-test", { level: "silent" });

export async function listen(server: http.Server, host = "127.0.0.1"): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

export type RunningGateway = { gw: Gateway; url: string; redis: Redis; subscriber: Redis; limiter: RateLimiter; close(): Promise<void> };

/** Nothing listens here: a Redis that is down. */
export const DEAD_REDIS_URL = "redis://127.0.0.1:1/0";

/**
 * A gateway with its own Redis connections (as a second process would have).
 * `limiterRedisUrl` points only its rate limiter elsewhere; `redisUrl` all of its connections.
 */
export async function startGateway(
  db: Db,
  opts: Partial<GatewayOptions> & { limiterRedisUrl?: string; redisUrl?: string } = {},
): Promise<RunningGateway> {
  const { limiterRedisUrl, redisUrl, ...gatewayOpts } = opts;
  const redis = createRedis({ url: redisUrl, connectionName: "mg-gateway-test", logger });
  const subscriber = createRedis({ url: redisUrl, connectionName: "mg-gateway-test-sub", logger, forBullmq: true });
  const limiterRedis = limiterRedisUrl ? createRedis({ url: limiterRedisUrl, connectionName: "mg-gateway-test-limiter", logger }) : redis;
  const limiter = opts.limiter ?? createRateLimiter(limiterRedis, { commandTimeoutMs: 500 });
  const gw = createGateway({ logger, db, redis, subscriber, limiter, ...gatewayOpts });
  const url = await listen(gw.server);
  if (!redisUrl) await gw.subscribed;
  return {
    gw,
    url,
    redis,
    subscriber,
    limiter,
    async close() {
      await gw.close(1_000);
      await limiter.close();
      subscriber.disconnect();
      if (limiterRedis !== redis) limiterRedis.disconnect();
      if (redisUrl) redis.disconnect();
      else await redis.quit();
    },
  };
}

export type TenantSettings = {
  maxBodyBytes?: number;
  ipAllowlist?: string[];
  redisFailureMode?: "open" | "closed";
  rateLimit?: { requests: number; windowSeconds: number };
};

export async function newTenant(su: pg.Client, label: string, settings: TenantSettings = {}): Promise<string> {
  const { tenantId } = await insertTenantWithMember(su, `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);
  await su.query(
    `UPDATE tenants SET max_body_bytes = COALESCE($2, max_body_bytes), ip_allowlist = COALESCE($3, ip_allowlist),
       redis_failure_mode = COALESCE($4, redis_failure_mode), rate_limit_requests = $5, rate_limit_window_seconds = $6 WHERE id = $1`,
    [tenantId, settings.maxBodyBytes ?? null, settings.ipAllowlist ?? null, settings.redisFailureMode ?? null, settings.rateLimit?.requests ?? null, settings.rateLimit?.windowSeconds ?? null],
  );
  return tenantId;
}

export type ModelInput = {
  name: string;
  protocol?: "openai" | "kserve-v2" | "torchserve" | "tfserving";
  backendUrl: string;
  timeoutMs?: number;
  maxConcurrency?: number;
  enabled?: boolean;
  visibility?: "private" | "shared";
  credential?: { kind: "bearer"; token: string } | { kind: "header"; header: string; value: string };
};

/** A model with one version "v1" (its default), straight into the registry tables (no audit, no SSRF check). */
export async function addModel(db: Db, tenantId: string, m: ModelInput): Promise<{ modelId: string; versionId: string }> {
  const modelId = randomUUID();
  const versionId = randomUUID();
  await withTenant(
    tenantId,
    async (tx) => {
      await tx.model.create({
        data: { id: modelId, tenantId, name: m.name, protocol: m.protocol ?? "openai", enabled: m.enabled, visibility: m.visibility, defaultVersionId: versionId },
      });
      const credential = m.credential ? await sealCredential(tx, tenantId, versionId, m.credential) : {};
      await tx.modelVersion.create({
        data: { id: versionId, tenantId, modelId, label: "v1", backendUrl: m.backendUrl, timeoutMs: m.timeoutMs, maxConcurrency: m.maxConcurrency, ...credential },
      });
    },
    db,
  );
  return { modelId, versionId };
}

export async function newKey(db: Db, tenantId: string, input: Partial<CreateKeyInput> = {}): Promise<{ secret: string; keyId: string }> {
  const { key, secret } = await createApiKey(
    tenantId,
    { name: "test", scopes: ["inference", "models:read"], ...input },
    { actor: { type: "system", id: "test" } },
    db,
  );
  return { secret, keyId: key.id };
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: { error?: { code: string; message: string; request_id: string } } & Record<string, unknown> };

const agents = new Map<string, Agent>();

/** An HTTP client whose connections come from `localAddress` (any 127.x address on Linux loopback). */
export function agentFrom(localAddress = "127.0.0.1"): Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ localAddress, keepAliveTimeout: 1_000 });
    agents.set(localAddress, agent);
  }
  return agent;
}

export async function closeAgents(): Promise<void> {
  await Promise.all([...agents.values()].map((a) => a.close()));
  agents.clear();
}

export async function call(
  url: string,
  path: string,
  opts: { key?: string; body?: unknown; raw?: string | Buffer; method?: "GET" | "POST"; headers?: Record<string, string>; from?: string } = {},
): Promise<Reply> {
  const method = opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? "POST" : "GET");
  const res = await request(`${url}${path}`, {
    method,
    dispatcher: agentFrom(opts.from),
    headers: {
      ...(method === "POST" ? { "content-type": "application/json" } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.body.text();
  let body: Reply["body"];
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: res.statusCode, headers: res.headers, body };
}

export const chatBody = (model: string, content = "hello there") => ({ model, messages: [{ role: "user", content }] });

export type Fixture = { su: pg.Client; db: Db; echo: EchoBackend };

export async function openFixture(): Promise<Fixture> {
  return { su: await superuser(), db: appDb(6), echo: await startEchoBackend(0) };
}

export async function closeFixture(f: Fixture): Promise<void> {
  await closeAgents();
  await f.echo.close();
  await f.su.end();
  await f.db.$disconnect();
}
