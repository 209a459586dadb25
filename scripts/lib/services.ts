import { readdirSync } from "node:fs";
import pg from "pg";
import { Redis } from "ioredis";

function pgStartHint(): string {
  try {
    const version = readdirSync("/etc/postgresql")[0];
    if (version) return `pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
  } catch {
    // not a Debian cluster layout
  }
  return "start your PostgreSQL server (e.g. `pg_ctl start` or `systemctl start postgresql`)";
}

const REDIS_HINT =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith("redis") ? 6379 : 5432)}`;
}

/**
 * Checks that Postgres and Redis answer; returns one line per service that
 * does not, each saying how to start it.
 */
export async function checkServices(postgresUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const adminUrl = new URL(postgresUrl);
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    const reason = (err as { code?: string }).code ?? (err as Error).message;
    problems.push(`PostgreSQL is not reachable at ${where(postgresUrl)} (${reason}); start it with: ${pgStartHint()}`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const reason = (err as { code?: string }).code ?? (err as Error).message;
    problems.push(`Redis is not reachable at ${where(redisUrl)} (${reason}); start it with: ${REDIS_HINT}`);
  } finally {
    redis.disconnect();
  }
  return problems;
}

/** Waits up to `seconds` for both services (CI starts them just before). */
export async function awaitServices(postgresUrl: string, redisUrl: string, seconds = 30): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const problems = await checkServices(postgresUrl, redisUrl);
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
