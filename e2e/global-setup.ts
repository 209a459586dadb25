import { migrate } from "../lib/db/migrate";
import { assertLocalDatabase } from "../test/assert-local-database";
import { testEnv } from "../test/test-env";

/**
 * Brings the test database up to date and seeds the demo tenant (idempotent),
 * in the test environment: getConfig() reads process.env, so it is set first.
 */
export default async function globalSetup(): Promise<void> {
  const env = testEnv();
  Object.assign(process.env, env);
  assertLocalDatabase(env.MIGRATION_DATABASE_URL!);
  await migrate(env.MIGRATION_DATABASE_URL!);
  const { seedDemo } = await import("../lib/tenants/seed-demo");
  const { getDb } = await import("../lib/db/client");
  try {
    await seedDemo();
  } finally {
    await getDb().$disconnect();
  }
}
