import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantKey } from "../redis/keys";
import { leaseGrant, leasePermits } from "./rate-limit-lease";
import { createRateLimiter, RedisUnavailableError, type Limit, type RateLimiter } from "./rate-limiter";

const REDIS_URL = process.env.REDIS_URL!;
const LIMIT: Limit = { requests: 100, windowSeconds: 3600 };
const connections: Redis[] = [];
const limiters: RateLimiter[] = [];

function connect(): Redis {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
}
function limiter(redis = connect(), opts: Parameters<typeof createRateLimiter>[1] = {}): RateLimiter {
  const l = createRateLimiter(redis, opts);
  limiters.push(l);
  return l;
}
const bucket = () => tenantKey(randomUUID(), "rl", "key", randomUUID());
const admitted = (ds: { allowed: boolean }[]) => ds.filter((d) => d.allowed).length;
const burst = (l: RateLimiter, b: string, n: number, limit = LIMIT) => Promise.all(Array.from({ length: n }, () => l.admit(b, limit)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until Redis's clock is `offsetMs` into a fresh window of `windowSeconds`. */
async function alignToWindow(redis: Redis, windowSeconds: number, offsetMs = 50): Promise<void> {
  const [s, us] = (await redis.time()) as [number | string, number | string];
  const nowMs = Number(s) * 1000 + Math.floor(Number(us) / 1000);
  const intoWindow = nowMs % (windowSeconds * 1000);
  await sleep(windowSeconds * 1000 - intoWindow + offsetMs);
}

afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  connections.forEach((r) => r.disconnect());
});

