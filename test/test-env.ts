/**
 * The environment every test process runs with: its own database and Redis
 * database, so `npm test` never touches the data of `npm start`. Values already
 * set in the environment win (CI may point elsewhere).
 */
export const TEST_DATABASE = "modelgate_test";

export function testEnv(): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: `postgresql://modelgate_app@127.0.0.1:5432/${TEST_DATABASE}`,
    MIGRATION_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${TEST_DATABASE}`,
    REDIS_URL: "redis://127.0.0.1:6379/1",
    WEB_PORT: "3100",
    GATEWAY_PORT: "8180",
    PUBLIC_URL: "http://localhost:3100",
    LOG_LEVEL: "silent",
  };
  for (const key of Object.keys(env)) {
    const override = process.env[`TEST_${key}`];
    if (override) env[key] = override;
  }
  return env;
}
