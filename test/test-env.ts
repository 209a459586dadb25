/**
 * The environment every test process runs with: its own database and Redis
 * database, so `npm test` never touches the data of `npm start`. Values already
 * set in the environment as TEST_<NAME> win (CI may point elsewhere).
 *
 * TEST_SLOT=N (1-9) gives a second checkout or engineer its own database
 * (`modelgate_test_N`), Redis database (N + 1) and ports, so two test runs on
 * one machine do not drop each other's data.
 */
const slot = Number(process.env.TEST_SLOT ?? 0);
if (!Number.isInteger(slot) || slot < 0 || slot > 9) throw new Error("TEST_SLOT must be an integer 0-9");

export const TEST_DATABASE = slot ? `modelgate_test_${slot}` : "modelgate_test";

export function testEnv(): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: `postgresql://modelgate_app@127.0.0.1:5432/${TEST_DATABASE}`,
    MIGRATION_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${TEST_DATABASE}`,
    REDIS_URL: `redis://127.0.0.1:6379/${slot + 1}`,
    WEB_PORT: String(3100 + slot * 10),
    GATEWAY_PORT: String(8180 + slot * 10),
    PUBLIC_URL: `http://localhost:${3100 + slot * 10}`,
    LOG_LEVEL: "silent",
  };
  for (const key of Object.keys(env)) {
    const override = process.env[`TEST_${key}`];
    if (override) env[key] = override;
  }
  return env;
}
