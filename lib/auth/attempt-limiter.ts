import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "../errors/app-error";
import { getRedis } from "../redis/shared";
import { globalKey } from "../redis/keys";

/**
 * Failed sign-in and MFA attempts, counted per subject (the typed email, the
 * user, the client IP) in a sliding window in Redis. Once a subject has
 * MAX_FAILURES failures within the window, every further attempt on it is
 * refused with 429 and Retry-After until the oldest counted failure leaves
 * the window. An email is counted whether or not an account has it, so a
 * lock-out says nothing about which emails exist.
 */
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

export type AttemptSubject = { kind: "email" | "user" | "ip" | "signup"; value: string | null | undefined };

function keyOf(subject: AttemptSubject): string | null {
  if (!subject.value) return null;
  // Hashed: the raw email (or whatever was typed into the field) never lands in Redis.
  const digest = createHash("sha256").update(subject.value.toLowerCase()).digest("hex").slice(0, 40);
  return globalKey("auth", "failures", subject.kind, digest);
}

function keysOf(subjects: AttemptSubject[]): string[] {
  return subjects.map(keyOf).filter((k): k is string => k !== null);
}

export type AttemptVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

/** Whether any of `subjects` is locked out right now, and for how long. */
export async function checkAttempts(subjects: AttemptSubject[], redis: Redis = getRedis(), now = Date.now()): Promise<AttemptVerdict> {
  const windowMs = FAILURE_WINDOW_SECONDS * 1000;
  const keys = keysOf(subjects);
  if (keys.length === 0) return { limited: false };
  const pipeline = redis.multi();
  for (const key of keys) {
    pipeline.zremrangebyscore(key, 0, now - windowMs);
    pipeline.zrange(key, 0, -1, "WITHSCORES");
  }
  const results = (await pipeline.exec()) ?? [];
  let retryAt = 0;
  for (let i = 0; i < keys.length; i++) {
    const [err, flat] = results[i * 2 + 1] ?? [];
    if (err) throw err;
    const scores = (flat as string[]).filter((_, j) => j % 2 === 1).map(Number);
    if (scores.length >= MAX_FAILURES) {
      // The lock lifts when failures in the window drop below the limit.
      retryAt = Math.max(retryAt, scores[scores.length - MAX_FAILURES]! + windowMs);
    }
  }
  return retryAt > now ? { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) } : { limited: false };
}

export async function recordFailure(subjects: AttemptSubject[], redis: Redis = getRedis(), now = Date.now()): Promise<void> {
  const keys = keysOf(subjects);
  if (keys.length === 0) return;
  const pipeline = redis.multi();
  for (const key of keys) {
    pipeline.zadd(key, now, `${now}-${randomBytes(6).toString("hex")}`);
    pipeline.pexpire(key, FAILURE_WINDOW_SECONDS * 1000);
  }
  await pipeline.exec();
}

/** After a success: the account's failures are forgiven (the IP's are not). */
export async function clearFailures(subjects: AttemptSubject[], redis: Redis = getRedis()): Promise<void> {
  const keys = keysOf(subjects.filter((s) => s.kind !== "ip"));
  if (keys.length) await redis.del(...keys);
}

export function rateLimitedError(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError("rate_limited", `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, {
    headers: { "retry-after": String(retryAfterSeconds) },
  });
}

/** Throws 429 `rate_limited` (with Retry-After) when any subject is locked out. */
export async function assertAttemptsAllowed(subjects: AttemptSubject[]): Promise<void> {
  const verdict = await checkAttempts(subjects);
  if (verdict.limited) throw rateLimitedError(verdict.retryAfterSeconds);
}
