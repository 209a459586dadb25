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

/**
 * A second master key every test process also accepts (as MASTER_KEY_PREVIOUS),
 * so the test that rotates the master key (`mg crypto rewrap` to this key and
 * back) does not leave other test files, running at the same time against the
 * same database, unable to unwrap the shared platform data key mid-rotation.
 */
export const TEST_ROTATION_MASTER_KEY = Buffer.alloc(32, 0x5a).toString("base64");

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
    MASTER_KEY_PREVIOUS: TEST_ROTATION_MASTER_KEY,
  };
  for (const key of Object.keys(env)) {
    const override = process.env[`TEST_${key}`];
    if (override) env[key] = override;
  }
  return env;
}
