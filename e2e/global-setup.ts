import { migrate } from "../lib/db/migrate";
import { assertLocalDatabase } from "../test/assert-local-database";
import { testEnv } from "../test/test-env";
import { OIDC_TEST } from "./support/oidc";
import { startOidcTestProvider } from "./support/oidc-test-provider";

/**
 * Brings the test database up to date and seeds the demo tenant (idempotent),
 * in the test environment: getConfig() reads process.env, so it is set first.
 * Starts the OpenID Connect provider the console signs in with (stopped by the
 * returned teardown) and forgets earlier runs' failed-attempt counters.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const env = testEnv();
  Object.assign(process.env, env);
  assertLocalDatabase(env.MIGRATION_DATABASE_URL!);
  await migrate(env.MIGRATION_DATABASE_URL!);
  const { seedDemo } = await import("../lib/tenants/seed-demo");
  const { getDb } = await import("../lib/db/client");
  const { resetAttemptCounters } = await import("./support/attempts");
  try {
    await seedDemo();
    await resetAttemptCounters();
  } finally {
    await getDb().$disconnect();
  }
  const oidc = await startOidcTestProvider({
    port: OIDC_TEST.port,
    clientId: OIDC_TEST.clientId,
    clientSecret: OIDC_TEST.clientSecret,
    redirectUri: `${env.PUBLIC_URL}/api/auth/callback/oidc`,
  });
  return oidc.close;
}
