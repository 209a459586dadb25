import pg from "pg";
import { Redis } from "ioredis";
import { migrate } from "../lib/db/migrate";
import { assertLocalDatabase } from "./assert-local-database";
import { testEnv } from "./test-env";

/**
 * Integration tests start from an empty, freshly migrated test database and an
 * empty test Redis database, every run.
 */
export default async function setup(): Promise<void> {
  const env = testEnv();
  assertLocalDatabase(env.MIGRATION_DATABASE_URL!);
  assertLocalDatabase(env.REDIS_URL!);
  const adminUrl = new URL(env.MIGRATION_DATABASE_URL!);
  const database = decodeURIComponent(adminUrl.pathname.slice(1));
  if (!/^modelgate_test\w*$/.test(database)) throw new Error(`refusing to drop ${database}: test databases are named modelgate_test*`);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  await migrate(env.MIGRATION_DATABASE_URL!);
  const redis = new Redis(env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}
