/**
 * Every Redis key of ModelGate starts with `mg:`. Keys that hold one tenant's
 * data start with `mg:t:{tenantId}:` and are built only by `tenantKey`, so a
 * counter, cache entry or lock can never be shared between tenants by mistake
 * (and a tenant-wide SCAN / cleanup can find all of a tenant's keys).
 */
export const KEY_ROOT = "mg";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A key segment: no `:` (it would let one key impersonate another's layout), no spaces. */
const SEGMENT = /^[A-Za-z0-9._\-/@+=]{1,200}$/;

export class RedisKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisKeyError";
  }
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function segments(parts: readonly string[]): string {
  if (parts.length === 0) throw new RedisKeyError("a Redis key needs at least one part");
  for (const part of parts) {
    if (typeof part !== "string" || !SEGMENT.test(part)) {
      throw new RedisKeyError(`invalid Redis key part ${JSON.stringify(part)}`);
    }
  }
  return parts.join(":");
}

/**
 * `mg:t:{tenantId}:{...parts}`. The tenant id must be a uuid and is lower-cased,
 * so the same tenant never gets two sets of counters (a rate-limit bypass).
 */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  if (typeof tenantId !== "string" || !UUID.test(tenantId)) {
    throw new RedisKeyError("tenantKey needs the tenant's uuid");
  }
  return `${KEY_ROOT}:t:${tenantId.toLowerCase()}:${segments(parts)}`;
}

/** `mg:{...parts}` for process-wide keys; the tenant namespace `t` is refused here. */
export function globalKey(...parts: string[]): string {
  if (parts[0] === "t") throw new RedisKeyError("tenant keys are built with tenantKey()");
  return `${KEY_ROOT}:${segments(parts)}`;
}
