import pg from "pg";
import { testEnv } from "../../test/test-env";

/**
 * Direct access to the e2e database, for what a test cannot wait for: time
 * passing (a step-up window ending, an invitation expiring).
 */
export async function withTestDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: testEnv().MIGRATION_DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** Ends the step-up window of every session of `email`, as if 10 minutes had passed. */
export function expireStepUp(email: string): Promise<unknown> {
  return withTestDb((db) =>
    db.query("UPDATE user_sessions SET step_up_at = now() - interval '1 hour' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND step_up_at IS NOT NULL", [email]),
  );
}

export function expireInvitationsFor(email: string): Promise<unknown> {
  return withTestDb((db) => db.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = $1", [email]));
}

export const SHOTS_DIR = process.env.AUTH_SHOTS_DIR;
