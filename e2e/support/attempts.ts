import { Redis } from "ioredis";
import { testEnv } from "../../test/test-env";

/**
 * Forgets the sign-in and MFA failure counters of the console under test.
 * Every e2e request comes from one address, so a test that fails on purpose
 * (wrong password, replayed code) counts against the next test's IP too.
 */
export async function resetAttemptCounters(): Promise<void> {
  const redis = new Redis(testEnv().REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys("mg:auth:failures:*");
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
