import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { Redis } from "ioredis";
import { withTenant } from "../db/tenant-scope";
import { closeSharedRedis } from "../redis/shared";
import { testEnv } from "../../test/test-env";
import { KEY_INVALIDATION_CHANNEL } from "./key-invalidation";
import { createApiKey } from "./create-key";
import { hashApiKey } from "./key-format";
import { getApiKey, listApiKeys } from "./list-keys";
import { lookupKeyByHash } from "./lookup-key";
import { revokeApiKey } from "./revoke-key";
import { rotateApiKey } from "./rotate-key";
import { updateApiKey } from "./update-key";

describe("API key lifecycle", () => {
  const db = appDb(2);
  let su: pg.Client;
  let a: Awaited<ReturnType<typeof insertTenantWithMember>>;
  let b: Awaited<ReturnType<typeof insertTenantWithMember>>;
  const ctx = () => ({ actor: { type: "user" as const, id: a.userId }, requestId: "req-k" });

  beforeAll(async () => {
    su = await superuser();
    const stamp = Date.now().toString(36);
    a = await insertTenantWithMember(su, `keys-a-${stamp}`);
    b = await insertTenantWithMember(su, `keys-b-${stamp}`);
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
    await closeSharedRedis();
  });

  it("issues a key shown once; only its hash and prefix are stored", async () => {
    const { key, secret } = await createApiKey(
      a.tenantId,
      { name: "ci", scopes: ["inference", "inference"], ips: ["10.1.2.3/8", "::ffff:192.0.2.7"], rateLimit: { requests: 100, windowSeconds: 60 } },
      ctx(),
      db,
    );
    expect(key).toMatchObject({ name: "ci", scopes: ["inference"], ips: ["10.0.0.0/8", "192.0.2.7/32"], status: "active", generation: 1 });
    expect(secret.startsWith(key.displayPrefix)).toBe(true);
    const stored = await su.query("SELECT encode(hash, 'hex') AS hash, display_prefix FROM api_key_secrets WHERE key_id = $1", [key.id]);
    expect(stored.rows).toEqual([{ hash: hashApiKey(secret).toString("hex"), display_prefix: key.displayPrefix }]);
    const everything = JSON.stringify((await su.query("SELECT * FROM api_keys k JOIN api_key_secrets s ON s.key_id = k.id WHERE k.id = $1", [key.id])).rows);
    expect(everything).not.toContain(secret.slice(8));
    const audit = await withTenant(a.tenantId, (tx) => tx.auditLog.findMany({ where: { targetId: key.id } }), db);
    expect(audit.map((e) => e.action)).toEqual(["key.create"]);
  });

  it("refuses bad input with field messages and writes nothing", async () => {
    const before = (await su.query("SELECT count(*)::int AS n FROM api_keys")).rows[0].n;
    await expect(createApiKey(a.tenantId, { name: "", scopes: ["inference"] }, ctx(), db)).rejects.toMatchObject({ code: "validation_failed", fields: { name: "Name is required" } });
    await expect(createApiKey(a.tenantId, { name: "x", scopes: ["root" as never] }, ctx(), db)).rejects.toMatchObject({ code: "validation_failed" });
    await expect(createApiKey(a.tenantId, { name: "x", scopes: ["inference"], ips: ["10.0.0.300/8"] }, ctx(), db)).rejects.toMatchObject({ fields: { ips: '"10.0.0.300/8" is not an IPv4 or IPv6 address or CIDR' } });
    await expect(createApiKey(a.tenantId, { name: "x", scopes: ["inference"], expiresAt: "2001-01-01T00:00:00Z" }, ctx(), db)).rejects.toMatchObject({ fields: { expiresAt: "The expiry must be in the future" } });
    expect((await su.query("SELECT count(*)::int AS n FROM api_keys")).rows[0].n).toBe(before);
  });

  it("the gateway lookup finds a key by hash across tenants, and nothing for an unknown hash", async () => {
    const { key, secret } = await createApiKey(b.tenantId, { name: "b-key", scopes: ["inference"], models: ["echo"] }, ctx(), db);
    const record = await lookupKeyByHash(hashApiKey(secret), db);
    expect(record).toMatchObject({ tenantId: b.tenantId, keyId: key.id, scopes: ["inference"], modelAllowlist: ["echo"], revoked: false, validUntil: null, tenant: { status: "active", redisFailureMode: "closed" } });
    expect(await lookupKeyByHash(hashApiKey(`${secret}x`), db)).toBeNull();
  });

  it("rotation keeps the key id; the old secret works until the grace ends", async () => {
    const { key, secret: first } = await createApiKey(a.tenantId, { name: "rotating", scopes: ["inference"] }, ctx(), db);
    const rotated = await rotateApiKey(a.tenantId, key.id, { graceSeconds: 3600 }, ctx(), db);
    expect(rotated.key.id).toBe(key.id);
    expect(rotated.key.generation).toBe(2);
    const oldRecord = await lookupKeyByHash(hashApiKey(first), db);
    const newRecord = await lookupKeyByHash(hashApiKey(rotated.secret), db);
    expect(oldRecord!.validUntil!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(newRecord).toMatchObject({ keyId: key.id, generation: 2, validUntil: null });
    const immediate = await rotateApiKey(a.tenantId, key.id, { graceSeconds: 0 }, ctx(), db);
    expect((await lookupKeyByHash(hashApiKey(rotated.secret), db))!.validUntil!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await lookupKeyByHash(hashApiKey(immediate.secret), db))!.generation).toBe(3);
  });

  it("revocation is idempotent and covers every generation", async () => {
    const { key, secret } = await createApiKey(a.tenantId, { name: "doomed", scopes: ["inference"] }, ctx(), db);
    await rotateApiKey(a.tenantId, key.id, {}, ctx(), db);
    expect((await revokeApiKey(a.tenantId, key.id, ctx(), db)).status).toBe("revoked");
    expect((await revokeApiKey(a.tenantId, key.id, ctx(), db)).status).toBe("revoked");
    expect((await lookupKeyByHash(hashApiKey(secret), db))!.revoked).toBe(true);
    const audit = await withTenant(a.tenantId, (tx) => tx.auditLog.findMany({ where: { targetId: key.id }, orderBy: { createdAt: "asc" } }), db);
    expect(audit.map((e) => e.action)).toEqual(["key.create", "key.rotate", "key.revoke"]);
    await expect(rotateApiKey(a.tenantId, key.id, {}, ctx(), db)).rejects.toMatchObject({ code: "conflict" });
  });

  it("revocation is announced to gateways on Redis pub/sub after it commits", async () => {
    const { key } = await createApiKey(a.tenantId, { name: "announced", scopes: ["inference"] }, ctx(), db);
    const sub = new Redis(testEnv().REDIS_URL!);
    const received: unknown[] = [];
    await sub.subscribe(KEY_INVALIDATION_CHANNEL);
    sub.on("message", (_channel, message) => received.push(JSON.parse(message)));
    await revokeApiKey(a.tenantId, key.id, ctx(), db);
    await expect.poll(() => received, { timeout: 1000 }).toContainEqual({ tenantId: a.tenantId, keyId: key.id });
    sub.disconnect();
  });

  it("updates are audited with before and after", async () => {
    const { key } = await createApiKey(a.tenantId, { name: "edit-me", scopes: ["inference"] }, ctx(), db);
    const updated = await updateApiKey(a.tenantId, key.id, { scopes: ["inference", "usage:read"], ips: ["2001:db8::1/32"] }, ctx(), db);
    expect(updated).toMatchObject({ scopes: ["inference", "usage:read"], ips: ["2001:db8::/32"] });
    const [entry] = await withTenant(a.tenantId, (tx) => tx.auditLog.findMany({ where: { targetId: key.id, action: "key.update" } }), db);
    expect(entry!.metadata).toEqual({ before: { scopes: ["inference"], ips: [] }, after: { scopes: ["inference", "usage:read"], ips: ["2001:db8::/32"] } });
  });

  it("another tenant's key is a 404 for every operation", async () => {
    const { key } = await createApiKey(b.tenantId, { name: "b-only", scopes: ["inference"] }, ctx(), db);
    await expect(getApiKey(a.tenantId, key.id, db)).rejects.toMatchObject({ code: "not_found", status: 404 });
    await expect(revokeApiKey(a.tenantId, key.id, ctx(), db)).rejects.toMatchObject({ code: "not_found" });
    await expect(rotateApiKey(a.tenantId, key.id, {}, ctx(), db)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateApiKey(a.tenantId, key.id, { name: "mine" }, ctx(), db)).rejects.toMatchObject({ code: "not_found" });
    expect((await listApiKeys(a.tenantId, db)).map((k) => k.id)).not.toContain(key.id);
    expect((await getApiKey(b.tenantId, key.id, db)).status).toBe("active");
  });
});