describe("rate limiter against Redis", () => {
  it("one instance: 200 concurrent admits at a limit of 100 admit exactly 100, in few Redis round trips", async () => {
    let leases = 0;
    const l = limiter(connect(), { onLease: () => void leases++ });
    const b = bucket();
    expect(admitted(await burst(l, b, 200))).toBe(100);
    expect(leases).toBeLessThanOrEqual(20);
  });

  it("tryAdmit answers at once from the lease held (never past the limit), and leaves anything needing Redis to admit", async () => {
    let leases = 0;
    const l = limiter(connect(), { onLease: () => void leases++ });
    const b = bucket();
    const limit: Limit = { requests: 30, windowSeconds: 3600 };
    expect(l.tryAdmit!(b, limit)).toBeUndefined(); // nothing leased yet
    let allowed = 0;
    let denied = 0;
    for (let i = 0; i < 100; i++) {
      const now = l.tryAdmit!(b, limit);
      const decision = now ?? (await l.admit(b, limit));
      if (decision.allowed) allowed++;
      else denied++;
    }
    expect(allowed).toBe(30);
    expect(denied).toBe(70);
    expect(leases).toBeLessThan(30); // most admits came from leases in hand, not from Redis
    expect(l.tryAdmit!(b, { requests: 31, windowSeconds: 3600 })).toBeUndefined(); // another limit: admit decides
  });

  it("two instances on separate connections sharing a bucket: 95..100 of 200 admitted", async () => {
    const [a, c] = [limiter(), limiter()];
    const b = bucket();
    const [ra, rc] = await Promise.all([burst(a, b, 100), burst(c, b, 100)]);
    const total = admitted(ra) + admitted(rc);
    expect(total).toBeGreaterThanOrEqual(95);
    expect(total).toBeLessThanOrEqual(100);
    expect(admitted(ra)).toBeGreaterThan(0);
    expect(admitted(rc)).toBeGreaterThan(0);
  });

  it("three instances with uneven demand never exceed the limit and admit at least 95%", async () => {
    const ls = [limiter(), limiter(), limiter()];
    const b = bucket();
    const results = await Promise.all([burst(ls[0]!, b, 150), burst(ls[1]!, b, 30), burst(ls[2]!, b, 20)]);
    const total = results.reduce((sum, r) => sum + admitted(r), 0);
    expect(total).toBeGreaterThanOrEqual(95);
    expect(total).toBeLessThanOrEqual(100);
  });

  it("permits left unused by an idle instance go back to Redis for the others", async () => {
    const a = limiter(connect(), { idleReturnMs: 50 });
    const c = limiter();
    const b = bucket();
    for (let i = 0; i < 10; i++) expect((await a.admit(b, LIMIT)).allowed).toBe(true);
    await sleep(250);
    expect(admitted(await burst(c, b, 200))).toBe(90);
  });

  it("the Lua lease grants follow the fair-share rule and never exceed the limit", async () => {
    const redis = connect();
    const b = bucket();
    let granted = 0;
    for (let i = 0; i < 50; i++) {
      const r = await leasePermits(redis, b, 100, 3_600_000, 64, i % 2 ? "one" : "two");
      expect(r.granted).toBe(leaseGrant(100 - granted, i === 0 ? 1 : 2, 64));
      granted += r.granted;
      expect(r.unleased).toBe(100 - granted);
      expect(r.msLeft).toBeGreaterThan(0);
      expect(r.msLeft).toBeLessThanOrEqual(3_600_000);
    }
    expect(granted).toBe(100);
  });

  it("reports sane remaining, reset and retry-after", async () => {
    const l = limiter();
    const b = bucket();
    const limit = { requests: 10, windowSeconds: 60 };
    const first = await l.admit(b, limit);
    expect(first).toMatchObject({ allowed: true, limit: 10, retryAfterSeconds: 0 });
    expect(first.remaining).toBe(9);
    expect(first.resetSeconds).toBeGreaterThanOrEqual(0);
    expect(first.resetSeconds).toBeLessThanOrEqual(60);
    const rest = await burst(l, b, 20, limit);
    const denial = rest.find((d) => !d.allowed)!;
    expect(denial.remaining).toBe(0);
    expect(denial.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(denial.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(denial.resetSeconds).toBeLessThanOrEqual(60);
  });

  it("admits again once the window rolls over", async () => {
    const redis = connect();
    const l = limiter(redis);
    const b = bucket();
    const limit = { requests: 5, windowSeconds: 1 };
    await alignToWindow(redis, 1);
    const first = await burst(l, b, 10, limit);
    expect(admitted(first)).toBe(5);
    const denial = first.find((d) => !d.allowed)!;
    expect(denial.retryAfterSeconds).toBe(1);
    await sleep(1000);
    expect(admitted(await burst(l, b, 10, limit))).toBe(5);
  });

  it("sustained demand from three instances over three windows: at most 3 × the limit and at least 95% of it", async () => {
    const redis = connect();
    const ls = [limiter(), limiter(), limiter()];
    const b = bucket();
    const limit = { requests: 50, windowSeconds: 1 };
    await alignToWindow(redis, 1, 20);
    const deadline = performance.now() + 2_900;
    let total = 0;
    await Promise.all(
      ls.flatMap((l) =>
        Array.from({ length: 4 }, async () => {
          // Paced at about one admit per ms per worker; the deadline ends it, the count only bounds it.
          for (let i = 0; i < 10_000 && performance.now() < deadline; i++) {
            if ((await l.admit(b, limit)).allowed) total++;
            await sleep(1);
          }
        }),
      ),
    );
    expect(total).toBeLessThanOrEqual(150);
    expect(total).toBeGreaterThanOrEqual(143);
  });

  it("throws RedisUnavailableError within about 200 ms when Redis is down", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    dead.on("error", () => {});
    connections.push(dead);
    const l = limiter(dead);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await expect(l.admit(bucket(), LIMIT)).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});

describe("rate limiter across two processes", () => {
  let dir: string;
  let script: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "mg-rl-"));
    script = path.join(dir, "admit-child.mts");
    const limiterPath = JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, "rate-limiter.ts")).href);
    const ioredisPath = JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve("ioredis")).href);
    // Each child is one gateway: its own process, Redis connection and limiter.
    writeFileSync(
      script,
      `import ioredis from ${ioredisPath};
import { createRateLimiter } from ${limiterPath};
const [url, bucket, count] = process.argv.slice(2);
const redis = new ioredis.Redis(url, { maxRetriesPerRequest: 1 });
const limiter = createRateLimiter(redis);
await redis.ping();
const deadline = setTimeout(() => process.exit(3), 15_000);
process.send!({ ready: true });
process.once("message", async () => {
  const ds = await Promise.all(Array.from({ length: Number(count) }, () => limiter.admit(bucket, { requests: 100, windowSeconds: 3600 })));
  process.send!({ allowed: ds.filter((d) => d.allowed).length }, () => {
    clearTimeout(deadline);
    void limiter.close().then(() => redis.quit()).then(() => process.exit(0));
  });
});
`,
    );
  });

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  function start(b: string, count: number) {
    const child = spawn(process.execPath, ["--import", "tsx", script, REDIS_URL, b, String(count)], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(child);
    const ready = new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`child exited with ${code} before it was ready`)));
    });
    const result = new Promise<number>((resolve, reject) => {
      child.on("message", (m: { allowed?: number }) => m.allowed !== undefined && resolve(m.allowed));
      child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
    });
    result.catch(() => {}); // awaited by the test; a child that dies before ready is reported there
    return { child, ready, result };
  }

  it("two processes, 100 concurrent admits each at a shared limit of 100: 95..100 admitted", async () => {
    const b = bucket();
    const [p, q] = [start(b, 100), start(b, 100)];
    await Promise.all([p.ready, q.ready]);
    p.child.send("go");
    q.child.send("go");
    const [a, c] = await Promise.all([p.result, q.result]);
    expect(a + c).toBeGreaterThanOrEqual(95);
    expect(a + c).toBeLessThanOrEqual(100);
  }, 20_000);
});
