import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const OWNER_ROLE = "modelgate_owner";
export const APP_ROLE = "modelgate_app";
const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
/** A migration that creates roles or grants on the schema marks itself so. */
const RUN_AS_MIGRATOR = /^-- modelgate:run-as-migrator\b/m;
const LOCK_ID = 0x6d67_6174; // "mgat": one migrator at a time per database

export type MigrateResult = { database: string; created: boolean; applied: string[] };

function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw new Error(`database name ${JSON.stringify(name)} must be letters, digits and _`);
  }
  return name;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates the database named in `url` if it does not exist (connecting to `postgres`). */
async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseOf(url);
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch (err) {
      if ((err as { code?: string }).code !== "42P04") throw err; // created concurrently
    }
    return true;
  } finally {
    await admin.end();
  }
}

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string; checksum: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies prisma/migrations/* in order, recording them in Prisma's own
 * `_prisma_migrations` table so `prisma migrate deploy` agrees wherever its
 * engine is available. Each migration runs in one transaction as the owner
 * role, so the owner — never the application role — owns every object; only a
 * migration marked `-- modelgate:run-as-migrator` (role bootstrap) runs as the
 * connecting superuser.
 */
export async function migrate(
  migrationUrl: string,
  opts: { appRolePassword?: string; retentionRolePassword?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const created = await ensureDatabase(migrationUrl);
  const client = new pg.Client({ connectionString: migrationUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
      migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
    const done = new Map(
      (
        await client.query<{ migration_name: string; checksum: string }>(
          "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
        )
      ).rows.map((r) => [r.migration_name, r.checksum]),
    );
    for (const m of listMigrations()) {
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new Error(`migration ${m.name} was edited after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        if (!RUN_AS_MIGRATOR.test(m.sql)) await client.query(`SET LOCAL ROLE ${OWNER_ROLE}`);
        await client.query(m.sql);
        await client.query("RESET ROLE");
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    if (opts.appRolePassword) {
      const quoted = (await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [opts.appRolePassword])).rows[0]!.q;
      await client.query(`ALTER ROLE ${APP_ROLE} PASSWORD ${quoted}`);
    }
    if (opts.retentionRolePassword) {
      const quoted = (await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [opts.retentionRolePassword])).rows[0]!.q;
      await client.query(`ALTER ROLE modelgate_retention PASSWORD ${quoted}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
  return { database: databaseOf(migrationUrl), created, applied };
}
